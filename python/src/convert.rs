//! Python arguments to the library's types: secret keys, kinds, roles, lengths of time,
//! instants and extra fields. A value of the wrong type is an [`Error::Type`] naming the
//! argument; a value of the right type that is refused is an [`Error::Value`] of the call's
//! operation, naming the argument. No error repeats an argument's value.

use netless_token::{Role, SecretKey, TokenKind};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString};

use crate::error::{Error, Op};
use crate::imports::{kind_member, role_member, utc_epoch, DATETIME, TIMEDELTA};

/// Why a `str` with lone surrogates is refused.
const NOT_UTF8: &str = "must be valid UTF-8, without lone surrogates";

/// The text of a `str` argument `arg`. A `str` that UTF-8 cannot carry (one with lone
/// surrogates) is refused as a value of the call's `op`: Python's own `UnicodeEncodeError`
/// would carry the whole string (perhaps a secret in the wrong position) in its `object`
/// attribute and its repr, so it is replaced, chaining nothing.
pub(crate) fn text(
    obj: &Bound<'_, PyAny>,
    arg: &'static str,
    op: Op,
) -> Result<PyBackedStr, Error> {
    let Ok(text) = obj.cast::<PyString>() else {
        return Err(Error::wrong_type(arg, "str", obj));
    };
    PyBackedStr::try_from(text.clone()).map_err(|_| Error::Value {
        op,
        arg,
        reason: NOT_UTF8,
    })
}

/// The text of an optional `str` argument `arg`: `None` for `None`.
pub(crate) fn optional_text(
    obj: Option<&Bound<'_, PyAny>>,
    arg: &'static str,
    op: Op,
) -> Result<Option<PyBackedStr>, Error> {
    obj.filter(|obj| !obj.is_none())
        .map(|obj| text(obj, arg, op))
        .transpose()
}

/// The secret key `arg` from `str` (its UTF-8) or `bytes`/`bytearray`; an empty one is refused
/// by the library (`KeyPairError`).
pub(crate) fn secret_key(obj: &Bound<'_, PyAny>, arg: &'static str) -> Result<SecretKey, Error> {
    let bytes = if let Ok(text) = obj.cast::<PyString>() {
        // The UTF-8 straight into the key's buffer; a str that UTF-8 cannot carry is refused
        // as `text` refuses it, without Python's UnicodeEncodeError, which holds the secret.
        text.to_cow()
            .map_err(|_| Error::Value {
                op: Op::Key,
                arg,
                reason: NOT_UTF8,
            })?
            .into_owned()
            .into_bytes()
    } else if let Ok(bytes) = obj.cast::<PyBytes>() {
        bytes.as_bytes().to_vec()
    } else if let Ok(bytes) = obj.cast::<PyByteArray>() {
        bytes.to_vec()
    } else {
        return Err(Error::wrong_type(arg, "str or bytes", obj));
    };
    Ok(SecretKey::from_bytes(bytes)?)
}

/// Known objects, each with what it stands for.
type Table<T> = Vec<(Py<PyAny>, T)>;

/// The objects a caller's kinds or roles usually are, each with what it stands for: the
/// interned words and digits (what string literals and the package's constants are) and the
/// enum members, recognised by identity before any text is read.
struct Spellings<T: 'static> {
    /// The table, once built.
    table: PyOnceLock<Table<T>>,
    /// Builds the table from the library's vocabulary.
    build: fn(Python<'_>) -> PyResult<Table<T>>,
}

impl<T: Copy + Send + Sync> Spellings<T> {
    /// What `obj` stands for when it is one of the known objects; `None` otherwise, and when
    /// the table cannot be built (the slower paths then decide).
    fn find(&'static self, obj: &Bound<'_, PyAny>) -> Option<T> {
        let py = obj.py();
        self.table
            .get_or_try_init(py, || (self.build)(py))
            .ok()?
            .iter()
            .find(|(known, _)| known.bind(py).is(obj))
            .map(|&(_, value)| value)
    }
}

/// `text` as an interned Python string.
fn interned(py: Python<'_>, text: &str) -> Py<PyAny> {
    PyString::intern(py, text).into_any().unbind()
}

/// Each kind's word and `TokenKind` member.
static KINDS: Spellings<TokenKind> = Spellings {
    table: PyOnceLock::new(),
    build: |py| {
        let mut table = Vec::new();
        for kind in TokenKind::ALL {
            table.push((interned(py, kind.as_str()), kind));
            table.push((kind_member(kind).get(py)?.clone().unbind(), kind));
        }
        Ok(table)
    },
};

/// Each role's word, digit and `Role` member.
static ROLES: Spellings<Role> = Spellings {
    table: PyOnceLock::new(),
    build: |py| {
        let mut table = Vec::new();
        for role in Role::ALL {
            table.push((interned(py, role.as_word()), role));
            table.push((interned(py, role.as_digit()), role));
            table.push((role_member(role).get(py)?.clone().unbind(), role));
        }
        Ok(table)
    },
};

/// A kind from `"sdk"`, `"room"`, `"task"` (any letter case) or a `TokenKind` member.
pub(crate) fn kind(obj: &Bound<'_, PyAny>, op: Op) -> Result<TokenKind, Error> {
    if let Some(kind) = KINDS.find(obj) {
        return Ok(kind);
    }
    let Ok(text) = obj.cast::<PyString>() else {
        return Err(Error::wrong_type("kind", "str or TokenKind", obj));
    };
    text.to_cow()
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or(Error::Value {
            op,
            arg: "kind",
            reason: "must be sdk, room or task",
        })
}

/// What a `TypeError` adds when a role or a lifespan may have taken the other's place.
const SWAPPED: &str = " (role and lifespan may be swapped: mint and KeyPair.mint take the role \
                       before the lifespan, sdk_token, room_token and task_token after it)";

/// A role from `"admin"`, `"writer"`, `"reader"` (any letter case), `"0"`, `"1"`, `"2"`, or a
/// `Role` member (recognised by identity). A bare int is refused, though a `Role` is an int:
/// in `mint("sdk", ak, sk, 0, 1)` role and lifespan are likely swapped, and accepting it would
/// mint an admin token that expires in 1 ms.
pub(crate) fn role(obj: &Bound<'_, PyAny>, op: Op) -> Result<Role, Error> {
    if let Some(role) = ROLES.find(obj) {
        return Ok(role);
    }
    let Ok(text) = obj.cast::<PyString>() else {
        let error = Error::wrong_type("role", "str or Role", obj);
        let int = obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>();
        return Err(if int { error.with_hint(SWAPPED) } else { error });
    };
    text.to_cow()
        .ok()
        .and_then(|text| text.parse().ok())
        .ok_or(Error::Value {
            op,
            arg: "role",
            reason: "must be admin, writer, reader, 0, 1 or 2",
        })
}

/// A non-negative int as `u64` ms; `None` when `obj` is not an int (bools are refused).
fn int_ms(
    obj: &Bound<'_, PyAny>,
    arg: &'static str,
    op: Op,
    expected: &'static str,
) -> Result<Option<u64>, Error> {
    if obj.is_instance_of::<PyBool>() {
        return Err(Error::wrong_type(arg, expected, obj));
    }
    if !obj.is_instance_of::<PyInt>() {
        return Ok(None);
    }
    match obj.extract::<u64>() {
        Ok(ms) => Ok(Some(ms)),
        Err(_) => Err(Error::Value {
            op,
            arg,
            reason: if obj.lt(0)? {
                "must not be negative"
            } else {
                "is too large (at most 2**64 - 1 ms)"
            },
        }),
    }
}

/// The whole milliseconds of a `timedelta` (or of the difference of two `datetime`s), floored:
/// `days`, `seconds` and `microseconds`, of which only `days` may be negative.
fn delta_ms(delta: &Bound<'_, PyAny>) -> PyResult<(i128, bool)> {
    let days: i128 = delta.getattr("days")?.extract()?;
    let seconds: i128 = delta.getattr("seconds")?.extract()?;
    let micros: i128 = delta.getattr("microseconds")?.extract()?;
    let ms = days * 86_400_000 + seconds * 1000 + micros / 1000;
    Ok((ms, micros % 1000 == 0))
}

/// A length of time in ms: an int (ms) or a `datetime.timedelta` of whole milliseconds; never
/// negative. A `timedelta` with a part finer than a millisecond is refused, not rounded: a
/// lifespan rounded down to 0 would mean "never expires". A `Role`, though an int, is no
/// length of time.
pub(crate) fn duration_ms(obj: &Bound<'_, PyAny>, arg: &'static str, op: Op) -> Result<u64, Error> {
    const EXPECTED: &str = "int (ms) or datetime.timedelta";
    if !obj.is_exact_instance_of::<PyInt>() && ROLES.find(obj).is_some() {
        return Err(Error::wrong_type(arg, EXPECTED, obj));
    }
    if let Some(ms) = int_ms(obj, arg, op, EXPECTED)? {
        return Ok(ms);
    }
    if !obj.is_instance(TIMEDELTA.get(obj.py())?)? {
        return Err(Error::wrong_type(arg, EXPECTED, obj));
    }
    let bad = |reason| Error::Value { op, arg, reason };
    match delta_ms(obj)? {
        (_, false) => Err(bad("must be a whole number of milliseconds")),
        (ms, true) => u64::try_from(ms).map_err(|_| bad("must not be negative")),
    }
}

/// A lifespan in ms, as [`duration_ms`] takes it; a `TypeError` for a role (a `Role` or a
/// `str`) says that role and lifespan may be swapped: `mint(kind, ak, sk, 0, Role.READER)`
/// would otherwise mint an admin token living 2 ms.
pub(crate) fn lifespan_ms(obj: &Bound<'_, PyAny>, op: Op) -> Result<u64, Error> {
    duration_ms(obj, "lifespan", op).map_err(|error| {
        if obj.is_instance_of::<PyString>() || ROLES.find(obj).is_some() {
            error.with_hint(SWAPPED)
        } else {
            error
        }
    })
}

/// An instant in ms since the Unix epoch: an int (ms) or an aware `datetime.datetime`, taken to
/// the millisecond at or before it (as JavaScript's `Date.now()` counts). A naive `datetime` is
/// refused: its instant depends on the machine's time zone.
pub(crate) fn instant_ms(obj: &Bound<'_, PyAny>, arg: &'static str, op: Op) -> Result<u64, Error> {
    const EXPECTED: &str = "int (ms) or an aware datetime.datetime";
    if let Some(ms) = int_ms(obj, arg, op, EXPECTED)? {
        return Ok(ms);
    }
    let py = obj.py();
    if !obj.is_instance(DATETIME.get(py)?)? {
        return Err(Error::wrong_type(arg, EXPECTED, obj));
    }
    let bad = |reason| Error::Value { op, arg, reason };
    if obj.call_method0("utcoffset")?.is_none() {
        return Err(bad(
            "a naive datetime (without tzinfo) is refused: give an aware one, such as \
             datetime.now(timezone.utc)",
        ));
    }
    let (ms, _) = delta_ms(&obj.sub(utc_epoch(py)?)?)?;
    u64::try_from(ms).map_err(|_| bad("is before 1970"))
}

/// The extra fields of a mapping of `str` to `str`, in the mapping's order.
pub(crate) fn extra(obj: &Bound<'_, PyAny>) -> Result<Vec<(PyBackedStr, PyBackedStr)>, Error> {
    let Ok(items) = obj.call_method0("items") else {
        return Err(Error::wrong_type("extra", "a mapping of str to str", obj));
    };
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
        let field = |obj: &Bound<'_, PyAny>, expected| {
            if obj.is_instance_of::<PyString>() {
                text(obj, "extra", Op::Mint)
            } else {
                Err(Error::wrong_type("extra", expected, obj))
            }
        };
        out.push((
            field(&name, "str field names")?,
            field(&value, "str field values")?,
        ));
    }
    Ok(out)
}
