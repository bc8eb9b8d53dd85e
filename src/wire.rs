//! The bytes on the wire, and the only module that knows them: JSON string escaping exactly as
//! ECMAScript `JSON.stringify`, percent-encoding exactly as `encodeURIComponent`, the strict
//! percent-decoding that undoes it, base64url without padding, lowercase hex and decimals.
//!
//! Writers take a [`Sink`] so that one escaping routine serves the HMAC input, a stack buffer
//! and a `String` alike, with no allocation of its own.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Where escaped bytes go: an HMAC, a bounded stack buffer, a `Vec`.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Writes the body of a JSON string (without the quotes) as `JSON.stringify` does: `"` and `\`
/// escaped, U+0008/9/A/C/D as `\b \t \n \f \r`, every other control below U+0020 as `\u00xx`
/// with lowercase hex. Everything else, `/`, U+007F, U+2028 and U+2029 included, stays.
pub(crate) fn put_json_str(out: &mut impl Sink, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0A => b"\\n",
            0x0C => b"\\f",
            0x0D => b"\\r",
            0x00..=0x1F => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX_LOWER[(b >> 4) as usize],
                HEX_LOWER[(b & 0xF) as usize],
            ],
            _ => continue,
        };
        out.put(&bytes[start..i]);
        out.put(short);
        start = i + 1;
    }
    out.put(&bytes[start..]);
}

/// The bytes `encodeURIComponent` leaves as they are: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        b += 1;
    }
    table
};

/// Writes `s` percent-encoded exactly as ECMAScript `encodeURIComponent`: every UTF-8 byte
/// outside the unreserved set becomes `%XX` with uppercase hex; a space is `%20`, never `+`.
pub(crate) fn put_uri_component(out: &mut impl Sink, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if URI_UNRESERVED[b as usize] {
            continue;
        }
        out.put(&bytes[start..i]);
        out.put(&[
            b'%',
            HEX_UPPER[(b >> 4) as usize],
            HEX_UPPER[(b & 0xF) as usize],
        ]);
        start = i + 1;
    }
    out.put(&bytes[start..]);
}

/// Why a query component could not be percent-decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PercentError {
    /// A `%` not followed by two uppercase hex digits.
    BadEscape,
    /// A character that every generator percent-encodes stood raw in the query.
    RawCharacter(u8),
    /// The escapes decode to bytes that are not UTF-8.
    NotUtf8,
}

impl PercentError {
    /// The reason in words, for an error message.
    pub(crate) fn reason(self) -> String {
        match self {
            PercentError::BadEscape => "has a '%' not followed by two uppercase hex digits".into(),
            PercentError::RawCharacter(b) => format!(
                "holds the raw character {:?}, which must be percent-encoded",
                char::from(b)
            ),
            PercentError::NotUtf8 => "percent-decodes to bytes that are not UTF-8".into(),
        }
    }
}

/// The value of an uppercase hex digit. Lowercase is refused: every generator writes
/// uppercase, and accepting both would let one token be rewritten into another string that
/// still verifies (a one-bit change, `%C3` to `%c3`).
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes `buf[from..to]` into `buf[at..]`, in place (`at <= from`; decoding never
/// lengthens), and returns where the decoded text ends. Undoes `encodeURIComponent` and the
/// form rules of other generators: `%XX`, `+` as a space. Refuses a `%` without two uppercase
/// hex digits, any raw byte outside the unreserved set, and escapes that are not UTF-8.
pub(crate) fn percent_decode_in_place(
    buf: &mut [u8],
    from: usize,
    to: usize,
    at: usize,
) -> Result<usize, PercentError> {
    debug_assert!(at <= from && from <= to && to <= buf.len());
    let mut r = from;
    let mut w = at;
    let mut escaped = false;
    while r < to {
        let b = buf[r];
        let decoded = match b {
            b'%' => {
                let hi = buf.get(r + 1).filter(|_| r + 1 < to).copied();
                let lo = buf.get(r + 2).filter(|_| r + 2 < to).copied();
                match (hi.and_then(hex_value), lo.and_then(hex_value)) {
                    (Some(hi), Some(lo)) => {
                        r += 3;
                        escaped = true;
                        (hi << 4) | lo
                    }
                    _ => return Err(PercentError::BadEscape),
                }
            }
            b'+' => {
                r += 1;
                b' '
            }
            _ if URI_UNRESERVED[b as usize] => {
                r += 1;
                b
            }
            _ => return Err(PercentError::RawCharacter(b)),
        };
        buf[w] = decoded;
        w += 1;
    }
    if escaped && core::str::from_utf8(&buf[at..w]).is_err() {
        return Err(PercentError::NotUtf8);
    }
    Ok(w)
}

/// The length of the base64url text (no padding) of `n` bytes.
pub(crate) const fn base64_len(n: usize) -> usize {
    (n / 3) * 4 + [0, 2, 3][n % 3]
}

/// Counts bytes instead of keeping them.
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// Encodes what it is given as base64url into a `String`, a few whole 3-byte groups at a time.
pub(crate) struct Base64Sink<'a> {
    out: &'a mut String,
    buf: [u8; Base64Sink::CHUNK],
    len: usize,
}

impl<'a> Base64Sink<'a> {
    /// A sink appending to `out`.
    pub(crate) fn new(out: &'a mut String) -> Self {
        Base64Sink {
            out,
            buf: [0; Base64Sink::CHUNK],
            len: 0,
        }
    }

    /// Bytes gathered before they are encoded: a multiple of 3, so no chunk needs padding.
    const CHUNK: usize = 192;

    fn flush(&mut self) {
        let mut text = [0u8; Self::CHUNK / 3 * 4];
        let n = URL_SAFE_NO_PAD
            .encode_slice(&self.buf[..self.len], &mut text)
            .unwrap_or(0);
        // The base64 alphabet is ASCII, so this is always UTF-8.
        if let Ok(text) = core::str::from_utf8(&text[..n]) {
            self.out.push_str(text);
        }
        self.len = 0;
    }

    /// Encodes what is left; call it once, at the end.
    pub(crate) fn finish(mut self) {
        self.flush();
    }
}

impl Sink for Base64Sink<'_> {
    fn put(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let take = bytes.len().min(Self::CHUNK - self.len);
            self.buf[self.len..self.len + take].copy_from_slice(&bytes[..take]);
            self.len += take;
            bytes = &bytes[take..];
            if self.len == Self::CHUNK {
                self.flush();
            }
        }
    }
}

/// Why a base64url payload could not be decoded, in words, with its offset in the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Base64Error {
    pub(crate) offset: usize,
    pub(crate) reason: &'static str,
}

/// Decodes base64url without padding, strictly: no `=`, no `+` or `/`, no whitespace, no
/// non-zero trailing bits (so that every payload has exactly one text).
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    use base64::DecodeError;
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    URL_SAFE_NO_PAD
        .decode_vec(text, &mut out)
        .map_err(|e| match e {
            DecodeError::InvalidByte(offset, byte) => Base64Error {
                offset,
                reason: match byte {
                    b'=' => "has '=' padding, which tokens never carry",
                    b'+' | b'/' => {
                        "uses the standard alphabet ('+' or '/'), not base64url ('-' and '_')"
                    }
                    b' ' | b'\t' | b'\r' | b'\n' => "holds whitespace",
                    _ => "holds a character outside the base64url alphabet",
                },
            },
            DecodeError::InvalidLength(offset) => Base64Error {
                offset,
                reason: "has a length no base64 text can have (truncated?)",
            },
            DecodeError::InvalidLastSymbol { offset, .. } => Base64Error {
                offset,
                reason: "ends in a symbol with stray bits (truncated or altered)",
            },
            DecodeError::InvalidPadding => Base64Error {
                offset: text.len(),
                reason: "has '=' padding, which tokens never carry",
            },
        })?;
    Ok(out)
}

/// Lowercase hex of a 32-byte signature.
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    // Cannot fail: the output is exactly twice the input.
    let _ = hex::encode_to_slice(bytes, &mut out);
    out
}

/// Parses exactly 64 lowercase hex digits; anything else is `None`.
pub(crate) fn parse_sig(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

/// Decimal text of `n` in a stack buffer: returns the buffer and where the digits start.
pub(crate) fn decimal(mut n: u64) -> ([u8; 20], usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return (buf, i);
        }
    }
}

/// Parses a canonical decimal `u64`: ASCII digits only, no sign, no leading zero (but `0`
/// itself), no overflow. Canonical so that decoding then encoding gives the same text.
pub(crate) fn parse_decimal(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    bytes.iter().try_fold(0u64, |acc, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut v = Vec::new();
        put_json_str(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    fn uri(s: &str) -> String {
        let mut v = Vec::new();
        put_uri_component(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    // Expected values below are what the specification states; the differential test in
    // tests/differential_node.rs checks the same functions against node itself.
    #[test]
    fn json_escapes_as_the_spec_lists() {
        assert_eq!(json("a\"b\\c"), r#"a\"b\\c"#);
        assert_eq!(json("\u{8}\t\n\u{c}\r"), r"\b\t\n\f\r");
        assert_eq!(json("\u{0}\u{1}\u{1f}"), r"\u0000\u0001\u001f");
        assert_eq!(
            json("/\u{7f}\u{2028}\u{2029}é😀"),
            "/\u{7f}\u{2028}\u{2029}é😀"
        );
    }

    #[test]
    fn uri_encoding_keeps_exactly_the_unreserved_set() {
        assert_eq!(uri("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(uri("a b+c&d=e%/?#"), "a%20b%2Bc%26d%3De%25%2F%3F%23");
        assert_eq!(uri("é"), "%C3%A9");
        assert_eq!(uri(""), "");
    }

    fn pct(s: &str) -> Result<String, PercentError> {
        let mut buf = s.as_bytes().to_vec();
        let len = buf.len();
        let end = percent_decode_in_place(&mut buf, 0, len, 0)?;
        Ok(String::from_utf8(buf[..end].to_vec()).unwrap())
    }

    #[test]
    fn percent_decoding_is_strict() {
        assert_eq!(pct("a%20b+c%C3%A9").unwrap(), "a b cé");
        assert_eq!(pct("%c3%a9"), Err(PercentError::BadEscape));
        assert_eq!(pct("%"), Err(PercentError::BadEscape));
        assert_eq!(pct("%4"), Err(PercentError::BadEscape));
        assert_eq!(pct("%G0"), Err(PercentError::BadEscape));
        assert_eq!(pct("%FF"), Err(PercentError::NotUtf8));
        assert_eq!(pct("%C3"), Err(PercentError::NotUtf8));
        assert_eq!(pct("a b"), Err(PercentError::RawCharacter(b' ')));
        assert_eq!(pct("a=b"), Err(PercentError::RawCharacter(b'=')));
    }

    #[test]
    fn percent_decoding_in_place_does_not_read_past_its_end() {
        let mut buf = b"x%4y%41".to_vec();
        assert_eq!(
            percent_decode_in_place(&mut buf, 1, 3, 0),
            Err(PercentError::BadEscape)
        );
        assert_eq!(percent_decode_in_place(&mut buf, 4, 7, 1), Ok(2));
        assert_eq!(&buf[..2], b"xA");
    }

    #[test]
    fn decimals_are_canonical() {
        let (buf, start) = decimal(0);
        assert_eq!(&buf[start..], b"0");
        let (buf, start) = decimal(u64::MAX);
        assert_eq!(&buf[start..], b"18446744073709551615");
        assert_eq!(parse_decimal("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_decimal("18446744073709551616"), None);
        for bad in ["", "01", "+1", "-1", " 1", "1 ", "1e3", "0x1"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn sig_must_be_64_lowercase_hex() {
        let good = "ab".repeat(32);
        assert_eq!(parse_sig(&good), Some([0xab; 32]));
        assert_eq!(hex_lower(&[0xab; 32]).as_slice(), good.as_bytes());
        assert_eq!(parse_sig(&good.to_uppercase()), None);
        assert_eq!(parse_sig(&good[..62]), None);
        assert_eq!(parse_sig(&format!("{good}00")), None);
    }

    #[test]
    fn base64_is_strict_url_safe_without_padding() {
        assert_eq!(decode_base64("YWI").unwrap(), b"ab");
        for n in 0..10 {
            assert_eq!(
                base64_len(n),
                URL_SAFE_NO_PAD.encode(vec![0xff; n]).len(),
                "n={n}"
            );
        }
        assert!(decode_base64("YWI=")
            .unwrap_err()
            .reason
            .contains("padding"));
        assert!(decode_base64("YW+/")
            .unwrap_err()
            .reason
            .contains("standard"));
        assert!(decode_base64("YW I")
            .unwrap_err()
            .reason
            .contains("whitespace"));
        assert!(decode_base64("YWJ")
            .unwrap_err()
            .reason
            .contains("stray bits"));
        assert!(decode_base64("Y").unwrap_err().reason.contains("length"));
    }

    #[test]
    fn base64_sink_matches_one_shot_encoding_across_chunk_edges() {
        for n in [0, 1, 2, 3, 191, 192, 193, 384, 500] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 256) as u8).collect();
            let mut streamed = String::new();
            let mut sink = Base64Sink::new(&mut streamed);
            for piece in data.chunks(5) {
                sink.put(piece);
            }
            sink.finish();
            assert_eq!(streamed, URL_SAFE_NO_PAD.encode(&data), "n={n}");
        }
    }
}
