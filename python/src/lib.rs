//! `netless_token._native`: the Python bindings of the `netless-token` library, thin wrappers
//! over its public API. The package `netless_token` (in `python/python/netless_token/`)
//! re-exports these names beside its enums and exception classes.
//!
//! The glue in layers, each module using only those above it in this list:
//!
//! - `imports`: the Python objects the glue uses (exception classes, enum members,
//!   `datetime` types), imported lazily; nothing of this crate;
//! - `error`: one error type for the library's errors and the binding's own, and the one
//!   conversion that raises each as its Python exception;
//! - `convert`: Python arguments to the library's types (keys, kinds, roles, times);
//! - `options`: the arguments of a mint and the verification policy, each one value;
//! - `token`: the classes `DecodedToken` and `VerifiedToken`;
//! - `finding`: the class `Finding`, what `audit` returns;
//! - `keys`: the classes `KeyPair` and `Keyring`;
//! - this file: the module's functions, and the module.
//!
//! No `unsafe` code of ours: `deny` rather than `forbid`, because pyo3's macros expand to
//! `unsafe` blocks marked `#[allow(unsafe_code)]`, which `forbid` would reject.

#![deny(unsafe_code)]
#![warn(missing_docs, clippy::missing_docs_in_private_items)]

use netless_token::{Issue, TokenKind, TokenRequest};
use pyo3::prelude::*;
use pyo3::types::PyString;

mod convert;
mod error;
mod finding;
mod imports;
mod keys;
mod options;
mod token;

use error::{Error, Op};
use finding::Finding;
use keys::{KeyPair, Keyring};
use options::{token_str, MintCall, MintKeywords};
use token::{verified_object, DecodedToken, VerifiedToken};

/// The official-generator calls: key the HMAC, then mint a token of `kind` now with a random
/// nonce.
fn official<'py>(
    kind: TokenKind,
    access_key: &Bound<'py, PyAny>,
    secret_access_key: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    uuid: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyString>, Error> {
    let access_key = convert::text(access_key, "access_key", Op::Mint)?;
    let sk = convert::secret_key(secret_access_key, "secret_access_key")?;
    let lifespan_ms = convert::lifespan_ms(lifespan, Op::Mint)?;
    let role = convert::role(role, Op::Mint)?;
    // Required for Room and Task tokens: None is a wrong type here, not "no uuid".
    let uuid = uuid
        .map(|uuid| convert::text(uuid, "uuid", Op::Mint))
        .transpose()?;
    let pair = netless_token::KeyPair::new(&access_key, &sk)?;
    let request = TokenRequest::new(kind, lifespan_ms, role, uuid.as_deref());
    token_str(lifespan.py(), |out| {
        pair.mint_with_into(&request, Issue::new(), out)
    })
}

/// Mints an SDK token now, with a random UUID v4 nonce: the official Python generator's
/// `sdk_token`, with its argument names and order. `lifespan` is in ms (0: never expires) or
/// a `timedelta`; `role` is `ADMIN`, `WRITER` or `READER` (`"0"`, `"1"`, `"2"`), or any role
/// `mint` takes; never a bare int.
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role))]
fn sdk_token<'py>(
    access_key: &Bound<'py, PyAny>,
    secret_access_key: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyString>, Error> {
    official(
        TokenKind::Sdk,
        access_key,
        secret_access_key,
        lifespan,
        role,
        None,
    )
}

/// Mints a Room token for room `uuid` now, with a random UUID v4 nonce: the official Python
/// generator's `room_token`, with its argument names and order.
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role, uuid))]
fn room_token<'py>(
    access_key: &Bound<'py, PyAny>,
    secret_access_key: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    uuid: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyString>, Error> {
    official(
        TokenKind::Room,
        access_key,
        secret_access_key,
        lifespan,
        role,
        Some(uuid),
    )
}

/// Mints a Task token for file-conversion task `uuid` now, with a random UUID v4 nonce: the
/// official Python generator's `task_token`, with its argument names and order.
#[pyfunction]
#[pyo3(signature = (access_key, secret_access_key, lifespan, role, uuid))]
fn task_token<'py>(
    access_key: &Bound<'py, PyAny>,
    secret_access_key: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    uuid: &Bound<'py, PyAny>,
) -> Result<Bound<'py, PyString>, Error> {
    official(
        TokenKind::Task,
        access_key,
        secret_access_key,
        lifespan,
        role,
        Some(uuid),
    )
}

/// Mints one token: the pure core. `kind` is `"sdk"`, `"room"`, `"task"` or a `TokenKind`;
/// `role` is `"admin"`, `"writer"`, `"reader"`, `"0"`, `"1"`, `"2"` or a `Role`, never a bare
/// int (role and lifespan swapped would mint an admin token); `lifespan` is in ms or a
/// `timedelta` (0: never expires); `uuid` is required for Room and Task tokens and refused for
/// SDK tokens. `issued_at` (ms or an aware `datetime`) defaults to now, `nonce` to a random
/// UUID v4; `extra` is a mapping of additional `str` fields, signed and carried like the
/// others. With `issued_at` and `nonce` given, the token is byte for byte what the official
/// JavaScript generator prints.
#[pyfunction]
#[pyo3(
    signature = (kind, ak, sk, role, lifespan, uuid = None, *, issued_at = None, nonce = None, extra = None),
    text_signature = "(kind, ak, sk, role, lifespan, uuid=None, *, issued_at=None, nonce=None, extra=None)"
)]
// The arguments are the Python signature's, declared so for the fast calling convention.
#[allow(clippy::too_many_arguments)]
fn mint<'py>(
    kind: &Bound<'py, PyAny>,
    ak: &Bound<'py, PyAny>,
    sk: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    lifespan: &Bound<'py, PyAny>,
    uuid: Option<&Bound<'py, PyAny>>,
    issued_at: Option<&Bound<'py, PyAny>>,
    nonce: Option<&Bound<'py, PyAny>>,
    extra: Option<&Bound<'py, PyAny>>,
) -> Result<Bound<'py, PyString>, Error> {
    let ak = convert::text(ak, "ak", Op::Mint)?;
    let sk = convert::secret_key(sk, "sk")?;
    let keywords = MintKeywords {
        issued_at,
        nonce,
        extra,
    };
    let call = MintCall::new(kind, role, lifespan, uuid, keywords)?;
    let pair = netless_token::KeyPair::new(&ak, &sk)?;
    call.mint(kind.py(), &pair)
}

/// Decodes a token without any secret and returns a `DecodedToken`: its fields, checked for
/// form but not trusted. Raises `DecodeError` naming the field or part at fault.
#[pyfunction]
fn decode(token: &Bound<'_, PyAny>) -> Result<DecodedToken, Error> {
    let inner = netless_token::decode(&convert::text(token, "token", Op::Decode)?)?;
    Ok(DecodedToken { inner })
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
fn verify<'py>(
    token: &Bound<'py, PyAny>,
    sk: &Bound<'py, PyAny>,
    ak: Option<&Bound<'py, PyAny>>,
    kind: Option<&Bound<'py, PyAny>>,
    leeway: Option<&Bound<'py, PyAny>>,
    now: Option<&Bound<'py, PyAny>>,
    max_lifetime: Option<&Bound<'py, PyAny>>,
) -> Result<Py<VerifiedToken>, Error> {
    let py = token.py();
    let token = convert::text(token, "token", Op::Verify)?;
    let sk = convert::secret_key(sk, "sk")?;
    let ak = convert::optional_text(ak, "ak", Op::Verify)?;
    let policy = options::validation(kind, leeway, now, max_lifetime)?;
    // Without `ak`, the secret alone: the token's own access key, decoded once.
    let verified = match ak {
        Some(ak) => netless_token::KeyPair::new(&ak, &sk)?.verify(&token, &policy)?,
        None => sk.verify(&token, &policy)?,
    };
    Ok(verified_object(py, verified)?)
}

/// Audits a token without its secret: returns a list of `Finding`s (most severe first; empty
/// when there is nothing to report): an SDK token that never expires, a Room or Task token
/// that never expires, a lifetime past `max_lifetime` (ms or `timedelta`; default 24 hours)
/// from `now` (ms or an aware `datetime`; default the system clock), an expired token, an
/// admin Room token, and an expiry that the nonce's issue time shows was written from local
/// time. Raises `DecodeError` for a string that is not a well-formed token.
#[pyfunction]
#[pyo3(signature = (token, *, max_lifetime = None, now = None))]
fn audit(
    token: &Bound<'_, PyAny>,
    max_lifetime: Option<&Bound<'_, PyAny>>,
    now: Option<&Bound<'_, PyAny>>,
) -> Result<Vec<Finding>, Error> {
    let token = convert::text(token, "token", Op::Decode)?;
    let policy = options::audit_policy(max_lifetime, now)?;
    let findings = netless_token::audit(&token, &policy)?;
    Ok(findings
        .into_iter()
        .map(|inner| Finding { inner })
        .collect())
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
    m.add_function(wrap_pyfunction!(audit, m)?)?;
    m.add_class::<KeyPair>()?;
    m.add_class::<Keyring>()?;
    m.add_class::<DecodedToken>()?;
    m.add_class::<VerifiedToken>()?;
    m.add_class::<Finding>()?;
    m.add("MAX_TOKEN_LEN", netless_token::MAX_TOKEN_LEN)?;
    m.add("MAX_EXPIRE_AT", netless_token::MAX_EXPIRE_AT)?;
    Ok(())
}
