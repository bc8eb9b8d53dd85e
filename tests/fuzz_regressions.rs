//! Inputs the fuzzers found, kept as tests so that what they caught stays caught.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use netless_token::{decode, KeyPair, Role, SecretKey, TokenRequest, Validation, VerifyError};

/// fuzz/artifacts/decode/crash-f9a33e5d…: a Room query whose extra fields are not in sorted
/// order. Re-encoding sorts them, and the re-decoded token compared unequal because equality
/// looked at the order of extra fields, which the signature does not see.
#[test]
fn extra_fields_out_of_order_survive_a_round_trip_as_equal() {
    let data = STANDARD
        .decode(
            "AWFrPUJVVXh4eHh4eHJjJmF4cGlyZUV0PTI3OSo1MTE2Mjc3Nzd4eHh4eHhyYyZleHBpcmVFdD0yNzk5NTEx\
             NjI3Nzc3Jm5vbmNlPTZ4eHh4cmMmZXhwaXJlRTkxdDU9Mjc5MTYyN2JhN2I4MTAtOWRhZC0xMWM4JnJvbGU9\
             MSZzaWc9NDE2Y2RiMGIzNzBiMDkxNDhlMmMyNmMwNDQzZTExNDY0MzQ2NTczNjM5M2M3YTY3YzYwNGI1YzQx\
             ZWEwZWFiZSZ1dWlkPWE3ZTBhNGQwYzFhMDExZWFiYzViNWQ0YzhlMGFjYTY5",
        )
        .unwrap();
    // The fuzz target's second mode: first byte picks the kind (1 = Room), the rest is the query.
    let token = format!("NETLESSROOM_{}", URL_SAFE_NO_PAD.encode(&data[1..]));
    let decoded = decode(&token).unwrap();
    let names: Vec<&str> = decoded.extra().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        ["axpireEt", "expireEt", "expireE91t5"],
        "kept in token order"
    );
    let again = decode(&decoded.to_token()).unwrap();
    let names: Vec<&str> = again.extra().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        ["axpireEt", "expireE91t5", "expireEt"],
        "sorted by re-encoding"
    );
    assert_eq!(again, decoded);
    assert_eq!(again.to_token(), decoded.to_token());
    assert_eq!(again.canonical_json(), decoded.canonical_json());
}

/// fuzz/artifacts/roundtrip/crash-85d1f748…: the target expected a token to fail with the
/// secret key plus a trailing NUL byte, and it verified. That is HMAC, not this crate: a key
/// shorter than the 64-byte block is padded with zeros, so "k" and "k\0" are one key (the
/// official generators behave the same). Changing any byte of the key does fail.
#[test]
fn secret_keys_differing_by_trailing_nul_bytes_are_one_hmac_key() {
    let pair =
        |sk: &[u8]| KeyPair::new("\0\0", &SecretKey::from_bytes(sk.to_vec()).unwrap()).unwrap();
    let token = pair(b"\x87\x87\x00\x10")
        .mint(&TokenRequest::sdk(0, Role::Admin), 0, "\0")
        .unwrap();
    let padded = pair(b"\x87\x87\x00\x10\x00");
    assert!(padded.verify(&token, &Validation::new()).is_ok());
    let changed = pair(b"\x86\x87\x00\x10");
    assert_eq!(
        changed.verify(&token, &Validation::new()).unwrap_err(),
        VerifyError::SignatureMismatch
    );
}
