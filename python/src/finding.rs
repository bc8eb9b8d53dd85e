//! The class `Finding`: one thing `audit` found about a token.

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::imports::severity_member;
use crate::token::rich_eq;

/// One thing an audit found about a token: `severity` (a `Severity`), `code` (a stable string
/// such as `"sdk-never-expires"`) and `message` (one line; never a secret or the signature).
/// Immutable and hashable; two findings are equal when all three are.
#[pyclass(frozen, module = "netless_token")]
pub struct Finding {
    /// The library's finding.
    pub(crate) inner: netless_token::Finding,
}

#[pymethods]
impl Finding {
    /// How much it matters: a `Severity`.
    #[getter]
    fn severity<'py>(&self, py: Python<'py>) -> PyResult<&'py Bound<'py, PyAny>> {
        severity_member(self.inner.severity()).get(py)
    }

    /// The stable code, such as `"sdk-never-expires"`.
    #[getter]
    fn code(&self) -> &'static str {
        self.inner.code().as_str()
    }

    /// Why, in one line.
    #[getter]
    fn message(&self) -> &str {
        self.inner.message()
    }

    /// `Finding(severity='critical', code='sdk-never-expires', message='...')`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let text = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        Ok(format!(
            "Finding(severity={}, code={}, message={})",
            text(self.inner.severity().as_str())?,
            text(self.inner.code().as_str())?,
            text(self.inner.message())?,
        ))
    }

    /// `severity code: message`, as the command line prints it.
    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    /// Equal to another finding with the same severity, code and message.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let equal = other
            .cast::<Finding>()
            .ok()
            .map(|other| self.inner == other.get().inner);
        rich_eq(other.py(), equal)
    }

    /// A hash of the severity, code and message.
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        let key = (
            self.inner.severity().as_str(),
            self.inner.code().as_str(),
            self.inner.message(),
        );
        key.into_pyobject(py)?.hash()
    }
}
