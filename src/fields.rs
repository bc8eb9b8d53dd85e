//! The canonical order of a token's fields, and the two texts made from it: the JSON object
//! that is signed and the query that is carried. Minting, re-encoding and verifying all go
//! through here, so the order and the escaping exist once.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::kind::{Role, TokenKind};
use crate::wire::{self, Sink};

/// The HMAC-SHA256 state keyed with a secret key, ready to be cloned once per token.
pub(crate) type KeyedMac = Hmac<Sha256>;

/// The names the format defines. Extra fields may not reuse them, in any letter case.
pub(crate) const KNOWN_FIELDS: [&str; 6] = ["ak", "expireAt", "nonce", "role", "sig", "uuid"];

/// Keys an HMAC-SHA256 with the UTF-8 bytes of a secret key.
pub(crate) fn keyed_mac(sk: &[u8]) -> KeyedMac {
    // HMAC takes a key of any length, so this never fails; the fallback is unreachable.
    KeyedMac::new_from_slice(sk).unwrap_or_else(|_| KeyedMac::new(&Default::default()))
}

/// A borrowed view of every signed field of a token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields<'a> {
    pub(crate) ak: &'a str,
    pub(crate) expire_at: Option<u64>,
    pub(crate) nonce: &'a str,
    pub(crate) role: Role,
    pub(crate) uuid: Option<&'a str>,
    /// Extra fields, sorted by name in byte order; no name is one of [`KNOWN_FIELDS`].
    pub(crate) extra: &'a [(&'a str, &'a str)],
}

impl Fields<'_> {
    /// Calls `f` with every field, `sig` too when given, in ascending byte order of the name.
    fn for_each(&self, sig: Option<&str>, mut f: impl FnMut(&str, &str)) {
        let (digits, start) = wire::decimal(self.expire_at.unwrap_or(0));
        let expire_at = match self.expire_at {
            // ASCII digits, so always UTF-8.
            Some(_) => core::str::from_utf8(&digits[start..]).ok(),
            None => None,
        };
        let known = [
            ("ak", Some(self.ak)),
            ("expireAt", expire_at),
            ("nonce", Some(self.nonce)),
            ("role", Some(self.role.as_digit())),
            ("sig", sig),
            ("uuid", self.uuid),
        ];
        let mut extra = self.extra.iter().peekable();
        for (name, value) in known {
            let Some(value) = value else { continue };
            while let Some(&&(extra_name, extra_value)) = extra.peek() {
                if extra_name > name {
                    break;
                }
                f(extra_name, extra_value);
                extra.next();
            }
            f(name, value);
        }
        for &(name, value) in extra {
            f(name, value);
        }
    }

    /// Writes the canonical JSON that is signed: every field but `sig`, names sorted, every
    /// value a string, no whitespace, escaped as `JSON.stringify`.
    pub(crate) fn write_json(&self, out: &mut impl Sink) {
        out.put(b"{\"");
        let mut first = true;
        self.for_each(None, |name, value| {
            if !first {
                out.put(b",\"");
            }
            first = false;
            wire::put_json_str(out, name);
            out.put(b"\":\"");
            wire::put_json_str(out, value);
            out.put(b"\"");
        });
        out.put(b"}");
    }

    /// Writes the query: every field and `sig`, names sorted, `name=value` joined by `&`, both
    /// percent-encoded as `encodeURIComponent`.
    fn write_query(&self, sig: &str, out: &mut impl Sink) {
        let mut first = true;
        self.for_each(Some(sig), |name, value| {
            if !first {
                out.put(b"&");
            }
            first = false;
            wire::put_uri_component(out, name);
            out.put(b"=");
            wire::put_uri_component(out, value);
        });
    }

    /// The signature: HMAC-SHA256 of the canonical JSON, with a clone of `keyed`.
    pub(crate) fn sign(&self, keyed: &KeyedMac) -> [u8; 32] {
        let mut mac = keyed.clone();
        self.write_json(&mut mac);
        mac.finalize().into_bytes().into()
    }

    /// Appends the whole token (prefix and base64url of the query) to `out`, reserving its exact
    /// length first. `None`, with `out` untouched, when it would be longer than `limit` bytes.
    pub(crate) fn encode(
        &self,
        kind: TokenKind,
        sig: &[u8; 32],
        limit: usize,
        out: &mut String,
    ) -> Option<()> {
        let sig_hex = wire::hex_lower(sig);
        let sig = core::str::from_utf8(&sig_hex).ok()?;
        let mut counter = wire::Counter(0);
        self.write_query(sig, &mut counter);
        let len = kind.prefix().len() + wire::base64_len(counter.0);
        if len > limit {
            return None;
        }
        out.reserve(len);
        out.push_str(kind.prefix());
        let mut sink = wire::Base64Sink::new(out);
        self.write_query(sig, &mut sink);
        sink.finish();
        Some(())
    }
}

impl Sink for KeyedMac {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(fields: &Fields) -> String {
        let mut out = Vec::new();
        fields.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn query(fields: &Fields, sig: &str) -> String {
        let mut out = Vec::new();
        fields.write_query(sig, &mut out);
        String::from_utf8(out).unwrap()
    }

    const ROOM: Fields = Fields {
        ak: "a",
        expire_at: Some(7),
        nonce: "n",
        role: Role::Writer,
        uuid: Some("u"),
        extra: &[],
    };

    #[test]
    fn json_and_query_follow_the_spec_layout() {
        assert_eq!(
            json(&ROOM),
            r#"{"ak":"a","expireAt":"7","nonce":"n","role":"1","uuid":"u"}"#
        );
        assert_eq!(
            query(&ROOM, "S"),
            "ak=a&expireAt=7&nonce=n&role=1&sig=S&uuid=u"
        );
        let sdk = Fields {
            expire_at: None,
            uuid: None,
            ..ROOM
        };
        assert_eq!(json(&sdk), r#"{"ak":"a","nonce":"n","role":"1"}"#);
    }

    #[test]
    fn extra_fields_merge_in_byte_order() {
        let fields = Fields {
            extra: &[("A", "1"), ("b", "2"), ("rolf", "3"), ("zz", "4")],
            ..ROOM
        };
        assert_eq!(
            query(&fields, "S"),
            "A=1&ak=a&b=2&expireAt=7&nonce=n&role=1&rolf=3&sig=S&uuid=u&zz=4"
        );
    }
}
