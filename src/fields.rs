//! A token's fields in their canonical order, and the two texts made from them: the JSON
//! object that is signed and the query that is carried. Minting, re-encoding and verifying all
//! go through [`Fields::write`], so the layout and the escaping exist once.

use core::cmp::Ordering;

use crate::codec::{self, Sink};
use crate::kind::Role;
use crate::order::cmp_names;

/// The names the format defines. Extra fields may not reuse them, in any letter case.
pub(crate) const KNOWN_FIELDS: [&str; 6] = ["ak", "expireAt", "nonce", "role", "sig", "uuid"];

/// A borrowed view of every signed field of a token: texts that live for `'a`, and the list of
/// extra fields, which may be a shorter-lived sorted copy, for `'x`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields<'a, 'x> {
    pub(crate) ak: &'a str,
    /// The canonical decimal text of `expireAt`.
    pub(crate) expire_at: Option<&'a str>,
    pub(crate) nonce: &'a str,
    pub(crate) role: Role,
    pub(crate) uuid: Option<&'a str>,
    /// Extra fields, sorted by [`cmp_names`]; no name is one of [`KNOWN_FIELDS`].
    pub(crate) extra: &'x [(&'a str, &'a str)],
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

/// Sorts extra fields into the canonical order (see [`crate::order`]).
pub(crate) fn sort_extra(extra: &mut [(&str, &str)]) {
    extra.sort_unstable_by(|a, b| cmp_names(a.0, b.0));
}

impl<'a> Fields<'a, '_> {
    /// Calls `f` with every field and the place of `sig`, in the canonical order: the format's
    /// names in byte order, with the extra fields merged in where [`cmp_names`] puts them.
    fn for_each(&self, mut f: impl FnMut(Item<'a>)) {
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
                if cmp_names(extra_name, name) == Ordering::Greater {
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

    /// Calls `f` with the name and value of every field, `sig` left out, in canonical order.
    pub(crate) fn each_field(&self, mut f: impl FnMut(&'a str, &'a str)) {
        self.for_each(|item| {
            if let Item::Field(field) = item {
                f(field.name, field.value);
            }
        });
    }

    /// Writes, in one pass over the fields, the canonical JSON that is signed to `json` and the
    /// query to `query`; `put_sig` writes the value of `sig` into the query. The one place that
    /// lays out both texts: pass [`codec::Discard`] for the side not wanted.
    ///
    /// The JSON: every field but `sig`, in canonical order, every value a string, no
    /// whitespace, escaped as `JSON.stringify`. The query: every field and `sig`, in the same
    /// order, `name=value` joined by `&`, both percent-encoded as `encodeURIComponent`.
    pub(crate) fn write<J: Sink, Q: Sink>(
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
        self.write(out, &mut codec::Discard, |_| {});
    }

    /// Writes the query, with `sig` (64 hex digits) as the value of `sig`.
    pub(crate) fn write_query(&self, sig: &[u8; 64], out: &mut impl Sink) {
        self.write(&mut codec::Discard, out, |query| query.put(sig));
    }
}

/// Writes `text` to the JSON and to the query: as it is when it is known to need no escaping,
/// otherwise escaped for each.
#[inline(always)]
fn put_both(json: &mut impl Sink, query: &mut impl Sink, text: &str, plain: bool) {
    if plain {
        json.put(text.as_bytes());
        query.put(text.as_bytes());
    } else {
        codec::put_json_and_uri(json, query, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(fields: &Fields<'_, '_>) -> String {
        let mut out = Vec::new();
        fields.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn query(fields: &Fields<'_, '_>) -> String {
        let mut out = Vec::new();
        fields.write_query(&[b'S'; 64], &mut out);
        String::from_utf8(out)
            .unwrap()
            .replace(&"S".repeat(64), "S")
    }

    const ROOM: Fields<'static, 'static> = Fields {
        ak: "a",
        expire_at: Some("7"),
        nonce: "n",
        role: Role::Writer,
        uuid: Some("u"),
        extra: &[],
    };

    #[test]
    fn json_and_query_follow_the_format_layout() {
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
    fn extra_fields_merge_in_canonical_order() {
        let mut extra = [
            ("zz", "4"),
            ("rolf", "3"),
            ("10", "6"),
            ("b", "2"),
            ("A", "1"),
            ("2", "5"),
            ("01", "7"),
        ];
        sort_extra(&mut extra);
        let fields = Fields {
            extra: &extra,
            ..ROOM
        };
        // Array indices first by value; "01" is not one, so it sorts as text, before "A".
        assert_eq!(
            query(&fields),
            "2=5&10=6&01=7&A=1&ak=a&b=2&expireAt=7&nonce=n&role=1&rolf=3&sig=S&uuid=u&zz=4"
        );
    }
}
