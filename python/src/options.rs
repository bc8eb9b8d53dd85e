//! The arguments of a call, converted into one value each: [`MintCall`], what `mint` and
//! `KeyPair.mint` are asked to mint (with its keyword-only [`MintOptions`]), the
//! verification policy of `verify`, `KeyPair.verify` and `Keyring.verify`, the library's own
//! [`Validation`], and the policy of `audit`, the library's [`AuditPolicy`].
//!
//! Keyword-only options are declared in each function's pyo3 signature, so pyo3 uses Python's
//! fast calling convention (vectorcall: no argument tuple or keyword dict is built per call;
//! a `**kwargs` parameter would force both) and refuses a keyword the function does not take
//! with the `TypeError` Python gives. A keyword not given, or given as `None`, arrives as `None`
//! and is read no further.

use std::cell::Cell;

use netless_token::{
    AuditPolicy, Issue, KeyPair, MintError, Role, TokenKind, TokenRequest, Validation,
    MAX_TOKEN_LEN,
};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

use crate::convert;
use crate::error::{Error, Op};

/// The keyword-only options of `mint` and `KeyPair.mint` as the call gives them; `None` for an
/// option not given or given as `None`.
pub(crate) struct MintKeywords<'a, 'py> {
    /// `issued_at`.
    pub(crate) issued_at: Option<&'a Bound<'py, PyAny>>,
    /// `nonce`.
    pub(crate) nonce: Option<&'a Bound<'py, PyAny>>,
    /// `extra`.
    pub(crate) extra: Option<&'a Bound<'py, PyAny>>,
}

/// The keyword-only options of `mint` and `KeyPair.mint`, converted.
pub(crate) struct MintOptions {
    /// `issued_at`, in ms since the Unix epoch; `None` for now.
    issued_at_ms: Option<u64>,
    /// `nonce`; `None` for a random UUID v4.
    nonce: Option<PyBackedStr>,
    /// `extra`: more fields, in the caller's order.
    extra: Vec<(PyBackedStr, PyBackedStr)>,
}

impl MintOptions {
    /// The options `issued_at`, `nonce` and `extra`, converted.
    fn new(keywords: MintKeywords<'_, '_>) -> Result<Self, Error> {
        Ok(MintOptions {
            issued_at_ms: keywords
                .issued_at
                .map(|at| convert::instant_ms(at, "issued_at", Op::Mint))
                .transpose()?,
            nonce: convert::optional_text(keywords.nonce, "nonce", Op::Mint)?,
            extra: keywords
                .extra
                .map(convert::extra)
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// What a call of `mint` or `KeyPair.mint` asks to mint, converted: the library's
/// [`TokenRequest`] and [`Issue`] without the borrows.
pub(crate) struct MintCall {
    /// The kind.
    kind: TokenKind,
    /// The role.
    role: Role,
    /// The lifespan in ms; 0 never expires.
    lifespan_ms: u64,
    /// The room or task UUID.
    uuid: Option<PyBackedStr>,
    /// The keyword-only options.
    options: MintOptions,
}

impl MintCall {
    /// The arguments of a call after its key: `kind`, `role`, `lifespan`, `uuid` and the
    /// keyword-only options, converted in that order (the first refused is the one raised).
    pub(crate) fn new(
        kind: &Bound<'_, PyAny>,
        role: &Bound<'_, PyAny>,
        lifespan: &Bound<'_, PyAny>,
        uuid: Option<&Bound<'_, PyAny>>,
        keywords: MintKeywords<'_, '_>,
    ) -> Result<Self, Error> {
        Ok(MintCall {
            kind: convert::kind(kind, Op::Mint)?,
            role: convert::role(role, Op::Mint)?,
            lifespan_ms: convert::lifespan_ms(lifespan, Op::Mint)?,
            uuid: convert::optional_text(uuid, "uuid", Op::Mint)?,
            options: MintOptions::new(keywords)?,
        })
    }

    /// Mints with `pair`: the issue time and the nonce each as given, or drawn by the library
    /// (the system clock, a random UUID v4).
    pub(crate) fn mint<'py>(
        &self,
        py: Python<'py>,
        pair: &KeyPair,
    ) -> Result<Bound<'py, PyString>, Error> {
        let options = &self.options;
        let extra: Vec<(&str, &str)> = options
            .extra
            .iter()
            .map(|(name, value)| (&**name, &**value))
            .collect();
        let request =
            TokenRequest::new(self.kind, self.lifespan_ms, self.role, self.uuid.as_deref())
                .with_extra(&extra);
        let mut issue = Issue::new();
        if let Some(ms) = options.issued_at_ms {
            issue = issue.at(ms);
        }
        if let Some(nonce) = &options.nonce {
            issue = issue.nonce(nonce);
        }
        token_str(py, |out| pair.mint_with_into(&request, issue, out))
    }
}

thread_local! {
    /// Each thread's buffer to mint into: Python copies the token into its own `str`, so a
    /// mint allocates nothing on the Rust side. A token is no secret key, and the next mint
    /// overwrites it.
    static TOKEN: Cell<String> = const { Cell::new(String::new()) };
}

/// The token that `mint` appends to an empty buffer, as a Python `str`. The buffer is the
/// thread's own, taken for the call and put back after; a call that finds it taken (none can:
/// nothing here calls back into Python) or gone (at thread exit) mints into a new one.
pub(crate) fn token_str<'py>(
    py: Python<'py>,
    mint: impl FnOnce(&mut String) -> Result<(), MintError>,
) -> Result<Bound<'py, PyString>, Error> {
    let mut buffer = TOKEN.try_with(Cell::take).unwrap_or_default();
    buffer.clear();
    buffer.reserve(MAX_TOKEN_LEN);
    let token = mint(&mut buffer).map(|()| PyString::new(py, &buffer));
    // At thread exit the buffer is simply dropped.
    let _ = TOKEN.try_with(|shared| shared.set(buffer));
    Ok(token?)
}

/// The verification policy from the keyword-only options of a call: `kind` (the kind
/// required), `leeway` (past `expireAt`), `now` (default the system clock) and `max_lifetime`;
/// `None` for an option not given or given as `None`.
pub(crate) fn validation(
    kind: Option<&Bound<'_, PyAny>>,
    leeway: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    max_lifetime: Option<&Bound<'_, PyAny>>,
) -> Result<Validation, Error> {
    let mut policy = Validation::new();
    if let Some(kind) = kind {
        policy = policy.expect_kind(convert::kind(kind, Op::Verify)?);
    }
    if let Some(leeway) = leeway {
        policy = policy.leeway_ms(convert::duration_ms(leeway, "leeway", Op::Verify)?);
    }
    if let Some(now) = now {
        policy = policy.at(convert::instant_ms(now, "now", Op::Verify)?);
    }
    if let Some(max) = max_lifetime {
        policy = policy.max_lifetime_ms(convert::duration_ms(max, "max_lifetime", Op::Verify)?);
    }
    Ok(policy)
}

/// The policy of `audit` from its keyword-only options: `max_lifetime` (ms or `timedelta`;
/// default 24 hours) and `now` (ms or an aware `datetime`; default the system clock). `None`
/// for either is its default.
pub(crate) fn audit_policy(
    max_lifetime: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> Result<AuditPolicy, Error> {
    let mut policy = AuditPolicy::new();
    if let Some(max) = max_lifetime.filter(|max| !max.is_none()) {
        policy = policy.max_lifetime_ms(convert::duration_ms(max, "max_lifetime", Op::Audit)?);
    }
    if let Some(now) = now.filter(|now| !now.is_none()) {
        policy = policy.at(convert::instant_ms(now, "now", Op::Audit)?);
    }
    Ok(policy)
}
