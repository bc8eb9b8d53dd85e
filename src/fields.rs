//! The canonical order of a token's fields, and the two texts made from it: the JSON object
//! that is signed and the query that is carried. Minting, re-encoding and verifying all go
//! through here, so the order and the escaping exist once.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::kind::{Role, TokenKind};
use crate::wire::{self, Sink};
use crate::MAX_TOKEN_LEN;

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
    /// The canonical decimal text of `expireAt`.
    pub(crate) expire_at: Option<&'a str>,
    pub(crate) nonce: &'a str,
    pub(crate) role: Role,
    pub(crate) uuid: Option<&'a str>,
    /// Extra fields, sorted by name in byte order; no name is one of [`KNOWN_FIELDS`].
    pub(crate) extra: &'a [(&'a str, &'a str)],
}

/// One step of the canonical order: a field, or the place of `sig` (which the signed JSON
/// leaves out and the query carries).
enum Item<'a> {
    Field(Field<'a>),
    Sig,
}

/// A name and value, with what is known about them without looking: the format's own names
/// need no escaping, nor do the digits of `role` and `expireAt`.
struct Field<'a> {
    name: &'a str,
    value: &'a str,
    plain_name: bool,
    plain_value: bool,
}

impl Fields<'_> {
    /// Calls `f` with every field and the place of `sig`, in ascending byte order of the name.
    fn for_each<'s>(&'s self, mut f: impl FnMut(Item<'s>)) {
        // (name, value, whether the value is plain)
        let known = [
            ("ak", Some(self.ak), false),
            ("expireAt", self.expire_at, true),
            ("nonce", Some(self.nonce), false),
            ("role", Some(self.role.as_digit()), true),
            ("sig", None, true),
            ("uuid", self.uuid, false),
        ];
        let mut extra = self.extra.iter().peekable();
        for (name, value, plain_value) in known {
            while let Some(&&(extra_name, extra_value)) = extra.peek() {
                if extra_name > name {
                    break;
                }
                f(Item::Field(Field::extra(extra_name, extra_value)));
                extra.next();
            }
            match value {
                Some(value) => f(Item::Field(Field {
                    name,
                    value,
                    plain_name: true,
                    plain_value,
                })),
                None if name == "sig" => f(Item::Sig),
                None => {}
            }
        }
        for &(name, value) in extra {
            f(Item::Field(Field::extra(name, value)));
        }
    }

    /// Writes, in one pass over the fields, the canonical JSON that is signed to `json` and the
    /// query to `query`; `put_sig` writes the value of `sig` into the query. The one place that
    /// lays out both texts: pass [`wire::Discard`] for the side not wanted.
    ///
    /// The JSON: every field but `sig`, names sorted, every value a string, no whitespace,
    /// escaped as `JSON.stringify`. The query: every field and `sig`, names sorted, `name=value`
    /// joined by `&`, both percent-encoded as `encodeURIComponent`.
    fn write<J: Sink, Q: Sink>(
        &self,
        json: &mut J,
        query: &mut Q,
        mut put_sig: impl FnMut(&mut Q),
    ) {
        let mut first = true;
        self.for_each(|item| {
            if !first {
                query.put(b"&");
            }
            match item {
                Item::Field(field) => {
                    json.put(if first { b"{\"" } else { b",\"" });
                    put_both(json, query, field.name, field.plain_name);
                    json.put(b"\":\"");
                    query.put(b"=");
                    put_both(json, query, field.value, field.plain_value);
                    json.put(b"\"");
                }
                Item::Sig => {
                    query.put(b"sig=");
                    put_sig(query);
                }
            }
            first = false;
        });
        json.put(b"}");
    }

    /// Writes the canonical JSON that is signed.
    pub(crate) fn write_json(&self, out: &mut impl Sink) {
        self.write(out, &mut wire::Discard, |_| {});
    }

    /// Writes the query, with `sig` (64 hex digits) as the value of `sig`.
    fn write_query(&self, sig: &[u8; 64], out: &mut impl Sink) {
        self.write(&mut wire::Discard, out, |query| query.put(sig));
    }

    /// The signature: HMAC-SHA256 of the canonical JSON, with a clone of `keyed`.
    pub(crate) fn sign(&self, keyed: &KeyedMac) -> [u8; 32] {
        let mut mac = MacWriter::new(keyed);
        self.write_json(&mut mac);
        mac.finalize()
    }

    /// Mints: signs the fields with `keyed` and appends the token to `out`. The JSON and the
    /// query are written in one pass over the fields (the query with a hole where the
    /// signature goes), each value scanned once. `None`, with `out` untouched, when the token
    /// would be longer than [`MAX_TOKEN_LEN`].
    pub(crate) fn mint(&self, kind: TokenKind, keyed: &KeyedMac, out: &mut String) -> Option<()> {
        let mut mac = MacWriter::new(keyed);
        let mut query = wire::StackBuf::<QUERY_BUF>::new();
        let mut sig_at = 0;
        self.write(&mut mac, &mut query, |query| {
            // A hole, filled once the JSON is hashed.
            sig_at = query.len();
            query.put(&[0; 64]);
        });
        let sig = mac.finalize();
        let sig_hex = wire::hex_lower(&sig);
        query.patch(sig_at, &sig_hex);
        match query.bytes() {
            Some(query) => push_token(kind, query, MAX_TOKEN_LEN, out),
            None => self.encode(kind, &sig, MAX_TOKEN_LEN, out),
        }
    }

    /// Appends the token with signature `sig` to `out`, reserving its exact length first.
    /// `None`, with `out` untouched, when it would be longer than `limit` bytes.
    pub(crate) fn encode(
        &self,
        kind: TokenKind,
        sig: &[u8; 32],
        limit: usize,
        out: &mut String,
    ) -> Option<()> {
        let sig = wire::hex_lower(sig);
        let mut query = wire::StackBuf::<QUERY_BUF>::new();
        self.write_query(&sig, &mut query);
        if let Some(query) = query.bytes() {
            return push_token(kind, query, limit, out);
        }
        let mut counter = wire::Counter(0);
        self.write_query(&sig, &mut counter);
        let len = kind.prefix().len() + wire::base64_len(counter.0);
        if len > limit {
            return None;
        }
        out.reserve(len);
        out.push_str(kind.prefix());
        let mut sink = wire::Base64Sink::new(out);
        self.write_query(&sig, &mut sink);
        sink.finish();
        Some(())
    }
}

/// Appends `kind`'s prefix and the base64url of `query` to `out`, reserving the exact length
/// first; `None`, with `out` untouched, when that is longer than `limit` bytes.
fn push_token(kind: TokenKind, query: &[u8], limit: usize, out: &mut String) -> Option<()> {
    let len = kind.prefix().len() + wire::base64_len(query.len());
    if len > limit {
        return None;
    }
    out.reserve(len);
    out.push_str(kind.prefix());
    wire::put_base64(out, query);
    Some(())
}

impl<'a> Field<'a> {
    fn extra(name: &'a str, value: &'a str) -> Self {
        Field {
            name,
            value,
            plain_name: false,
            plain_value: false,
        }
    }
}

/// Writes `text` to the JSON and to the query: as it is when it is known to need no escaping,
/// otherwise through [`wire::put_json_and_uri`].
#[inline(always)]
fn put_both(json: &mut impl Sink, query: &mut impl Sink, text: &str, plain: bool) {
    if plain {
        json.put(text.as_bytes());
        query.put(text.as_bytes());
    } else {
        wire::put_json_and_uri(json, query, text);
    }
}

/// The query of a usual token fits this stack buffer; a longer one is streamed.
const QUERY_BUF: usize = 512;

/// Gathers the canonical JSON on the stack, passing full buffers on to the HMAC.
struct MacWriter {
    mac: KeyedMac,
    buf: [u8; MacWriter::BUF],
    len: usize,
}

impl MacWriter {
    const BUF: usize = 320;

    fn new(keyed: &KeyedMac) -> Self {
        MacWriter {
            mac: keyed.clone(),
            buf: [0; Self::BUF],
            len: 0,
        }
    }

    fn finalize(mut self) -> [u8; 32] {
        // Field by field, so the buffer is not moved (a 320-byte copy) on the way out.
        self.mac.update(&self.buf[..self.len]);
        self.mac.finalize().into_bytes().into()
    }
}

impl Sink for MacWriter {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > Self::BUF {
            self.mac.update(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() > Self::BUF {
                self.mac.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
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

    fn query(fields: &Fields) -> String {
        let mut out = Vec::new();
        fields.write_query(&[b'S'; 64], &mut out);
        String::from_utf8(out)
            .unwrap()
            .replace(&"S".repeat(64), "S")
    }

    const ROOM: Fields = Fields {
        ak: "a",
        expire_at: Some("7"),
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
        assert_eq!(query(&ROOM), "ak=a&expireAt=7&nonce=n&role=1&sig=S&uuid=u");
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
            query(&fields),
            "A=1&ak=a&b=2&expireAt=7&nonce=n&role=1&rolf=3&sig=S&uuid=u&zz=4"
        );
    }
}

#[cfg(test)]
mod one_pass_tests {
    use super::*;

    /// The one-pass minting path and the separate sign-then-encode path give the same token,
    /// across values that need escaping and queries too long for the stack buffer.
    #[test]
    fn one_pass_mint_equals_sign_then_encode() {
        let keyed = keyed_mac(b"secret");
        // Past the 512-byte stack buffer once escaped, well under the token limit.
        let long = "é".repeat(60);
        for value in ["plain", "a b\"c\\d\u{1}é", long.as_str()] {
            for extra in [&[][..], &[("A", value), ("zz", "1")][..]] {
                let fields = Fields {
                    ak: value,
                    expire_at: Some("1700000000000"),
                    nonce: value,
                    role: Role::Reader,
                    uuid: Some(value),
                    extra,
                };
                let mut one_pass = String::new();
                fields.mint(TokenKind::Room, &keyed, &mut one_pass).unwrap();
                let mut two_pass = String::new();
                let sig = fields.sign(&keyed);
                fields
                    .encode(TokenKind::Room, &sig, usize::MAX, &mut two_pass)
                    .unwrap();
                assert_eq!(one_pass, two_pass, "value {value:?}, extra {extra:?}");
            }
        }
    }
}
