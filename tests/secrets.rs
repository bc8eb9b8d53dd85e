//! The secret key never shows: every public type that holds it, formatted with `{:?}` and `{}`
//! (where it has Display), and every error value the library returns while using it, are
//! searched for the key in raw, hex and base64 form.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use netless_token::{
    decode, mint, verify, KeyPair, Keyring, Role, SecretKey, TokenKind, TokenRequest, Validation,
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

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for form in forms() {
        assert!(
            !text.contains(&form),
            "{what} shows the secret key ({form:?}): {text}"
        );
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
    let file = SecretKey::from_file_contents(format!("{SK}\n").into_bytes()).unwrap();
    assert_clean("SecretKey::from_file_contents", &format!("{file:?} {file}"));

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
    let leaked = std::panic::catch_unwind(|| assert_clean("raw", &format!("key={SK}")));
    assert!(leaked.is_err());
}

#[test]
fn no_error_value_shows_the_secret_key() {
    let sk = SecretKey::new(SK).unwrap();
    let pair = KeyPair::new("ak", &sk).unwrap();
    let room = TokenRequest::room(Role::Reader, 1_000, "room");
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
    push(&mint("", &sk, &room, 0, "n").unwrap_err());
    for (request, at, nonce) in [
        (TokenRequest::room(Role::Admin, 0, ""), 0, "n"),
        (
            TokenRequest::new(TokenKind::Room, Role::Admin, 0, None),
            0,
            "n",
        ),
        (
            TokenRequest::new(TokenKind::Sdk, Role::Admin, 0, Some(SK)),
            0,
            "n",
        ),
        (TokenRequest::sdk(Role::Admin, u64::MAX), 1, "n"),
        (TokenRequest::sdk(Role::Admin, 0), 0, ""),
        (
            TokenRequest::sdk(Role::Admin, 0).with_extra(&[("sig", SK)]),
            0,
            "n",
        ),
    ] {
        push(&pair.mint(&request, at, nonce).unwrap_err());
    }
    // Verify errors, each with this key in play.
    let other = SecretKey::new("another-key").unwrap();
    push(&verify(&token, &other, &Validation::new()).unwrap_err());
    push(&verify(&token, &sk, &Validation::new().at(6_000)).unwrap_err());
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
    assert!(errors.len() >= 45, "{} error texts", errors.len());
    for text in &errors {
        assert_clean("an error", text);
    }
}

#[test]
fn a_decoded_token_does_not_print_a_usable_signature() {
    let sk = SecretKey::new(SK).unwrap();
    let token = mint("ak", &sk, &TokenRequest::sdk(Role::Admin, 0), 0, "n").unwrap();
    let decoded = decode(&token).unwrap();
    let debug = format!("{decoded:?}");
    assert!(!debug.contains(&decoded.sig_hex()), "{debug}");
    assert!(debug.contains(&decoded.sig_hex()[..8]), "{debug}");
    assert_clean("DecodedToken", &debug);
}
