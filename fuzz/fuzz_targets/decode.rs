//! Arbitrary bytes, decoded two ways: as the token text itself, and as the query behind each
//! prefix (base64url-encoded here, so the fuzzer reaches the query parser directly). Decoding
//! must return Ok or Err, never panic; what it accepts must re-encode to a token that decodes to
//! the same fields, and re-encoding that gives the same text again.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use netless_token::{decode, DecodeError, TokenKind, MAX_TOKEN_LEN};

fn check(token: &str) {
    let Ok(decoded) = decode(token) else { return };
    let again = decoded.to_token();
    match decode(&again) {
        Ok(redecoded) => {
            assert_eq!(
                redecoded, decoded,
                "re-encoded token decodes to other fields"
            );
            assert_eq!(redecoded.to_token(), again, "re-encoding is not stable");
        }
        // Canonical escaping can lengthen a token ('+' becomes %20) past the limit.
        Err(DecodeError::TooLong { .. }) => assert!(again.len() > MAX_TOKEN_LEN),
        Err(e) => panic!("re-encoded token does not decode: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check(&String::from_utf8_lossy(data));
    if let Some((&selector, query)) = data.split_first() {
        let kind = TokenKind::ALL[usize::from(selector) % 3];
        check(&format!(
            "{}{}",
            kind.prefix(),
            URL_SAFE_NO_PAD.encode(query)
        ));
    }
});
