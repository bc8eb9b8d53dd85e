//! The arguments of a call, converted into one value each: [`MintCall`], what `mint` and
//! `KeyPair.mint` are asked to mint (with its keyword-only [`MintOptions`]), the
//! verification policy of `verify`, `KeyPair.verify` and `Keyring.verify`, the library's own
//! [`Validation`], and the policy of `audit`, the library's [`AuditPolicy`].
//!
//! Keyword-only options reach a function as one `**kwargs` dict, read by [`Keywords::read`],
//! which refuses a keyword the function does not take with the `TypeError` Python gives. Each
//! function declares its real keywords and defaults in its `text_signature`, which
//! `inspect.signature` shows.

use netless_token::{AuditPolicy, Issue, KeyPair, Role, TokenKind, TokenRequest, Validation};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

use crate::convert;
use crate::error::{Error, Op};

/// The keyword-only options a function takes. A caller's keywords are interned strings (as
/// every identifier in Python code is), so each is first looked for by identity among the
/// interned names, and its text read only when that fails.
struct Keywords<const N: usize> {
    /// The names, in the order their values are returned.
    names: [&'static str; N],
    /// The names as interned Python strings, once made.
    interned: PyOnceLock<[Py<PyString>; N]>,
}

impl<const N: usize> Keywords<N> {
    /// The keywords `names`.
    const fn new(names: [&'static str; N]) -> Self {
        Keywords {
            names,
            interned: PyOnceLock::new(),
        }
    }

    /// The values of the keywords in `kwargs`, in the order of the names: `None` for a keyword
    /// not given or given as `None`. Any other keyword is refused, naming `function`.
    fn read<'py>(
        &'static self,
        function: &'static str,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> Result<[Option<Bound<'py, PyAny>>; N], Error> {
        let mut values = [const { None }; N];
        let Some(kwargs) = kwargs else {
            return Ok(values);
        };
        let py = kwargs.py();
        let interned = self.interned.get_or_init(py, || {
            self.names.map(|name| PyString::intern(py, name).unbind())
        });
        for (name, value) in kwargs.iter() {
            let at = match interned.iter().position(|known| known.bind(py).is(&name)) {
                Some(at) => at,
                None => {
                    let name = name.str()?.to_string_lossy().into_owned();
                    self.names
                        .iter()
                        .position(|known| *known == name)
                        .ok_or(Error::Keyword { function, name })?
                }
            };
            values[at] = Some(value).filter(|value| !value.is_none());
        }
        Ok(values)
    }
}

/// The keyword-only options of `mint` and `KeyPair.mint`.
static MINT_KEYWORDS: Keywords<3> = Keywords::new(["issued_at", "nonce", "extra"]);

/// The keyword-only options of the verification policy.
static POLICY_KEYWORDS: Keywords<4> = Keywords::new(["kind", "leeway", "now", "max_lifetime"]);

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
    /// The options of the call `function` (`issued_at`, `nonce`, `extra`) from its `**kwargs`.
    fn new(function: &'static str, kwargs: Option<&Bound<'_, PyDict>>) -> Result<Self, Error> {
        let [issued_at, nonce, extra] = MINT_KEYWORDS.read(function, kwargs)?;
        Ok(MintOptions {
            issued_at_ms: issued_at
                .map(|at| convert::instant_ms(&at, "issued_at", Op::Mint))
                .transpose()?,
            nonce: convert::optional_text(nonce.as_ref(), "nonce", Op::Mint)?,
            extra: extra
                .map(|extra| convert::extra(&extra))
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
    /// The arguments of the call `function` after its key: `kind`, `role`, `lifespan`, `uuid`
    /// and the keyword-only options in `kwargs`.
    pub(crate) fn new(
        function: &'static str,
        kind: &Bound<'_, PyAny>,
        role: &Bound<'_, PyAny>,
        lifespan: &Bound<'_, PyAny>,
        uuid: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> Result<Self, Error> {
        Ok(MintCall {
            kind: convert::kind(kind, Op::Mint)?,
            role: convert::role(role, Op::Mint)?,
            lifespan_ms: convert::lifespan_ms(lifespan, Op::Mint)?,
            uuid: convert::optional_text(uuid, "uuid", Op::Mint)?,
            options: MintOptions::new(function, kwargs)?,
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
        Ok(PyString::new(py, &pair.mint_with(&request, issue)?))
    }
}

/// The verification policy of the call `function` from its keyword-only options in `kwargs`:
/// `kind` (the kind required), `leeway` (past `expireAt`), `now` (default the system clock)
/// and `max_lifetime`.
pub(crate) fn validation(
    function: &'static str,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> Result<Validation, Error> {
    let [kind, leeway, now, max_lifetime] = POLICY_KEYWORDS.read(function, kwargs)?;
    let mut policy = Validation::new();
    if let Some(kind) = kind {
        policy = policy.expect_kind(convert::kind(&kind, Op::Verify)?);
    }
    if let Some(leeway) = leeway {
        policy = policy.leeway_ms(convert::duration_ms(&leeway, "leeway", Op::Verify)?);
    }
    if let Some(now) = now {
        policy = policy.at(convert::instant_ms(&now, "now", Op::Verify)?);
    }
    if let Some(max) = max_lifetime {
        policy = policy.max_lifetime_ms(convert::duration_ms(&max, "max_lifetime", Op::Verify)?);
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
