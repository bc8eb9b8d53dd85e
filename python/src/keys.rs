//! The key classes: `KeyPair`, an access key bound to its secret key, and `Keyring`, the key
//! pairs a service verifies with, several per access key while a secret rotates.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert;
use crate::error::{Error, Op};
use crate::options::{self, MintCall, MintKeywords};
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
        signature = (kind, role, lifespan, uuid = None, *, issued_at = None, nonce = None, extra = None),
        text_signature = "($self, kind, role, lifespan, uuid=None, *, issued_at=None, nonce=None, extra=None)"
    )]
    // The arguments are the Python signature's, declared so for the fast calling convention.
    #[allow(clippy::too_many_arguments)]
    fn mint<'py>(
        &self,
        kind: &Bound<'py, PyAny>,
        role: &Bound<'py, PyAny>,
        lifespan: &Bound<'py, PyAny>,
        uuid: Option<&Bound<'py, PyAny>>,
        issued_at: Option<&Bound<'py, PyAny>>,
        nonce: Option<&Bound<'py, PyAny>>,
        extra: Option<&Bound<'py, PyAny>>,
    ) -> Result<Bound<'py, PyString>, Error> {
        let keywords = MintKeywords {
            issued_at,
            nonce,
            extra,
        };
        MintCall::new(kind, role, lifespan, uuid, keywords)?.mint(kind.py(), &self.inner)
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
        token: &Bound<'_, PyAny>,
        kind: Option<&Bound<'_, PyAny>>,
        leeway: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        max_lifetime: Option<&Bound<'_, PyAny>>,
    ) -> Result<Py<VerifiedToken>, Error> {
        let py = token.py();
        let token = convert::text(token, "token", Op::Verify)?;
        let policy = options::validation(kind, leeway, now, max_lifetime)?;
        Ok(verified_object(py, self.inner.verify(&token, &policy)?)?)
    }

    /// `KeyPair(access_key='...', sk=[REDACTED])`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ak = PyString::new(py, self.inner.access_key()).repr()?;
        Ok(format!("KeyPair(access_key={ak}, sk=[REDACTED])"))
    }
}

/// The key pairs a service verifies with: several access keys, and several secrets of one
/// access key while it rotates. A token is accepted when any secret of its access key signed it.
///
/// Rotation: `insert` the new pair beside the old one and mint with `minter(ak)` (the newest);
/// tokens of both secrets verify meanwhile. Once the old tokens have expired,
/// `retire_oldest(ak)`. Safe to share between threads: `insert` and the removals take a lock
/// that verifying shares. `len()` counts access keys; `pair in keyring` asks whether a key pair
/// is held, comparing secrets in constant time. Does not pickle; `repr` shows no key.
#[pyclass(frozen, module = "netless_token")]
pub struct Keyring {
    /// The library's keyring, behind a lock: frozen, so changed through a shared reference.
    inner: RwLock<netless_token::Keyring>,
}

impl Keyring {
    /// The keyring, to read. A lock poisoned by a panic is taken as it is, not passed on as a
    /// panic across the FFI: each of the library's keyring methods is one map or list operation
    /// that leaves it whole, and none panics.
    fn read(&self) -> RwLockReadGuard<'_, netless_token::Keyring> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The keyring, to change; a poisoned lock is taken as it is, as by [`Keyring::read`].
    fn write(&self) -> RwLockWriteGuard<'_, netless_token::Keyring> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The key pair of the argument `pair`.
fn key_pair<'a, 'py>(pair: &'a Bound<'py, PyAny>) -> Result<&'a Bound<'py, KeyPair>, Error> {
    pair.cast::<KeyPair>()
        .map_err(|_| Error::wrong_type("pair", "KeyPair", pair))
}

#[pymethods]
impl Keyring {
    /// An empty keyring.
    #[new]
    fn new() -> Self {
        Keyring {
            inner: RwLock::new(netless_token::Keyring::new()),
        }
    }

    /// Adds the `KeyPair` `pair`; an access key may have several secrets, the newest last.
    fn insert(&self, pair: &Bound<'_, PyAny>) -> Result<(), Error> {
        let pair = key_pair(pair)?.get().inner.clone();
        self.write().insert(pair);
        Ok(())
    }

    /// Removes the oldest secret of the access key `ak`; returns whether there was one.
    fn retire_oldest(&self, ak: &Bound<'_, PyAny>) -> Result<bool, Error> {
        let ak = convert::text(ak, "ak", Op::Key)?;
        Ok(self.write().retire_oldest(&ak))
    }

    /// Removes every secret of the access key `ak`; returns how many there were.
    fn remove(&self, ak: &Bound<'_, PyAny>) -> Result<usize, Error> {
        let ak = convert::text(ak, "ak", Op::Key)?;
        Ok(self.write().remove(&ak))
    }

    /// The newest `KeyPair` of the access key `ak`, to mint with; `None` for an access key not
    /// held.
    fn minter(&self, ak: &Bound<'_, PyAny>) -> Result<Option<KeyPair>, Error> {
        let ak = convert::text(ak, "ak", Op::Key)?;
        let inner = self.read().minter(&ak).cloned();
        Ok(inner.map(|inner| KeyPair { inner }))
    }

    /// Verifies a token against every secret of its access key: an access key not held raises
    /// `UnknownAccessKeyError`; then the signature, compared in constant time with every secret
    /// tried; then the policy, as `KeyPair.verify` takes it. Returns a `VerifiedToken`; raises a
    /// `VerifyError`.
    #[pyo3(
        signature = (token, *, kind = None, leeway = None, now = None, max_lifetime = None),
        text_signature = "($self, token, *, kind=None, leeway=0, now=None, max_lifetime=None)"
    )]
    fn verify(
        &self,
        token: &Bound<'_, PyAny>,
        kind: Option<&Bound<'_, PyAny>>,
        leeway: Option<&Bound<'_, PyAny>>,
        now: Option<&Bound<'_, PyAny>>,
        max_lifetime: Option<&Bound<'_, PyAny>>,
    ) -> Result<Py<VerifiedToken>, Error> {
        let py = token.py();
        let token = convert::text(token, "token", Op::Verify)?;
        let policy = options::validation(kind, leeway, now, max_lifetime)?;
        let verified = self.read().verify(&token, &policy)?;
        Ok(verified_object(py, verified)?)
    }

    /// The number of access keys held.
    fn __len__(&self) -> usize {
        self.read().len()
    }

    /// Whether any key is held.
    fn __bool__(&self) -> bool {
        !self.read().is_empty()
    }

    /// Whether the `KeyPair` `pair` is held: its access key, with the same secret, compared in
    /// constant time.
    fn __contains__(&self, pair: &Bound<'_, PyAny>) -> Result<bool, Error> {
        let pair = key_pair(pair)?;
        Ok(self.read().contains(&pair.get().inner))
    }

    /// `Keyring(<n access keys>)`: no key is shown.
    fn __repr__(&self) -> String {
        let n = self.read().len();
        let plural = if n == 1 { "" } else { "s" };
        format!("Keyring(<{n} access key{plural}>)")
    }
}
