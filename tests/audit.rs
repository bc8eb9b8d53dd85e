//! The audit: each finding code on a token made to trigger it, and on one made not to; the
//! nonce's issue time (UUID v1, the service's 15 digits) against `expireAt`, at the edges of a
//! round lifespan; the documentation tokens and the official vectors as real tokens.

mod common;

use common::{doc_tokens, forge, official_ports, official_vectors, pair, uuid_v1, ROOM, SIG};
use netless_token::{
    audit, decode, AuditPolicy, DecodedToken, Finding, FindingCode, Role, Severity, TokenKind,
    TokenRequest,
};

const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
/// The issue time of the tokens below: 2024-01-01T00:00:00Z.
const ISSUED: u64 = 1_704_067_200_000;

/// The service's nonce: ms times 100, plus a two-digit counter.
fn fifteen_digits(ms: u64) -> String {
    let nonce = format!("{}", ms * 100 + 7);
    assert_eq!(nonce.len(), 15);
    nonce
}

/// A token of `kind` and `role` whose `expireAt` is `ISSUED + lifespan` (0: none) and whose
/// nonce is `nonce`.
fn token(kind: TokenKind, role: Role, lifespan: u64, nonce: &str) -> String {
    let uuid = (kind != TokenKind::Sdk).then_some(ROOM);
    pair()
        .mint(
            &TokenRequest::new(kind, lifespan, role, uuid),
            ISSUED,
            nonce,
        )
        .unwrap()
}

/// The findings on `token` audited at `now` with the default policy.
fn findings_at(token: &str, now: u64) -> Vec<Finding> {
    audit(token, &AuditPolicy::new().at(now)).unwrap()
}

fn codes(findings: &[Finding]) -> Vec<(Severity, FindingCode)> {
    findings.iter().map(|f| (f.severity(), f.code())).collect()
}

/// The findings of `code` on a Room writer token whose nonce records `nonce_ms` and whose
/// `expireAt` is `nonce_ms + implied`, audited at its issue time.
fn implied(nonce: &str, implied_ms: i64) -> Vec<(Severity, FindingCode)> {
    let nonce_ms = ISSUED as i64 - implied_ms + HOUR as i64;
    let nonce = if nonce == "v1" {
        uuid_v1(nonce_ms as u64)
    } else {
        fifteen_digits(nonce_ms as u64)
    };
    // expireAt = ISSUED + 1 h; the nonce's time is set so that expireAt - nonce = implied_ms.
    codes(&findings_at(
        &token(TokenKind::Room, Role::Writer, HOUR, &nonce),
        ISSUED,
    ))
}

const NONE: Vec<(Severity, FindingCode)> = Vec::new();

#[test]
fn sdk_tokens_that_never_expire_are_critical_when_admin_and_high_otherwise() {
    let n = "6ba7b810-9dad-41d1-80b4-00c04fd430c8";
    for (role, severity) in [
        (Role::Admin, Severity::Critical),
        (Role::Writer, Severity::High),
        (Role::Reader, Severity::High),
    ] {
        let never = token(TokenKind::Sdk, role, 0, n);
        assert_eq!(
            codes(&findings_at(&never, ISSUED)),
            [(severity, FindingCode::SdkNeverExpires)],
            "{role}"
        );
        let hour = token(TokenKind::Sdk, role, HOUR, n);
        assert_eq!(codes(&findings_at(&hour, ISSUED)), NONE, "{role}");
    }
}

#[test]
fn room_and_task_tokens_that_never_expire_are_medium() {
    let n = "nonce";
    for kind in [TokenKind::Room, TokenKind::Task] {
        let never = token(kind, Role::Writer, 0, n);
        assert_eq!(
            codes(&findings_at(&never, ISSUED)),
            [(Severity::Medium, FindingCode::NeverExpires)]
        );
        let day = token(kind, Role::Writer, DAY, n);
        assert_eq!(codes(&findings_at(&day, ISSUED)), NONE);
    }
}

#[test]
fn a_lifetime_past_the_policy_is_medium_and_the_limit_is_configurable() {
    let day = token(TokenKind::Room, Role::Reader, DAY, "n");
    let day_and_a_ms = token(TokenKind::Room, Role::Reader, DAY + 1, "n");
    assert_eq!(codes(&findings_at(&day, ISSUED)), NONE);
    assert_eq!(
        codes(&findings_at(&day_and_a_ms, ISSUED)),
        [(Severity::Medium, FindingCode::LongLived)]
    );
    // Measured from now: the same token, a millisecond later, is within the limit.
    assert_eq!(codes(&findings_at(&day_and_a_ms, ISSUED + 1)), NONE);

    let hour = AuditPolicy::new().max_lifetime_ms(HOUR).at(ISSUED);
    let long = audit(&token(TokenKind::Task, Role::Reader, HOUR + 1, "n"), &hour).unwrap();
    assert_eq!(codes(&long), [(Severity::Medium, FindingCode::LongLived)]);
    assert!(long[0].message().contains("1h"), "{}", long[0]);
    let ok = audit(&token(TokenKind::Task, Role::Reader, HOUR, "n"), &hour).unwrap();
    assert_eq!(codes(&ok), NONE);
}

#[test]
fn an_expired_token_is_info_from_its_expire_at_on() {
    let t = token(TokenKind::Sdk, Role::Writer, HOUR, "n");
    assert_eq!(codes(&findings_at(&t, ISSUED + HOUR - 1)), NONE);
    assert_eq!(
        codes(&findings_at(&t, ISSUED + HOUR)),
        [(Severity::Info, FindingCode::Expired)]
    );
    let years_later = findings_at(&t, ISSUED + 400 * DAY);
    assert_eq!(
        codes(&years_later),
        [(Severity::Info, FindingCode::Expired)]
    );
    assert!(
        years_later[0].message().contains("399d 23h"),
        "{}",
        years_later[0]
    );
}

#[test]
fn an_admin_room_token_is_low_and_other_admin_tokens_are_not() {
    assert_eq!(
        codes(&findings_at(
            &token(TokenKind::Room, Role::Admin, HOUR, "n"),
            ISSUED
        )),
        [(Severity::Low, FindingCode::AdminRoomToken)]
    );
    for (kind, role) in [
        (TokenKind::Room, Role::Writer),
        (TokenKind::Room, Role::Reader),
        (TokenKind::Task, Role::Admin),
        (TokenKind::Sdk, Role::Admin),
    ] {
        let t = token(kind, role, HOUR, "n");
        assert_eq!(codes(&findings_at(&t, ISSUED)), NONE, "{kind} {role}");
    }
}

#[test]
fn a_round_lifespan_shifted_by_whole_hours_is_local_clock_expiry() {
    let medium = vec![(Severity::Medium, FindingCode::LocalClockExpiry)];
    let low = vec![(Severity::Low, FindingCode::LocalClockExpiry)];
    for nonce in ["v1", "15 digits"] {
        // 1 h written at UTC+8 lives 9 h: longer than meant.
        assert_eq!(implied(nonce, (9 * HOUR) as i64), medium, "{nonce}");
        // 10 min written at UTC-5: expired 4 h 50 min before it was issued.
        assert_eq!(
            implied(nonce, 10 * MINUTE as i64 - 5 * HOUR as i64),
            low,
            "{nonce}"
        );
        // 30 min at UTC+2, 1 day at UTC-5, 10 min at UTC+14.
        assert_eq!(implied(nonce, (2 * HOUR + 30 * MINUTE) as i64), medium);
        assert_eq!(implied(nonce, (DAY - 5 * HOUR) as i64), low);
        assert_eq!(implied(nonce, (10 * MINUTE + 14 * HOUR) as i64), medium);
        // A 1 h token at UTC-1 expires when it is issued.
        assert_eq!(implied(nonce, 0), low);
        // Where two offsets fit, the smaller is reported: 16 h is 12 h + 4 h (and 1 day - 8 h).
        assert_eq!(implied(nonce, (16 * HOUR) as i64), medium);
    }
}

#[test]
fn the_edges_of_round_allow_a_clock_tick_of_16_ms_and_no_more() {
    let medium = vec![(Severity::Medium, FindingCode::LocalClockExpiry)];
    for nonce in ["v1", "15 digits"] {
        for tick in [-16, -1, 1, 16] {
            // A round lifespan within a tick is round: nothing to report.
            assert_eq!(implied(nonce, HOUR as i64 + tick), NONE, "{nonce} {tick}");
            // Shifted by 8 h within a tick: still the mark of local time.
            assert_eq!(
                implied(nonce, 9 * HOUR as i64 + tick),
                medium,
                "{nonce} {tick}"
            );
        }
        for off in [-17, 17] {
            assert_eq!(implied(nonce, 9 * HOUR as i64 + off), NONE, "{nonce} {off}");
        }
        // Lifespans that are not round, plus whole hours, are not reported.
        assert_eq!(implied(nonce, (7 * MINUTE + HOUR) as i64), NONE);
        assert_eq!(implied(nonce, (5 * HOUR + 17 * MINUTE) as i64), NONE);
        // Round lifespans as they are: minutes, hours dividing a day, whole days.
        for round in [
            MINUTE,
            5 * MINUTE,
            45 * MINUTE,
            2 * HOUR,
            12 * HOUR,
            DAY,
            7 * DAY,
            365 * DAY,
        ] {
            assert_eq!(implied(nonce, round as i64), NONE, "{nonce} {round}");
        }
        // Past the widest UTC offsets (-12 h, +14 h) nothing is read as local time.
        assert_eq!(implied(nonce, (10 * MINUTE + 15 * HOUR) as i64), NONE);
    }
}

#[test]
fn an_expiry_before_the_issue_time_that_no_offset_explains_is_low() {
    let low = vec![(Severity::Low, FindingCode::ExpiresBeforeIssue)];
    for nonce in ["v1", "15 digits"] {
        let minus = -((17 * MINUTE + 3_456) as i64);
        assert_eq!(implied(nonce, minus), low, "{nonce}");
        assert_eq!(implied(nonce, -(20 * DAY as i64) - 1_234), low, "{nonce}");
        // Within a tick of 0, a 1 h lifespan at UTC-1 explains it (above); just after issue
        // and a usual lifespan, nothing.
        assert_eq!(implied(nonce, 13 * MINUTE as i64 + 5), NONE, "{nonce}");
    }
}

#[test]
fn nonces_without_a_time_are_not_read_for_one() {
    // A 1 h token written at UTC+8, but with nonces that record no time.
    for nonce in [
        "6ba7b810-9dad-41d1-80b4-00c04fd430c8", // UUID v4
        "1590739298095",                        // 13 digits
        "1590739298095000",                     // 16 digits
        "plain",
    ] {
        let t = token(TokenKind::Room, Role::Writer, 9 * HOUR, nonce);
        assert_eq!(codes(&findings_at(&t, ISSUED)), NONE, "{nonce}");
    }
}

#[test]
fn the_documentation_tokens_are_audited_as_what_they_are() {
    let expected = [
        vec![(Severity::Critical, FindingCode::SdkNeverExpires)],
        vec![
            (Severity::Medium, FindingCode::NeverExpires),
            (Severity::Low, FindingCode::AdminRoomToken),
        ],
        vec![(Severity::Medium, FindingCode::NeverExpires)],
    ];
    for (doc, expected) in doc_tokens().iter().zip(expected) {
        let token = &doc.token;
        let findings = audit(token, &AuditPolicy::new()).unwrap();
        assert_eq!(codes(&findings), expected, "{token}");
        assert_eq!(decode(token).unwrap().audit(&AuditPolicy::new()), findings);
    }
}

#[test]
fn findings_come_most_severe_first() {
    // An admin Room token, long-lived, written at UTC+8: medium, medium, low.
    let t = token(
        TokenKind::Room,
        Role::Admin,
        2 * DAY,
        &uuid_v1(ISSUED - 8 * HOUR),
    );
    let severities: Vec<Severity> = findings_at(&t, ISSUED)
        .iter()
        .map(Finding::severity)
        .collect();
    let mut sorted = severities.clone();
    sorted.sort_by_key(|&s| std::cmp::Reverse(s));
    assert_eq!(severities.len(), 3, "{severities:?}");
    assert_eq!(severities, sorted);
}

#[test]
fn no_message_holds_the_signature_or_the_token() {
    let tokens = [
        token(TokenKind::Sdk, Role::Admin, 0, "n"),
        token(TokenKind::Room, Role::Admin, 9 * HOUR, &uuid_v1(ISSUED)),
        token(
            TokenKind::Task,
            Role::Reader,
            30 * DAY,
            &fifteen_digits(ISSUED + 3 * HOUR),
        ),
    ];
    for t in &tokens {
        let sig = decode(t).unwrap().sig_hex();
        for now in [ISSUED, ISSUED + 60 * DAY] {
            for finding in findings_at(t, now) {
                let text = finding.to_string();
                assert!(!text.contains(&sig[..9]), "{text}");
                assert!(!text.contains(&t[12..40]), "{text}");
                assert_eq!(text.lines().count(), 1, "{text}");
            }
        }
    }
}

#[test]
fn text_that_does_not_decode_is_a_decode_error_or_a_malformed_finding() {
    let truncated = &forge("NETLESSSDK_", &format!("ak=a&nonce=n&role=0&sig={SIG}"))[..60];
    let error = audit(truncated, &AuditPolicy::new()).unwrap_err();
    let finding = Finding::malformed(&error);
    assert_eq!(finding.severity(), Severity::Info);
    assert_eq!(finding.code().as_str(), "malformed-token");
    assert!(finding.message().contains(&error.to_string()));
}

#[test]
fn severities_order_parse_and_print() {
    let words = ["info", "low", "medium", "high", "critical"];
    assert_eq!(Severity::ALL.map(|s| s.to_string()), words);
    assert!(Severity::ALL.windows(2).all(|w| w[0] < w[1]));
    assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
    let err = "severe".parse::<Severity>().unwrap_err().to_string();
    assert!(err.starts_with("severity "), "{err}");
}

#[test]
fn every_code_is_distinct_documented_and_in_docs_audit_md() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md"))
        .expect("docs/audit.md");
    let mut seen = std::collections::HashSet::new();
    for code in FindingCode::ALL {
        assert!(seen.insert(code.as_str()), "{code} twice");
        assert!(!code.summary().is_empty() && !code.advice().is_empty());
        assert!(
            doc.contains(&format!("`{code}`")),
            "docs/audit.md lacks {code}"
        );
    }
}

#[test]
fn honest_tokens_of_the_official_generator_show_no_clock_finding() {
    // Minted with a fixed UUID v1 from 1998 and a clock of 2023: an implied lifespan of 25
    // years plus the lifespan, which no UTC offset makes round.
    for v in official_vectors() {
        let findings = audit(&v.token, &AuditPolicy::new().at(v.now)).unwrap();
        assert!(
            findings.iter().all(|f| !matches!(
                f.code(),
                FindingCode::LocalClockExpiry | FindingCode::ExpiresBeforeIssue
            )),
            "line {}: {findings:?}",
            v.line
        );
    }
}

/// The findings `docs/audit.md` gives a token whose nonce records no time, at `now` with the
/// default policy, most severe first. `python/tests/test_audit.py` states the same rules, so
/// both hold the library and the binding to one expectation.
fn by_the_rules(token: &DecodedToken, now: u64) -> Vec<(Severity, FindingCode)> {
    let mut found = Vec::new();
    match token.expire_at() {
        None if token.kind() == TokenKind::Sdk => found.push((
            if token.role() == Role::Admin {
                Severity::Critical
            } else {
                Severity::High
            },
            FindingCode::SdkNeverExpires,
        )),
        None => found.push((Severity::Medium, FindingCode::NeverExpires)),
        Some(expire_at) if now >= expire_at => found.push((Severity::Info, FindingCode::Expired)),
        Some(expire_at) if expire_at - now > DAY => {
            found.push((Severity::Medium, FindingCode::LongLived))
        }
        Some(_) => {}
    }
    if token.kind() == TokenKind::Room && token.role() == Role::Admin {
        found.push((Severity::Low, FindingCode::AdminRoomToken));
    }
    found.sort_by_key(|&(severity, _)| std::cmp::Reverse(severity));
    found
}

#[test]
fn the_port_tokens_get_the_findings_the_rules_give() {
    let mut audited = 0;
    for p in official_ports() {
        // Every port writes UUID v4 nonces, which record no time.
        let Ok(decoded) = decode(&p.token) else {
            assert!(
                audit(&p.token, &AuditPolicy::new()).is_err(),
                "line {}",
                p.line
            );
            continue;
        };
        let findings = decoded.audit(&AuditPolicy::new().at(p.verify_at));
        assert_eq!(
            codes(&findings),
            by_the_rules(&decoded, p.verify_at),
            "line {}",
            p.line
        );
        audited += 1;
    }
    assert!(audited >= 210, "{audited}");
}
