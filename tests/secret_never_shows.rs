//! The secret key never shows: every public type that holds it, formatted with `{:?}` and `{}`
//! (where it has Display), and every error value the library returns while using it, are
//! searched for the key in raw, hex and base64 form.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use netless_token::{
    decode, room_token, sdk_token, KeyPair, Keyring, Role, SecretKey, TokenKind, TokenRequest,
    Validation,
};

const SK: &str = "Sentinel-SK-7f3a9c1e5b";

fn forms() -> Vec<String> {
    let hex: String = SK.bytes().map(|b| format!("{b:02x}")).collect();
    vec![
        SK.to_owned(),
        SK.to_lowercase(),
        hex.clone(),
        hex.to_uppercase(),
        STANDARD.encode(SK),
        URL_SAFE_NO_PAD.encode(SK),
        format!("{:?}", SK.as_bytes()),
        // Long enough fragments too: a leak of half the key is a leak.
        SK[..SK.len() / 2].to_owned(),
        SK[SK.len() / 2..].to_owned(),
    ]
}

/// The form of the secret key that `text` shows, if any.
fn leaked_form(text: &str) -> Option<String> {
    forms().into_iter().find(|form| text.contains(form))
}

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    if let Some(form) = leaked_form(text) {
        panic!("{what} shows the secret key ({form:?}): {text}");
    }
}

#[test]
fn types_holding_the_secret_key_never_print_it() {
    let sk = SecretKey::new(SK).unwrap();
    assert_clean("SecretKey {:?}", &format!("{sk:?}"));
    assert_clean("SecretKey {:#?}", &format!("{sk:#?}"));
    assert_clean("SecretKey {}", &format!("{sk}"));
    assert_clean("SecretKey clone", &format!("{:?}", sk.clone()));
    let bytes = SecretKey::from_bytes(SK.as_bytes().to_vec()).unwrap();
    assert_clean("SecretKey::from_bytes", &format!("{bytes:?} {bytes}"));

    let pair = KeyPair::new("ak", &sk).unwrap();
    assert_clean("KeyPair {:?}", &format!("{pair:?}"));
    assert_clean("KeyPair {:#?}", &format!("{pair:#?}"));
    let mut keyring = Keyring::new();
    keyring.insert(pair.clone());
    keyring.insert(KeyPair::new("ak", &SecretKey::new(format!("{SK}-next")).unwrap()).unwrap());
    assert_clean("Keyring {:?}", &format!("{keyring:?}"));
    assert_clean("Keyring {:#?}", &format!("{keyring:#?}"));
    assert!(format!("{keyring:?}").contains("REDACTED"), "{keyring:?}");

    // The checker itself finds the key where it is.
    assert_eq!(leaked_form(&format!("key={SK}")).as_deref(), Some(SK));
    assert!(leaked_form(&format!("key={}", URL_SAFE_NO_PAD.encode(SK))).is_some());
}

#[test]
fn no_error_value_shows_the_secret_key() {
    let sk = SecretKey::new(SK).unwrap();
    let pair = KeyPair::new("ak", &sk).unwrap();
    let room = TokenRequest::room(1_000, Role::Reader, "room");
    let token = pair.mint(&room, 5_000, "nonce").unwrap();
    let mut keyring = Keyring::new();
    keyring.insert(pair.clone());

    let mut errors: Vec<String> = Vec::new();
    let mut push = |e: &dyn std::error::Error| {
        errors.push(format!("{e}"));
        errors.push(format!("{e:?}"));
        errors.push(format!("{e:#?}"));
    };
    // Key and mint errors.
    push(&SecretKey::new("").unwrap_err());
    push(&KeyPair::new("", &sk).unwrap_err());
    push(&sdk_token("", &sk, 0, Role::Admin).unwrap_err());
    push(&room_token("", &sk, 0, Role::Admin, "room").unwrap_err());
    for (request, at, nonce) in [
        (TokenRequest::room(0, Role::Admin, ""), 0, "n"),
        (
            TokenRequest::new(TokenKind::Room, 0, Role::Admin, None),
            0,
            "n",
        ),
        (
            TokenRequest::new(TokenKind::Sdk, 0, Role::Admin, Some(SK)),
            0,
            "n",
        ),
        (TokenRequest::sdk(u64::MAX, Role::Admin), 1, "n"),
        (TokenRequest::sdk(0, Role::Admin), 0, ""),
        (
            TokenRequest::sdk(0, Role::Admin).with_extra(&[("sig", SK)]),
            0,
            "n",
        ),
        (
            TokenRequest::sdk(0, Role::Admin).with_extra(&[("plan", SK), ("plan", SK)]),
            0,
            "n",
        ),
    ] {
        push(&pair.mint(&request, at, nonce).unwrap_err());
    }
    // Verify errors, each with this key in play.
    let other = KeyPair::new("ak", &SecretKey::new("another-key").unwrap()).unwrap();
    push(&other.verify(&token, &Validation::new()).unwrap_err());
    push(
        &pair
            .verify(&token, &Validation::new().at(6_000))
            .unwrap_err(),
    );
    push(
        &pair
            .verify(
                &token,
                &Validation::new().at(5_000).expect_kind(TokenKind::Sdk),
            )
            .unwrap_err(),
    );
    push(
        &pair
            .verify(&token, &Validation::new().at(5_000).max_lifetime_ms(1))
            .unwrap_err(),
    );
    push(
        &KeyPair::new("x", &sk)
            .unwrap()
            .verify(&token, &Validation::new())
            .unwrap_err(),
    );
    push(
        &keyring
            .verify("NETLESSROOM_", &Validation::new())
            .unwrap_err(),
    );
    push(
        &keyring
            .verify(&token.replace('A', "B"), &Validation::new())
            .unwrap_err(),
    );
    assert_eq!(errors.len(), 18 * 3, "three texts of each of 18 errors");
    for text in &errors {
        assert_clean("an error", text);
    }
}

#[test]
fn a_decoded_token_does_not_print_a_usable_signature() {
    let sk = SecretKey::new(SK).unwrap();
    let pair = KeyPair::new("ak", &sk).unwrap();
    let token = pair
        .mint(&TokenRequest::sdk(0, Role::Admin), 0, "n")
        .unwrap();
    let decoded = decode(&token).unwrap();
    let debug = format!("{decoded:?}");
    assert!(!debug.contains(&decoded.sig_hex()), "{debug}");
    assert!(debug.contains(&decoded.sig_hex()[..8]), "{debug}");
    assert_clean("DecodedToken", &debug);
    // Nor does a verified one.
    let verified = pair.verify(&token, &Validation::new()).unwrap();
    let debug = format!("{verified:?}");
    assert!(!debug.contains(&decoded.sig_hex()), "{debug}");
    assert_clean("VerifiedToken", &debug);
}
