//! The key classes: `KeyPair`, an access key bound to its secret key.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert;
use crate::error::{Error, Op};
use crate::options::{self, MintCall};
use crate::token::{verified_object, VerifiedToken};

/// An access key and its secret key, ready to mint and verify many tokens: the HMAC key is
/// set up once. Immutable, so one instance can serve every thread. `repr` shows the access
/// key only.
#[pyclass(frozen, module = "netless_token")]
pub struct KeyPair {
    /// The library's key pair.
    pub(crate) inner: netless_token::KeyPair,
}

#[pymethods]
impl KeyPair {
    /// Binds the access key `ak` to the secret key `sk` (`str` or `bytes`). An empty key
    /// raises `KeyPairError`.
    #[new]
    fn new(ak: &Bound<'_, PyAny>, sk: &Bound<'_, PyAny>) -> Result<Self, Error> {
        let ak = convert::text(ak, "ak", Op::Key)?;
        let inner = netless_token::KeyPair::new(&ak, &convert::secret_key(sk, "sk")?)?;
        Ok(KeyPair { inner })
    }

    /// The access key.
    #[getter]
    fn access_key(&self) -> &str {
        self.inner.access_key()
    }

    /// Mints one token with this key pair; the arguments are those of `netless_token.mint`
    /// after `ak` and `sk`. Issued now with a random UUID v4 nonce unless `issued_at` or
    /// `nonce` is given; with both, the token is reproducible byte for byte.
    #[pyo3(
        signature = (kind, role, lifespan, uuid = None, **options),
        text_signature = "($self, kind, role, lifespan, uuid=None, *, issued_at=None, nonce=None, extra=None)"
    )]
    fn mint<'py>(
        &self,
        kind: &Bound<'py, PyAny>,
        role: &Bound<'py, PyAny>,
        lifespan: &Bound<'py, PyAny>,
        uuid: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> Result<Bound<'py, PyString>, Error> {
        MintCall::new("KeyPair.mint", kind, role, lifespan, uuid, options)?
            .mint(kind.py(), &self.inner)
    }

    /// Verifies a token minted with this key pair: its access key must be this pair's, its
    /// signature must match (compared in constant time), then the policy: `kind` (required
    /// kind), `leeway` (ms or timedelta past `expireAt` still accepted), `now` (ms or aware
    /// datetime; default the system clock), `max_lifetime` (ms or timedelta). Returns a
    /// `VerifiedToken`; raises a `VerifyError`.
    #[pyo3(
        signature = (token, **policy),
        text_signature = "($self, token, *, kind=None, leeway=0, now=None, max_lifetime=None)"
    )]
    fn verify(
        &self,
        py: Python<'_>,
        token: &Bound<'_, PyAny>,
        policy: Option<&Bound<'_, PyDict>>,
    ) -> Result<Py<VerifiedToken>, Error> {
        let token = convert::text(token, "token", Op::Verify)?;
        let policy = options::validation("KeyPair.verify", policy)?;
        Ok(verified_object(py, self.inner.verify(&token, &policy)?)?)
    }

    /// `KeyPair(access_key='...', sk=[REDACTED])`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ak = PyString::new(py, self.inner.access_key()).repr()?;
        Ok(format!("KeyPair(access_key={ak}, sk=[REDACTED])"))
    }
}
