//! Decoding a token without its secret: [`decode`] and the [`DecodedToken`] it returns. A
//! decoded token is not trusted; only verification (`verify.rs`) makes a `VerifiedToken`.

use core::fmt;

use crate::codec::{base64, decimal, hex, percent};
use crate::error::{field_name, shown, DecodeError};
use crate::fields::{sort_extra, Fields, KNOWN_FIELDS};
use crate::kind::{Role, TokenKind};
use crate::limits::MAX_TOKEN_LEN;
use crate::token;

/// Where one name or value sits in [`DecodedToken`]'s text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// A well-formed token's fields, not yet trusted. Decoding checks the form, not the signature:
/// anyone can write a token with any fields. To trust one, verify it with
/// [`KeyPair::verify`](crate::KeyPair::verify) or [`Keyring::verify`](crate::Keyring::verify),
/// which return a [`VerifiedToken`](crate::VerifiedToken); a function that needs a trusted token
/// takes that type, and no `DecodedToken` can become one without the secret.
///
/// All names and values live in the decoded payload, each percent-decoded where it stands, so
/// decoding allocates once (twice when the token has extra fields). `Debug` shows only the
/// first 8 hex digits of `sig`, so that logging a decoded token does not log a usable
/// credential.
#[derive(Clone)]
pub struct DecodedToken {
    kind: TokenKind,
    role: Role,
    expire_at: Option<(u64, Span)>,
    sig: [u8; 32],
    text: String,
    ak: Span,
    nonce: Span,
    uuid: Option<Span>,
    extra: Vec<(Span, Span)>,
}

impl DecodedToken {
    /// The token's kind, from its prefix.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The access key.
    pub fn ak(&self) -> &str {
        self.get(self.ak)
    }

    /// The nonce.
    pub fn nonce(&self) -> &str {
        self.get(self.nonce)
    }

    /// The role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// When the token expires, in ms since the Unix epoch; `None` for a token that never does.
    pub fn expire_at(&self) -> Option<u64> {
        self.expire_at.map(|(ms, _)| ms)
    }

    /// The room or task UUID; `None` for an SDK token.
    pub fn uuid(&self) -> Option<&str> {
        self.uuid.map(|span| self.get(span))
    }

    /// The signature's 32 bytes.
    pub fn sig(&self) -> &[u8; 32] {
        &self.sig
    }

    /// The signature as the token carries it: 64 lowercase hex digits.
    pub fn sig_hex(&self) -> String {
        String::from_utf8_lossy(&hex::hex_lower(&self.sig)).into_owned()
    }

    /// The fields the format does not define, as `(name, value)`, in the order the token has
    /// them. They are signed like the others.
    pub fn extra(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extra
            .iter()
            .map(|&(name, value)| (self.get(name), self.get(value)))
    }

    /// Every signed field (`sig` left out) as `(name, value)` in canonical order, each value
    /// as the token carries it: `role` as its digit, `expireAt` as decimal text.
    ///
    /// ```
    /// use netless_token::{decode, KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// let request = TokenRequest::sdk(1_000, Role::Writer).with_extra(&[("b", "x"), ("10", "y")]);
    /// let token = pair.mint(&request, 5_000, "n")?;
    /// let decoded = decode(&token)?;
    /// assert_eq!(
    ///     decoded.fields(),
    ///     [("10", "y"), ("ak", "ak"), ("b", "x"), ("expireAt", "6000"), ("nonce", "n"), ("role", "1")]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fields(&self) -> Vec<(&str, &str)> {
        let mut all = Vec::with_capacity(5 + self.extra.len());
        let extra = self.sorted_extra();
        self.fields_with(&extra)
            .each_field(|name, value| all.push((name, value)));
        all
    }

    /// The token in canonical form: fields in canonical order, escaped as
    /// `encodeURIComponent`. For a token minted by the official JavaScript generator or this
    /// crate, it is the token decoded.
    pub fn to_token(&self) -> String {
        let mut out = String::new();
        self.with_fields(|fields| {
            token::encode(fields, self.kind, &self.sig, usize::MAX, &mut out)
        });
        out
    }

    /// The canonical JSON the signature covers (every field but `sig`): what to compare when
    /// another generator's token does not verify.
    pub fn canonical_json(&self) -> String {
        let mut out = Vec::new();
        self.with_fields(|fields| fields.write_json(&mut out));
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Calls `f` with the signed fields in canonical order.
    pub(crate) fn with_fields<T>(&self, f: impl FnOnce(&Fields<'_, '_>) -> T) -> T {
        f(&self.fields_with(&self.sorted_extra()))
    }

    /// The extra fields in canonical order; allocates only when there are any.
    fn sorted_extra(&self) -> Vec<(&str, &str)> {
        if self.extra.is_empty() {
            return Vec::new();
        }
        let mut extra: Vec<(&str, &str)> = self.extra().collect();
        sort_extra(&mut extra);
        extra
    }

    /// The signed fields, with `extra` (sorted) as the extra fields.
    fn fields_with<'s, 'x>(&'s self, extra: &'x [(&'s str, &'s str)]) -> Fields<'s, 'x> {
        Fields {
            ak: self.ak(),
            expire_at: self.expire_at.map(|(_, text)| self.get(text)),
            nonce: self.nonce(),
            role: self.role,
            uuid: self.uuid(),
            extra,
        }
    }

    fn get(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }
}

/// Two decoded tokens are equal when they carry the same fields and signature, whatever the
/// order of their extra fields (which the signature does not see either).
impl PartialEq for DecodedToken {
    fn eq(&self, other: &Self) -> bool {
        fn sorted_extra(token: &DecodedToken) -> Vec<(&str, &str)> {
            let mut extra: Vec<(&str, &str)> = token.extra().collect();
            extra.sort_unstable();
            extra
        }
        self.kind == other.kind
            && self.role == other.role
            && self.expire_at() == other.expire_at()
            && self.sig == other.sig
            && self.ak() == other.ak()
            && self.nonce() == other.nonce()
            && self.uuid() == other.uuid()
            && self.extra.len() == other.extra.len()
            && (self.extra().eq(other.extra()) || sorted_extra(self) == sorted_extra(other))
    }
}

impl Eq for DecodedToken {}

impl fmt::Debug for DecodedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sig = hex::hex_lower(&self.sig);
        f.debug_struct("DecodedToken")
            .field("kind", &self.kind)
            .field("ak", &self.ak())
            .field("nonce", &self.nonce())
            .field("role", &self.role)
            .field("expire_at", &self.expire_at())
            .field("uuid", &self.uuid())
            .field("extra", &self.extra().collect::<Vec<_>>())
            .field(
                "sig",
                &format_args!("{}…", String::from_utf8_lossy(&sig[..8])),
            )
            .finish()
    }
}

/// The spans of the fields found so far, while parsing.
#[derive(Default)]
struct Found {
    ak: Option<Span>,
    nonce: Option<Span>,
    role: Option<Span>,
    expire_at: Option<Span>,
    sig: Option<Span>,
    uuid: Option<Span>,
    extra: Vec<(Span, Span)>,
}

impl Found {
    /// Records `name`'s value; refuses a repeat and a known name in other letter case.
    fn record(&mut self, name: &[u8], name_span: Span, value: Span) -> Result<(), DecodeError> {
        let slot = match name {
            b"ak" => &mut self.ak,
            b"nonce" => &mut self.nonce,
            b"role" => &mut self.role,
            b"expireAt" => &mut self.expire_at,
            b"sig" => &mut self.sig,
            b"uuid" => &mut self.uuid,
            _ => {
                let known = KNOWN_FIELDS
                    .iter()
                    .find(|k| k.as_bytes().eq_ignore_ascii_case(name));
                if let Some(known) = known {
                    return Err(DecodeError::CaseVariant {
                        found: field_name(&String::from_utf8_lossy(name)),
                        expected: known,
                    });
                }
                self.extra.push((name_span, value));
                return Ok(());
            }
        };
        if slot.replace(value).is_some() {
            return Err(DecodeError::DuplicateField(field_name(
                &String::from_utf8_lossy(name),
            )));
        }
        Ok(())
    }
}

/// Decodes a token without any secret. Accepts fields in any order, `+` for a space and escaped
/// unreserved characters such as `%21` (tokens from the Python and Ruby generators), and keeps
/// unknown fields. So one content has several token texts: key replay caches and revocation
/// lists on the decoded fields, not on the string ([`DecodedToken::to_token`] gives the
/// canonical text). Variants no generator writes are refused: lowercase hex in an escape,
/// padding, non-canonical numbers, duplicate and case-variant names.
///
/// Refused, naming the field or part at fault: input longer than [`MAX_TOKEN_LEN`] (before any
/// other work), an unknown prefix (a token in quotes is told as such), base64 that is not strict base64url without padding, a query
/// that is not UTF-8, a malformed `name=value` pair, bad percent-encoding, a missing, empty,
/// duplicate or case-variant field, a `uuid` on an SDK token, a role other than `0`/`1`/`2`,
/// an `expireAt` that is not a canonical decimal `u64`, and a `sig` that is not 64 lowercase hex
/// digits.
///
/// ```
/// use netless_token::{decode, Role, TokenKind};
/// let token = "NETLESSSDK_YWs9MzRsNzBoQ2dINFkxZ1BCYWpqbU5Ick9qM3FGeDFMWE5GY3R0Jm5vbmNlPTE1OTA3Mz\
///     kyOTgwOTUwMCZyb2xlPTAmc2lnPTY0NGY5ODQwMDMzZDA1MjcxNWE2NDc0MWQyMTExNzFhMGY0NWQ2YzZhZjZlZT\
///     c2YTA4YjNkNjFmZDc1NTJkMDM";
/// let decoded = decode(token)?; // no secret needed; nothing is verified
/// assert_eq!(decoded.kind(), TokenKind::Sdk);
/// assert_eq!(decoded.ak(), "34l70hCgH4Y1gPBajjmNHrOj3qFx1LXNFctt");
/// assert_eq!(decoded.role(), Role::Admin);
/// assert_eq!(decoded.expire_at(), None);
/// assert_eq!(decoded.to_token(), token);
/// # Ok::<(), netless_token::DecodeError>(())
/// ```
pub fn decode(token: &str) -> Result<DecodedToken, DecodeError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(DecodeError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    let Some((kind, payload)) = TokenKind::split_prefix(token) else {
        return Err(if is_quoted(token) {
            DecodeError::Quoted
        } else {
            DecodeError::UnknownPrefix
        });
    };
    if payload.is_empty() {
        return Err(DecodeError::EmptyPayload);
    }
    let mut buf = base64::decode_base64(payload).map_err(|e| DecodeError::Base64 {
        offset: kind.prefix().len() + e.offset,
        reason: e.reason,
    })?;

    // Each name and value is percent-decoded where it stands: decoding never lengthens, so it
    // ends inside its own span, and what it leaves behind is ASCII from the encoded form.
    let mut found = Found::default();
    let len = buf.len();
    let plain = percent::query_is_plain(&buf);
    let mut start = 0;
    for index in 1.. {
        let malformed = |reason| DecodeError::MalformedPair { index, reason };
        let (name_end, eq) = percent::decode_component(&mut buf, start, plain).map_err(|e| {
            component_error(
                &buf,
                e,
                || "query".to_owned(),
                &format!("name of pair {index}"),
            )
        })?;
        if eq == start {
            return Err(malformed(if eq < len && buf[eq] == b'=' {
                "has an empty name"
            } else {
                "is empty (two '&' in a row, or one at an end)"
            }));
        }
        if eq == len || buf[eq] != b'=' {
            return Err(malformed("has no '='"));
        }
        let name = Span {
            start,
            end: name_end,
        };
        let (value_end, end) = percent::decode_component(&mut buf, eq + 1, plain).map_err(|e| {
            let name = String::from_utf8_lossy(&buf[name.start..name.end]);
            component_error(&buf, e, || field_name(&name), "value")
        })?;
        if end < len && buf[end] == b'=' {
            let name = String::from_utf8_lossy(&buf[name.start..name.end]);
            let e = percent::PercentError::Raw {
                byte: b'=',
                at: end,
            };
            return Err(component_error(&buf, e, || field_name(&name), "value"));
        }
        let value = Span {
            start: eq + 1,
            end: value_end,
        };
        found.record(&buf[name.start..name.end], name, value)?;
        if end == len {
            break;
        }
        start = end + 1;
    }
    // Decoded text is checked UTF-8 and the rest is ASCII, so this does not fail.
    let text = String::from_utf8(buf).map_err(|e| DecodeError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })?;
    finish(kind, text, found)
}

/// Whether `text` is a token inside a pair of double or single quotes.
fn is_quoted(text: &str) -> bool {
    ['"', '\''].into_iter().any(|quote| {
        text.strip_prefix(quote)
            .and_then(|inner| inner.strip_suffix(quote))
            .and_then(TokenKind::split_prefix)
            .is_some()
    })
}

/// The error for a name or value that cannot be percent-decoded. A raw byte that begins no
/// UTF-8 character means the payload itself is not UTF-8, and is reported as such.
fn component_error(
    buf: &[u8],
    e: percent::PercentError,
    field: impl FnOnce() -> String,
    part: &str,
) -> DecodeError {
    if let percent::PercentError::Raw { at, .. } = e {
        if let Err(bad) = core::str::from_utf8(&buf[at..]) {
            if bad.valid_up_to() == 0 {
                return DecodeError::NotUtf8 { offset: at };
            }
        }
    }
    DecodeError::BadEncoding {
        field: field(),
        reason: format!("the {part} {}", e.reason()),
    }
}

/// Checks the fields found and builds the token.
fn finish(kind: TokenKind, text: String, found: Found) -> Result<DecodedToken, DecodeError> {
    let get = |span: Span| {
        text.as_bytes()
            .get(span.start..span.end)
            .unwrap_or_default()
    };
    let shown_at = |span: Span| shown(&String::from_utf8_lossy(get(span)));
    let non_empty = |span: Option<Span>, field: &'static str| {
        let span = span.ok_or(DecodeError::MissingField(field))?;
        if span.start == span.end {
            return Err(DecodeError::EmptyField(field));
        }
        Ok(span)
    };
    let ak = non_empty(found.ak, "ak")?;
    let nonce = non_empty(found.nonce, "nonce")?;
    let role = found.role.ok_or(DecodeError::MissingField("role"))?;
    let role = core::str::from_utf8(get(role))
        .ok()
        .and_then(Role::from_digit)
        .ok_or_else(|| DecodeError::InvalidRole(shown_at(role)))?;
    let expire_at = match found.expire_at {
        None => None,
        Some(span) => Some((
            decimal::parse_decimal(get(span))
                .ok_or_else(|| DecodeError::InvalidExpireAt(shown_at(span)))?,
            span,
        )),
    };
    let sig = found.sig.ok_or(DecodeError::MissingField("sig"))?;
    let sig = hex::parse_sig(get(sig)).ok_or(DecodeError::InvalidSig {
        len: sig.end - sig.start,
    })?;
    let uuid = if kind.needs_uuid() {
        Some(non_empty(found.uuid, "uuid")?)
    } else if found.uuid.is_some() {
        return Err(DecodeError::UnexpectedField("uuid"));
    } else {
        None
    };
    if found.extra.len() > 1 {
        let mut names: Vec<&[u8]> = found.extra.iter().map(|&(name, _)| get(name)).collect();
        names.sort_unstable();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(DecodeError::DuplicateField(field_name(
                &String::from_utf8_lossy(pair[0]),
            )));
        }
    }
    Ok(DecodedToken {
        kind,
        role,
        expire_at,
        sig,
        text,
        ak,
        nonce,
        uuid,
        extra: found.extra,
    })
}
