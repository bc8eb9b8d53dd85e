//! The arguments of a call, converted into one value each: [`MintCall`], what `mint` and
//! `KeyPair.mint` are asked to mint (with its keyword-only [`MintOptions`]), and the
//! verification policy of `verify`, `KeyPair.verify` and `Keyring.verify`, the library's own
//! [`Validation`].
//!
//! Keyword-only options reach a function as one `**kwargs` dict, read by [`keywords`], which
//! refuses a keyword the function does not take with the `TypeError` Python gives. Each function
//! declares its real keywords and defaults in its `text_signature`, which `inspect.signature`
//! shows.

use netless_token::{Issue, KeyPair, Role, TokenKind, TokenRequest, Validation};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyString};

use crate::convert;
use crate::error::{Error, Op};

/// The values of the keywords `names` in `kwargs`, in the order of `names`: `None` for a
/// keyword not given or given as `None`. Any other keyword is refused, naming `function`.
fn keywords<'py, const N: usize>(
    function: &'static str,
    names: [&'static str; N],
    kwargs: Option<&Bound<'py, PyDict>>,
) -> Result<[Option<Bound<'py, PyAny>>; N], Error> {
    let mut values = [const { None }; N];
    for (name, value) in kwargs.into_iter().flat_map(|kwargs| kwargs.iter()) {
        // Python passes only str keywords.
        let name = name
            .cast::<PyString>()
            .map_err(PyErr::from)?
            .to_string_lossy();
        let Some(at) = names.iter().position(|known| *known == name) else {
            return Err(Error::Keyword {
                function,
                name: name.into_owned(),
            });
        };
        values[at] = Some(value).filter(|value| !value.is_none());
    }
    Ok(values)
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
    /// The options of the call `function` (`issued_at`, `nonce`, `extra`) from its `**kwargs`.
    fn new(function: &'static str, kwargs: Option<&Bound<'_, PyDict>>) -> Result<Self, Error> {
        let [issued_at, nonce, extra] =
            keywords(function, ["issued_at", "nonce", "extra"], kwargs)?;
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
    let [kind, leeway, now, max_lifetime] =
        keywords(function, ["kind", "leeway", "now", "max_lifetime"], kwargs)?;
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
