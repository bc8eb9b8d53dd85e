//! Minting: what a token asks for ([`TokenRequest`]), the pure core ([`mint`]) and the
//! convenience calls that mirror the official API ([`sdk_token`], [`room_token`],
//! [`task_token`]).

use crate::error::{field_name, MintError};
use crate::fields::{Fields, KNOWN_FIELDS};
use crate::keypair::KeyPair;
use crate::kind::{Role, TokenKind};
use crate::secret::SecretKey;
use crate::wire;
use crate::{MAX_EXPIRE_AT, MAX_TOKEN_LEN};

/// What a token grants: its kind, role, lifespan, the room or task UUID, and any extra fields.
/// The key, issue time and nonce are given when minting.
///
/// ```
/// use netless_token::{Role, TokenRequest};
/// let request = TokenRequest::room(Role::Writer, 3_600_000, "a7e0a4d0c1a011eabc5b5d4c8e0aca69");
/// assert_eq!(request.lifespan_ms(), 3_600_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenRequest<'a> {
    kind: TokenKind,
    role: Role,
    lifespan_ms: u64,
    uuid: Option<&'a str>,
    extra: &'a [(&'a str, &'a str)],
}

impl<'a> TokenRequest<'a> {
    /// A request of any kind. Minting checks that Room and Task tokens have a `uuid` and SDK
    /// tokens have none. `lifespan_ms` 0 means the token never expires.
    pub const fn new(kind: TokenKind, role: Role, lifespan_ms: u64, uuid: Option<&'a str>) -> Self {
        TokenRequest {
            kind,
            role,
            lifespan_ms,
            uuid,
            extra: &[],
        }
    }

    /// An SDK token request.
    pub const fn sdk(role: Role, lifespan_ms: u64) -> Self {
        Self::new(TokenKind::Sdk, role, lifespan_ms, None)
    }

    /// A Room token request for the room `uuid`.
    pub const fn room(role: Role, lifespan_ms: u64, uuid: &'a str) -> Self {
        Self::new(TokenKind::Room, role, lifespan_ms, Some(uuid))
    }

    /// A Task token request for the file-conversion task `uuid`.
    pub const fn task(role: Role, lifespan_ms: u64, uuid: &'a str) -> Self {
        Self::new(TokenKind::Task, role, lifespan_ms, Some(uuid))
    }

    /// Adds extra `(name, value)` fields, signed and carried like the others (the official
    /// generator is an open map). A name may not be empty, repeat, or be a field the format
    /// defines in any letter case.
    pub const fn with_extra(mut self, extra: &'a [(&'a str, &'a str)]) -> Self {
        self.extra = extra;
        self
    }

    /// The kind of token asked for.
    pub const fn kind(&self) -> TokenKind {
        self.kind
    }

    /// The role asked for.
    pub const fn role(&self) -> Role {
        self.role
    }

    /// The lifespan in ms; 0 means never expires.
    pub const fn lifespan_ms(&self) -> u64 {
        self.lifespan_ms
    }

    /// The room or task UUID, if any.
    pub const fn uuid(&self) -> Option<&'a str> {
        self.uuid
    }

    /// The extra fields, as given.
    pub const fn extra(&self) -> &'a [(&'a str, &'a str)] {
        self.extra
    }

    /// Checks the request against an issue time and nonce, and calls `f` with the fields to
    /// sign. Every refusal happens here, before any hashing.
    pub(crate) fn with_fields<T>(
        &self,
        ak: &str,
        issued_at_ms: u64,
        nonce: &str,
        f: impl FnOnce(&Fields<'_>) -> Result<T, MintError>,
    ) -> Result<T, MintError> {
        if nonce.is_empty() {
            return Err(MintError::EmptyField("nonce"));
        }
        match (self.kind.needs_uuid(), self.uuid) {
            (true, None) => return Err(MintError::MissingUuid(self.kind)),
            (true, Some("")) => return Err(MintError::EmptyField("uuid")),
            (false, Some(_)) => return Err(MintError::UnexpectedUuid),
            _ => {}
        }
        let expire_at = match self.lifespan_ms {
            0 => None,
            lifespan_ms => Some(
                issued_at_ms
                    .checked_add(lifespan_ms)
                    .filter(|&at| at <= MAX_EXPIRE_AT)
                    .ok_or(MintError::ExpireAtOverflow {
                        issued_at_ms,
                        lifespan_ms,
                    })?,
            ),
        };
        let (digits, start) = wire::decimal(expire_at.unwrap_or(0));
        // ASCII digits, so always UTF-8.
        let expire_at_text = core::str::from_utf8(&digits[start..]).unwrap_or_default();
        let expire_at = expire_at.map(|_| expire_at_text);
        // The query is at least as long as the raw text, so this refuses early, before
        // hashing, what could never fit.
        let raw_len = ak.len()
            + nonce.len()
            + self.uuid.map_or(0, str::len)
            + self
                .extra
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum::<usize>();
        if raw_len > MAX_TOKEN_LEN {
            return Err(MintError::TooLong { max: MAX_TOKEN_LEN });
        }
        let sorted;
        let extra: &[(&str, &str)] = if self.extra.is_empty() {
            &[]
        } else {
            sorted = sorted_extra(self.extra)?;
            &sorted
        };
        f(&Fields {
            ak,
            expire_at,
            nonce,
            role: self.role,
            uuid: self.uuid,
            extra,
        })
    }
}

/// The extra fields sorted by name, after checking every name.
fn sorted_extra<'a>(extra: &[(&'a str, &'a str)]) -> Result<Vec<(&'a str, &'a str)>, MintError> {
    let bad = |name: &str, reason| MintError::BadExtraField {
        name: field_name(name),
        reason,
    };
    let mut sorted = extra.to_vec();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    for (name, _) in &sorted {
        if name.is_empty() {
            return Err(bad(name, "an extra field needs a name"));
        }
        if KNOWN_FIELDS.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            return Err(bad(
                name,
                "an extra field may not reuse a name the format defines, in any letter case",
            ));
        }
    }
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(bad(pair[0].0, "an extra field may appear only once"));
    }
    Ok(sorted)
}

/// Mints one token: the pure core. The same inputs always give the same token, byte for byte
/// what the official JavaScript generator prints for them. `issued_at_ms` is the issue time in
/// ms since the Unix epoch; `expireAt = issued_at_ms + lifespan`.
///
/// For many tokens with one key, build a [`KeyPair`] once: it keys the HMAC once.
///
/// ```
/// use netless_token::{mint, Role, SecretKey, TokenRequest};
/// let sk = SecretKey::new("CxxxxxxxauY3")?;
/// let token = mint(
///     "BUxxxxxxrc",
///     &sk,
///     &TokenRequest::sdk(Role::Admin, 0),
///     1_700_000_000_000,
///     "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
/// )?;
/// assert!(token.starts_with("NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3Yjg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn mint(
    ak: &str,
    sk: &SecretKey,
    request: &TokenRequest<'_>,
    issued_at_ms: u64,
    nonce: &str,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint(request, issued_at_ms, nonce)
}

/// Mints an SDK token now, with a fresh random UUID v4 nonce, like the official `sdkToken`.
pub fn sdk_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::sdk(role, lifespan_ms))
}

/// Mints a Room token for room `uuid` now, with a fresh random nonce, like the official
/// `roomToken`.
pub fn room_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
    uuid: &str,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::room(role, lifespan_ms, uuid))
}

/// Mints a Task token for task `uuid` now, with a fresh random nonce, like the official
/// `taskToken`.
pub fn task_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
    uuid: &str,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::task(role, lifespan_ms, uuid))
}

/// A fresh nonce: a random UUID v4 (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lowercase), as the
/// official Go and Java generators use and as [`KeyPair::mint_now`] puts in every token.
pub fn random_nonce() -> String {
    String::from_utf8_lossy(&uuid_v4()).into_owned()
}

/// A random UUID v4 in its 36-character text form, from the thread's CSPRNG.
pub(crate) fn uuid_v4() -> [u8; 36] {
    let mut bytes: [u8; 16] = rand::random();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    wire::uuid_text(&bytes)
}

/// The system clock in ms since the Unix epoch, as minting "now" and verifying without a fixed
/// time read it; `None` before 1970.
pub fn unix_time_ms() -> Option<u64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_has_the_v4_layout() {
        for _ in 0..100 {
            let text = uuid_v4();
            let text = core::str::from_utf8(&text).unwrap();
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{text}"
            );
            assert!(groups[2].starts_with('4'), "{text}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{text}"
            );
            assert!(text
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        assert_ne!(uuid_v4(), uuid_v4());
    }

    #[test]
    fn extra_field_names_are_checked() {
        for (extra, field) in [
            (&[("", "x")][..], "\"\""),
            (&[("Role", "0")][..], "Role"),
            (&[("SIG", "0")][..], "SIG"),
            (&[("b", "1"), ("a", "2"), ("b", "3")][..], "b"),
        ] {
            let err = sorted_extra(extra).unwrap_err();
            assert!(matches!(err, MintError::BadExtraField { .. }), "{err:?}");
            assert_eq!(err.field(), field);
            assert!(err.to_string().starts_with(field), "{err}");
        }
        assert_eq!(
            sorted_extra(&[("z", "1"), ("a", "2")]).unwrap(),
            [("a", "2"), ("z", "1")]
        );
    }
}
