//! How the program fails, and so its exit status.

use std::io::ErrorKind;

use netless_token::Severity;

/// Why the program stops without success, and so its exit status.
pub enum Failure {
    /// A refused input or token: exit 1, with one line on standard error.
    Refused(String),
    /// A usage error: exit 2, with one line on standard error.
    Usage(String),
    /// Standard output was closed early (`| head`): exit 141, as a shell reports a process
    /// ended by SIGPIPE, and nothing printed.
    ClosedStdout,
}

impl Failure {
    /// The failure of a write to standard output.
    pub fn from_stdout(e: std::io::Error) -> Self {
        if e.kind() == ErrorKind::BrokenPipe {
            Failure::ClosedStdout
        } else {
            Failure::Refused(format!("stdout: cannot write: {e}"))
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Refused(message)
    }
}

/// `audit` and `scan`: exit 1, with one line on standard error, when `count` findings are at
/// the `--fail-on` severity or above.
pub fn fail_on(count: usize, threshold: Severity) -> Result<(), Failure> {
    if count == 0 {
        return Ok(());
    }
    Err(Failure::Refused(format!(
        "fail-on: {count} finding{} at {threshold} or above",
        if count == 1 { "" } else { "s" },
    )))
}
