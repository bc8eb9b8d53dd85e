//! Hostile input, table-driven: every class of malformed token, the expiry boundary to the
//! millisecond, and tampering with every field. Tokens are forged by hand with the base64
//! crate, independently of the crate under test.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use netless_token::{
    decode, mint, verify, DecodeError, KeyPair, Keyring, Role, SecretKey, TokenKind, TokenRequest,
    Validation, VerifyError, MAX_EXPIRE_AT, MAX_TOKEN_LEN,
};

const AK: &str = "BUxxxxxxrc";
const ROOM: &str = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
const NONCE: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const T: u64 = 1_700_000_000_000;
const SIG: &str = "98ef9f2b9a6a2d1b8aab26a5b4bc0c5c6d1ba4c2cbfa1c0f0a1a7df0b42bd9b1";

fn sk() -> SecretKey {
    SecretKey::new("CxxxxxxxauY3").unwrap()
}

/// A reader Room token for `ROOM`, issued at `T`, living one hour.
fn reader_room_token() -> String {
    mint(
        AK,
        &sk(),
        &TokenRequest::room(Role::Reader, 3_600_000, ROOM),
        T,
        NONCE,
    )
    .unwrap()
}

fn query_of(token: &str) -> String {
    let payload = &token[token.find('_').unwrap() + 1..];
    String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn forge(prefix: &str, query: impl AsRef<[u8]>) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

/// A well-formed Room query with one pair replaced (or the query given whole).
fn room_query(role: &str, expire_at: &str, sig: &str) -> String {
    format!("ak={AK}&expireAt={expire_at}&nonce={NONCE}&role={role}&sig={sig}&uuid={ROOM}")
}

type Expect = fn(&DecodeError) -> bool;

#[test]
fn every_malformed_input_class_is_refused_naming_its_field() {
    let good = reader_room_token();
    let payload = &good["NETLESSROOM_".len()..];
    let middle = payload.len() / 2;
    let with_at_middle = |s: &str| {
        format!(
            "NETLESSROOM_{}{s}{}",
            &payload[..middle],
            &payload[middle..]
        )
    };
    let huge = format!("NETLESSROOM_{}", "A".repeat(1 << 20));

    let cases: Vec<(&str, String, Expect, &str)> = vec![
        (
            "wrong prefix",
            format!("NETLESSUSER_{payload}"),
            |e| *e == DecodeError::UnknownPrefix,
            "prefix",
        ),
        (
            "lowercase prefix",
            format!("netlessroom_{payload}"),
            |e| *e == DecodeError::UnknownPrefix,
            "prefix",
        ),
        (
            "prefix without underscore",
            format!("NETLESSROOM{payload}"),
            |e| *e == DecodeError::UnknownPrefix,
            "prefix",
        ),
        (
            "prefix alone",
            "NETLESSROOM_".into(),
            |e| *e == DecodeError::EmptyPayload,
            "payload",
        ),
        (
            "padded base64",
            forge("NETLESSROOM_", "ak=a") + "=",
            |e| matches!(e, DecodeError::Base64 { reason, .. } if reason.contains("padding")),
            "payload",
        ),
        (
            "padded base64, standard engine",
            format!(
                "NETLESSROOM_{}",
                STANDARD.encode(room_query("2", "1", SIG) + "x")
            ),
            |e| matches!(e, DecodeError::Base64 { .. }),
            "payload",
        ),
        (
            "standard alphabet",
            "NETLESSROOM_YW+/YWJj".into(),
            |e| matches!(e, DecodeError::Base64 { reason, .. } if reason.contains("standard")),
            "payload",
        ),
        (
            "space inside",
            with_at_middle(" "),
            |e| matches!(e, DecodeError::Base64 { reason, .. } if reason.contains("whitespace")),
            "payload",
        ),
        (
            "newline inside",
            with_at_middle("\n"),
            |e| matches!(e, DecodeError::Base64 { reason, .. } if reason.contains("whitespace")),
            "payload",
        ),
        (
            "CRLF at the end",
            format!("{good}\r\n"),
            |e| matches!(e, DecodeError::Base64 { .. }),
            "payload",
        ),
        (
            "tab inside",
            with_at_middle("\t"),
            |e| matches!(e, DecodeError::Base64 { .. }),
            "payload",
        ),
        (
            "non-UTF-8 bytes",
            forge("NETLESSROOM_", b"ak=\xc3\x28&nonce=n&role=0&sig=x&uuid=u"),
            |e| matches!(e, DecodeError::NotUtf8 { .. }),
            "payload",
        ),
        (
            "escape decoding to invalid UTF-8",
            forge(
                "NETLESSROOM_",
                room_query("2", "1", SIG).replace(NONCE, "%C3%28"),
            ),
            |e| matches!(e, DecodeError::BadEncoding { .. }),
            "nonce",
        ),
        (
            "lone continuation byte escaped",
            forge(
                "NETLESSROOM_",
                room_query("2", "1", SIG).replace(NONCE, "%80"),
            ),
            |e| matches!(e, DecodeError::BadEncoding { .. }),
            "nonce",
        ),
        (
            "truncated % at the end",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "%"),
            |e| matches!(e, DecodeError::BadEncoding { .. }),
            "uuid",
        ),
        (
            "truncated %4 at the end",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "%4"),
            |e| matches!(e, DecodeError::BadEncoding { .. }),
            "uuid",
        ),
        (
            "lowercase escape",
            forge(
                "NETLESSROOM_",
                room_query("2", "1", SIG).replace(NONCE, "%c3%a9"),
            ),
            |e| matches!(e, DecodeError::BadEncoding { .. }),
            "nonce",
        ),
        (
            "&&",
            forge(
                "NETLESSROOM_",
                room_query("2", "1", SIG).replace("&nonce", "&&nonce"),
            ),
            |e| matches!(e, DecodeError::MalformedPair { .. }),
            "query",
        ),
        (
            "pair without =",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&flag"),
            |e| matches!(e, DecodeError::MalformedPair { .. }),
            "query",
        ),
        (
            "duplicate field, equal values",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&role=2"),
            |e| matches!(e, DecodeError::DuplicateField(f) if f == "role"),
            "role",
        ),
        (
            "duplicate field, different values",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&role=0"),
            |e| matches!(e, DecodeError::DuplicateField(f) if f == "role"),
            "role",
        ),
        (
            "duplicate uuid",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&uuid=other"),
            |e| matches!(e, DecodeError::DuplicateField(f) if f == "uuid"),
            "uuid",
        ),
        (
            "field repeated in other case: Role",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&Role=0"),
            |e| {
                matches!(
                    e,
                    DecodeError::CaseVariant {
                        expected: "role",
                        ..
                    }
                )
            },
            "Role",
        ),
        (
            "field repeated in other case: EXPIREAT",
            forge("NETLESSROOM_", room_query("2", "1", SIG) + "&EXPIREAT=99"),
            |e| {
                matches!(
                    e,
                    DecodeError::CaseVariant {
                        expected: "expireAt",
                        ..
                    }
                )
            },
            "EXPIREAT",
        ),
        (
            "field repeated in other case: Sig",
            forge(
                "NETLESSROOM_",
                room_query("2", "1", SIG) + &format!("&Sig={SIG}"),
            ),
            |e| {
                matches!(
                    e,
                    DecodeError::CaseVariant {
                        expected: "sig",
                        ..
                    }
                )
            },
            "Sig",
        ),
        (
            "expireAt past u64",
            forge("NETLESSROOM_", room_query("2", "18446744073709551616", SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "expireAt of 40 digits",
            forge("NETLESSROOM_", room_query("2", &"9".repeat(40), SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "expireAt with + (a space in a query)",
            forge("NETLESSROOM_", room_query("2", "+1700000000000", SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "expireAt with an escaped +",
            forge("NETLESSROOM_", room_query("2", "%2B1700000000000", SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "expireAt with -",
            forge("NETLESSROOM_", room_query("2", "-1700000000000", SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "expireAt with a leading zero",
            forge("NETLESSROOM_", room_query("2", "01700000000000", SIG)),
            |e| matches!(e, DecodeError::InvalidExpireAt(_)),
            "expireAt",
        ),
        (
            "role 00",
            forge("NETLESSROOM_", room_query("00", "1", SIG)),
            |e| matches!(e, DecodeError::InvalidRole(_)),
            "role",
        ),
        (
            "role ' 0' (escaped space)",
            forge("NETLESSROOM_", room_query("%200", "1", SIG)),
            |e| matches!(e, DecodeError::InvalidRole(_)),
            "role",
        ),
        (
            "role ' 0' (plus)",
            forge("NETLESSROOM_", room_query("+0", "1", SIG)),
            |e| matches!(e, DecodeError::InvalidRole(_)),
            "role",
        ),
        (
            "role 3",
            forge("NETLESSROOM_", room_query("3", "1", SIG)),
            |e| matches!(e, DecodeError::InvalidRole(_)),
            "role",
        ),
        (
            "role as a word",
            forge("NETLESSROOM_", room_query("admin", "1", SIG)),
            |e| matches!(e, DecodeError::InvalidRole(_)),
            "role",
        ),
        (
            "uppercase hex sig",
            forge("NETLESSROOM_", room_query("2", "1", &SIG.to_uppercase())),
            |e| matches!(e, DecodeError::InvalidSig { len: 64 }),
            "sig",
        ),
        (
            "sig one digit short",
            forge("NETLESSROOM_", room_query("2", "1", &SIG[..63])),
            |e| matches!(e, DecodeError::InvalidSig { len: 63 }),
            "sig",
        ),
        (
            "sig one digit long",
            forge("NETLESSROOM_", room_query("2", "1", &format!("{SIG}0"))),
            |e| matches!(e, DecodeError::InvalidSig { len: 65 }),
            "sig",
        ),
        (
            "sig of 128 digits",
            forge("NETLESSROOM_", room_query("2", "1", &SIG.repeat(2))),
            |e| matches!(e, DecodeError::InvalidSig { len: 128 }),
            "sig",
        ),
        (
            "1 MiB token",
            huge.clone(),
            |e| matches!(e, DecodeError::TooLong { len, .. } if *len == (1 << 20) + 12),
            "token",
        ),
        (
            "one byte over the limit",
            format!("NETLESSROOM_{}", "A".repeat(MAX_TOKEN_LEN - 11)),
            |e| matches!(e, DecodeError::TooLong { .. }),
            "token",
        ),
    ];
    let keyring = {
        let mut k = Keyring::new();
        k.insert(KeyPair::new(AK, &sk()).unwrap());
        k
    };
    for (class, token, expect, field) in &cases {
        let e = decode(token).expect_err(class);
        assert!(expect(&e), "{class}: unexpected {e:?}");
        assert_eq!(e.field(), *field, "{class}: field of {e:?}");
        let message = e.to_string();
        assert!(
            message.starts_with(&format!("{field}: ")),
            "{class}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{class}: {message:?}");
        // Verification refuses the same way, before touching the key.
        assert_eq!(
            keyring.verify(token, &Validation::new()),
            Err(VerifyError::Decode(e)),
            "{class}"
        );
    }
    // The limit itself is accepted as far as length goes.
    let at_limit = format!("NETLESSROOM_{}", "A".repeat(MAX_TOKEN_LEN - 12));
    assert!(!matches!(
        decode(&at_limit),
        Err(DecodeError::TooLong { .. })
    ));
}

#[test]
fn a_tampered_unknown_field_fails_verification() {
    let pair = KeyPair::new(AK, &sk()).unwrap();
    let extra = [("plan", "free")];
    let token = pair
        .mint(
            &TokenRequest::room(Role::Reader, 0, ROOM).with_extra(&extra),
            T,
            NONCE,
        )
        .unwrap();
    assert!(pair.verify(&token, &Validation::new()).is_ok());
    let query = query_of(&token);
    for tampered in [
        query.replace("plan=free", "plan=paid"),
        query.replace("plan=free", "plam=free"),
        query.replace("&plan=free", ""),
        format!("{query}&seats=100"),
    ] {
        assert_ne!(tampered, query);
        let forged = forge("NETLESSROOM_", &tampered);
        assert_eq!(
            pair.verify(&forged, &Validation::new()).unwrap_err(),
            VerifyError::SignatureMismatch,
            "{tampered}"
        );
    }
}

#[test]
fn changing_any_field_makes_verify_fail() {
    let token = reader_room_token();
    let query = query_of(&token);
    let expire_at = (T + 3_600_000).to_string();
    let mut keyring = Keyring::new();
    keyring.insert(KeyPair::new(AK, &sk()).unwrap());
    keyring.insert(KeyPair::new("OTHERxxxxx", &sk()).unwrap());
    let policy = Validation::new().at(T);
    assert!(keyring.verify(&token, &policy).is_ok());

    let cases = [
        (
            "role escalation reader -> admin",
            query.replace("role=2", "role=0"),
        ),
        (
            "role escalation reader -> writer",
            query.replace("role=2", "role=1"),
        ),
        (
            "another room",
            query.replace(ROOM, "00d4e015df4c488480c3f8a24d053eb1"),
        ),
        (
            "expireAt removed",
            query.replace(&format!("expireAt={expire_at}&"), ""),
        ),
        (
            "expireAt extended",
            query.replace(&expire_at, &(T + 3_600_000_000).to_string()),
        ),
        (
            "nonce replayed with another value",
            query.replace(NONCE, "159073929809500"),
        ),
        (
            "access key swapped for another known one",
            query.replace(AK, "OTHERxxxxx"),
        ),
        ("extra field added", format!("{query}&role2=0")),
    ];
    for (what, tampered) in cases {
        assert_ne!(tampered, query, "{what}: the tampering changed nothing");
        let forged = forge("NETLESSROOM_", &tampered);
        let e = keyring.verify(&forged, &policy).unwrap_err();
        assert_eq!(e, VerifyError::SignatureMismatch, "{what}");
    }
}

#[test]
fn the_kind_is_not_signed_so_verifiers_should_require_one() {
    // A Room token re-labelled as a Task token for the same uuid keeps a valid signature: the
    // prefix is outside the signed JSON. Validation::expect_kind is the defence.
    let token = reader_room_token();
    let relabelled = token.replacen("NETLESSROOM_", "NETLESSTASK_", 1);
    let pair = KeyPair::new(AK, &sk()).unwrap();
    let any_kind = Validation::new().at(T);
    assert_eq!(
        pair.verify(&relabelled, &any_kind).unwrap().kind(),
        TokenKind::Task
    );
    assert_eq!(
        pair.verify(&relabelled, &any_kind.expect_kind(TokenKind::Room))
            .unwrap_err(),
        VerifyError::WrongKind {
            expected: TokenKind::Room,
            found: TokenKind::Task
        }
    );
    // An SDK token cannot become a Room token: it has no uuid.
    let sdk = mint(AK, &sk(), &TokenRequest::sdk(Role::Admin, 0), T, NONCE).unwrap();
    let as_room = sdk.replacen("NETLESSSDK_", "NETLESSROOM_", 1);
    assert_eq!(
        decode(&as_room).unwrap_err(),
        DecodeError::MissingField("uuid")
    );
}

#[test]
fn expiry_is_exact_to_the_millisecond_with_and_without_leeway() {
    let token = reader_room_token();
    let expire_at = T + 3_600_000;
    let at = |now| Validation::new().at(now);
    assert!(verify(&token, &sk(), &at(T)).is_ok());
    assert!(
        verify(&token, &sk(), &at(expire_at - 1)).is_ok(),
        "the last valid millisecond"
    );
    assert_eq!(
        verify(&token, &sk(), &at(expire_at)).unwrap_err(),
        VerifyError::Expired {
            expire_at_ms: expire_at,
            now_ms: expire_at,
            leeway_ms: 0
        },
        "expired at expireAt itself"
    );
    let leeway = 5_000;
    assert!(verify(&token, &sk(), &at(expire_at + leeway - 1).leeway_ms(leeway)).is_ok());
    assert_eq!(
        verify(&token, &sk(), &at(expire_at + leeway).leeway_ms(leeway)).unwrap_err(),
        VerifyError::Expired {
            expire_at_ms: expire_at,
            now_ms: expire_at + leeway,
            leeway_ms: leeway
        }
    );
    // Leeway cannot overflow into acceptance.
    let late = mint(
        AK,
        &sk(),
        &TokenRequest::sdk(Role::Admin, 1),
        MAX_EXPIRE_AT - 1,
        NONCE,
    )
    .unwrap();
    assert!(verify(&late, &sk(), &at(u64::MAX - 1).leeway_ms(u64::MAX)).is_ok());
    assert!(verify(&late, &sk(), &at(u64::MAX).leeway_ms(u64::MAX)).is_err());
}

#[test]
fn lifespan_zero_never_expires_unless_the_policy_bounds_lifetimes() {
    let token = mint(
        AK,
        &sk(),
        &TokenRequest::room(Role::Reader, 0, ROOM),
        T,
        NONCE,
    )
    .unwrap();
    assert_eq!(decode(&token).unwrap().expire_at(), None);
    for now in [0, T, MAX_EXPIRE_AT, u64::MAX] {
        assert!(
            verify(&token, &sk(), &Validation::new().at(now)).is_ok(),
            "at {now}"
        );
    }
    let bounded = Validation::new().at(T).max_lifetime_ms(86_400_000);
    assert_eq!(
        verify(&token, &sk(), &bounded).unwrap_err(),
        VerifyError::LivesTooLong {
            expire_at_ms: None,
            now_ms: T,
            max_lifetime_ms: 86_400_000
        }
    );
}

#[test]
fn a_token_issued_in_the_future_is_accepted_until_it_expires_unless_bounded() {
    // Minted by a clock one day ahead, for one hour. The format has no issue time, so the
    // token is valid from now until its expireAt (documented on Validation).
    let ahead = T + 86_400_000;
    let token = mint(
        AK,
        &sk(),
        &TokenRequest::room(Role::Reader, 3_600_000, ROOM),
        ahead,
        NONCE,
    )
    .unwrap();
    assert!(verify(&token, &sk(), &Validation::new().at(T)).is_ok());
    // A policy allowing at most two hours of remaining life refuses it now...
    let bounded = Validation::new().at(T).max_lifetime_ms(7_200_000);
    let e = verify(&token, &sk(), &bounded).unwrap_err();
    assert_eq!(
        e,
        VerifyError::LivesTooLong {
            expire_at_ms: Some(ahead + 3_600_000),
            now_ms: T,
            max_lifetime_ms: 7_200_000
        }
    );
    assert!(e.to_string().starts_with("expireAt: "));
    // ...and accepts it once its end is within the bound, exactly at the boundary.
    let boundary = ahead + 3_600_000 - 7_200_000;
    assert!(verify(&token, &sk(), &bounded.at(boundary)).is_ok());
    assert!(verify(&token, &sk(), &bounded.at(boundary - 1)).is_err());
}
