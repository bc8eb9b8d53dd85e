//! The bytes on the wire, and the only module that knows them: JSON string escaping exactly as
//! ECMAScript `JSON.stringify`, percent-encoding exactly as `encodeURIComponent`, the strict
//! percent-decoding that undoes it, base64url without padding, lowercase hex and decimals.
//!
//! Writers take a [`Sink`] so that one escaping routine serves the HMAC input, a stack buffer
//! and a `String` alike, with no allocation of its own.
//!
//! Base64 is `base64-simd`: 4x faster than the `base64` crate here (19 ns to encode a Room
//! token's query, 28 ns to decode it, against 77 and 93), which is most of the difference
//! between meeting and missing the speed targets. It is strict like the `base64` crate's
//! URL_SAFE_NO_PAD: no padding, no other alphabet, no stray trailing bits.

use base64_simd::URL_SAFE_NO_PAD as BASE64;

/// Where escaped bytes go: an HMAC, a bounded stack buffer, a `Vec`.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Writes the body of a JSON string (without the quotes) as `JSON.stringify` does: `"` and `\`
/// escaped, U+0008/9/A/C/D as `\b \t \n \f \r`, every other control below U+0020 as `\u00xx`
/// with lowercase hex. Everything else, `/`, U+007F, U+2028 and U+2029 included, stays.
#[inline]
pub(crate) fn put_json_str(out: &mut impl Sink, s: &str) {
    let bytes = s.as_bytes();
    // Most values need no escape: check the whole text without branching (so the compiler
    // can vectorize it), then copy it in one piece.
    let escapes = bytes.iter().fold(false, |any, &b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if !escapes {
        out.put(bytes);
        return;
    }
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

/// Whether `encodeURIComponent` leaves `b` as it is: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`. The
/// one definition of the unreserved set; comparisons rather than a table lookup, so that a
/// loop over it vectorizes.
#[inline]
const fn is_unreserved(b: u8) -> bool {
    let lower = b | 0x20;
    lower.is_ascii_lowercase()
        || b.is_ascii_digit()
        || matches!(
            b,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
        )
}

/// Whether every byte of `bytes` is unreserved, so the text needs neither percent-encoding
/// nor (a fortiori) JSON escaping. One branch-free pass, which the compiler vectorizes.
#[inline]
fn is_uri_clean(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |clean, &b| clean & is_unreserved(b))
}

/// Writes `s` escaped for JSON to `json` (see [`put_json_str`]) and percent-encoded to `uri`
/// (see [`put_uri_escaped`]). A text that needs neither (the usual case) is scanned once and
/// copied whole to both.
#[inline]
pub(crate) fn put_json_and_uri(json: &mut impl Sink, uri: &mut impl Sink, s: &str) {
    let bytes = s.as_bytes();
    if is_uri_clean(bytes) {
        json.put(bytes);
        uri.put(bytes);
    } else {
        put_json_str(json, s);
        put_uri_escaped(uri, bytes);
    }
}

/// Writes `bytes` percent-encoded exactly as ECMAScript `encodeURIComponent`: every UTF-8 byte
/// outside the unreserved set becomes `%XX` with uppercase hex; a space is `%20`, never `+`.
fn put_uri_escaped(out: &mut impl Sink, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
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
    /// A byte that every generator percent-encodes stood raw in the query, at this offset.
    Raw { byte: u8, at: usize },
    /// The escapes decode to bytes that are not UTF-8.
    NotUtf8,
}

impl PercentError {
    /// The reason in words, for an error message.
    pub(crate) fn reason(self) -> String {
        match self {
            PercentError::BadEscape => "has a '%' not followed by two uppercase hex digits".into(),
            PercentError::Raw { byte, .. } if byte.is_ascii() => format!(
                "holds the raw character {:?}, which must be percent-encoded",
                char::from(byte)
            ),
            PercentError::Raw { .. } => {
                "holds a raw non-ASCII character, which must be percent-encoded".into()
            }
            PercentError::NotUtf8 => "percent-decodes to bytes that are not UTF-8".into(),
        }
    }
}

/// What the query scanner does with a byte.
const KEEP: u8 = 0;
const PERCENT: u8 = 1;
const PLUS: u8 = 2;
const STOP: u8 = 3;
const RAW: u8 = 4;

/// The class of every byte: unreserved bytes are kept, `&` and `=` end a component, `%` and
/// `+` are decoded, anything else must not appear raw.
const CLASS: [u8; 256] = {
    let mut table = [RAW; 256];
    let mut b = 0;
    while b < 256 {
        if is_unreserved(b as u8) {
            table[b] = KEEP;
        }
        b += 1;
    }
    table[b'%' as usize] = PERCENT;
    table[b'+' as usize] = PLUS;
    table[b'&' as usize] = STOP;
    table[b'=' as usize] = STOP;
    table
};

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

/// Whether a whole query is plain: only unreserved bytes, `&` and `=`, so no component needs
/// decoding or can be refused for its bytes. One branch-free pass, which the compiler
/// vectorizes; most tokens are plain.
pub(crate) fn query_is_plain(query: &[u8]) -> bool {
    query.iter().fold(true, |plain, &b| {
        plain & (is_unreserved(b) | (b == b'&') | (b == b'='))
    })
}

/// The index of the first `&` or `=` at or after `from`, or `buf.len()`: eight bytes at a time,
/// with the classic zero-byte test (exact for the lowest match).
fn find_stop(buf: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(word) = buf.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let word = u64::from_le_bytes(word);
        let amp = word ^ (ONES * u64::from(b'&'));
        let eq = word ^ (ONES * u64::from(b'='));
        let zero = (amp.wrapping_sub(ONES) & !amp | eq.wrapping_sub(ONES) & !eq) & HIGHS;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    buf[i..]
        .iter()
        .position(|&b| b == b'&' || b == b'=')
        .map_or(buf.len(), |p| i + p)
}

/// Percent-decodes, in place, the query component that starts at `start` and runs to the next
/// `&` or `=` (or the end). Returns where the decoded text ends (never past where it started
/// out ending) and where the component stopped: the index of that `&` or `=`, or `buf.len()`.
///
/// Undoes `encodeURIComponent` and the form rules of other generators: `%XX`, `+` as a space.
/// Refuses a `%` without two uppercase hex digits, any raw byte outside the unreserved set,
/// and escapes that are not UTF-8. A component without `%` or `+` is only scanned; in a query
/// known to be `plain` (see [`query_is_plain`]), only its end is looked for.
pub(crate) fn decode_component(
    buf: &mut [u8],
    start: usize,
    plain: bool,
) -> Result<(usize, usize), PercentError> {
    if plain {
        let stop = find_stop(buf, start);
        return Ok((stop, stop));
    }
    let len = buf.len();
    let mut r = start;
    r += buf[r..]
        .iter()
        .position(|&b| CLASS[b as usize] != KEEP)
        .unwrap_or(len - r);
    let mut w = r;
    let mut escaped = false;
    while r < len {
        let b = buf[r];
        buf[w] = match CLASS[b as usize] {
            KEEP => {
                r += 1;
                b
            }
            PERCENT => {
                let digit = |i: usize| buf.get(i).copied().and_then(hex_value);
                let (Some(hi), Some(lo)) = (digit(r + 1), digit(r + 2)) else {
                    return Err(PercentError::BadEscape);
                };
                r += 3;
                escaped = true;
                (hi << 4) | lo
            }
            PLUS => {
                r += 1;
                b' '
            }
            STOP => break,
            _ => return Err(PercentError::Raw { byte: b, at: r }),
        };
        w += 1;
    }
    if escaped && core::str::from_utf8(&buf[start..w]).is_err() {
        return Err(PercentError::NotUtf8);
    }
    Ok((w, r))
}

/// A bounded stack buffer; what does not fit is dropped and remembered as an overflow.
pub(crate) struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflowed: bool,
}

impl<const N: usize> StackBuf<N> {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        StackBuf {
            buf: [0; N],
            len: 0,
            overflowed: false,
        }
    }

    /// What was written, or `None` when it did not all fit.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        (!self.overflowed).then(|| &self.buf[..self.len])
    }

    /// How many bytes were written (or would have been, before an overflow stopped them).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Overwrites `bytes.len()` bytes already written, starting at `at`.
    pub(crate) fn patch(&mut self, at: usize, bytes: &[u8]) {
        if let Some(hole) = self.buf.get_mut(at..at + bytes.len()) {
            hole.copy_from_slice(bytes);
        }
    }
}

impl<const N: usize> Sink for StackBuf<N> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(room) if !self.overflowed => {
                room.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            _ => self.overflowed = true,
        }
    }
}

/// The length of the base64url text (no padding) of `n` bytes.
pub(crate) const fn base64_len(n: usize) -> usize {
    (n / 3) * 4 + [0, 2, 3][n % 3]
}

/// Appends the base64url text (no padding) of `bytes` to `out`.
pub(crate) fn put_base64(out: &mut String, bytes: &[u8]) {
    BASE64.encode_append(bytes, out);
}

/// Keeps nothing: the side of a two-sided writer that is not wanted.
pub(crate) struct Discard;

impl Sink for Discard {
    #[inline(always)]
    fn put(&mut self, _: &[u8]) {}
}

/// Counts bytes instead of keeping them.
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

/// Encodes what it is given as base64url into a `String`, a few whole 3-byte groups at a time;
/// for texts too long for a stack buffer.
pub(crate) struct Base64Sink<'a> {
    out: &'a mut String,
    buf: [u8; Base64Sink::CHUNK],
    len: usize,
}

impl<'a> Base64Sink<'a> {
    /// Bytes gathered before they are encoded: a multiple of 3, so no chunk needs padding.
    const CHUNK: usize = 192;

    /// A sink appending to `out`.
    pub(crate) fn new(out: &'a mut String) -> Self {
        Base64Sink {
            out,
            buf: [0; Base64Sink::CHUNK],
            len: 0,
        }
    }

    fn flush(&mut self) {
        put_base64(self.out, &self.buf[..self.len]);
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
    BASE64.decode_to_vec(text).map_err(|_| base64_error(text))
}

/// Where and why `text` is not strict base64url, for a text the decoder refused.
fn base64_error(text: &str) -> Base64Error {
    for (offset, b) in text.bytes().enumerate() {
        let reason = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => continue,
            b'=' => "has '=' padding, which tokens never carry",
            b'+' | b'/' => "uses the standard alphabet ('+' or '/'), not base64url ('-' and '_')",
            b' ' | b'\t' | b'\r' | b'\n' => "holds whitespace",
            _ => "holds a character outside the base64url alphabet",
        };
        return Base64Error { offset, reason };
    }
    if text.len() % 4 == 1 {
        Base64Error {
            offset: text.len(),
            reason: "has a length no base64 text can have (truncated?)",
        }
    } else {
        Base64Error {
            offset: text.len().saturating_sub(1),
            reason: "ends in a symbol with stray bits (truncated or altered)",
        }
    }
}

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut table = [[0; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [HEX_LOWER[b >> 4], HEX_LOWER[b & 0xF]];
        b += 1;
    }
    table
};

/// Lowercase hex of a 32-byte signature.
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[b as usize]);
    }
    out
}

/// The 36-character lowercase text of a UUID: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn uuid_text(bytes: &[u8; 16]) -> [u8; 36] {
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        out[at..at + 2].copy_from_slice(&HEX_PAIRS[b as usize]);
        at += 2;
    }
    out
}

/// The value of each lowercase hex digit; 0xFF for every other byte.
const LOWER_HEX_VALUE: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 16 {
        table[HEX_LOWER[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Parses exactly 64 lowercase hex digits; anything else is `None`.
pub(crate) fn parse_sig(text: &[u8]) -> Option<[u8; 32]> {
    let text: &[u8; 64] = text.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let hi = LOWER_HEX_VALUE[pair[0] as usize];
        let lo = LOWER_HEX_VALUE[pair[1] as usize];
        bad |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0F);
    }
    (bad & 0xF0 == 0).then_some(out)
}

/// Decimal text of `n` in a stack buffer: returns the buffer and where the digits start.
/// Two digits per step, from a table.
pub(crate) fn decimal(mut n: u64) -> ([u8; 20], usize) {
    const PAIRS: [[u8; 2]; 100] = {
        let mut table = [[0; 2]; 100];
        let mut i = 0;
        while i < 100 {
            table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        table
    };
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    (buf, i)
}

/// Parses a canonical decimal `u64`: ASCII digits only, no sign, no leading zero (but `0`
/// itself), no overflow. Canonical so that decoding then encoding gives the same text.
pub(crate) fn parse_decimal(bytes: &[u8]) -> Option<u64> {
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
        put_json_and_uri(&mut Discard, &mut v, s);
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
    fn unreserved_set_is_exactly_the_specs_on_every_byte() {
        for b in 0..=255u8 {
            // The set as the specification lists it, independently of the predicate.
            let spec = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
            assert_eq!(is_unreserved(b), spec.contains(&b), "byte {b}");
        }
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
        let (end, stop) = decode_component(&mut buf, 0, false)?;
        assert_eq!(stop, buf.len(), "{s:?} stopped early");
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
        assert_eq!(pct("a b"), Err(PercentError::Raw { byte: b' ', at: 1 }));
        assert_eq!(
            pct("ab\u{e9}"),
            Err(PercentError::Raw { byte: 0xC3, at: 2 })
        );
        assert_eq!(pct(""), Ok(String::new()));
    }

    #[test]
    fn a_component_stops_at_amp_or_equals_and_decodes_in_place() {
        let mut buf = b"ab%41+&cd=e".to_vec();
        assert_eq!(decode_component(&mut buf, 0, false), Ok((4, 6)));
        assert_eq!(&buf[..4], b"abA ");
        assert_eq!(decode_component(&mut buf, 7, false), Ok((9, 9)));
        assert_eq!(decode_component(&mut buf, 10, false), Ok((11, 11)));
        // An escape cut short by the end of a component is refused, not read across it.
        let mut buf = b"x%4&y".to_vec();
        assert_eq!(
            decode_component(&mut buf, 0, false),
            Err(PercentError::BadEscape)
        );
    }

    #[test]
    fn plain_queries_split_where_the_exact_scanner_does() {
        // Every position of '&' and '=' relative to the 8-byte words, and both scanners.
        for len in 0..40 {
            for at in 0..len {
                for stop in [b'&', b'='] {
                    let mut text = vec![b'a'; len];
                    text[at] = stop;
                    if at + 3 < len {
                        text[at + 3] = b'=';
                    }
                    assert!(query_is_plain(&text));
                    for start in 0..len {
                        let fast = decode_component(&mut text.clone(), start, true);
                        let exact = decode_component(&mut text.clone(), start, false);
                        assert_eq!(
                            fast,
                            exact,
                            "{:?} from {start}",
                            String::from_utf8_lossy(&text)
                        );
                    }
                }
            }
        }
        assert!(!query_is_plain(b"a=b%20"));
        assert!(!query_is_plain(b"a=b+c"));
        assert!(!query_is_plain(b"a=\xc3\xa9"));
        assert!(query_is_plain(b"ak=x&nonce=AZaz09-_.!~*'()"));
    }

    #[test]
    fn uuid_text_has_the_standard_layout() {
        let bytes: [u8; 16] = core::array::from_fn(|i| (i * 17) as u8);
        assert_eq!(&uuid_text(&bytes), b"00112233-4455-6677-8899-aabbccddeeff");
    }

    #[test]
    fn decimals_are_canonical() {
        let (buf, start) = decimal(0);
        assert_eq!(&buf[start..], b"0");
        let (buf, start) = decimal(u64::MAX);
        assert_eq!(&buf[start..], b"18446744073709551615");
        for n in [
            1,
            9,
            10,
            99,
            100,
            101,
            1_700_000_000_000,
            9_007_199_254_740_991,
        ] {
            let (buf, start) = decimal(n);
            assert_eq!(&buf[start..], n.to_string().as_bytes());
        }
        assert_eq!(parse_decimal(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_decimal(b"18446744073709551616"), None);
        for bad in ["", "01", "+1", "-1", " 1", "1 ", "1e3", "0x1"] {
            assert_eq!(parse_decimal(bad.as_bytes()), None, "{bad:?}");
        }
    }

    #[test]
    fn sig_must_be_64_lowercase_hex() {
        let good = "ab".repeat(32);
        assert_eq!(parse_sig(good.as_bytes()), Some([0xab; 32]));
        assert_eq!(hex_lower(&[0xab; 32]).as_slice(), good.as_bytes());
        let bytes: [u8; 32] = core::array::from_fn(|i| (i * 8 + 3) as u8);
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex_lower(&bytes).as_slice(), expected.as_bytes());
        let all: String = (0..32u8).map(|i| format!("{:02x}", i * 8)).collect();
        let expected: Vec<u8> = (0..32u8).map(|i| i * 8).collect();
        assert_eq!(parse_sig(all.as_bytes()).unwrap().as_slice(), expected);
        assert_eq!(parse_sig(good.to_uppercase().as_bytes()), None);
        assert_eq!(parse_sig(&good.as_bytes()[..62]), None);
        assert_eq!(parse_sig(format!("{good}00").as_bytes()), None);
        for bad in [b'g', b'G', b'A', b' ', b'/', b':', b'`', 0xFF] {
            let mut text = good.clone().into_bytes();
            text[17] = bad;
            assert_eq!(parse_sig(&text), None, "{bad}");
        }
    }

    #[test]
    fn base64_is_strict_url_safe_without_padding() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
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
            use base64::engine::general_purpose::URL_SAFE_NO_PAD;
            use base64::Engine as _;
            for piece in data.chunks(5) {
                sink.put(piece);
            }
            sink.finish();
            assert_eq!(streamed, URL_SAFE_NO_PAD.encode(&data), "n={n}");
        }
    }
}
