//! Errors: one type per operation ([`KeyError`], [`MintError`], [`DecodeError`],
//! [`VerifyError`]), so a caller matches only what that operation can report.
//!
//! Every message is one line of the form `field: reason`, where `field` is the token field
//! (`ak`, `role`, `expireAt`, …) or the part of the token (`token`, `prefix`, `payload`,
//! `query`) at fault; [`DecodeError::field`] and friends return the same name. No message ever
//! holds a secret key. Text taken from a token is shown escaped and cut to 40 characters, so a
//! hostile token cannot forge log lines through an error message.

use core::fmt;

use crate::kind::{Role, TokenKind};

/// Text from a token as it may appear in a message: escaped, one line, at most 40 characters.
pub(crate) fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = text
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// A field name from a token or a caller as it may appear in a message: bare when it is a
/// plain identifier of at most 40 characters (`ak`, `expireAt`, `room_id`), otherwise quoted
/// and escaped as by [`shown`].
pub(crate) fn field_name(name: &str) -> String {
    let plain = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if plain {
        name.to_owned()
    } else {
        shown(name)
    }
}

/// "an SDK", "a Room", "a Task": a kind as a message names it.
fn a_kind(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Sdk => "an SDK",
        TokenKind::Room => "a Room",
        TokenKind::Task => "a Task",
    }
}

/// "an admin", "a writer", "a reader": a role as a message names it.
fn a_role(role: Role) -> &'static str {
    match role {
        Role::Admin => "an admin",
        Role::Writer => "a writer",
        Role::Reader => "a reader",
    }
}

/// A key pair that cannot be used: an empty access key or secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The access key (`"ak"`) or secret key (`"sk"`) is empty.
    Empty(&'static str),
}

impl KeyError {
    /// The name of the key at fault: `ak` or `sk`.
    pub fn field(&self) -> &str {
        match self {
            KeyError::Empty(field) => field,
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty(field) => write!(f, "{field}: must not be empty"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a token could not be minted. Nothing is minted when any check fails.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MintError {
    /// The access key or secret key is unusable.
    Key(KeyError),
    /// A field that must hold text is empty: `nonce` or `uuid`.
    EmptyField(&'static str),
    /// A Room or Task token was requested without a `uuid`.
    MissingUuid(TokenKind),
    /// An SDK token was requested with a `uuid`; SDK tokens carry none.
    UnexpectedUuid,
    /// `issued_at + lifespan` is past [`crate::MAX_EXPIRE_AT`].
    ExpireAtOverflow {
        /// The issue time asked for, in ms since the Unix epoch.
        issued_at_ms: u64,
        /// The lifespan asked for, in ms.
        lifespan_ms: u64,
    },
    /// An extra field is named like a field the format defines, is empty, or repeats.
    BadExtraField {
        /// The extra field's name, escaped.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The token would be longer than [`crate::MAX_TOKEN_LEN`], so no decoder would take it.
    TooLong {
        /// The limit in bytes.
        max: usize,
    },
    /// The system clock reads before 1970, so no issue time can be taken from it.
    Clock,
    /// No randomness for a nonce: the operating system's generator (or, in a JavaScript host,
    /// `crypto.getRandomValues`) gave none. Cloudflare Workers give none while a Worker starts,
    /// outside a request.
    Randomness,
    /// The role asked for is above the role of the SDK token that asks for it (see
    /// [`Role::may_issue`](crate::Role::may_issue)).
    RoleAboveIssuer {
        /// The role of the SDK token that asks.
        issuer: Role,
        /// The role asked for.
        requested: Role,
    },
}

impl MintError {
    /// The field or part at fault, as named at the start of the message.
    pub fn field(&self) -> &str {
        match self {
            MintError::Key(e) => e.field(),
            MintError::EmptyField(field) => field,
            MintError::MissingUuid(_) | MintError::UnexpectedUuid => "uuid",
            MintError::ExpireAtOverflow { .. } => "expireAt",
            MintError::BadExtraField { name, .. } => name,
            MintError::TooLong { .. } => "token",
            MintError::Clock => "clock",
            MintError::Randomness => "nonce",
            MintError::RoleAboveIssuer { .. } => "role",
        }
    }
}

impl From<KeyError> for MintError {
    fn from(e: KeyError) -> Self {
        MintError::Key(e)
    }
}

impl fmt::Display for MintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MintError::Key(e) => e.fmt(f),
            MintError::EmptyField(field) => write!(f, "{field}: must not be empty"),
            MintError::MissingUuid(kind) => write!(f, "uuid: {} token needs a uuid", a_kind(*kind)),
            MintError::UnexpectedUuid => f.write_str("uuid: an SDK token carries no uuid"),
            MintError::ExpireAtOverflow {
                issued_at_ms,
                lifespan_ms,
            } => write!(
                f,
                "expireAt: issue time {issued_at_ms} + lifespan {lifespan_ms} ms is past {}, \
                 the largest time the official generator represents exactly",
                crate::limits::MAX_EXPIRE_AT
            ),
            MintError::BadExtraField { name, reason } => write!(f, "{name}: {reason}"),
            MintError::TooLong { max } => {
                write!(f, "token: would be longer than the limit of {max} bytes")
            }
            MintError::Clock => f.write_str("clock: the system clock reads before 1970"),
            MintError::Randomness => f.write_str(
                "nonce: no randomness was available for a nonce (the system's generator gave none)",
            ),
            MintError::RoleAboveIssuer { issuer, requested } => write!(
                f,
                "role: {} SDK token cannot issue {} token (only equal or inferior roles)",
                a_role(*issuer),
                a_role(*requested)
            ),
        }
    }
}

impl std::error::Error for MintError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MintError::Key(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a string is not a well-formed token. Decoding needs no secret; these say nothing about
/// whether the token is authentic (that is [`VerifyError`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input is longer than [`crate::MAX_TOKEN_LEN`]; refused before any other work.
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// The input does not start with `NETLESSSDK_`, `NETLESSROOM_` or `NETLESSTASK_`.
    UnknownPrefix,
    /// The input is a token in quotes, as a JSON string (the `201` body of the REST API) or a
    /// copied literal carries it: `"NETLESSSDK_..."`. Remove the quotes.
    Quoted,
    /// Nothing follows the prefix.
    EmptyPayload,
    /// The text after the prefix is not strict base64url without padding.
    Base64 {
        /// Byte offset in the whole token.
        offset: usize,
        /// What is wrong there.
        reason: &'static str,
    },
    /// The decoded payload is not UTF-8.
    NotUtf8 {
        /// Byte offset in the decoded query.
        offset: usize,
    },
    /// A `key=value` pair of the query is malformed (empty, no `=`, empty key).
    MalformedPair {
        /// The pair's position, counting from 1.
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A field's name or value is not properly percent-encoded.
    BadEncoding {
        /// The field (or, for a name that cannot be decoded, `query`).
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A field the kind requires is absent.
    MissingField(&'static str),
    /// A field appears more than once.
    DuplicateField(String),
    /// A field is named like a known field but in other letter case (`Role`, `AK`).
    CaseVariant {
        /// The name found, escaped.
        found: String,
        /// The known field it imitates.
        expected: &'static str,
    },
    /// A field that must hold text is empty: `ak`, `nonce` or `uuid`.
    EmptyField(&'static str),
    /// A field this kind must not carry: `uuid` on an SDK token.
    UnexpectedField(&'static str),
    /// `role` is not exactly `0`, `1` or `2`.
    InvalidRole(String),
    /// `expireAt` is not a canonical decimal `u64` (digits only, no sign, no leading zero).
    InvalidExpireAt(String),
    /// `sig` is not exactly 64 lowercase hex digits.
    InvalidSig {
        /// Its length in bytes.
        len: usize,
    },
}

impl DecodeError {
    /// The field or part at fault, as named at the start of the message.
    pub fn field(&self) -> &str {
        match self {
            DecodeError::TooLong { .. } => "token",
            DecodeError::UnknownPrefix | DecodeError::Quoted => "prefix",
            DecodeError::EmptyPayload
            | DecodeError::Base64 { .. }
            | DecodeError::NotUtf8 { .. } => "payload",
            DecodeError::MalformedPair { .. } => "query",
            DecodeError::BadEncoding { field, .. } | DecodeError::DuplicateField(field) => field,
            DecodeError::CaseVariant { found, .. } => found,
            DecodeError::MissingField(field)
            | DecodeError::EmptyField(field)
            | DecodeError::UnexpectedField(field) => field,
            DecodeError::InvalidRole(_) => "role",
            DecodeError::InvalidExpireAt(_) => "expireAt",
            DecodeError::InvalidSig { .. } => "sig",
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field();
        match self {
            DecodeError::TooLong { len, max } => {
                write!(f, "{field}: {len} bytes is over the limit of {max} bytes")
            }
            DecodeError::UnknownPrefix => write!(
                f,
                "{field}: a token starts with NETLESSSDK_, NETLESSROOM_ or NETLESSTASK_"
            ),
            DecodeError::Quoted => write!(
                f,
                "{field}: the token is in quotes; remove them (a token starts with NETLESSSDK_, \
                 NETLESSROOM_ or NETLESSTASK_)"
            ),
            DecodeError::EmptyPayload => write!(f, "{field}: nothing follows the prefix"),
            DecodeError::Base64 { offset, reason } => {
                write!(f, "{field}: the base64url text {reason} (byte {offset})")
            }
            DecodeError::NotUtf8 { offset } => {
                write!(f, "{field}: the decoded query is not UTF-8 (byte {offset})")
            }
            DecodeError::MalformedPair { index, reason } => {
                write!(f, "{field}: pair {index} {reason}")
            }
            DecodeError::BadEncoding { reason, .. } => write!(f, "{field}: {reason}"),
            DecodeError::MissingField(_) => write!(f, "{field}: missing"),
            DecodeError::DuplicateField(_) => write!(f, "{field}: appears more than once"),
            DecodeError::CaseVariant { expected, .. } => write!(
                f,
                "{field}: differs from the field {expected} only in letter case"
            ),
            DecodeError::EmptyField(_) => write!(f, "{field}: must not be empty"),
            DecodeError::UnexpectedField(_) => {
                write!(f, "{field}: an SDK token carries no {field}")
            }
            DecodeError::InvalidRole(value) => write!(f, "{field}: {value} is not 0, 1 or 2"),
            DecodeError::InvalidExpireAt(value) => write!(
                f,
                "{field}: {value} is not a decimal number of milliseconds (digits only, \
                 no sign, no leading zero, at most 18446744073709551615)"
            ),
            DecodeError::InvalidSig { len } => write!(
                f,
                "{field}: must be 64 lowercase hex digits, found {len} bytes that are not"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a token is not accepted: it is malformed, signed with another key, expired, or not the
/// kind expected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The token is malformed.
    Decode(DecodeError),
    /// No secret key is known for the token's access key.
    UnknownAccessKey(String),
    /// The signature does not match any secret key of the token's access key.
    SignatureMismatch,
    /// The token's `expireAt` (plus leeway) is not after `now`.
    Expired {
        /// The token's `expireAt`, ms since the Unix epoch.
        expire_at_ms: u64,
        /// The time it was checked at, ms since the Unix epoch.
        now_ms: u64,
        /// The leeway allowed, in ms.
        leeway_ms: u64,
    },
    /// The token stays valid for longer than the policy's maximum lifetime from now, or never
    /// expires (see [`Validation::max_lifetime_ms`](crate::Validation::max_lifetime_ms)).
    LivesTooLong {
        /// The token's `expireAt`; `None` for a token that never expires.
        expire_at_ms: Option<u64>,
        /// The time it was checked at, ms since the Unix epoch.
        now_ms: u64,
        /// The longest lifetime the policy allows, in ms.
        max_lifetime_ms: u64,
    },
    /// The token is of another kind than the one required.
    WrongKind {
        /// The kind required.
        expected: TokenKind,
        /// The token's kind.
        found: TokenKind,
    },
    /// The system clock reads before 1970, so expiry cannot be checked.
    Clock,
}

impl VerifyError {
    /// The field or part at fault, as named at the start of the message.
    pub fn field(&self) -> &str {
        match self {
            VerifyError::Decode(e) => e.field(),
            VerifyError::UnknownAccessKey(_) => "ak",
            VerifyError::SignatureMismatch => "sig",
            VerifyError::Expired { .. } | VerifyError::LivesTooLong { .. } => "expireAt",
            VerifyError::WrongKind { .. } => "kind",
            VerifyError::Clock => "clock",
        }
    }
}

impl From<DecodeError> for VerifyError {
    fn from(e: DecodeError) -> Self {
        VerifyError::Decode(e)
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Decode(e) => e.fmt(f),
            VerifyError::UnknownAccessKey(ak) => {
                write!(f, "ak: no secret key is known for access key {ak}")
            }
            VerifyError::SignatureMismatch => {
                f.write_str("sig: does not match (another secret key, or the token was altered)")
            }
            VerifyError::Expired {
                expire_at_ms,
                now_ms,
                leeway_ms,
            } => write!(
                f,
                "expireAt: the token expired at {expire_at_ms}; it is now {now_ms} \
                 (leeway {leeway_ms} ms)"
            ),
            VerifyError::LivesTooLong {
                expire_at_ms: Some(expire_at_ms),
                now_ms,
                max_lifetime_ms,
            } => write!(
                f,
                "expireAt: the token is valid until {expire_at_ms}, more than the allowed \
                 {max_lifetime_ms} ms after now ({now_ms})"
            ),
            VerifyError::LivesTooLong {
                expire_at_ms: None,
                max_lifetime_ms,
                ..
            } => write!(
                f,
                "expireAt: the token never expires, and at most {max_lifetime_ms} ms is allowed"
            ),
            VerifyError::WrongKind { expected, found } => write!(
                f,
                "kind: expected {} token, found {} token",
                a_kind(*expected),
                a_kind(*found)
            ),
            VerifyError::Clock => f.write_str("clock: the system clock reads before 1970"),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_text_is_escaped_and_cut() {
        assert_eq!(shown("a\nb\"c"), r#""a\nb\"c""#);
        assert_eq!(field_name("expireAt"), "expireAt");
        assert_eq!(field_name("a b"), "\"a b\"");
        assert_eq!(field_name(""), "\"\"");
        let long = "x".repeat(100);
        assert_eq!(shown(&long), format!("\"{}…\"", "x".repeat(40)));
        assert_eq!(shown(&"x".repeat(40)), format!("\"{}\"", "x".repeat(40)));
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;

    #[test]
    fn kinds_are_named_as_people_write_them() {
        let e = VerifyError::WrongKind {
            expected: TokenKind::Sdk,
            found: TokenKind::Room,
        };
        assert_eq!(
            e.to_string(),
            "kind: expected an SDK token, found a Room token"
        );
        assert_eq!(
            MintError::MissingUuid(TokenKind::Task).to_string(),
            "uuid: a Task token needs a uuid"
        );
        assert_eq!(
            MintError::UnexpectedUuid.to_string(),
            "uuid: an SDK token carries no uuid"
        );
    }
}
