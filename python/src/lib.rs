//! `netless_token._native`: the Python bindings of the `netless-token` library, thin wrappers
//! over its public API. The package `netless_token` (in `python/python/netless_token/`) re-exports
//! these names beside its enums and exception classes; `python/python/netless_token/__init__.pyi` types them.
//!
//! - `convert`: Python arguments to the library's types (keys, kinds, roles, times);
//! - `errors`: the library's errors as the package's exception classes;
//! - `types`: the classes `DecodedToken`, `VerifiedToken` and `KeyPair`.
//!
//! No `unsafe` code of ours: `deny` rather than `forbid`, because pyo3's macros expand to
//! `unsafe` blocks marked `#[allow(unsafe_code)]`, which `forbid` would reject.

#![deny(unsafe_code)]
#![warn(missing_docs)]

use netless_token::{Role, SecretKey};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

mod convert;
mod errors;
mod types;

use errors::Op;
use types::{DecodedToken, KeyPair, MintArgs, VerifiedToken};

/// The official-generator calls: key the HMAC, mint now with a random nonce.
fn official(
    py: Python<'_>,
    access_key: &str,
    secret_access_key: &Bound<'_, PyAny>,
    lifespan: &Bound<'_, PyAny>,
    role: &Bound<'_, PyAny>,
    mint: impl FnOnce(&str, &SecretKey, u64, Role) -> Result<String, netless_token::MintError>,
) -> PyResult<String> {
    let lifespan_ms = convert::duration_ms(lifespan, "lifespan", Op::Mint)?;
    let role = convert::role(role, Op::Mint)?;
    let sk = convert::secret_key(secret_access_key)?;
    mint(access_key, &sk, lifespan_ms, role).map_err(|e| errors::mint_error(py, &e))
}

/// Mints an SDK token now, with a random UUID v4 nonce: the official Python generator's
/// `sdk_token`, with its argument names and order. `lifespan` is in ms (0: never expires) or
/// a `timedelta`; `role` is `ADMIN`, `WRITER` or `READER` (or any spelling `mint` takes).
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role))]
fn sdk_token(
    py: Python<'_>,
    access_key: PyBackedStr,
    secret_access_key: &Bound<'_, PyAny>,
    lifespan: &Bound<'_, PyAny>,
    role: &Bound<'_, PyAny>,
) -> PyResult<String> {
    official(
        py,
        &access_key,
        secret_access_key,
        lifespan,
        role,
        netless_token::sdk_token,
    )
}

/// Mints a Room token for room `uuid` now, with a random UUID v4 nonce: the official Python
/// generator's `room_token`, with its argument names and order.
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role, uuid))]
fn room_token(
    py: Python<'_>,
    access_key: PyBackedStr,
    secret_access_key: &Bound<'_, PyAny>,
    lifespan: &Bound<'_, PyAny>,
    role: &Bound<'_, PyAny>,
    uuid: PyBackedStr,
) -> PyResult<String> {
    official(
        py,
        &access_key,
        secret_access_key,
        lifespan,
        role,
        |ak, sk, lifespan, role| netless_token::room_token(ak, sk, lifespan, role, &uuid),
    )
}

/// Mints a Task token for file-conversion task `uuid` now, with a random UUID v4 nonce: the
/// official Python generator's `task_token`, with its argument names and order.
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role, uuid))]
fn task_token(
    py: Python<'_>,
    access_key: PyBackedStr,
    secret_access_key: &Bound<'_, PyAny>,
    lifespan: &Bound<'_, PyAny>,
    role: &Bound<'_, PyAny>,
    uuid: PyBackedStr,
) -> PyResult<String> {
    official(
        py,
        &access_key,
        secret_access_key,
        lifespan,
        role,
        |ak, sk, lifespan, role| netless_token::task_token(ak, sk, lifespan, role, &uuid),
    )
}

/// Mints one token: the pure core. `kind` is `"sdk"`, `"room"`, `"task"` or a `TokenKind`;
/// `role` is `"admin"`, `"writer"`, `"reader"`, `"0"`, `"1"`, `"2"`, `0`, `1`, `2` or a
/// `Role`; `lifespan` is in ms or a `timedelta` (0: never expires); `uuid` is required for
/// Room and Task tokens and refused for SDK tokens. `issued_at` (ms or an aware `datetime`)
/// defaults to now, `nonce` to a random UUID v4; `extra` is a mapping of additional `str`
/// fields, signed and carried like the others. With `issued_at` and `nonce` given, the token
/// is byte for byte what the official JavaScript generator prints.
#[pyfunction]
#[pyo3(signature = (kind, ak, sk, role, lifespan, uuid = None, *, issued_at = None, nonce = None, extra = None))]
#[allow(clippy::too_many_arguments)]
fn mint<'py>(
    py: Python<'py>,
    kind: &Bound<'py, PyAny>,
    ak: PyBackedStr,
    sk: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    uuid: Option<PyBackedStr>,
    issued_at: Option<&Bound<'py, PyAny>>,
    nonce: Option<PyBackedStr>,
    extra: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    let args = MintArgs::new(kind, role, lifespan, uuid, issued_at, nonce, extra)?;
    let sk = convert::secret_key(sk)?;
    let pair = netless_token::KeyPair::new(&ak, &sk).map_err(|e| errors::key_error(py, &e))?;
    args.mint(py, &pair)
}

/// Decodes a token without any secret and returns a `DecodedToken`: its fields, checked for
/// form but not trusted. Raises `DecodeError` naming the field or part at fault.
#[pyfunction]
fn decode(py: Python<'_>, token: PyBackedStr) -> PyResult<DecodedToken> {
    netless_token::decode(&token)
        .map(|inner| DecodedToken { inner })
        .map_err(|e| errors::decode_error(py, &e))
}

/// Verifies a token with the secret key `sk` (`str` or `bytes`): the signature (compared in
/// constant time), then the policy: `ak` (the access key it must carry; default: whichever it
/// carries), `kind` (the kind it must be), `leeway` (ms or `timedelta` past `expireAt` still
/// accepted), `now` (ms or an aware `datetime`; default the system clock) and `max_lifetime`
/// (ms or `timedelta`: refuse tokens valid for longer from now, or forever). Returns a
/// `VerifiedToken`; raises a `VerifyError` (a malformed token: `MalformedTokenError`, which is
/// also a `DecodeError`).
#[pyfunction]
// `leeway` defaults to 0 (shown so), and also takes None for 0.
#[pyo3(
    signature = (token, sk, *, ak = None, kind = None, leeway = None, now = None, max_lifetime = None),
    text_signature = "(token, sk, *, ak=None, kind=None, leeway=0, now=None, max_lifetime=None)"
)]
#[allow(clippy::too_many_arguments)]
fn verify(
    py: Python<'_>,
    token: PyBackedStr,
    sk: &Bound<'_, PyAny>,
    ak: Option<PyBackedStr>,
    kind: Option<&Bound<'_, PyAny>>,
    leeway: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
    max_lifetime: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<VerifiedToken>> {
    let policy = types::validation(kind, leeway, now, max_lifetime)?;
    let sk = convert::secret_key(sk)?;
    let verify_error = |e: &netless_token::VerifyError| errors::verify_error(py, e);
    // Without `ak`, the secret alone: the token's own access key, decoded once.
    let verified = match &ak {
        Some(ak) => netless_token::KeyPair::new(ak, &sk)
            .map_err(|e| errors::key_error(py, &e))?
            .verify(&token, &policy),
        None => sk.verify(&token, &policy),
    }
    .map_err(|e| verify_error(&e))?;
    types::verified_object(py, verified)
}

/// The extension module; `netless_token/__init__.py` re-exports its names.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sdk_token, m)?)?;
    m.add_function(wrap_pyfunction!(room_token, m)?)?;
    m.add_function(wrap_pyfunction!(task_token, m)?)?;
    m.add_function(wrap_pyfunction!(mint, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_class::<KeyPair>()?;
    m.add_class::<DecodedToken>()?;
    m.add_class::<VerifiedToken>()?;
    m.add("MAX_TOKEN_LEN", netless_token::MAX_TOKEN_LEN)?;
    m.add("MAX_EXPIRE_AT", netless_token::MAX_EXPIRE_AT)?;
    Ok(())
}
