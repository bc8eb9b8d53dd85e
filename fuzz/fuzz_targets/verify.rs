//! Arbitrary tokens against a fixed keyring: verification returns Ok or Err, never panics, and
//! accepts only what the keyring's secret signed. Whatever decodes is also re-signed with that
//! secret, and the re-signed token must verify, so the signature and expiry checks run deep.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use netless_token::{
    decode, KeyPair, Keyring, SecretKey, TokenKind, TokenRequest, Validation, VerifyError,
};

const AK: &str = "BUxxxxxxrc";
const SK: &str = "CxxxxxxxauY3";
const NOW: u64 = 1_700_000_000_000;

fn keyring() -> (Keyring, KeyPair) {
    let pair = KeyPair::new(AK, &SecretKey::new(SK).unwrap()).unwrap();
    let mut keyring = Keyring::new();
    keyring.insert(KeyPair::new(AK, &SecretKey::new("retired-secret").unwrap()).unwrap());
    keyring.insert(pair.clone());
    keyring.insert(KeyPair::new("other-ak", &SecretKey::new("other-sk").unwrap()).unwrap());
    (keyring, pair)
}

fn check(keyring: &Keyring, pair: &KeyPair, token: &str) {
    let policy = Validation::new().at(NOW);
    let verdict = keyring.verify(token, &policy);
    let Ok(decoded) = decode(token) else {
        assert!(matches!(verdict, Err(VerifyError::Decode(_))));
        return;
    };
    if let Ok(verified) = &verdict {
        assert_eq!(**verified, decoded);
    }
    if decoded.ak() != AK {
        return;
    }
    // Re-sign the same fields; the result must verify (unless already expired at NOW).
    let extra: Vec<(&str, &str)> = decoded.extra().collect();
    let lifespan = decoded.expire_at().map_or(0, |at| at.saturating_sub(NOW));
    let request = TokenRequest::new(decoded.kind(), lifespan, decoded.role(), decoded.uuid())
        .with_extra(&extra);
    if let Ok(signed) = pair.mint(&request, NOW, decoded.nonce()) {
        let result = keyring.verify(&signed, &policy.expect_kind(decoded.kind()));
        match decoded.expire_at() {
            Some(at) if at <= NOW => {
                assert!(matches!(result, Err(VerifyError::Expired { .. }) | Ok(_)))
            }
            _ => {
                let verified = result.expect("a token the keyring's secret signed verifies");
                assert_eq!(verified.sig(), decode(&signed).unwrap().sig());
            }
        }
        // A token with the same fields but the original signature verifies only if it is that one.
        if verdict.is_ok() {
            assert_eq!(decoded.sig(), decode(&signed).unwrap().sig());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (keyring, pair) = keyring();
    check(&keyring, &pair, &String::from_utf8_lossy(data));
    if let Some((&selector, query)) = data.split_first() {
        let kind = TokenKind::ALL[usize::from(selector) % 3];
        check(
            &keyring,
            &pair,
            &format!("{}{}", kind.prefix(), URL_SAFE_NO_PAD.encode(query)),
        );
    }
});
