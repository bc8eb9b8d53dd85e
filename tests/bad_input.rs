//! One test per class of bad input: the error kind, and that its message names the field.
//! Malformed tokens are forged here by hand (base64 crate directly), not by the crate.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use netless_token::{
    decode, mint, verify, DecodeError, KeyError, KeyPair, Keyring, MintError, Role, SecretKey,
    TokenKind, TokenRequest, Validation, VerifyError, MAX_EXPIRE_AT, MAX_TOKEN_LEN,
};

const SIG: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn forge(prefix: &str, query: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

fn forge_bytes(prefix: &str, query: &[u8]) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

fn sk() -> SecretKey {
    SecretKey::new("sk-for-tests").unwrap()
}

/// Asserts the error's `field()` and that its message starts by naming that field.
#[track_caller]
fn assert_names(message: String, field: &str, reported: &str) {
    assert_eq!(reported, field, "field() of {message:?}");
    assert!(
        message.starts_with(&format!("{field}: ")),
        "{message:?} does not start with {field:?}"
    );
    assert_eq!(message.lines().count(), 1, "{message:?}");
}

#[track_caller]
fn decode_err(token: &str) -> DecodeError {
    match decode(token) {
        Ok(t) => panic!("{token} decoded: {t:?}"),
        Err(e) => {
            assert_names(e.to_string(), e.field(), e.field());
            e
        }
    }
}

#[track_caller]
fn mint_err(ak: &str, request: TokenRequest, issued_at: u64, nonce: &str) -> MintError {
    let e = mint(ak, &sk(), &request, issued_at, nonce).unwrap_err();
    assert_names(e.to_string(), e.field(), e.field());
    e
}

// ---- minting ----

#[test]
fn mint_refuses_an_empty_access_key() {
    let e = mint_err("", TokenRequest::sdk(Role::Admin, 0), 0, "n");
    assert_eq!(e, MintError::Key(KeyError::Empty("ak")));
    assert_eq!(e.field(), "ak");
}

#[test]
fn an_empty_secret_key_cannot_be_built() {
    let e = SecretKey::new("").unwrap_err();
    assert_eq!(e, KeyError::Empty("sk"));
    assert_names(e.to_string(), "sk", e.field());
    assert!(SecretKey::from_bytes(Vec::new()).is_err());
}

#[test]
fn mint_refuses_room_and_task_tokens_without_uuid() {
    for kind in [TokenKind::Room, TokenKind::Task] {
        let e = mint_err("ak", TokenRequest::new(kind, Role::Admin, 0, None), 0, "n");
        assert_eq!(e, MintError::MissingUuid(kind));
        assert_eq!(e.field(), "uuid");
        let e = mint_err(
            "ak",
            TokenRequest::new(kind, Role::Admin, 0, Some("")),
            0,
            "n",
        );
        assert_eq!(e, MintError::EmptyField("uuid"));
    }
}

#[test]
fn mint_refuses_a_uuid_on_an_sdk_token() {
    let e = mint_err(
        "ak",
        TokenRequest::new(TokenKind::Sdk, Role::Admin, 0, Some("u")),
        0,
        "n",
    );
    assert_eq!(e, MintError::UnexpectedUuid);
    assert_eq!(e.field(), "uuid");
}

#[test]
fn mint_refuses_an_empty_nonce() {
    let e = mint_err("ak", TokenRequest::sdk(Role::Admin, 0), 0, "");
    assert_eq!(e, MintError::EmptyField("nonce"));
}

#[test]
fn mint_refuses_a_lifespan_that_overflows() {
    for (issued_at, lifespan) in [
        (u64::MAX, 1),
        (1, u64::MAX),
        (MAX_EXPIRE_AT, 1),
        (0, MAX_EXPIRE_AT + 1),
    ] {
        let e = mint_err(
            "ak",
            TokenRequest::sdk(Role::Admin, lifespan),
            issued_at,
            "n",
        );
        assert_eq!(
            e,
            MintError::ExpireAtOverflow {
                issued_at_ms: issued_at,
                lifespan_ms: lifespan
            },
            "{issued_at} + {lifespan}"
        );
        assert_eq!(e.field(), "expireAt");
    }
    // The boundary itself is fine, and lifespan 0 ignores the issue time entirely.
    assert!(mint(
        "ak",
        &sk(),
        &TokenRequest::sdk(Role::Admin, 1),
        MAX_EXPIRE_AT - 1,
        "n"
    )
    .is_ok());
    assert!(mint(
        "ak",
        &sk(),
        &TokenRequest::sdk(Role::Admin, 0),
        u64::MAX,
        "n"
    )
    .is_ok());
}

#[test]
fn mint_refuses_a_token_longer_than_the_limit() {
    let long = "x".repeat(MAX_TOKEN_LEN);
    let e = mint_err(&long, TokenRequest::sdk(Role::Admin, 0), 0, "n");
    assert_eq!(e, MintError::TooLong { max: MAX_TOKEN_LEN });
    assert_eq!(e.field(), "token");
    // Short raw text that escapes to more than the limit is caught too.
    let escaped = "\u{1}".repeat(MAX_TOKEN_LEN / 3);
    let e = mint_err(&escaped, TokenRequest::sdk(Role::Admin, 0), 0, "n");
    assert_eq!(e, MintError::TooLong { max: MAX_TOKEN_LEN });
}

#[test]
fn mint_refuses_bad_extra_field_names() {
    for (name, field) in [("nonce", "nonce"), ("ExpireAt", "ExpireAt"), ("", "\"\"")] {
        let extra = [(name, "v")];
        let e = mint_err(
            "ak",
            TokenRequest::sdk(Role::Admin, 0).with_extra(&extra),
            0,
            "n",
        );
        assert!(matches!(e, MintError::BadExtraField { .. }), "{e:?}");
        assert_eq!(e.field(), field);
    }
}

// ---- decoding ----

#[test]
fn decode_refuses_input_over_the_limit_before_anything_else() {
    // Not even a valid prefix: the length check comes first.
    let e = decode_err(&"x".repeat(MAX_TOKEN_LEN + 1));
    assert_eq!(
        e,
        DecodeError::TooLong {
            len: MAX_TOKEN_LEN + 1,
            max: MAX_TOKEN_LEN
        }
    );
    assert_eq!(e.field(), "token");
    let e = decode_err(&format!("NETLESSSDK_{}", "A".repeat(MAX_TOKEN_LEN)));
    assert!(matches!(e, DecodeError::TooLong { .. }));
}

#[test]
fn decode_refuses_an_unknown_prefix() {
    for token in [
        "",
        "NETLESS_abc",
        "netlesssdk_YWs9",
        "NETLESSSDK",
        "NETLESSUSER_YWs9",
        "YWs9",
    ] {
        assert_eq!(decode_err(token), DecodeError::UnknownPrefix, "{token:?}");
    }
    assert_eq!(decode_err("NETLESSROOM_"), DecodeError::EmptyPayload);
}

#[test]
fn decode_refuses_bad_base64() {
    let good = forge("NETLESSSDK_", &format!("ak=a&nonce=n&role=0&sig={SIG}"));
    let payload = &good["NETLESSSDK_".len()..];
    let cases = [
        format!(
            "NETLESSSDK_{}",
            URL_SAFE.encode(format!("ak=a&nonce=n&role=0&sig={SIG}&x=y"))
        ),
        format!("NETLESSSDK_{}", STANDARD.encode([0xfb, 0xff, 0xfe])),
        format!("NETLESSSDK_{} ", payload),
        format!("NETLESSSDK_{}\n", payload),
        format!("NETLESSSDK_{}", &payload[..payload.len() - 1]),
        "NETLESSSDK_Y".to_owned(),
        "NETLESSSDK_YR".to_owned(),
    ];
    for token in cases {
        let e = decode_err(&token);
        assert!(matches!(e, DecodeError::Base64 { .. }), "{token:?}: {e:?}");
        assert_eq!(e.field(), "payload");
    }
}

#[test]
fn decode_refuses_a_query_that_is_not_utf8() {
    let e = decode_err(&forge_bytes("NETLESSSDK_", b"ak=\xff&nonce=n&role=0"));
    assert_eq!(e, DecodeError::NotUtf8 { offset: 3 });
    assert_eq!(e.field(), "payload");
}

#[test]
fn decode_refuses_malformed_pairs() {
    for query in [
        format!("ak=a&&nonce=n&role=0&sig={SIG}"),
        format!("&ak=a&nonce=n&role=0&sig={SIG}"),
        format!("ak=a&nonce=n&role=0&sig={SIG}&"),
        format!("ak=a&nonce&role=0&sig={SIG}"),
        format!("ak=a&=n&role=0&sig={SIG}"),
    ] {
        let e = decode_err(&forge("NETLESSSDK_", &query));
        assert!(
            matches!(e, DecodeError::MalformedPair { .. }),
            "{query}: {e:?}"
        );
        assert_eq!(e.field(), "query");
    }
}

#[test]
fn decode_refuses_bad_percent_encoding_naming_the_field() {
    for (query, field) in [
        ("ak=a%&nonce=n&role=0", "ak"),
        ("ak=a&nonce=%4&role=0", "nonce"),
        ("ak=a&nonce=%FF&role=0", "nonce"),
        ("ak=a&nonce=%e4%b8%ad&role=0", "nonce"),
        ("ak=a b&nonce=n&role=0", "ak"),
        ("ak=a=b&nonce=n&role=0", "ak"),
        ("ak=a&nonce=n&role=0&x%ZZ=1", "name of pair 4"),
    ] {
        let e = decode_err(&forge("NETLESSSDK_", query));
        assert!(
            matches!(e, DecodeError::BadEncoding { .. }),
            "{query}: {e:?}"
        );
        assert_eq!(e.field(), field, "{query}");
    }
}

#[test]
fn decode_refuses_each_missing_field() {
    for (kind, prefix, query, field) in [
        (
            "sdk",
            "NETLESSSDK_",
            format!("nonce=n&role=0&sig={SIG}"),
            "ak",
        ),
        (
            "sdk",
            "NETLESSSDK_",
            format!("ak=a&role=0&sig={SIG}"),
            "nonce",
        ),
        (
            "sdk",
            "NETLESSSDK_",
            format!("ak=a&nonce=n&sig={SIG}"),
            "role",
        ),
        (
            "sdk",
            "NETLESSSDK_",
            "ak=a&nonce=n&role=0".to_owned(),
            "sig",
        ),
        (
            "room",
            "NETLESSROOM_",
            format!("ak=a&nonce=n&role=0&sig={SIG}"),
            "uuid",
        ),
        (
            "task",
            "NETLESSTASK_",
            format!("ak=a&nonce=n&role=0&sig={SIG}"),
            "uuid",
        ),
    ] {
        let e = decode_err(&forge(prefix, &query));
        assert_eq!(e, DecodeError::MissingField(field), "{kind}: {query}");
        assert!(e.to_string().contains("missing"));
    }
}

#[test]
fn decode_refuses_empty_required_values() {
    for (query, field) in [
        (format!("ak=&nonce=n&role=0&sig={SIG}&uuid=u"), "ak"),
        (format!("ak=a&nonce=&role=0&sig={SIG}&uuid=u"), "nonce"),
        (format!("ak=a&nonce=n&role=0&sig={SIG}&uuid="), "uuid"),
    ] {
        assert_eq!(
            decode_err(&forge("NETLESSROOM_", &query)),
            DecodeError::EmptyField(field)
        );
    }
}

#[test]
fn decode_refuses_duplicate_and_case_variant_fields() {
    for (query, field) in [
        (format!("ak=a&ak=a&nonce=n&role=0&sig={SIG}"), "ak"),
        (format!("ak=a&nonce=n&role=0&role=2&sig={SIG}"), "role"),
        (format!("ak=a&nonce=n&role=0&sig={SIG}&sig={SIG}"), "sig"),
        (format!("ak=a&nonce=n&role=0&sig={SIG}&x=1&y=2&x=1"), "x"),
    ] {
        let e = decode_err(&forge("NETLESSSDK_", &query));
        assert_eq!(e, DecodeError::DuplicateField(field.to_owned()), "{query}");
    }
    let e = decode_err(&forge(
        "NETLESSSDK_",
        &format!("ak=a&nonce=n&role=2&Role=0&sig={SIG}"),
    ));
    assert_eq!(
        e,
        DecodeError::CaseVariant {
            found: "Role".into(),
            expected: "role"
        }
    );
    assert_eq!(e.field(), "Role");
}

#[test]
fn decode_refuses_a_uuid_on_an_sdk_token() {
    let e = decode_err(&forge(
        "NETLESSSDK_",
        &format!("ak=a&nonce=n&role=0&sig={SIG}&uuid=u"),
    ));
    assert_eq!(e, DecodeError::UnexpectedField("uuid"));
}

#[test]
fn decode_refuses_a_role_other_than_0_1_2() {
    for role in ["3", "00", "%200", "+0", "-1", "admin", "", "0%20"] {
        let e = decode_err(&forge(
            "NETLESSSDK_",
            &format!("ak=a&nonce=n&role={role}&sig={SIG}"),
        ));
        assert!(matches!(e, DecodeError::InvalidRole(_)), "{role:?}: {e:?}");
        assert_eq!(e.field(), "role");
    }
}

#[test]
fn decode_refuses_an_expire_at_that_is_not_a_decimal_u64() {
    for value in [
        "",
        "-1",
        "%2B1",
        "1e3",
        "1.0",
        "0x10",
        "01",
        "18446744073709551616",
        "99999999999999999999999",
    ] {
        let query = format!("ak=a&expireAt={value}&nonce=n&role=0&sig={SIG}");
        let e = decode_err(&forge("NETLESSSDK_", &query));
        assert!(
            matches!(e, DecodeError::InvalidExpireAt(_)),
            "{value:?}: {e:?}"
        );
        assert_eq!(e.field(), "expireAt");
    }
    // The largest u64 is accepted (other generators may write times past 2^53).
    let query = format!("ak=a&expireAt=18446744073709551615&nonce=n&role=0&sig={SIG}");
    assert_eq!(
        decode(&forge("NETLESSSDK_", &query)).unwrap().expire_at(),
        Some(u64::MAX)
    );
}

#[test]
fn decode_refuses_a_sig_that_is_not_64_lowercase_hex() {
    for sig in [
        SIG.to_uppercase(),
        SIG[..63].to_owned(),
        format!("{SIG}0"),
        String::new(),
        SIG.replace('a', "g"),
    ] {
        let e = decode_err(&forge(
            "NETLESSSDK_",
            &format!("ak=a&nonce=n&role=0&sig={sig}"),
        ));
        assert_eq!(e, DecodeError::InvalidSig { len: sig.len() }, "{sig:?}");
        assert_eq!(e.field(), "sig");
    }
}

// ---- verifying ----

fn good_room_token() -> String {
    mint(
        "ak",
        &sk(),
        &TokenRequest::room(Role::Writer, 1_000, "room-1"),
        10_000,
        "n",
    )
    .unwrap()
}

#[track_caller]
fn verify_err(result: Result<netless_token::DecodedToken, VerifyError>) -> VerifyError {
    let e = result.unwrap_err();
    assert_names(e.to_string(), e.field(), e.field());
    e
}

#[test]
fn verify_reports_a_signature_mismatch() {
    let other = SecretKey::new("another-secret").unwrap();
    let e = verify_err(verify(
        &good_room_token(),
        &other,
        &Validation::new().at(10_000),
    ));
    assert_eq!(e, VerifyError::SignatureMismatch);
    assert_eq!(e.field(), "sig");
}

#[test]
fn verify_reports_expiry_with_both_times() {
    let e = verify_err(verify(
        &good_room_token(),
        &sk(),
        &Validation::new().at(11_000),
    ));
    assert_eq!(
        e,
        VerifyError::Expired {
            expire_at_ms: 11_000,
            now_ms: 11_000,
            leeway_ms: 0
        }
    );
    let message = e.to_string();
    assert!(
        message.contains("11000") && message.contains("now"),
        "{message}"
    );
}

#[test]
fn verify_reports_the_wrong_kind() {
    let policy = Validation::new().at(10_000).expect_kind(TokenKind::Task);
    let e = verify_err(verify(&good_room_token(), &sk(), &policy));
    assert_eq!(
        e,
        VerifyError::WrongKind {
            expected: TokenKind::Task,
            found: TokenKind::Room
        }
    );
    assert_eq!(e.field(), "kind");
}

#[test]
fn verify_reports_an_unknown_access_key() {
    let token = good_room_token();
    let pair = KeyPair::new("other-ak", &sk()).unwrap();
    let e = verify_err(pair.verify(&token, &Validation::new().at(10_000)));
    assert_eq!(e, VerifyError::UnknownAccessKey("\"ak\"".into()));
    assert_eq!(e.field(), "ak");

    let mut keyring = Keyring::new();
    keyring.insert(pair);
    let e = verify_err(keyring.verify(&token, &Validation::new().at(10_000)));
    assert!(matches!(e, VerifyError::UnknownAccessKey(_)));
}

#[test]
fn verify_reports_a_malformed_token_as_a_decode_error() {
    let e = verify_err(verify("NETLESSROOM_%%", &sk(), &Validation::new()));
    assert!(
        matches!(e, VerifyError::Decode(DecodeError::Base64 { .. })),
        "{e:?}"
    );
    assert_eq!(e.field(), "payload");
}
