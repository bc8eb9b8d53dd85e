//! One error type for the glue, [`Error`]: the library's errors and the binding's own (an
//! argument of the wrong type, an argument value refused, a keyword a function does not take,
//! an error Python raised). Its one `From<Error> for PyErr` picks the exception class, so every
//! glue function returns `Result<_, Error>` and ends in `?`.
//!
//! A package exception is raised as `cls(message, field, **details)`: `message` is one line,
//! `"field: reason"` (the library's `Display`), and never holds a secret key. No message repeats
//! an argument's value, so a secret passed in the wrong position is never echoed.

use netless_token::{DecodeError, KeyError, MintError, VerifyError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::imports::{
    kind_member, LazyPyImport, DECODE_ERROR, EXPIRED_ERROR, KEY_PAIR_ERROR, LIFETIME_ERROR,
    MALFORMED_TOKEN_ERROR, MINT_ERROR, SIGNATURE_ERROR, TOKEN_ERROR, UNKNOWN_ACCESS_KEY_ERROR,
    VERIFY_ERROR, WRONG_KIND_ERROR,
};

/// The operation an argument belongs to, which picks the exception class of a refused value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// Building a key pair: `KeyPairError`.
    Key,
    /// Minting: `MintError`.
    Mint,
    /// Decoding: `DecodeError`.
    Decode,
    /// Verifying: `VerifyError`.
    Verify,
    /// Auditing: `TokenError` (a token that does not decode is a `DecodeError`).
    Audit,
}

impl Op {
    /// The exception class of a refused argument value.
    fn class(self) -> &'static LazyPyImport {
        match self {
            Op::Key => &KEY_PAIR_ERROR,
            Op::Mint => &MINT_ERROR,
            Op::Decode => &DECODE_ERROR,
            Op::Verify => &VERIFY_ERROR,
            Op::Audit => &TOKEN_ERROR,
        }
    }
}

/// Every way a glue function fails.
#[derive(Debug)]
pub(crate) enum Error {
    /// The library refused a key: `KeyPairError`.
    Key(KeyError),
    /// The library refused to mint: `MintError` (`KeyPairError` for a key).
    Mint(MintError),
    /// The library could not decode a token: `DecodeError`.
    Decode(DecodeError),
    /// The library did not accept a token: `VerifyError` or the subclass for its case.
    Verify(VerifyError),
    /// An argument of the wrong type: `TypeError`, naming the argument and its type.
    Type {
        /// The argument, as the function's signature spells it.
        arg: &'static str,
        /// The types it takes.
        expected: &'static str,
        /// The name of the type it was given.
        found: String,
        /// More to say, such as a likely mistake; empty for nothing.
        hint: &'static str,
    },
    /// An argument of the right type whose value is refused: the class of the call's `op`.
    Value {
        /// The operation, which picks the class.
        op: Op,
        /// The argument, which is also the exception's `field`.
        arg: &'static str,
        /// Why, in a few words that do not repeat the value.
        reason: &'static str,
    },
    /// An error Python raised, passed on as it is.
    Python(PyErr),
}

impl Error {
    /// `arg` is not one of the `expected` types: the message names `obj`'s type, never its value.
    pub(crate) fn wrong_type(
        arg: &'static str,
        expected: &'static str,
        obj: &Bound<'_, PyAny>,
    ) -> Self {
        let found = obj
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |name| name.to_string());
        Error::Type {
            arg,
            expected,
            found,
            hint: "",
        }
    }

    /// This error with `hint` after a `TypeError`'s message; other errors are left as they are.
    pub(crate) fn with_hint(self, new_hint: &'static str) -> Self {
        match self {
            Error::Type {
                arg,
                expected,
                found,
                ..
            } => Error::Type {
                arg,
                expected,
                found,
                hint: new_hint,
            },
            other => other,
        }
    }

    /// The Python exception; an error while making it (an exception class that cannot be
    /// imported, say) is raised instead.
    fn exception(self, py: Python<'_>) -> PyResult<PyErr> {
        let (class, message, field) = match self {
            Error::Python(err) => return Ok(err),
            Error::Type {
                arg,
                expected,
                found,
                hint,
            } => {
                return Ok(PyTypeError::new_err(format!(
                    "{arg}: expected {expected}, not {found}{hint}"
                )))
            }
            Error::Value { op, arg, reason } => (op.class(), format!("{arg}: {reason}"), arg),
            Error::Key(e) | Error::Mint(MintError::Key(e)) => {
                return raise(py, &KEY_PAIR_ERROR, &e.to_string(), e.field(), None)
            }
            Error::Mint(e) => return raise(py, &MINT_ERROR, &e.to_string(), e.field(), None),
            Error::Decode(e) => return raise(py, &DECODE_ERROR, &e.to_string(), e.field(), None),
            Error::Verify(e) => return verify_exception(py, &e),
        };
        raise(py, class, &message, field, None)
    }
}

/// The exception `class(message, field, **details)`.
fn raise(
    py: Python<'_>,
    class: &'static LazyPyImport,
    message: &str,
    field: &str,
    details: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyErr> {
    let exception = class.get(py)?.call((message, field), details)?;
    Ok(PyErr::from_value(exception))
}

/// A `VerifyError` as the subclass for its case, with the details a caller branches on.
fn verify_exception(py: Python<'_>, e: &VerifyError) -> PyResult<PyErr> {
    let details = PyDict::new(py);
    let class = match e {
        VerifyError::Decode(_) => &MALFORMED_TOKEN_ERROR,
        VerifyError::UnknownAccessKey(_) => &UNKNOWN_ACCESS_KEY_ERROR,
        VerifyError::SignatureMismatch => &SIGNATURE_ERROR,
        VerifyError::Expired {
            expire_at_ms,
            now_ms,
            leeway_ms,
        } => {
            details.set_item("expire_at", expire_at_ms)?;
            details.set_item("now", now_ms)?;
            details.set_item("leeway", leeway_ms)?;
            &EXPIRED_ERROR
        }
        VerifyError::LivesTooLong {
            expire_at_ms,
            now_ms,
            max_lifetime_ms,
        } => {
            details.set_item("expire_at", expire_at_ms)?;
            details.set_item("now", now_ms)?;
            details.set_item("max_lifetime", max_lifetime_ms)?;
            &LIFETIME_ERROR
        }
        VerifyError::WrongKind { expected, found } => {
            details.set_item("expected", kind_member(*expected).get(py)?)?;
            details.set_item("found", kind_member(*found).get(py)?)?;
            &WRONG_KIND_ERROR
        }
        // The clock, and any case a later library version adds.
        _ => &VERIFY_ERROR,
    };
    raise(py, class, &e.to_string(), e.field(), Some(&details))
}

impl From<Error> for PyErr {
    fn from(error: Error) -> PyErr {
        Python::attach(|py| error.exception(py).unwrap_or_else(|err| err))
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error::Python(err)
    }
}

impl From<KeyError> for Error {
    fn from(e: KeyError) -> Self {
        Error::Key(e)
    }
}

impl From<MintError> for Error {
    fn from(e: MintError) -> Self {
        Error::Mint(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<VerifyError> for Error {
    fn from(e: VerifyError) -> Self {
        Error::Verify(e)
    }
}
