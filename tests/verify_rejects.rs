//! Verification refuses what it must, naming the field at fault: another secret key, any
//! tampering with the signed fields, an unknown access key, a malformed token, the wrong kind
//! (the prefix is not signed), expiry to the millisecond (with and without leeway), and
//! lifetimes beyond what the policy allows.

mod common;

use common::{assert_names_field, forge, other_sk, pair, query_of, sk, AK, NONCE, ROOM, T};
use netless_token::{
    decode, DecodeError, KeyPair, Keyring, Role, TokenKind, TokenRequest, Validation,
    VerifiedToken, VerifyError, MAX_EXPIRE_AT,
};

/// A reader Room token for `ROOM`, issued at `T`, living one hour.
fn reader_room_token() -> String {
    pair()
        .mint(&TokenRequest::room(3_600_000, Role::Reader, ROOM), T, NONCE)
        .unwrap()
}

/// Verifies with the test pair; on error, checks that it names `field`.
#[track_caller]
fn verify_err(result: Result<VerifiedToken, VerifyError>, field: &str) -> VerifyError {
    let e = result.unwrap_err();
    assert_names_field(&e, field);
    e
}

#[test]
fn another_secret_key_is_a_signature_mismatch() {
    let pair = KeyPair::new(AK, &other_sk()).unwrap();
    let e = verify_err(
        pair.verify(&reader_room_token(), &Validation::new().at(T)),
        "sig",
    );
    assert_eq!(e, VerifyError::SignatureMismatch);
}

#[test]
fn changing_any_signed_field_is_a_signature_mismatch() {
    let token = reader_room_token();
    let query = query_of(&token);
    let expire_at = (T + 3_600_000).to_string();
    let mut keyring = Keyring::new();
    keyring.insert(pair());
    keyring.insert(KeyPair::new("OTHERxxxxx", &sk()).unwrap());
    let policy = Validation::new().at(T);
    assert!(keyring.verify(&token, &policy).is_ok());

    for (what, tampered) in [
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
    ] {
        assert_ne!(tampered, query, "{what}: the tampering changed nothing");
        let forged = forge("NETLESSROOM_", &tampered);
        let e = verify_err(keyring.verify(&forged, &policy), "sig");
        assert_eq!(e, VerifyError::SignatureMismatch, "{what}");
    }
}

#[test]
fn changing_an_extra_field_is_a_signature_mismatch() {
    let pair = pair();
    let extra = [("plan", "free")];
    let request = TokenRequest::room(0, Role::Reader, ROOM).with_extra(&extra);
    let token = pair.mint(&request, T, NONCE).unwrap();
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
fn an_access_key_without_a_secret_is_refused() {
    let token = reader_room_token();
    let pair = KeyPair::new("other-ak", &sk()).unwrap();
    let e = verify_err(pair.verify(&token, &Validation::new().at(T)), "ak");
    assert_eq!(e, VerifyError::UnknownAccessKey(format!("{AK:?}")));

    let mut keyring = Keyring::new();
    keyring.insert(pair);
    let e = verify_err(keyring.verify(&token, &Validation::new().at(T)), "ak");
    assert_eq!(e, VerifyError::UnknownAccessKey(format!("{AK:?}")));
}

#[test]
fn a_malformed_token_is_a_decode_error() {
    let e = verify_err(
        pair().verify("NETLESSROOM_%%", &Validation::new()),
        "payload",
    );
    assert!(
        matches!(e, VerifyError::Decode(DecodeError::Base64 { .. })),
        "{e:?}"
    );
    let source = std::error::Error::source(&e).expect("the DecodeError");
    assert_eq!(source.to_string(), e.to_string());
}

#[test]
fn the_wrong_kind_is_refused_when_a_kind_is_required() {
    let policy = Validation::new().at(T).expect_kind(TokenKind::Task);
    let e = verify_err(pair().verify(&reader_room_token(), &policy), "kind");
    assert_eq!(
        e,
        VerifyError::WrongKind {
            expected: TokenKind::Task,
            found: TokenKind::Room
        }
    );
    assert_eq!(
        e.to_string(),
        "kind: expected a Task token, found a Room token"
    );
}

#[test]
fn the_kind_is_not_signed_so_verifiers_should_require_one() {
    // A Room token re-labelled as a Task token for the same uuid keeps a valid signature: the
    // prefix is outside the signed JSON (docs/format.md). Validation::expect_kind is the defence.
    let relabelled = reader_room_token().replacen("NETLESSROOM_", "NETLESSTASK_", 1);
    let pair = pair();
    let any_kind = Validation::new().at(T);
    assert_eq!(
        pair.verify(&relabelled, &any_kind).unwrap().kind(),
        TokenKind::Task
    );
    let e = verify_err(
        pair.verify(&relabelled, &any_kind.expect_kind(TokenKind::Room)),
        "kind",
    );
    assert_eq!(
        e,
        VerifyError::WrongKind {
            expected: TokenKind::Room,
            found: TokenKind::Task
        }
    );
    assert_eq!(
        e.to_string(),
        "kind: expected a Room token, found a Task token"
    );
    // An SDK token cannot become a Room token: it has no uuid.
    let sdk = pair
        .mint(&TokenRequest::sdk(0, Role::Admin), T, NONCE)
        .unwrap();
    let as_room = sdk.replacen("NETLESSSDK_", "NETLESSROOM_", 1);
    assert_eq!(
        decode(&as_room).unwrap_err(),
        DecodeError::MissingField("uuid")
    );
}

#[test]
fn expiry_is_exact_to_the_millisecond_with_and_without_leeway() {
    let token = reader_room_token();
    let pair = pair();
    let expire_at = T + 3_600_000;
    let at = |now| Validation::new().at(now);
    assert!(pair.verify(&token, &at(T)).is_ok());
    assert!(
        pair.verify(&token, &at(expire_at - 1)).is_ok(),
        "the last valid millisecond"
    );
    let e = verify_err(pair.verify(&token, &at(expire_at)), "expireAt");
    assert_eq!(
        e,
        VerifyError::Expired {
            expire_at_ms: expire_at,
            now_ms: expire_at,
            leeway_ms: 0
        },
        "expired at expireAt itself"
    );
    let leeway = 5_000;
    assert!(pair
        .verify(&token, &at(expire_at + leeway - 1).leeway_ms(leeway))
        .is_ok());
    let late = expire_at + leeway;
    let e = verify_err(pair.verify(&token, &at(late).leeway_ms(leeway)), "expireAt");
    assert_eq!(
        e,
        VerifyError::Expired {
            expire_at_ms: expire_at,
            now_ms: late,
            leeway_ms: leeway
        }
    );
    // Both times are in the message.
    let message = e.to_string();
    assert!(
        message.contains(&expire_at.to_string()) && message.contains(&late.to_string()),
        "{message}"
    );
    // Leeway cannot overflow into acceptance.
    let last = pair
        .mint(&TokenRequest::sdk(1, Role::Admin), MAX_EXPIRE_AT - 1, NONCE)
        .unwrap();
    assert!(pair
        .verify(&last, &at(u64::MAX - 1).leeway_ms(u64::MAX))
        .is_ok());
    let e = verify_err(
        pair.verify(&last, &at(u64::MAX).leeway_ms(u64::MAX)),
        "expireAt",
    );
    assert!(matches!(e, VerifyError::Expired { .. }), "{e:?}");
}

#[test]
fn lifespan_zero_never_expires_unless_the_policy_bounds_lifetimes() {
    let pair = pair();
    let token = pair
        .mint(&TokenRequest::room(0, Role::Reader, ROOM), T, NONCE)
        .unwrap();
    assert_eq!(decode(&token).unwrap().expire_at(), None);
    for now in [0, T, MAX_EXPIRE_AT, u64::MAX] {
        assert!(
            pair.verify(&token, &Validation::new().at(now)).is_ok(),
            "at {now}"
        );
    }
    let bounded = Validation::new().at(T).max_lifetime_ms(86_400_000);
    let e = verify_err(pair.verify(&token, &bounded), "expireAt");
    assert_eq!(
        e,
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
    let pair = pair();
    let ahead = T + 86_400_000;
    let request = TokenRequest::room(3_600_000, Role::Reader, ROOM);
    let token = pair.mint(&request, ahead, NONCE).unwrap();
    assert!(pair.verify(&token, &Validation::new().at(T)).is_ok());
    // A policy allowing at most two hours of remaining life refuses it now...
    let bounded = Validation::new().at(T).max_lifetime_ms(7_200_000);
    let e = verify_err(pair.verify(&token, &bounded), "expireAt");
    assert_eq!(
        e,
        VerifyError::LivesTooLong {
            expire_at_ms: Some(ahead + 3_600_000),
            now_ms: T,
            max_lifetime_ms: 7_200_000
        }
    );
    // ...and accepts it once its end is within the bound, exactly at the boundary.
    let boundary = ahead + 3_600_000 - 7_200_000;
    assert!(pair.verify(&token, &bounded.at(boundary)).is_ok());
    assert!(pair.verify(&token, &bounded.at(boundary - 1)).is_err());
}

#[test]
fn a_keyring_accepts_any_secret_of_the_access_key_until_it_is_retired() {
    let old = pair();
    let new = KeyPair::new(AK, &other_sk()).unwrap();
    let token = old
        .mint(&TokenRequest::sdk(0, Role::Admin), T, NONCE)
        .unwrap();
    let mut keyring = Keyring::new();
    keyring.insert(old);
    keyring.insert(new);
    assert!(keyring.verify(&token, &Validation::new()).is_ok());
    assert!(keyring.retire_oldest(AK));
    let e = verify_err(keyring.verify(&token, &Validation::new()), "sig");
    assert_eq!(e, VerifyError::SignatureMismatch);
}

#[test]
fn the_clock_error_names_its_field() {
    // A system clock before 1970 cannot be arranged here; the variant still follows the rule.
    assert_names_field(&VerifyError::Clock, "clock");
}

#[test]
fn the_secret_alone_verifies_a_token_of_any_access_key_decoding_it_once() {
    let sk = sk();
    let token = KeyPair::new("an-access-key-nobody-configured", &sk)
        .unwrap()
        .mint(&TokenRequest::room(1_000, Role::Reader, ROOM), T, NONCE)
        .unwrap();
    let verified = sk
        .verify(
            &token,
            &Validation::new().expect_kind(TokenKind::Room).at(T),
        )
        .unwrap();
    assert_eq!(verified.ak(), "an-access-key-nobody-configured");
    // Every refusal as with a key pair: another secret, the policy, a malformed token.
    assert_eq!(
        other_sk().verify(&token, &Validation::new().at(T)),
        Err(VerifyError::SignatureMismatch)
    );
    let e = verify_err(
        sk.verify(&token, &Validation::new().at(T + 1_000)),
        "expireAt",
    );
    assert!(matches!(e, VerifyError::Expired { .. }), "{e:?}");
    let e = verify_err(
        sk.verify(
            &token,
            &Validation::new().expect_kind(TokenKind::Task).at(T),
        ),
        "kind",
    );
    assert!(matches!(e, VerifyError::WrongKind { .. }), "{e:?}");
    let e = verify_err(sk.verify("NETLESSROOM_", &Validation::new()), "payload");
    assert_eq!(e, VerifyError::Decode(DecodeError::EmptyPayload));
}
