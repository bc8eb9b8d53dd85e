//! The token classes: `DecodedToken`, what `decode` returns, and `VerifiedToken`, the subclass
//! only the verifying calls make.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyMappingProxy, PyString, PyTuple};

use crate::imports::{kind_member, role_member};

/// A well-formed token's fields, not yet trusted: what `decode` returns. Anyone can write a
/// token with any fields; only `verify` (which returns the subclass `VerifiedToken`) checks
/// the signature.
///
/// Immutable and hashable. Two tokens are equal when they carry the same fields and
/// signature (a `VerifiedToken` equals the `DecodedToken` of the same token). `repr` shows only
/// the first 8 hex digits of `sig`, so logging a token does not log a usable credential.
#[pyclass(frozen, subclass, module = "netless_token")]
pub struct DecodedToken {
    /// The library's decoded token.
    pub(crate) inner: netless_token::DecodedToken,
}

#[pymethods]
impl DecodedToken {
    /// The kind, from the token's prefix: a `TokenKind`.
    #[getter]
    fn kind<'py>(&self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        kind_member(self.inner.kind()).get(py)
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
    fn role<'py>(&self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        role_member(self.inner.role()).get(py)
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

    /// `DecodedToken(kind='room', ak='...', ..., sig='1a2b3c4d…')`, under the class's own name:
    /// every field but the signature, of which the first 8 hex digits.
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

    /// Equal to another token (decoded or verified) with the same fields and signature.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let equal = other
            .cast::<DecodedToken>()
            .ok()
            .map(|other| self.inner == other.get().inner);
        rich_eq(other.py(), equal)
    }

    /// A hash of the fields and the signature, the extra fields in any order, so that equal
    /// tokens hash alike.
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
    /// The extra fields as a new dict, in the token's order.
    fn extra_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in self.inner.extra() {
            dict.set_item(name, value)?;
        }
        Ok(dict)
    }
}

/// What `__eq__` returns: `True` or `False`, or for `None` (another type, not ours to judge)
/// `NotImplemented`, so that Python asks the other object and falls back to identity.
pub(crate) fn rich_eq(py: Python<'_>, equal: Option<bool>) -> Py<PyAny> {
    match equal {
        Some(equal) => PyBool::new(py, equal).to_owned().into_any().unbind(),
        None => py.NotImplemented(),
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
