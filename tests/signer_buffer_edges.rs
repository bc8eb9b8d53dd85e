//! The signer gathers the canonical JSON in a 320-byte buffer and the query in a 512-byte one,
//! passing full buffers on: a field whose length lands on an edge must be signed and carried
//! like any other. For nonces, uuids and extra values of every length from 0 to 1,000 bytes,
//! plain, JSON-escaped and multi-byte, the token must be exactly the one computed here
//! independently (JSON by `serde_json`, HMAC-SHA256 by the `hmac` crate, the query escaped by
//! a small `encodeURIComponent` written below, base64url by the `base64` crate), or, when that
//! token would be longer than `MAX_TOKEN_LEN`, refused as too long. Every token minted must
//! verify, and the same token with its signature changed must be refused, never panic.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{pair, AK, SK};
use hmac::{Hmac, KeyInit, Mac};
use netless_token::{
    MintError, Role, TokenKind, TokenRequest, Validation, VerifyError, MAX_TOKEN_LEN,
};
use sha2::Sha256;

const T: u64 = 1_700_000_000_000;
const LIFESPAN: u64 = 3_600_000;

/// The units a value is built of: plain, JSON-escaped (2 and 6 bytes in the JSON), and
/// multi-byte UTF-8 of 2, 3 and 4 bytes.
const STYLES: [(&str, &str); 6] = [
    ("plain", "x"),
    ("quote", "\""),
    ("control", "\u{1}"),
    ("2-byte", "é"),
    ("3-byte", "€"),
    ("4-byte", "😀"),
];

/// A value of exactly `len` bytes: `unit` repeated, then `x` to fill.
fn value(unit: &str, len: usize) -> String {
    let mut out = unit.repeat(len / unit.len());
    out.push_str(&"x".repeat(len - out.len()));
    out
}

/// `encodeURIComponent`: every byte but the unreserved ASCII ones as `%XX`, uppercase.
fn encode_uri_component(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    out
}

/// Where the value under test goes.
#[derive(Clone, Copy, Debug)]
enum Place {
    Nonce,
    Uuid,
    Extra,
}

/// The token for a Room request whose `place` holds `value`, computed without the crate.
fn expected_token(place: Place, value: &str) -> String {
    let nonce = match place {
        Place::Nonce => value,
        _ => "n",
    };
    let uuid = match place {
        Place::Uuid => value,
        _ => "room",
    };
    let expire_at = (T + LIFESPAN).to_string();
    // Canonical order: the format's names in byte order, then the extra `zz`, which sorts last.
    let mut fields = vec![
        ("ak", AK),
        ("expireAt", expire_at.as_str()),
        ("nonce", nonce),
        ("role", "1"),
        ("uuid", uuid),
    ];
    if let Place::Extra = place {
        fields.push(("zz", value));
    }
    let json = format!(
        "{{{}}}",
        fields
            .iter()
            .map(|(name, value)| format!(
                "{}:{}",
                serde_json::to_string(name).unwrap(),
                serde_json::to_string(value).unwrap()
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(SK.as_bytes()).unwrap();
    mac.update(json.as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // `sig` goes between `role` and `uuid` in the query.
    fields.insert(4, ("sig", sig.as_str()));
    let query = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_uri_component(value)))
        .collect::<Vec<_>>()
        .join("&");
    format!("NETLESSROOM_{}", URL_SAFE_NO_PAD.encode(query))
}

/// `token` with the first hex digit of its signature changed.
fn with_sig_changed(token: &str) -> String {
    let (prefix, payload) = token.split_at("NETLESSROOM_".len());
    let mut query = URL_SAFE_NO_PAD.decode(payload).unwrap();
    let at = query.windows(4).position(|w| w == b"sig=").unwrap() + 4;
    query[at] = if query[at] == b'0' { b'1' } else { b'0' };
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

#[test]
fn every_length_up_to_1000_bytes_mints_the_independently_computed_token() {
    let pair = pair();
    let validation = Validation::new().expect_kind(TokenKind::Room).at(T + 1);
    let (mut minted, mut too_long) = (0, 0);
    for place in [Place::Nonce, Place::Uuid, Place::Extra] {
        for (style, unit) in STYLES {
            for len in 0..=1000 {
                let value = value(unit, len);
                let case = format!("{place:?} of {len} bytes, {style}");
                let (nonce, uuid) = match place {
                    Place::Nonce => (value.as_str(), "room"),
                    Place::Uuid => ("n", value.as_str()),
                    Place::Extra => ("n", "room"),
                };
                let extra = [("zz", value.as_str())];
                let mut request = TokenRequest::room(LIFESPAN, Role::Writer, uuid);
                if let Place::Extra = place {
                    request = request.with_extra(&extra);
                }
                let result = pair.mint(&request, T, nonce);
                if len == 0 && !matches!(place, Place::Extra) {
                    let e = result.expect_err(&case);
                    assert!(matches!(e, MintError::EmptyField(_)), "{case}: {e:?}");
                    continue;
                }
                let expected = expected_token(place, &value);
                if expected.len() > MAX_TOKEN_LEN {
                    let e = result.expect_err(&case);
                    assert!(matches!(e, MintError::TooLong { .. }), "{case}: {e:?}");
                    too_long += 1;
                    continue;
                }
                let token = result.unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!(token, expected, "{case}");
                pair.verify(&token, &validation)
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
                assert_eq!(
                    pair.verify(&with_sig_changed(&token), &validation),
                    Err(VerifyError::SignatureMismatch),
                    "{case}, signature changed"
                );
                minted += 1;
            }
        }
    }
    // Most lengths fit; the longest multi-byte and escaped values do not.
    assert!(
        minted > 15_000 && too_long > 100,
        "{minted} minted, {too_long} too long"
    );
}
