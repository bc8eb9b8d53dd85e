//! The `Keyring` contract: several access keys, several secrets per access key while one
//! rotates, `minter` the newest, `retire_oldest` and `remove` taking secrets away, `len` and
//! `is_empty` counting access keys, `contains` telling a held key pair from a guess, and
//! `verify` accepting any held secret of the token's access key.

mod common;

use common::{AK, NONCE, T};
use netless_token::{KeyPair, Keyring, Role, SecretKey, TokenRequest, Validation, VerifyError};

fn pair(ak: &str, sk: &str) -> KeyPair {
    KeyPair::new(ak, &SecretKey::new(sk).unwrap()).unwrap()
}

/// A token of `pair`, checked against any keyring with `verify`.
fn token(pair: &KeyPair) -> String {
    pair.mint(&TokenRequest::sdk(0, Role::Reader), T, NONCE)
        .unwrap()
}

/// Which secret `keyring.minter(ak)` mints with: the token it mints, told apart by who verifies it.
fn minter_secret(keyring: &Keyring, ak: &str, candidates: &[&str]) -> Option<String> {
    let minter = keyring.minter(ak)?;
    let minted = token(minter);
    candidates
        .iter()
        .find(|sk| pair(ak, sk).verify(&minted, &Validation::new()).is_ok())
        .map(|sk| sk.to_string())
}

#[test]
fn an_empty_keyring_holds_nothing() {
    let keyring = Keyring::new();
    assert!(keyring.is_empty());
    assert_eq!(keyring.len(), 0);
    assert!(keyring.minter(AK).is_none());
    assert!(!keyring.contains(&pair(AK, "sk")));
    assert_eq!(
        keyring.verify(&token(&pair(AK, "sk")), &Validation::new()),
        Err(VerifyError::UnknownAccessKey(format!("\"{AK}\"")))
    );
}

#[test]
fn len_counts_access_keys_not_secrets() {
    let mut keyring = Keyring::new();
    keyring.insert(pair("ak-1", "a"));
    assert_eq!((keyring.len(), keyring.is_empty()), (1, false));
    keyring.insert(pair("ak-1", "b"));
    assert_eq!(keyring.len(), 1);
    keyring.insert(pair("ak-2", "c"));
    assert_eq!(keyring.len(), 2);
}

#[test]
fn the_minter_is_the_newest_secret_also_after_retiring_the_oldest() {
    let secrets = ["first", "second", "third"];
    let mut keyring = Keyring::new();
    for sk in secrets {
        keyring.insert(pair(AK, sk));
        assert_eq!(minter_secret(&keyring, AK, &secrets).as_deref(), Some(sk));
    }
    assert!(keyring.retire_oldest(AK));
    assert_eq!(
        minter_secret(&keyring, AK, &secrets).as_deref(),
        Some("third")
    );
    assert!(keyring.retire_oldest(AK));
    assert_eq!(
        minter_secret(&keyring, AK, &secrets).as_deref(),
        Some("third")
    );
    assert_eq!(keyring.len(), 1);
}

#[test]
fn retiring_the_oldest_takes_the_oldest_secret_away_and_the_last_one_the_access_key() {
    let (old, new) = (pair(AK, "old"), pair(AK, "new"));
    let (old_token, new_token) = (token(&old), token(&new));
    let mut keyring = Keyring::new();
    keyring.insert(old.clone());
    keyring.insert(new.clone());
    keyring.insert(pair("other-ak", "x"));
    // During the rotation, tokens of both secrets verify, and both pairs are held.
    for t in [&old_token, &new_token] {
        assert!(keyring.verify(t, &Validation::new()).is_ok());
    }
    assert!(keyring.contains(&old) && keyring.contains(&new));

    assert!(keyring.retire_oldest(AK));
    assert_eq!(
        keyring.verify(&old_token, &Validation::new()),
        Err(VerifyError::SignatureMismatch)
    );
    assert!(keyring.verify(&new_token, &Validation::new()).is_ok());
    assert!(!keyring.contains(&old) && keyring.contains(&new));
    assert_eq!(keyring.len(), 2);

    // Retiring the last secret of the access key removes the access key.
    assert!(keyring.retire_oldest(AK));
    assert_eq!(keyring.len(), 1);
    assert!(keyring.minter(AK).is_none());
    assert!(matches!(
        keyring.verify(&new_token, &Validation::new()),
        Err(VerifyError::UnknownAccessKey(_))
    ));
    assert!(!keyring.retire_oldest(AK), "nothing left to retire");
    assert!(keyring.retire_oldest("other-ak"));
    assert!(keyring.is_empty());
}

#[test]
fn remove_drops_every_secret_of_an_access_key_and_counts_them() {
    let mut keyring = Keyring::new();
    for sk in ["a", "b", "c"] {
        keyring.insert(pair("ak-1", sk));
    }
    keyring.insert(pair("ak-2", "d"));
    assert_eq!(keyring.remove("ak-1"), 3);
    assert_eq!(keyring.len(), 1);
    assert!(keyring.minter("ak-1").is_none());
    assert_eq!(keyring.remove("ak-1"), 0, "already gone");
    assert_eq!(keyring.remove("never-held"), 0);
    assert_eq!(keyring.remove("ak-2"), 1);
    assert!(keyring.is_empty());
}

#[test]
fn a_token_signed_by_two_secrets_of_its_access_key_is_accepted() {
    // The same secret held twice (inserted again during a botched rotation): the token is
    // signed by both, and must be accepted, not cancelled out.
    let held = pair(AK, "sk");
    let mut keyring = Keyring::new();
    keyring.insert(held.clone());
    keyring.insert(held.clone());
    let t = token(&held);
    assert!(keyring.verify(&t, &Validation::new()).is_ok());
    assert!(keyring.contains(&held));
    // And among three, with the signer in the middle.
    let mut keyring = Keyring::new();
    keyring.insert(pair(AK, "a"));
    keyring.insert(held.clone());
    keyring.insert(pair(AK, "b"));
    assert!(keyring.verify(&t, &Validation::new()).is_ok());
    assert!(keyring.contains(&held));
}

#[test]
fn contains_needs_both_the_access_key_and_the_secret() {
    let mut keyring = Keyring::new();
    keyring.insert(pair("ak-1", "sk-1"));
    keyring.insert(pair("ak-2", "sk-2"));
    assert!(keyring.contains(&pair("ak-1", "sk-1")));
    assert!(keyring.contains(&pair("ak-2", "sk-2")));
    assert!(
        !keyring.contains(&pair("ak-1", "sk-2")),
        "another key's secret"
    );
    assert!(
        !keyring.contains(&pair("ak-3", "sk-1")),
        "an unknown access key"
    );
    assert!(
        !keyring.contains(&pair("ak-1", "sk-1 ")),
        "a secret one byte longer"
    );
    assert!(
        !keyring.contains(&pair("ak-1", "sk-")),
        "a prefix of the secret"
    );
}
