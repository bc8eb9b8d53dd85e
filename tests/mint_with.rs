//! `KeyPair::mint_with`: the issue time and the nonce each fixed or drawn. A fixed part is
//! used as given, byte for byte what `mint` makes with it; a drawn part is the clock (the
//! expiry follows it) or a fresh random UUID v4 nonce, never the same twice.

mod common;

use std::collections::HashSet;
use std::time::{SystemTime, UNIX_EPOCH};

use common::{assert_names_field, pair, NONCE, ROOM, T};
use netless_token::{decode, Issue, MintError, Role, TokenRequest};

const LIFESPAN: u64 = 60_000;

fn request() -> TokenRequest<'static> {
    TokenRequest::room(LIFESPAN, Role::Writer, ROOM)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Whether `nonce` is a lowercase UUID v4 text.
fn is_uuid_v4(nonce: &str) -> bool {
    let groups: Vec<&str> = nonce.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
        && nonce
            .bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn both_parts_fixed_is_mint() {
    let fixed = Issue::new().at(T).nonce(NONCE);
    assert_eq!(
        pair().mint_with(&request(), fixed).unwrap(),
        pair().mint(&request(), T, NONCE).unwrap()
    );
}

#[test]
fn a_fixed_issue_time_with_a_drawn_nonce() {
    let mut nonces = HashSet::new();
    for _ in 0..50 {
        let token = pair().mint_with(&request(), Issue::new().at(T)).unwrap();
        let decoded = decode(&token).unwrap();
        assert_eq!(decoded.expire_at(), Some(T + LIFESPAN));
        assert!(is_uuid_v4(decoded.nonce()), "{}", decoded.nonce());
        assert_eq!(
            token,
            pair().mint(&request(), T, decoded.nonce()).unwrap(),
            "the nonce drawn is the one signed"
        );
        nonces.insert(decoded.nonce().to_owned());
    }
    assert_eq!(nonces.len(), 50, "no nonce drawn twice");
}

#[test]
fn a_fixed_nonce_issued_now() {
    let before = now_ms();
    let token = pair()
        .mint_with(&request(), Issue::new().nonce("fixed"))
        .unwrap();
    let after = now_ms();
    let decoded = decode(&token).unwrap();
    assert_eq!(decoded.nonce(), "fixed");
    let issued_at = decoded.expire_at().unwrap() - LIFESPAN;
    assert!(
        (before..=after).contains(&issued_at),
        "{before} <= {issued_at} <= {after}"
    );
}

#[test]
fn nothing_fixed_is_mint_now() {
    let before = now_ms();
    for token in [
        pair().mint_with(&request(), Issue::new()).unwrap(),
        pair().mint_with(&request(), Issue::default()).unwrap(),
        pair().mint_now(&request()).unwrap(),
    ] {
        let decoded = decode(&token).unwrap();
        assert!(is_uuid_v4(decoded.nonce()));
        let issued_at = decoded.expire_at().unwrap() - LIFESPAN;
        assert!((before..=now_ms()).contains(&issued_at));
    }
}

#[test]
fn a_fixed_part_is_checked_as_mint_checks_it() {
    let e = pair()
        .mint_with(&request(), Issue::new().nonce(""))
        .unwrap_err();
    assert_eq!(e, MintError::EmptyField("nonce"));
    assert_names_field(&e, "nonce");
    let e = pair()
        .mint_with(&request(), Issue::new().at(u64::MAX))
        .unwrap_err();
    assert!(matches!(e, MintError::ExpireAtOverflow { .. }), "{e:?}");
}
