//! The Python classes: `DecodedToken`, `VerifiedToken` (a subclass only `verify` makes) and
//! `KeyPair`.

use netless_token::{Issue, Role, TokenKind, TokenRequest, Validation};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBool, PyDict, PyMappingProxy, PyString, PyTuple};

use crate::convert::{self, kind_object, role_object};
use crate::errors::{self, Op};

/// A well-formed token's fields, not yet trusted: what `decode` returns. Anyone can write a
/// token with any fields; only `verify` (which returns the subclass `VerifiedToken`) checks
/// the signature.
///
/// Immutable and hashable. Two tokens are equal when they carry the same fields and
/// signature (a `VerifiedToken` equals the `DecodedToken` of the same token). `repr` shows only
/// the first 8 hex digits of `sig`, so logging a token does not log a usable credential.
#[pyclass(frozen, subclass, module = "netless_token")]
pub struct DecodedToken {
    pub(crate) inner: netless_token::DecodedToken,
}

#[pymethods]
impl DecodedToken {
    /// The kind, from the token's prefix: a `TokenKind`.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        kind_object(py, self.inner.kind())
    }

    /// The access key.
    #[getter]
    fn ak(&self) -> &str {
        self.inner.ak()
    }

    /// The nonce.
    #[getter]
    fn nonce(&self) -> &str {
        self.inner.nonce()
    }

    /// The role: a `Role`.
    #[getter]
    fn role<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        role_object(py, self.inner.role())
    }

    /// When the token expires, in ms since the Unix epoch; `None` for a token that never does.
    #[getter]
    fn expire_at(&self) -> Option<u64> {
        self.inner.expire_at()
    }

    /// The room or task UUID; `None` for an SDK token.
    #[getter]
    fn uuid(&self) -> Option<&str> {
        self.inner.uuid()
    }

    /// The signature as the token carries it: 64 lowercase hex digits.
    #[getter]
    fn sig(&self) -> String {
        self.inner.sig_hex()
    }

    /// The fields the format does not define, name to value, in the token's order: a read-only
    /// mapping (`types.MappingProxyType`). They are signed like the others.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyMappingProxy>> {
        let dict = self.extra_dict(py)?;
        Ok(PyMappingProxy::new(py, dict.as_mapping()))
    }

    /// Every signed field (`sig` left out) as `(name, value)` pairs in canonical order, each
    /// value as the token carries it (`role` as its digit, `expireAt` as decimal text).
    fn fields(&self) -> Vec<(&str, &str)> {
        self.inner.fields()
    }

    /// The JSON text the signature covers (every field but `sig`), as the generator signs it.
    fn canonical_json(&self) -> String {
        self.inner.canonical_json()
    }

    /// The token in canonical form. For a token minted by the official JavaScript generator or
    /// by this package, it is the token decoded.
    fn to_token(&self) -> String {
        self.inner.to_token()
    }

    /// A plain dict: `kind` (`"sdk"`, `"room"`, `"task"`), `ak`, `nonce`, `role` (`"admin"`,
    /// `"writer"`, `"reader"`), `expire_at` (int ms or `None`), `uuid` (str or `None`), `sig`
    /// (hex) and `extra` (a dict of str to str).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t = &self.inner;
        let dict = PyDict::new(py);
        dict.set_item("kind", t.kind().as_str())?;
        dict.set_item("ak", t.ak())?;
        dict.set_item("nonce", t.nonce())?;
        dict.set_item("role", t.role().as_word())?;
        dict.set_item("expire_at", t.expire_at())?;
        dict.set_item("uuid", t.uuid())?;
        dict.set_item("sig", t.sig_hex())?;
        dict.set_item("extra", self.extra_dict(py)?)?;
        Ok(dict)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let py = slf.py();
        let this = slf.get();
        let t = &this.inner;
        let class = slf.get_type().name()?;
        let text = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        let uuid = match t.uuid() {
            Some(uuid) => text(uuid)?,
            None => "None".to_owned(),
        };
        let expire_at = t
            .expire_at()
            .map_or_else(|| "None".to_owned(), |ms| ms.to_string());
        let mut extra = String::new();
        if t.extra().len() > 0 {
            extra.push_str(", extra=");
            extra.push_str(&this.extra_dict(py)?.repr()?.to_string());
        }
        Ok(format!(
            "{class}(kind={}, ak={}, nonce={}, role={}, expire_at={expire_at}, uuid={uuid}{extra}, \
             sig='{}…')",
            text(t.kind().as_str())?,
            text(t.ak())?,
            text(t.nonce())?,
            text(t.role().as_word())?,
            &t.sig_hex()[..8],
        ))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match other.cast::<DecodedToken>() {
            Ok(other) => PyBool::new(py, self.inner == other.get().inner)
                .to_owned()
                .into_any()
                .unbind(),
            // Not ours to judge: Python then asks `other`, and falls back to identity.
            Err(_) => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        let t = &self.inner;
        let mut extra: Vec<(&str, &str)> = t.extra().collect();
        extra.sort_unstable();
        let key = (
            t.kind().as_str(),
            t.ak(),
            t.nonce(),
            t.role().as_digit(),
            t.expire_at(),
            t.uuid(),
            PyTuple::new(py, extra)?,
            t.sig_hex(),
        );
        key.into_pyobject(py)?.hash()
    }
}

impl DecodedToken {
    fn extra_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in self.inner.extra() {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }
}

/// A token whose signature was checked with a secret key and that passed the policy of
/// `verify` (kind, expiry, lifetime). Only `verify` and `KeyPair.verify` make one, so a
/// function that must only see authentic tokens can require this class; a `DecodedToken` is
/// never one. Its fields are those of `DecodedToken`, its base class.
#[pyclass(frozen, extends = DecodedToken, module = "netless_token")]
pub struct VerifiedToken;

/// A `VerifiedToken` object for a token the library verified.
pub(crate) fn verified_object(
    py: Python<'_>,
    verified: netless_token::VerifiedToken,
) -> PyResult<Py<VerifiedToken>> {
    let base = DecodedToken {
        inner: verified.into_decoded(),
    };
    Py::new(
        py,
        PyClassInitializer::from(base).add_subclass(VerifiedToken),
    )
}

/// An access key and its secret key, ready to mint and verify many tokens: the HMAC key is
/// set up once. Immutable, so one instance can serve every thread. `repr` shows the access
/// key only.
#[pyclass(frozen, module = "netless_token")]
pub struct KeyPair {
    pub(crate) inner: netless_token::KeyPair,
}

/// The arguments of a mint, converted.
pub(crate) struct MintArgs {
    pub(crate) kind: TokenKind,
    pub(crate) role: Role,
    pub(crate) lifespan_ms: u64,
    pub(crate) uuid: Option<PyBackedStr>,
    pub(crate) issued_at_ms: Option<u64>,
    pub(crate) nonce: Option<PyBackedStr>,
    pub(crate) extra: Vec<(PyBackedStr, PyBackedStr)>,
}

impl MintArgs {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        kind: &Bound<'_, PyAny>,
        role: &Bound<'_, PyAny>,
        lifespan: &Bound<'_, PyAny>,
        uuid: Option<PyBackedStr>,
        issued_at: Option<&Bound<'_, PyAny>>,
        nonce: Option<PyBackedStr>,
        extra: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(MintArgs {
            kind: convert::kind(kind, Op::Mint)?,
            role: convert::role(role, Op::Mint)?,
            lifespan_ms: convert::duration_ms(lifespan, "lifespan", Op::Mint)?,
            uuid,
            issued_at_ms: issued_at
                .filter(|at| !at.is_none())
                .map(|at| convert::instant_ms(at, "issued_at", Op::Mint))
                .transpose()?,
            nonce,
            extra: convert::extra(extra)?,
        })
    }

    /// Mints with `pair`: the issue time and the nonce each as given, or drawn by the library
    /// (the system clock, a random UUID v4).
    pub(crate) fn mint<'py>(
        &self,
        py: Python<'py>,
        pair: &netless_token::KeyPair,
    ) -> PyResult<Bound<'py, PyString>> {
        let extra: Vec<(&str, &str)> = self
            .extra
            .iter()
            .map(|(name, value)| (&**name, &**value))
            .collect();
        let request =
            TokenRequest::new(self.kind, self.lifespan_ms, self.role, self.uuid.as_deref())
                .with_extra(&extra);
        let mut issue = Issue::new();
        if let Some(ms) = self.issued_at_ms {
            issue = issue.at(ms);
        }
        if let Some(nonce) = &self.nonce {
            issue = issue.nonce(nonce);
        }
        match pair.mint_with(&request, issue) {
            Ok(token) => Ok(PyString::new(py, &token)),
            Err(e) => Err(errors::mint_error(py, &e)),
        }
    }
}

/// The verification policy from `verify`'s keyword arguments.
pub(crate) fn validation<'py>(
    kind: Option<&Bound<'py, PyAny>>,
    leeway: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
    max_lifetime: Option<&Bound<'py, PyAny>>,
) -> PyResult<Validation> {
    let given = |obj: Option<&Bound<'py, PyAny>>| obj.filter(|obj| !obj.is_none()).cloned();
    let mut policy = Validation::new();
    if let Some(kind) = given(kind) {
        policy = policy.expect_kind(convert::kind(&kind, Op::Verify)?);
    }
    if let Some(leeway) = given(leeway) {
        policy = policy.leeway_ms(convert::duration_ms(&leeway, "leeway", Op::Verify)?);
    }
    if let Some(now) = given(now) {
        policy = policy.at(convert::instant_ms(&now, "now", Op::Verify)?);
    }
    if let Some(max) = given(max_lifetime) {
        policy = policy.max_lifetime_ms(convert::duration_ms(&max, "max_lifetime", Op::Verify)?);
    }
    Ok(policy)
}

#[pymethods]
impl KeyPair {
    /// Binds the access key `ak` to the secret key `sk` (`str` or `bytes`). An empty key
    /// raises `KeyPairError`.
    #[new]
    fn new(ak: PyBackedStr, sk: &Bound<'_, PyAny>) -> PyResult<Self> {
        let secret = convert::secret_key(sk)?;
        netless_token::KeyPair::new(&ak, &secret)
            .map(|inner| KeyPair { inner })
            .map_err(|e| errors::key_error(sk.py(), &e))
    }

    /// The access key.
    #[getter]
    fn access_key(&self) -> &str {
        self.inner.access_key()
    }

    /// Mints one token with this key pair; the arguments are those of `netless_token.mint`
    /// after `ak` and `sk`. Issued now with a random UUID v4 nonce unless `issued_at` or
    /// `nonce` is given; with both, the token is reproducible byte for byte.
    #[pyo3(signature = (kind, role, lifespan, uuid = None, *, issued_at = None, nonce = None, extra = None))]
    #[allow(clippy::too_many_arguments)]
    fn mint<'py>(
        &self,
        py: Python<'py>,
        kind: &Bound<'py, PyAny>,
        role: &Bound<'py, PyAny>,
        lifespan: &Bound<'py, PyAny>,
        uuid: Option<PyBackedStr>,
        issued_at: Option<&Bound<'py, PyAny>>,
        nonce: Option<PyBackedStr>,
        extra: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyString>> {
        MintArgs::new(kind, role, lifespan, uuid, issued_at, nonce, extra)?.mint(py, &self.inner)
    }

    /// Verifies a token minted with this key pair: its access key must be this pair's, its
    /// signature must match (compared in constant time), then the policy: `kind` (required
    /// kind), `leeway` (ms or timedelta past `expireAt` still accepted), `now` (ms or aware
    /// datetime; default the system clock), `max_lifetime` (ms or timedelta). Returns a
    /// `VerifiedToken`; raises a `VerifyError`.
    #[pyo3(
        signature = (token, *, kind = None, leeway = None, now = None, max_lifetime = None),
        text_signature = "($self, token, *, kind=None, leeway=0, now=None, max_lifetime=None)"
    )]
    fn verify(
        &self,
        py: Python<'_>,
        token: PyBackedStr,
        kind: Option<&Bound<'_, PyAny>>,
        leeway: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        max_lifetime: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<VerifiedToken>> {
        let policy = validation(kind, leeway, now, max_lifetime)?;
        let verified = self
            .inner
            .verify(&token, &policy)
            .map_err(|e| errors::verify_error(py, &e))?;
        verified_object(py, verified)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ak = PyString::new(py, self.inner.access_key()).repr()?;
        Ok(format!("KeyPair(access_key={ak}, sk=[REDACTED])"))
    }
}
