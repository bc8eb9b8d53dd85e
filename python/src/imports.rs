//! Every Python object the glue uses and does not make: the package's exception classes and
//! enum members (`Role`, `TokenKind`, `Severity`) (defined in `netless_token/_base.py`), and the `datetime` types. Each is
//! imported once, on first use, and kept for the life of the interpreter.
//!
//! The bottom layer of the glue: it imports nothing of this crate, so the error and
//! conversion modules both build on it without importing each other.

use netless_token::{Role, Severity, TokenKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// The module that defines the exception classes and the enums.
const BASE: &str = "netless_token._base";

/// A Python object reached from a module by a path of attribute names, imported on first use.
pub(crate) struct LazyPyImport {
    /// The module imported.
    module: &'static str,
    /// The attributes followed from the module, in order.
    names: &'static [&'static str],
    /// The object, once imported.
    value: PyOnceLock<Py<PyAny>>,
}

impl LazyPyImport {
    /// The object `module.names[0].names[1]...`, not yet imported.
    const fn new(module: &'static str, names: &'static [&'static str]) -> Self {
        LazyPyImport {
            module,
            names,
            value: PyOnceLock::new(),
        }
    }

    /// The object, imported on the first call.
    pub(crate) fn get<'py>(&'static self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        let value = self.value.get_or_try_init(py, || -> PyResult<_> {
            let mut value = py.import(self.module)?.into_any();
            for name in self.names {
                value = value.getattr(*name)?;
            }
            Ok(value.unbind())
        })?;
        Ok(value.bind(py))
    }
}

/// `TokenError`: the base class, for a refused argument of a call that is neither a mint, a
/// decode nor a verify (`audit`).
pub(crate) static TOKEN_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["TokenError"]);
/// `MintError`.
pub(crate) static MINT_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["MintError"]);
/// `DecodeError`.
pub(crate) static DECODE_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["DecodeError"]);
/// `VerifyError`.
pub(crate) static VERIFY_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["VerifyError"]);
/// `KeyPairError`: an unusable access key or secret key.
pub(crate) static KEY_PAIR_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["KeyPairError"]);
/// `MalformedTokenError`: `verify` was given a string that does not decode.
pub(crate) static MALFORMED_TOKEN_ERROR: LazyPyImport =
    LazyPyImport::new(BASE, &["MalformedTokenError"]);
/// `SignatureError`.
pub(crate) static SIGNATURE_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["SignatureError"]);
/// `ExpiredError`.
pub(crate) static EXPIRED_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["ExpiredError"]);
/// `LifetimeError`.
pub(crate) static LIFETIME_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["LifetimeError"]);
/// `WrongKindError`.
pub(crate) static WRONG_KIND_ERROR: LazyPyImport = LazyPyImport::new(BASE, &["WrongKindError"]);
/// `UnknownAccessKeyError`.
pub(crate) static UNKNOWN_ACCESS_KEY_ERROR: LazyPyImport =
    LazyPyImport::new(BASE, &["UnknownAccessKeyError"]);

/// `Role.ADMIN`.
static ROLE_ADMIN: LazyPyImport = LazyPyImport::new(BASE, &["Role", "ADMIN"]);
/// `Role.WRITER`.
static ROLE_WRITER: LazyPyImport = LazyPyImport::new(BASE, &["Role", "WRITER"]);
/// `Role.READER`.
static ROLE_READER: LazyPyImport = LazyPyImport::new(BASE, &["Role", "READER"]);
/// `TokenKind.SDK`.
static KIND_SDK: LazyPyImport = LazyPyImport::new(BASE, &["TokenKind", "SDK"]);
/// `TokenKind.ROOM`.
static KIND_ROOM: LazyPyImport = LazyPyImport::new(BASE, &["TokenKind", "ROOM"]);
/// `TokenKind.TASK`.
static KIND_TASK: LazyPyImport = LazyPyImport::new(BASE, &["TokenKind", "TASK"]);

/// `Severity.INFO`.
static SEVERITY_INFO: LazyPyImport = LazyPyImport::new(BASE, &["Severity", "INFO"]);
/// `Severity.LOW`.
static SEVERITY_LOW: LazyPyImport = LazyPyImport::new(BASE, &["Severity", "LOW"]);
/// `Severity.MEDIUM`.
static SEVERITY_MEDIUM: LazyPyImport = LazyPyImport::new(BASE, &["Severity", "MEDIUM"]);
/// `Severity.HIGH`.
static SEVERITY_HIGH: LazyPyImport = LazyPyImport::new(BASE, &["Severity", "HIGH"]);
/// `Severity.CRITICAL`.
static SEVERITY_CRITICAL: LazyPyImport = LazyPyImport::new(BASE, &["Severity", "CRITICAL"]);

/// The `Severity` member of `severity`.
pub(crate) fn severity_member(severity: Severity) -> &'static LazyPyImport {
    match severity {
        Severity::Info => &SEVERITY_INFO,
        Severity::Low => &SEVERITY_LOW,
        Severity::Medium => &SEVERITY_MEDIUM,
        Severity::High => &SEVERITY_HIGH,
        Severity::Critical => &SEVERITY_CRITICAL,
    }
}

/// The `Role` member of `role`.
pub(crate) fn role_member(role: Role) -> &'static LazyPyImport {
    match role {
        Role::Admin => &ROLE_ADMIN,
        Role::Writer => &ROLE_WRITER,
        Role::Reader => &ROLE_READER,
    }
}

/// The `TokenKind` member of `kind`.
pub(crate) fn kind_member(kind: TokenKind) -> &'static LazyPyImport {
    match kind {
        TokenKind::Sdk => &KIND_SDK,
        TokenKind::Room => &KIND_ROOM,
        TokenKind::Task => &KIND_TASK,
    }
}

/// `datetime.datetime`.
pub(crate) static DATETIME: LazyPyImport = LazyPyImport::new("datetime", &["datetime"]);
/// `datetime.timedelta`.
pub(crate) static TIMEDELTA: LazyPyImport = LazyPyImport::new("datetime", &["timedelta"]);
/// `datetime.timezone.utc`.
static UTC: LazyPyImport = LazyPyImport::new("datetime", &["timezone", "utc"]);
/// The Unix epoch as an aware `datetime`, made on first use.
static UTC_EPOCH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The Unix epoch as an aware `datetime`: `datetime(1970, 1, 1, tzinfo=timezone.utc)`.
pub(crate) fn utc_epoch(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    let epoch = UTC_EPOCH.get_or_try_init(py, || -> PyResult<_> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("tzinfo", UTC.get(py)?)?;
        Ok(DATETIME
            .get(py)?
            .call((1970, 1, 1), Some(&kwargs))?
            .unbind())
    })?;
    Ok(epoch.bind(py))
}
