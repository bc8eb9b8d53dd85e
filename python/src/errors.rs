//! The library's errors as the Python exception classes of `netless_token/_base.py`.
//!
//! Every exception is raised as `cls(message, field, **details)`: `message` is the library's
//! one-line `Display` ("field: reason"), which never holds a secret key.

use netless_token::{DecodeError, KeyError, MintError, VerifyError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

use crate::convert::kind_object;

/// The module that defines the exception classes and the enums.
pub(crate) const BASE: &str = "netless_token._base";

/// One cached exception class of [`BASE`].
struct Class {
    cell: PyOnceLock<Py<PyType>>,
    name: &'static str,
}

impl Class {
    const fn new(name: &'static str) -> Self {
        Class {
            cell: PyOnceLock::new(),
            name,
        }
    }

    fn get<'py>(&'static self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyType>> {
        self.cell.import(py, BASE, self.name)
    }
}

static MINT: Class = Class::new("MintError");
static DECODE: Class = Class::new("DecodeError");
static VERIFY: Class = Class::new("VerifyError");
static KEY_PAIR: Class = Class::new("KeyPairError");
static MALFORMED: Class = Class::new("MalformedTokenError");
static SIGNATURE: Class = Class::new("SignatureError");
static EXPIRED: Class = Class::new("ExpiredError");
static LIFETIME: Class = Class::new("LifetimeError");
static WRONG_KIND: Class = Class::new("WrongKindError");
static UNKNOWN_AK: Class = Class::new("UnknownAccessKeyError");

/// The Python error `class(message, field, **details)`.
fn raise(
    py: Python<'_>,
    class: &'static Class,
    message: String,
    field: &str,
    details: Option<Bound<'_, PyDict>>,
) -> PyErr {
    let made = class
        .get(py)
        .and_then(|class| class.call((message, field), details.as_ref()));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(err) => err,
    }
}

/// Which of the two operations an argument error belongs to, so that a bad argument value
/// raises the error class of the call it was given to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// Minting: `MintError`.
    Mint,
    /// Verifying: `VerifyError`.
    Verify,
}

/// A bad argument value (`field: reason`) as the operation's error class.
pub(crate) fn bad_value(py: Python<'_>, op: Op, field: &str, reason: &str) -> PyErr {
    let class = match op {
        Op::Mint => &MINT,
        Op::Verify => &VERIFY,
    };
    raise(py, class, format!("{field}: {reason}"), field, None)
}

/// An argument of the wrong type: `TypeError`, naming the argument.
pub(crate) fn bad_type(field: &str, expected: &str, found: &Bound<'_, PyAny>) -> PyErr {
    let found = found
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string());
    PyTypeError::new_err(format!("{field}: expected {expected}, not {found}"))
}

/// An unusable secret key that the library never saw (a `str` that is not valid UTF-8) as
/// `KeyPairError`, with a reason that shows nothing of the key.
pub(crate) fn bad_key(py: Python<'_>, reason: &str) -> PyErr {
    raise(py, &KEY_PAIR, format!("sk: {reason}"), "sk", None)
}

/// `KeyError` as `KeyPairError`.
pub(crate) fn key_error(py: Python<'_>, e: &KeyError) -> PyErr {
    raise(py, &KEY_PAIR, e.to_string(), e.field(), None)
}

/// `MintError` as `MintError` (`KeyPairError` for an unusable key).
pub(crate) fn mint_error(py: Python<'_>, e: &MintError) -> PyErr {
    match e {
        MintError::Key(key) => key_error(py, key),
        _ => raise(py, &MINT, e.to_string(), e.field(), None),
    }
}

/// `DecodeError` from `decode` as `DecodeError`.
pub(crate) fn decode_error(py: Python<'_>, e: &DecodeError) -> PyErr {
    raise(py, &DECODE, e.to_string(), e.field(), None)
}

/// `VerifyError` as `VerifyError` or the subclass for its case.
pub(crate) fn verify_error(py: Python<'_>, e: &VerifyError) -> PyErr {
    let message = e.to_string();
    let field = e.field();
    let details = |pairs: &[(&str, Bound<'_, PyAny>)]| -> Option<Bound<'_, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in pairs {
            dict.set_item(name, value).ok()?;
        }
        Some(dict)
    };
    let int = |ms: u64| ms.into_pyobject(py).map(|v| v.into_any());
    match e {
        VerifyError::Decode(_) => raise(py, &MALFORMED, message, field, None),
        VerifyError::UnknownAccessKey(_) => raise(py, &UNKNOWN_AK, message, field, None),
        VerifyError::SignatureMismatch => raise(py, &SIGNATURE, message, field, None),
        VerifyError::Expired {
            expire_at_ms,
            now_ms,
            leeway_ms,
        } => {
            let pairs = (|| -> PyResult<_> {
                Ok(details(&[
                    ("expire_at", int(*expire_at_ms)?),
                    ("now", int(*now_ms)?),
                    ("leeway", int(*leeway_ms)?),
                ]))
            })();
            match pairs {
                Ok(details) => raise(py, &EXPIRED, message, field, details),
                Err(err) => err,
            }
        }
        VerifyError::LivesTooLong {
            expire_at_ms,
            now_ms,
            max_lifetime_ms,
        } => {
            let pairs = (|| -> PyResult<_> {
                let expire_at = match expire_at_ms {
                    Some(ms) => int(*ms)?,
                    None => py.None().into_bound(py),
                };
                Ok(details(&[
                    ("expire_at", expire_at),
                    ("now", int(*now_ms)?),
                    ("max_lifetime", int(*max_lifetime_ms)?),
                ]))
            })();
            match pairs {
                Ok(details) => raise(py, &LIFETIME, message, field, details),
                Err(err) => err,
            }
        }
        VerifyError::WrongKind { expected, found } => {
            let pairs = (|| -> PyResult<_> {
                Ok(details(&[
                    ("expected", kind_object(py, *expected)?),
                    ("found", kind_object(py, *found)?),
                ]))
            })();
            match pairs {
                Ok(details) => raise(py, &WRONG_KIND, message, field, details),
                Err(err) => err,
            }
        }
        // The clock, and any case a later library version adds.
        _ => raise(py, &VERIFY, message, field, None),
    }
}
