//! The bytes on the wire, and the only place that knows them: JSON string escaping
//! ([`json`]), percent-encoding both ways ([`percent`]), base64url ([`base64`]), lowercase hex
//! ([`hex`]) and decimals ([`decimal`]). Writers put their bytes into a [`Sink`].
//!
//! The bottom layer: it imports nothing else of the crate.

pub(crate) mod base64;
pub(crate) mod decimal;
pub(crate) mod hex;
pub(crate) mod json;
pub(crate) mod percent;
mod sink;

pub(crate) use sink::{Counter, Discard, Sink, StackBuf};

/// Writes `s` escaped for JSON to `json` (as `JSON.stringify`) and percent-encoded to `uri` (as
/// `encodeURIComponent`). A text that needs neither (the usual case) is scanned once and
/// copied whole to both.
#[inline]
pub(crate) fn put_json_and_uri(json: &mut impl Sink, uri: &mut impl Sink, s: &str) {
    let bytes = s.as_bytes();
    if percent::is_uri_clean(bytes) {
        json.put(bytes);
        uri.put(bytes);
    } else {
        json::put_json_str(json, s);
        percent::put_uri_escaped(uri, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_text_is_escaped_for_both_sides_at_once() {
        let (mut json, mut uri) = (Vec::new(), Vec::new());
        put_json_and_uri(&mut json, &mut uri, "a \"b\"\né");
        assert_eq!(String::from_utf8(json).unwrap(), r#"a \"b\"\né"#);
        assert_eq!(uri, b"a%20%22b%22%0A%C3%A9");
        let (mut json, mut uri) = (Vec::new(), Vec::new());
        put_json_and_uri(&mut json, &mut uri, "plain-_.!~*'()");
        assert_eq!(
            (json.as_slice(), uri.as_slice()),
            (&b"plain-_.!~*'()"[..], &b"plain-_.!~*'()"[..])
        );
    }
}
