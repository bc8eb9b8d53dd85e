//! Percent-encoding exactly as ECMAScript `encodeURIComponent`, and the strict
//! percent-decoding that undoes it (and the form rules of other generators: `+` as a space).

use super::Sink;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `encodeURIComponent` leaves `b` as it is: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`. The
/// one definition of the unreserved set; comparisons rather than a table lookup, so that a
/// loop over it vectorizes.
#[inline(always)]
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
#[inline(always)]
pub(crate) fn is_uri_clean(bytes: &[u8]) -> bool {
    // A plain loop rather than `fold`: the same code where the compiler vectorizes, and no
    // iterator call left behind where it optimises for size (the WebAssembly build).
    let mut clean = true;
    for &b in bytes {
        clean &= is_unreserved(b);
    }
    clean
}

/// Writes `bytes` percent-encoded exactly as ECMAScript `encodeURIComponent`: every UTF-8 byte
/// outside the unreserved set becomes `%XX` with uppercase hex; a space is `%20`, never `+`.
pub(crate) fn put_uri_escaped(out: &mut impl Sink, bytes: &[u8]) {
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

/// The value of an uppercase hex digit. Lowercase is refused because no generator writes it:
/// accepting it would add one more spelling of the same token (`%C3` or `%c3`) for no token
/// anyone mints.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> String {
        let mut v = Vec::new();
        put_uri_escaped(&mut v, s.as_bytes());
        String::from_utf8(v).unwrap()
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
}
