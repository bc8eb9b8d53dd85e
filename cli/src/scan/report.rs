//! What `scan` prints: a readable table, JSON lines (one object per finding), or SARIF 2.1.0
//! for code-scanning tools. A token is shown only as its prefix and the first 8 hex digits of
//! its signature.

use std::collections::BTreeMap;
use std::path::Path;

use netless_token::{FindingCode, Severity};
use serde_json::{json, Value};

use super::{Record, Scan};
use crate::failure::Failure;
use crate::output::{expiry, finding_line, printable, token_label, Out};

/// The SARIF version written, and the schema that describes it.
const SARIF_VERSION: &str = "2.1.0";
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// How a record's token is shown: `NETLESSSDK_… sig 644f9840…`, or for text that does not
/// decode, its prefix and length.
fn label(record: &Record) -> String {
    match &record.token {
        Ok(token) => token_label(token),
        Err(_) => format!("{}… ({} characters)", record.kind.prefix(), record.len),
    }
}

/// `path:line:column`.
fn location(record: &Record) -> String {
    format!(
        "{}:{}:{}",
        printable(&record.path.to_string_lossy()),
        record.line,
        record.column
    )
}

/// One block per token (where, what, then a line per finding), then a summary line.
pub fn table(out: &mut Out, scan: &Scan) -> Result<(), Failure> {
    for record in &scan.records {
        let what = match &record.token {
            Ok(token) => format!(
                "{} {}  ak {}  expireAt {}",
                token.kind(),
                token.role(),
                printable(token.ak()),
                expiry(token.expire_at())
            ),
            Err(_) => "does not decode".to_owned(),
        };
        out.line(format_args!(
            "{}  {}  {what}",
            location(record),
            label(record)
        ))?;
        if record.findings.is_empty() {
            out.line("  no findings")?;
        }
        for finding in &record.findings {
            out.line(format_args!("  {}", finding_line(finding)))?;
        }
    }
    out.line(summary(scan))
}

/// `3 tokens (1 does not decode) in 2 of 15 files; findings: 1 critical, 2 medium.`
fn summary(scan: &Scan) -> String {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for finding in scan.records.iter().flat_map(|r| &r.findings) {
        *counts.entry(finding.severity()).or_default() += 1;
    }
    let files: std::collections::BTreeSet<&Path> =
        scan.records.iter().map(|r| r.path.as_path()).collect();
    let malformed = scan.records.iter().filter(|r| r.token.is_err()).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{} in {} of {}",
        plural(scan.records.len(), "token-shaped string"),
        files.len(),
        plural(scan.files as usize, "file")
    );
    if malformed > 0 {
        line.push_str(&format!(" ({malformed} that do not decode)"));
    }
    if scan.binary > 0 {
        line.push_str(&format!(
            "; {} skipped",
            plural(scan.binary as usize, "binary file")
        ));
    }
    if !counts.is_empty() {
        let by_severity: Vec<String> = counts
            .iter()
            .rev()
            .map(|(severity, n)| format!("{n} {severity}"))
            .collect();
        line.push_str(&format!("; findings: {}", by_severity.join(", ")));
    }
    line
}

/// One JSON object per finding, one per line.
pub fn json(out: &mut Out, scan: &Scan) -> Result<(), Failure> {
    for record in &scan.records {
        let token = record.token.as_ref().ok();
        for finding in &record.findings {
            let object = json!({
                "path": record.path.to_string_lossy(),
                "line": record.line,
                "column": record.column,
                "token": label(record),
                "kind": record.kind.as_str(),
                "role": token.map(|t| t.role().as_word()),
                "ak": token.map(|t| t.ak()),
                "expire_at": token.and_then(|t| t.expire_at()),
                "severity": finding.severity().as_str(),
                "code": finding.code().as_str(),
                "message": finding.message(),
            });
            out.line(object)?;
        }
    }
    Ok(())
}

/// SARIF's level for a severity: `error` for critical and high, `warning` for medium, `note`
/// for low and info.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// One SARIF 2.1.0 log: one run, a rule for every finding code, a result for every finding.
pub fn sarif(out: &mut Out, scan: &Scan) -> Result<(), Failure> {
    let rules: Vec<Value> = FindingCode::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "shortDescription": { "text": code.summary() },
                "help": { "text": code.advice() },
            })
        })
        .collect();
    let mut results = Vec::new();
    for record in &scan.records {
        for finding in &record.findings {
            let code = finding.code();
            let rule_index = FindingCode::ALL.iter().position(|c| *c == code);
            let mut message = format!("{} ({}", finding.message(), label(record));
            if let Ok(token) = &record.token {
                message.push_str(&format!(
                    ", {} {}, ak {}",
                    token.kind(),
                    token.role(),
                    token.ak()
                ));
            }
            message.push(')');
            results.push(json!({
                "ruleId": code.as_str(),
                "ruleIndex": rule_index,
                "level": level(finding.severity()),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&record.path) },
                        "region": {
                            "startLine": record.line,
                            "startColumn": record.column,
                            "endColumn": record.column + record.len as u64,
                        },
                    },
                }],
                "properties": { "severity": finding.severity().as_str() },
            }));
        }
    }
    let log = json!({
        "version": SARIF_VERSION,
        "$schema": SARIF_SCHEMA,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "netless-token",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    out.line(log)
}

/// A path as a SARIF artifact URI: relative paths as relative references with `/`, absolute
/// ones as `file://` URIs; every byte but the unreserved ones and `/` percent-encoded.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    if path.is_absolute() {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri(Path::new("src/app.js")), "src/app.js");
        assert_eq!(uri(Path::new("my docs/é.md")), "my%20docs/%C3%A9.md");
        assert_eq!(uri(Path::new("/tmp/a b")), "file:///tmp/a%20b");
    }
}
