//! Minting: what a token asks for ([`TokenRequest`]), when and with which nonce it is issued
//! ([`Issue`]), minting with a [`KeyPair`], the calls shaped like the official generators
//! ([`sdk_token`], [`room_token`], [`task_token`]), and which role may have which issued
//! ([`Role::may_issue`]).

use crate::codec::{self, decimal, Sink};
use crate::error::{field_name, MintError};
use crate::fields::{sort_extra, Fields, KNOWN_FIELDS};
use crate::key::KeyPair;
use crate::kind::{Role, TokenKind};
use crate::limits::{MAX_EXPIRE_AT, MAX_TOKEN_LEN};
use crate::secret::SecretKey;
use crate::token::{self, QUERY_BUF};
use crate::{clock, nonce};

/// What a token grants: its kind, role, lifespan, the room or task UUID, and any extra fields.
/// The key, issue time and nonce are given when minting.
///
/// ```
/// use netless_token::{Role, TokenRequest};
/// let request = TokenRequest::room(3_600_000, Role::Writer, "a7e0a4d0c1a011eabc5b5d4c8e0aca69");
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
    pub const fn new(kind: TokenKind, lifespan_ms: u64, role: Role, uuid: Option<&'a str>) -> Self {
        TokenRequest {
            kind,
            role,
            lifespan_ms,
            uuid,
            extra: &[],
        }
    }

    /// An SDK token request.
    pub const fn sdk(lifespan_ms: u64, role: Role) -> Self {
        Self::new(TokenKind::Sdk, lifespan_ms, role, None)
    }

    /// A Room token request for the room `uuid`.
    pub const fn room(lifespan_ms: u64, role: Role, uuid: &'a str) -> Self {
        Self::new(TokenKind::Room, lifespan_ms, role, Some(uuid))
    }

    /// A Task token request for the file-conversion task `uuid`.
    pub const fn task(lifespan_ms: u64, role: Role, uuid: &'a str) -> Self {
        Self::new(TokenKind::Task, lifespan_ms, role, Some(uuid))
    }

    /// Adds extra `(name, value)` fields, signed and carried like the others (the official
    /// generator is an open map), in the reference generator's order (see `docs/format.md`).
    /// A name may not be empty, repeat, or be a field the format defines in any letter case.
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
        f: impl FnOnce(&Fields<'_, '_>) -> Result<T, MintError>,
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
        let (digits, start) = decimal::decimal(expire_at.unwrap_or(0));
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

/// When a token is issued and with which nonce: each part fixed by the caller, or drawn when
/// minting (the system clock; a fresh random UUID v4 from the operating system's generator).
/// [`KeyPair::mint_with`] takes one; [`KeyPair::mint_now`] is `Issue::new()`, and
/// [`KeyPair::mint`] fixes both.
///
/// ```
/// use netless_token::{decode, Issue, KeyPair, Role, SecretKey, TokenRequest};
///
/// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
/// let request = TokenRequest::sdk(60_000, Role::Reader);
/// // A fixed issue time, a fresh random nonce.
/// let token = pair.mint_with(&request, Issue::new().at(1_700_000_000_000))?;
/// assert_eq!(decode(&token)?.expire_at(), Some(1_700_000_060_000));
/// // Now, with a fixed nonce.
/// let token = pair.mint_with(&request, Issue::new().nonce("n-1"))?;
/// assert_eq!(decode(&token)?.nonce(), "n-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Issue<'a> {
    issued_at_ms: Option<u64>,
    nonce: Option<&'a str>,
}

impl<'a> Issue<'a> {
    /// Nothing fixed: issued now, with a fresh random UUID v4 nonce.
    pub const fn new() -> Self {
        Issue {
            issued_at_ms: None,
            nonce: None,
        }
    }

    /// Issued at `issued_at_ms` (ms since the Unix epoch) instead of now.
    pub const fn at(mut self, issued_at_ms: u64) -> Self {
        self.issued_at_ms = Some(issued_at_ms);
        self
    }

    /// With `nonce` instead of a random one.
    pub const fn nonce(mut self, nonce: &'a str) -> Self {
        self.nonce = Some(nonce);
        self
    }
}

/// The extra fields in canonical order, after checking every name.
fn sorted_extra<'a>(extra: &[(&'a str, &'a str)]) -> Result<Vec<(&'a str, &'a str)>, MintError> {
    let bad = |name: &str, reason| MintError::BadExtraField {
        name: field_name(name),
        reason,
    };
    let mut sorted = extra.to_vec();
    sort_extra(&mut sorted);
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
        if *name == "__proto__" {
            // The reference generator copies fields with `target[key] = value`, and assigning
            // `__proto__` runs JavaScript's prototype setter instead: the field vanishes from
            // its token, so no exact token can carry it.
            return Err(bad(
                name,
                "JavaScript drops a field of this name, so the official generator cannot sign it",
            ));
        }
    }
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(bad(pair[0].0, "an extra field may appear only once"));
    }
    Ok(sorted)
}

impl KeyPair {
    /// Mints one token with a fixed issue time (ms since the Unix epoch) and nonce: the pure
    /// core. The same inputs always give the same token, byte for byte what the official
    /// JavaScript generator prints for them; `expireAt = issued_at_ms + lifespan`.
    ///
    /// ```
    /// use netless_token::{KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("BUxxxxxxrc", &SecretKey::new("CxxxxxxxauY3")?)?;
    /// let token = pair.mint(
    ///     &TokenRequest::sdk(0, Role::Admin),
    ///     1_700_000_000_000,
    ///     "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    /// )?;
    /// assert!(token.starts_with("NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3Yjg"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mint(
        &self,
        request: &TokenRequest<'_>,
        issued_at_ms: u64,
        nonce: &str,
    ) -> Result<String, MintError> {
        let mut out = String::new();
        self.mint_into(request, issued_at_ms, nonce, &mut out)?;
        Ok(out)
    }

    /// [`KeyPair::mint`] that appends the token to `out`: with enough capacity in `out`,
    /// nothing is allocated. On error `out` is left as it was.
    ///
    /// ```
    /// use netless_token::{KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// let mut line = String::from("token=");
    /// pair.mint_into(&TokenRequest::sdk(0, Role::Reader), 0, "n", &mut line)?;
    /// assert!(line.starts_with("token=NETLESSSDK_"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mint_into(
        &self,
        request: &TokenRequest<'_>,
        issued_at_ms: u64,
        nonce: &str,
        out: &mut String,
    ) -> Result<(), MintError> {
        request.with_fields(self.access_key(), issued_at_ms, nonce, |fields| {
            mint_fields(self, request.kind(), fields, out)
                .ok_or(MintError::TooLong { max: MAX_TOKEN_LEN })
        })
    }

    /// Mints one token issued now (the system clock) with a fresh random UUID v4 nonce: what
    /// an app server does per request.
    ///
    /// ```
    /// use netless_token::{decode, KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// let token = pair.mint_now(&TokenRequest::room(3_600_000, Role::Writer, "room-uuid"))?;
    /// assert_eq!(decode(&token)?.nonce().len(), 36);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mint_now(&self, request: &TokenRequest<'_>) -> Result<String, MintError> {
        self.mint_with(request, Issue::new())
    }

    /// Mints one token with the issue time and the nonce each fixed by `issue` or drawn now:
    /// the system clock, and a fresh random UUID v4 from the operating system's generator.
    /// With both fixed it is [`KeyPair::mint`]; with neither, [`KeyPair::mint_now`].
    ///
    /// ```
    /// use netless_token::{decode, Issue, KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// let request = TokenRequest::room(0, Role::Writer, "room-1");
    /// let token = pair.mint_with(&request, Issue::new().at(5_000))?;
    /// assert_eq!(decode(&token)?.nonce().len(), 36);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mint_with(
        &self,
        request: &TokenRequest<'_>,
        issue: Issue<'_>,
    ) -> Result<String, MintError> {
        let mut out = String::new();
        self.mint_with_into(request, issue, &mut out)?;
        Ok(out)
    }

    /// [`KeyPair::mint_with`] that appends the token to `out`: with enough capacity in `out`,
    /// nothing is allocated. On error `out` is left as it was.
    ///
    /// ```
    /// use netless_token::{Issue, KeyPair, Role, SecretKey, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// let mut out = String::with_capacity(netless_token::MAX_TOKEN_LEN);
    /// pair.mint_with_into(&TokenRequest::sdk(60_000, Role::Reader), Issue::new(), &mut out)?;
    /// assert!(out.starts_with("NETLESSSDK_"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mint_with_into(
        &self,
        request: &TokenRequest<'_>,
        issue: Issue<'_>,
        out: &mut String,
    ) -> Result<(), MintError> {
        let issued_at_ms = match issue.issued_at_ms {
            Some(ms) => ms,
            None => clock::unix_time_ms().ok_or(MintError::Clock)?,
        };
        let random;
        let nonce = match issue.nonce {
            Some(nonce) => nonce,
            None => {
                random = nonce::uuid_v4().ok_or(MintError::Randomness)?;
                // Hex digits and dashes, so always UTF-8.
                core::str::from_utf8(&random).unwrap_or_default()
            }
        };
        self.mint_into(request, issued_at_ms, nonce, out)
    }
}

impl Role {
    /// Whether the holder of an SDK token of this role may have a Room or Task token of `role`
    /// issued: the service allows an equal or inferior role, so admin issues all three, writer
    /// issues writer and reader, and reader issues only reader. The error names `role` and
    /// says which role asked for which.
    ///
    /// ```
    /// use netless_token::Role;
    /// assert!(Role::Writer.may_issue(Role::Reader).is_ok());
    /// let refused = Role::Writer.may_issue(Role::Admin).unwrap_err();
    /// assert_eq!(
    ///     refused.to_string(),
    ///     "role: a writer SDK token cannot issue an admin token (only equal or inferior roles)"
    /// );
    /// ```
    pub fn may_issue(self, role: Role) -> Result<(), MintError> {
        // Declared from most to least power, so a smaller discriminant is more power.
        if self as u8 <= role as u8 {
            Ok(())
        } else {
            Err(MintError::RoleAboveIssuer {
                issuer: self,
                requested: role,
            })
        }
    }
}

/// Signs `fields` and appends the token to `out`. The JSON and the query are written in one
/// pass over the fields (the query with a hole where the signature goes), each value scanned
/// once. `None`, with `out` untouched, when the token would be longer than [`MAX_TOKEN_LEN`].
fn mint_fields(
    pair: &KeyPair,
    kind: TokenKind,
    fields: &Fields<'_, '_>,
    out: &mut String,
) -> Option<()> {
    let mut signer = pair.signer();
    let mut query = codec::StackBuf::<QUERY_BUF>::new();
    let mut sig_at = 0;
    fields.write(&mut signer, &mut query, |query| {
        // A hole, filled once the JSON is hashed.
        sig_at = query.len();
        query.put(&[0; 64]);
    });
    let sig = signer.finalize();
    query.patch(sig_at, &codec::hex::hex_lower(&sig));
    match query.bytes() {
        Some(query) => token::push_token(kind, query, MAX_TOKEN_LEN, out),
        None => token::encode(fields, kind, &sig, MAX_TOKEN_LEN, out),
    }
}

/// Mints an SDK token now, with a fresh random UUID v4 nonce, like the official `sdkToken`.
///
/// To mint many tokens, build a [`KeyPair`] once and call [`KeyPair::mint_now`]: it keys the
/// HMAC once instead of per call.
///
/// ```
/// use netless_token::{decode, sdk_token, Role, SecretKey, TokenKind};
///
/// let sk = SecretKey::new("my-sk")?;
/// let token = sdk_token("my-ak", &sk, 3_600_000, Role::Admin)?;
/// assert_eq!(decode(&token)?.kind(), TokenKind::Sdk);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sdk_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::sdk(lifespan_ms, role))
}

/// Mints a Room token for room `uuid` now, with a fresh random nonce, like the official
/// `roomToken`.
///
/// ```
/// use netless_token::{decode, room_token, Role, SecretKey};
///
/// let sk = SecretKey::new("my-sk")?;
/// let token = room_token("my-ak", &sk, 600_000, Role::Writer, "a7e0a4d0c1a011eabc5b5d4c8e0aca69")?;
/// assert_eq!(decode(&token)?.uuid(), Some("a7e0a4d0c1a011eabc5b5d4c8e0aca69"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn room_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
    uuid: &str,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::room(lifespan_ms, role, uuid))
}

/// Mints a Task token for file-conversion task `uuid` now, with a fresh random nonce, like
/// the official `taskToken`.
///
/// ```
/// use netless_token::{decode, task_token, Role, SecretKey, TokenKind};
///
/// let sk = SecretKey::new("my-sk")?;
/// let token = task_token("my-ak", &sk, 600_000, Role::Reader, "00d4e015df4c488480c3f8a24d053eb1")?;
/// assert_eq!(decode(&token)?.kind(), TokenKind::Task);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn task_token(
    ak: &str,
    sk: &SecretKey,
    lifespan_ms: u64,
    role: Role,
    uuid: &str,
) -> Result<String, MintError> {
    KeyPair::new(ak, sk)?.mint_now(&TokenRequest::task(lifespan_ms, role, uuid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_field_names_are_checked() {
        for (extra, field) in [
            (&[("", "x")][..], "\"\""),
            (&[("Role", "0")][..], "Role"),
            (&[("SIG", "0")][..], "SIG"),
            (&[("__proto__", "x")][..], "__proto__"),
            (&[("b", "1"), ("a", "2"), ("b", "3")][..], "b"),
        ] {
            let err = sorted_extra(extra).unwrap_err();
            assert!(matches!(err, MintError::BadExtraField { .. }), "{err:?}");
            assert_eq!(err.field(), field);
            assert!(err.to_string().starts_with(field), "{err}");
        }
        assert_eq!(
            sorted_extra(&[("z", "1"), ("a", "2"), ("10", "3"), ("9", "4")]).unwrap(),
            [("9", "4"), ("10", "3"), ("a", "2"), ("z", "1")]
        );
    }

    /// The one-pass minting path and the separate sign-then-encode path give the same token,
    /// across values that need escaping and queries too long for the stack buffer.
    #[test]
    fn one_pass_mint_equals_sign_then_encode() {
        let pair = KeyPair::new("ak", &SecretKey::new("secret").unwrap()).unwrap();
        // Past the 512-byte stack buffer once escaped, well under the token limit.
        let long = "é".repeat(60);
        for value in ["plain", "a b\"c\\d\u{1}é", long.as_str()] {
            for extra in [&[][..], &[("A", value), ("zz", "1"), ("7", "x")][..]] {
                let mut extra = extra.to_vec();
                sort_extra(&mut extra);
                let fields = Fields {
                    ak: value,
                    expire_at: Some("1700000000000"),
                    nonce: value,
                    role: Role::Reader,
                    uuid: Some(value),
                    extra: &extra,
                };
                let mut one_pass = String::new();
                mint_fields(&pair, TokenKind::Room, &fields, &mut one_pass).unwrap();
                let mut two_pass = String::new();
                let sig = pair.sign(&fields);
                token::encode(&fields, TokenKind::Room, &sig, usize::MAX, &mut two_pass).unwrap();
                assert_eq!(one_pass, two_pass, "value {value:?}, extra {extra:?}");
            }
        }
    }
}
