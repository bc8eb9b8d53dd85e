//! Python arguments to the library's types: secret keys, kinds, roles, durations, instants and
//! extra fields. A value of the wrong type raises `TypeError`; a value of the right type that
//! is out of range raises the operation's error (`MintError` or `VerifyError`) naming the
//! argument. No message repeats an argument's value, so a secret passed in the wrong position
//! is never echoed.

use netless_token::{Role, SecretKey, TokenKind};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString, PyType};

use crate::errors::{bad_key, bad_type, bad_value, key_error, Op};

/// A secret key from `str` (its UTF-8) or `bytes`/`bytearray`; an empty one raises
/// `KeyPairError`.
pub(crate) fn secret_key(obj: &Bound<'_, PyAny>) -> PyResult<SecretKey> {
    let py = obj.py();
    let bytes = if let Ok(text) = obj.cast::<PyString>() {
        // Python's own UnicodeEncodeError would carry the whole string (the secret) in its
        // `object` attribute and its repr: replace it, chaining nothing.
        text.to_cow()
            .map_err(|_| {
                bad_key(
                    py,
                    "a str secret must be valid UTF-8, without lone surrogates",
                )
            })?
            .into_owned()
            .into_bytes()
    } else if let Ok(bytes) = obj.cast::<PyBytes>() {
        bytes.as_bytes().to_vec()
    } else if let Ok(bytes) = obj.cast::<PyByteArray>() {
        bytes.to_vec()
    } else {
        return Err(bad_type("sk", "str or bytes", obj));
    };
    SecretKey::from_bytes(bytes).map_err(|e| key_error(py, &e))
}

/// Interned strings (and enum members) and what they stand for: the spellings a caller's
/// literals and constants usually are, recognised by identity before any text is read.
struct Known<T: 'static, const N: usize> {
    cell: PyOnceLock<Vec<(Py<PyAny>, T)>>,
    texts: [(&'static str, T); N],
    members: (&'static str, [(&'static str, T); 3]),
}

impl<T: Copy + PartialEq + Send + Sync, const N: usize> Known<T, N> {
    /// The table, built once: the `N` interned texts, then the enum's three members.
    fn table(&'static self, py: Python<'_>) -> PyResult<&'static [(Py<PyAny>, T)]> {
        let table = self.cell.get_or_try_init(py, || -> PyResult<_> {
            let mut table: Vec<(Py<PyAny>, T)> = self
                .texts
                .iter()
                .map(|&(text, value)| (PyString::intern(py, text).into_any().unbind(), value))
                .collect();
            let class = py.import(crate::errors::BASE)?.getattr(self.members.0)?;
            for (name, value) in self.members.1 {
                table.push((class.getattr(name)?.unbind(), value));
            }
            Ok(table)
        })?;
        Ok(table)
    }

    /// What `obj` stands for when it is one of the known objects.
    fn find(&'static self, obj: &Bound<'_, PyAny>) -> Option<T> {
        let py = obj.py();
        self.table(py)
            .ok()?
            .iter()
            .find(|(known, _)| known.bind(py).is(obj))
            .map(|&(_, value)| value)
    }

    /// The enum member that stands for `value`.
    fn member<'py>(&'static self, py: Python<'py>, value: T) -> PyResult<Bound<'py, PyAny>> {
        self.table(py)?[N..]
            .iter()
            .find(|&&(_, v)| v == value)
            .map(|(member, _)| member.bind(py).clone())
            .ok_or_else(|| PyTypeError::new_err(format!("{}: no member", self.members.0)))
    }
}

/// The `TokenKind` member of `kind`.
pub(crate) fn kind_object(py: Python<'_>, kind: TokenKind) -> PyResult<Bound<'_, PyAny>> {
    KINDS.member(py, kind)
}

/// The `Role` member of `role`.
pub(crate) fn role_object(py: Python<'_>, role: Role) -> PyResult<Bound<'_, PyAny>> {
    ROLES.member(py, role)
}

static KINDS: Known<TokenKind, 3> = Known {
    cell: PyOnceLock::new(),
    texts: [
        ("sdk", TokenKind::Sdk),
        ("room", TokenKind::Room),
        ("task", TokenKind::Task),
    ],
    members: (
        "TokenKind",
        [
            ("SDK", TokenKind::Sdk),
            ("ROOM", TokenKind::Room),
            ("TASK", TokenKind::Task),
        ],
    ),
};

static ROLES: Known<Role, 6> = Known {
    cell: PyOnceLock::new(),
    texts: [
        ("0", Role::Admin),
        ("1", Role::Writer),
        ("2", Role::Reader),
        ("admin", Role::Admin),
        ("writer", Role::Writer),
        ("reader", Role::Reader),
    ],
    members: (
        "Role",
        [
            ("ADMIN", Role::Admin),
            ("WRITER", Role::Writer),
            ("READER", Role::Reader),
        ],
    ),
};

/// A kind from `"sdk"`, `"room"`, `"task"` (any letter case) or a `TokenKind` member.
pub(crate) fn kind(obj: &Bound<'_, PyAny>, op: Op) -> PyResult<TokenKind> {
    if let Some(kind) = KINDS.find(obj) {
        return Ok(kind);
    }
    let Ok(text) = obj.cast::<PyString>() else {
        return Err(bad_type("kind", "str or TokenKind", obj));
    };
    text.to_cow()?
        .parse()
        .map_err(|_| bad_value(obj.py(), op, "kind", "must be sdk, room or task"))
}

/// A role from `"admin"`, `"writer"`, `"reader"` (any letter case), `"0"`, `"1"`, `"2"`, the
/// ints 0, 1, 2, or a `Role` member. `bool` is refused.
pub(crate) fn role(obj: &Bound<'_, PyAny>, op: Op) -> PyResult<Role> {
    const EXPECTED: &str = "str, int or Role";
    let bad = || {
        bad_value(
            obj.py(),
            op,
            "role",
            "must be admin, writer, reader, 0, 1 or 2",
        )
    };
    if let Some(role) = ROLES.find(obj) {
        return Ok(role);
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return text.to_cow()?.parse().map_err(|_| bad());
    }
    if obj.is_instance_of::<PyBool>() {
        return Err(bad_type("role", EXPECTED, obj));
    }
    if obj.is_instance_of::<PyInt>() {
        return match obj.extract::<i64>() {
            Ok(0) => Ok(Role::Admin),
            Ok(1) => Ok(Role::Writer),
            Ok(2) => Ok(Role::Reader),
            _ => Err(bad()),
        };
    }
    Err(bad_type("role", EXPECTED, obj))
}

static TIMEDELTA: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A non-negative int as `u64` ms; `None` when `obj` is not an int (bools are refused).
fn int_ms(obj: &Bound<'_, PyAny>, field: &str, op: Op, expected: &str) -> PyResult<Option<u64>> {
    if obj.is_instance_of::<PyBool>() {
        return Err(bad_type(field, expected, obj));
    }
    if !obj.is_instance_of::<PyInt>() {
        return Ok(None);
    }
    match obj.extract::<u64>() {
        Ok(ms) => Ok(Some(ms)),
        Err(_) if obj.lt(0)? => Err(bad_value(obj.py(), op, field, "must not be negative")),
        Err(_) => Err(bad_value(
            obj.py(),
            op,
            field,
            "is too large (at most 2**64 - 1 ms)",
        )),
    }
}

/// The whole milliseconds of a `timedelta`, exactly; `None` when it has a part finer than a
/// millisecond.
fn timedelta_ms(delta: &Bound<'_, PyAny>) -> PyResult<Option<i128>> {
    let days: i128 = delta.getattr("days")?.extract()?;
    let seconds: i128 = delta.getattr("seconds")?.extract()?;
    let micros: i128 = delta.getattr("microseconds")?.extract()?;
    if micros % 1000 != 0 {
        return Ok(None);
    }
    Ok(Some(days * 86_400_000 + seconds * 1000 + micros / 1000))
}

/// A length of time in ms: an int (ms) or a `datetime.timedelta` of whole milliseconds; never
/// negative. A `timedelta` with a part finer than a millisecond is refused, not rounded: a
/// lifespan rounded down to 0 would mean "never expires".
pub(crate) fn duration_ms(obj: &Bound<'_, PyAny>, field: &str, op: Op) -> PyResult<u64> {
    const EXPECTED: &str = "int (ms) or datetime.timedelta";
    // A Role is an int, so `mint(kind, ak, sk, 0, Role.READER)` (lifespan and role swapped)
    // would otherwise mint an admin token living 2 ms.
    if ROLES.find(obj).is_some() && obj.cast::<PyInt>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "{field}: expected {EXPECTED}, not a Role (mint takes the role before the lifespan)"
        )));
    }
    if let Some(ms) = int_ms(obj, field, op, EXPECTED)? {
        return Ok(ms);
    }
    let py = obj.py();
    let timedelta = TIMEDELTA.import(py, "datetime", "timedelta")?;
    if !obj.is_instance(timedelta)? {
        return Err(bad_type(field, EXPECTED, obj));
    }
    let ms = timedelta_ms(obj)?
        .ok_or_else(|| bad_value(py, op, field, "must be a whole number of milliseconds"))?;
    u64::try_from(ms).map_err(|_| bad_value(py, op, field, "must not be negative"))
}

/// An instant in ms since the Unix epoch: an int (ms) or an aware `datetime.datetime`, taken to
/// the millisecond at or before it (as JavaScript's `Date.now()` counts). A naive `datetime` is
/// refused: its instant depends on the machine's time zone.
pub(crate) fn instant_ms(obj: &Bound<'_, PyAny>, field: &str, op: Op) -> PyResult<u64> {
    const EXPECTED: &str = "int (ms) or an aware datetime.datetime";
    if let Some(ms) = int_ms(obj, field, op, EXPECTED)? {
        return Ok(ms);
    }
    let py = obj.py();
    let datetime = DATETIME.import(py, "datetime", "datetime")?;
    if !obj.is_instance(datetime)? {
        return Err(bad_type(field, EXPECTED, obj));
    }
    if obj.call_method0("utcoffset")?.is_none() {
        return Err(bad_value(
            py,
            op,
            field,
            "a naive datetime (without tzinfo) is refused: give an aware one, such as \
             datetime.now(timezone.utc)",
        ));
    }
    let epoch = EPOCH.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("tzinfo", utc)?;
        Ok(datetime.call((1970, 1, 1), Some(&kwargs))?.unbind())
    })?;
    let delta = obj.sub(epoch.bind(py))?;
    let days: i128 = delta.getattr("days")?.extract()?;
    let seconds: i128 = delta.getattr("seconds")?.extract()?;
    let micros: i128 = delta.getattr("microseconds")?.extract()?;
    // `seconds` and `microseconds` are never negative, so this is the floor.
    let ms = days * 86_400_000 + seconds * 1000 + micros / 1000;
    u64::try_from(ms).map_err(|_| bad_value(py, op, field, "is before 1970"))
}

/// The extra fields of a mapping of `str` to `str`, in the mapping's order.
pub(crate) fn extra(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(PyBackedStr, PyBackedStr)>> {
    let Some(obj) = obj.filter(|obj| !obj.is_none()) else {
        return Ok(Vec::new());
    };
    let Ok(items) = obj.call_method0("items") else {
        return Err(bad_type("extra", "a mapping of str to str", obj));
    };
    let mut out = Vec::new();
    for item in items.try_iter()? {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item?.extract()?;
        let name: PyBackedStr = name
            .extract()
            .map_err(|_| bad_type("extra", "str field names", &name))?;
        let value: PyBackedStr = value
            .extract()
            .map_err(|_| bad_type("extra", "str field values", &value))?;
        out.push((name, value));
    }
    Ok(out)
}
