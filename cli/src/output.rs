//! What the command line prints: a token's fields one per line, or as one JSON object. Every
//! write goes through [`Out`], so a closed standard output ends the program quietly.

use std::io::Write as _;

use netless_token::{DecodedToken, Finding, Severity};

use crate::failure::Failure;

/// Standard output, line by line; a write that fails becomes a [`Failure`].
pub struct Out(std::io::StdoutLock<'static>);

impl Out {
    /// Locks standard output; fails when it was closed before the program started, where
    /// every write would be lost without an error.
    pub fn new() -> Result<Self, Failure> {
        if closed_at_start() {
            return Err(Failure::Refused(
                "stdout: standard output is closed, so the output would be lost; \
                 redirect it to a file or a pipe"
                    .into(),
            ));
        }
        Ok(Out(std::io::stdout().lock()))
    }

    /// Writes `line` and a newline.
    pub fn line(&mut self, line: impl std::fmt::Display) -> Result<(), Failure> {
        writeln!(self.0, "{line}").map_err(Failure::from_stdout)
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: impl std::fmt::Display) -> Result<(), Failure> {
        write!(self.0, "{text}").map_err(Failure::from_stdout)
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> Result<(), Failure> {
        self.0.flush().map_err(Failure::from_stdout)
    }
}

/// Whether standard output was closed when the program started (`>&-`). Rust's runtime then
/// opens `/dev/null` on descriptor 1 before `main`, read and write, so that nothing else lands
/// there; every write succeeds and is lost. A redirection to `/dev/null` by the shell opens it
/// write-only, so the two are told apart by the access mode (Linux's `/proc` shows both).
#[cfg(target_os = "linux")]
fn closed_at_start() -> bool {
    const O_ACCMODE: u32 = 0o3;
    const O_RDWR: u32 = 0o2;
    let Ok(target) = std::fs::read_link("/proc/self/fd/1") else {
        return false;
    };
    if target != std::path::Path::new("/dev/null") {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|line| line.strip_prefix("flags:"))
        .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        .is_some_and(|flags| flags & O_ACCMODE == O_RDWR)
}

/// Elsewhere a closed standard output cannot be told from `/dev/null`.
#[cfg(not(target_os = "linux"))]
fn closed_at_start() -> bool {
    false
}

/// A value as printed in the readable output: as it is, or quoted and escaped when it holds
/// control characters, quotes or is empty, so every field stays on its line.
pub fn printable(value: &str) -> String {
    if value.is_empty()
        || value.chars().any(|c| c.is_control() || c == '"')
        || value.trim() != value
    {
        format!("{value:?}")
    } else {
        value.to_owned()
    }
}

/// Prints a token's fields: readable, one per line (after `status`, when given), or as JSON.
pub fn print_fields(
    out: &mut Out,
    token: &DecodedToken,
    json: bool,
    status: Option<&str>,
) -> Result<(), Failure> {
    if json {
        return out.line(to_json(token));
    }
    if let Some(status) = status {
        out.line(status)?;
    }
    out.line(format_args!("kind      {}", token.kind()))?;
    out.line(format_args!("ak        {}", printable(token.ak())))?;
    out.line(format_args!("nonce     {}", printable(token.nonce())))?;
    out.line(format_args!(
        "role      {} ({})",
        token.role(),
        token.role().as_digit()
    ))?;
    match token.expire_at() {
        Some(ms) => out.line(format_args!("expireAt  {ms} ({})", date(ms)))?,
        None => out.line("expireAt  never")?,
    }
    if let Some(uuid) = token.uuid() {
        out.line(format_args!("uuid      {}", printable(uuid)))?;
    }
    for (name, value) in token.extra() {
        out.line(format_args!(
            "extra     {} = {}",
            printable(name),
            printable(value)
        ))?;
    }
    out.line(format_args!("sig       {}", token.sig_hex()))
}

/// A token as `scan` and `audit` show it: its prefix and the first 8 hex digits of its
/// signature, as `DecodedToken`'s `Debug` does; never the whole token.
pub fn token_label(token: &DecodedToken) -> String {
    format!("{}… sig {}…", token.kind().prefix(), &token.sig_hex()[..8])
}

/// `expireAt` as people read it: the ms and the UTC date, or `never`.
pub fn expiry(expire_at: Option<u64>) -> String {
    match expire_at {
        Some(ms) => format!("{ms} ({})", date(ms)),
        None => "never".into(),
    }
}

/// A finding on one line: severity, code, message.
pub fn finding_line(finding: &Finding) -> String {
    format!(
        "{:<8}  {}: {}",
        finding.severity().as_str(),
        finding.code(),
        finding.message()
    )
}

/// How many of `findings` are at `threshold` or above.
pub fn at_or_above(findings: &[Finding], threshold: Severity) -> usize {
    findings
        .iter()
        .filter(|finding| finding.severity() >= threshold)
        .count()
}

/// `audit`'s report: the token's kind, role, access key and expiry, then one line per finding;
/// or all of it as one JSON object. Never the whole token or its signature.
pub fn print_audit(
    out: &mut Out,
    token: &DecodedToken,
    findings: &[Finding],
    json: bool,
) -> Result<(), Failure> {
    if json {
        let object = serde_json::json!({
            "token": token_label(token),
            "kind": token.kind().as_str(),
            "role": token.role().as_word(),
            "ak": token.ak(),
            "expire_at": token.expire_at(),
            "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        return out.line(object);
    }
    out.line(format_args!("token     {}", token_label(token)))?;
    out.line(format_args!("kind      {}", token.kind()))?;
    out.line(format_args!(
        "role      {} ({})",
        token.role(),
        token.role().as_digit()
    ))?;
    out.line(format_args!("ak        {}", printable(token.ak())))?;
    out.line(format_args!("expireAt  {}", expiry(token.expire_at())))?;
    if findings.is_empty() {
        return out.line("findings  none");
    }
    out.line(format_args!("findings  {}", findings.len()))?;
    for finding in findings {
        out.line(format_args!("  {}", finding_line(finding)))?;
    }
    Ok(())
}

/// A finding as a JSON object: `severity`, `code`, `message`.
pub fn finding_json(finding: &Finding) -> serde_json::Value {
    serde_json::json!({
        "severity": finding.severity().as_str(),
        "code": finding.code().as_str(),
        "message": finding.message(),
    })
}

/// Every field as one JSON object, each value a string: `kind` first, then the signed fields
/// in canonical order, then `sig`. Escaped as `JSON.stringify` escapes (serde_json writes the
/// same escapes for every string Rust can hold).
fn to_json(token: &DecodedToken) -> String {
    let kind = token.kind().to_string();
    let sig = token.sig_hex();
    let mut object = String::from("{");
    let fields = token.fields();
    let all = [("kind", kind.as_str())]
        .into_iter()
        .chain(fields)
        .chain([("sig", sig.as_str())]);
    for (i, (name, value)) in all.enumerate() {
        if i > 0 {
            object.push(',');
        }
        // Serializing a string cannot fail.
        object.push_str(&serde_json::to_string(name).unwrap_or_default());
        object.push(':');
        object.push_str(&serde_json::to_string(value).unwrap_or_default());
    }
    object.push('}');
    object
}

/// `ms` since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), or a note past the year 9999,
/// which RFC 3339 cannot write.
fn date(ms: u64) -> String {
    const LAST_MS_OF_9999: u64 = 253_402_300_799_999;
    if ms > LAST_MS_OF_9999 {
        return "after the year 9999".into();
    }
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms);
    humantime::format_rfc3339_millis(time).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_match_known_instants() {
        // Instants checked against `new Date(ms).toISOString()` in node.
        assert_eq!(date(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(date(1_700_000_000_600), "2023-11-14T22:13:20.600Z");
        assert_eq!(date(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(date(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
        assert_eq!(date(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(date(u64::MAX), "after the year 9999");
    }
}
