//! Minting refuses every bad request, naming the field at fault in a one-line message, and mints
//! nothing: empty keys, a missing, empty or unexpected uuid, an empty nonce, an `expireAt` past
//! 2^53 - 1, bad extra field names, and tokens over the length limit.

mod common;

use common::{assert_names_field, sk};
use netless_token::{
    room_token, sdk_token, task_token, KeyError, KeyPair, MintError, Role, SecretKey, TokenKind,
    TokenRequest, MAX_EXPIRE_AT, MAX_TOKEN_LEN,
};

/// Mints with access key `ak`; expects a refusal naming `field`, and leaves `out` untouched.
#[track_caller]
fn mint_err(
    ak: &str,
    request: TokenRequest,
    issued_at: u64,
    nonce: &str,
    field: &str,
) -> MintError {
    let pair = KeyPair::new(ak, &sk()).unwrap();
    let mut out = String::from("kept");
    let e = pair
        .mint_into(&request, issued_at, nonce, &mut out)
        .unwrap_err();
    assert_eq!(out, "kept", "{e}: the buffer was changed");
    assert_eq!(pair.mint(&request, issued_at, nonce).unwrap_err(), e);
    assert_names_field(&e, field);
    e
}

#[test]
fn an_empty_access_key_is_refused() {
    let e = KeyPair::new("", &sk()).unwrap_err();
    assert_eq!(e, KeyError::Empty("ak"));
    assert_names_field(&e, "ak");
    // The one-shot calls report it as a MintError whose source is the KeyError.
    for e in [
        sdk_token("", &sk(), 0, Role::Admin).unwrap_err(),
        room_token("", &sk(), 0, Role::Admin, "room").unwrap_err(),
        task_token("", &sk(), 0, Role::Admin, "task").unwrap_err(),
    ] {
        assert_eq!(e, MintError::Key(KeyError::Empty("ak")));
        assert_names_field(&e, "ak");
        let source = std::error::Error::source(&e).expect("a source");
        assert_eq!(source.to_string(), KeyError::Empty("ak").to_string());
    }
}

#[test]
fn an_empty_secret_key_cannot_be_built() {
    let e = SecretKey::new("").unwrap_err();
    assert_eq!(e, KeyError::Empty("sk"));
    assert_names_field(&e, "sk");
    assert_eq!(
        SecretKey::from_bytes(Vec::new()).unwrap_err(),
        KeyError::Empty("sk")
    );
}

#[test]
fn room_and_task_tokens_need_a_non_empty_uuid() {
    for kind in [TokenKind::Room, TokenKind::Task] {
        let e = mint_err(
            "ak",
            TokenRequest::new(kind, 0, Role::Admin, None),
            0,
            "n",
            "uuid",
        );
        assert_eq!(e, MintError::MissingUuid(kind));
        let e = mint_err(
            "ak",
            TokenRequest::new(kind, 0, Role::Admin, Some("")),
            0,
            "n",
            "uuid",
        );
        assert_eq!(e, MintError::EmptyField("uuid"));
    }
    assert_eq!(
        MintError::MissingUuid(TokenKind::Room).to_string(),
        "uuid: a Room token needs a uuid"
    );
    assert!(room_token("ak", &sk(), 0, Role::Admin, "").is_err());
    assert!(task_token("ak", &sk(), 0, Role::Admin, "").is_err());
}

#[test]
fn an_sdk_token_carries_no_uuid() {
    let request = TokenRequest::new(TokenKind::Sdk, 0, Role::Admin, Some("u"));
    let e = mint_err("ak", request, 0, "n", "uuid");
    assert_eq!(e, MintError::UnexpectedUuid);
    assert_eq!(e.to_string(), "uuid: an SDK token carries no uuid");
}

#[test]
fn an_empty_nonce_is_refused() {
    let e = mint_err("ak", TokenRequest::sdk(0, Role::Admin), 0, "", "nonce");
    assert_eq!(e, MintError::EmptyField("nonce"));
}

#[test]
fn an_expire_at_past_two_to_the_53_minus_1_or_past_u64_is_refused() {
    for (issued_at, lifespan) in [
        (u64::MAX, 1),
        (1, u64::MAX),
        (MAX_EXPIRE_AT, 1),
        (0, MAX_EXPIRE_AT + 1),
    ] {
        let e = mint_err(
            "ak",
            TokenRequest::sdk(lifespan, Role::Admin),
            issued_at,
            "n",
            "expireAt",
        );
        assert_eq!(
            e,
            MintError::ExpireAtOverflow {
                issued_at_ms: issued_at,
                lifespan_ms: lifespan
            },
            "{issued_at} + {lifespan}"
        );
    }
    assert_eq!(
        MAX_EXPIRE_AT, 9_007_199_254_740_991,
        "2^53 - 1, docs/format.md"
    );
    // The boundary itself is fine, and lifespan 0 ignores the issue time entirely.
    let pair = KeyPair::new("ak", &sk()).unwrap();
    assert!(pair
        .mint(&TokenRequest::sdk(1, Role::Admin), MAX_EXPIRE_AT - 1, "n")
        .is_ok());
    assert!(pair
        .mint(&TokenRequest::sdk(0, Role::Admin), u64::MAX, "n")
        .is_ok());
}

#[test]
fn a_token_longer_than_the_limit_is_refused() {
    let long = "x".repeat(MAX_TOKEN_LEN);
    let e = mint_err(&long, TokenRequest::sdk(0, Role::Admin), 0, "n", "token");
    assert_eq!(e, MintError::TooLong { max: MAX_TOKEN_LEN });
    // Short raw text that escapes to more than the limit is caught too.
    let escaped = "\u{1}".repeat(MAX_TOKEN_LEN / 3);
    let e = mint_err(&escaped, TokenRequest::sdk(0, Role::Admin), 0, "n", "token");
    assert_eq!(e, MintError::TooLong { max: MAX_TOKEN_LEN });
    // And through a long extra field.
    let extra = [("note", long.as_str())];
    let request = TokenRequest::sdk(0, Role::Admin).with_extra(&extra);
    let e = mint_err("ak", request, 0, "n", "token");
    assert_eq!(e, MintError::TooLong { max: MAX_TOKEN_LEN });
}

#[test]
fn extra_fields_named_like_a_format_field_empty_repeated_or_proto_are_refused() {
    for (extra, field) in [
        (&[("nonce", "v")][..], "nonce"),
        (&[("ExpireAt", "v")][..], "ExpireAt"),
        (&[("SIG", "v")][..], "SIG"),
        (&[("Uuid", "v")][..], "Uuid"),
        (&[("", "v")][..], "\"\""),
        (&[("plan", "a"), ("seats", "1"), ("plan", "b")][..], "plan"),
        (&[("10", "a"), ("10", "b")][..], "10"),
        // The reference generator cannot carry it: `object["__proto__"] = "x"` runs JavaScript's
        // prototype setter, and
        // `node -e 'const o={}; o["__proto__"]="x"; o.a="x"; console.log(JSON.stringify(o))'`
        // prints {"a":"x"}.
        (&[("__proto__", "x"), ("a", "x")][..], "__proto__"),
    ] {
        let request = TokenRequest::sdk(0, Role::Admin).with_extra(extra);
        let e = mint_err("ak", request, 0, "n", field);
        assert!(
            matches!(e, MintError::BadExtraField { .. }),
            "{extra:?}: {e:?}"
        );
    }
}

#[test]
fn errors_that_no_test_can_provoke_still_name_their_field() {
    // A system clock before 1970 cannot be arranged here; the variant still follows the rule.
    assert_names_field(&MintError::Clock, "clock");
    assert_names_field(&MintError::Key(KeyError::Empty("sk")), "sk");
}
