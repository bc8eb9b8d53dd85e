//! JSON string escaping exactly as ECMAScript `JSON.stringify` writes a string.

use super::hex::HEX_LOWER;
use super::Sink;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> String {
        let mut v = Vec::new();
        put_json_str(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    // Expected values are what `JSON.stringify` prints; tests/node_differential.rs checks the
    // same function against node itself.
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
}
