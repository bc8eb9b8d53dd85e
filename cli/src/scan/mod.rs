//! `scan`: walks files as ripgrep does, with ripgrep's own walker (the `ignore` crate:
//! `.gitignore`, `.ignore` and `.rgignore` honoured, in parallel), finds token-shaped text in
//! each ([`find`]), decodes and audits each token with the library, and prints the report
//! ([`report`]). No token is ever printed whole.

mod find;
mod report;

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};
use netless_token::{AuditPolicy, DecodeError, DecodedToken, Finding, TokenKind};

use crate::args::{Format, ScanArgs};
use crate::failure::{fail_on, Failure};
use crate::output::{at_or_above, Out};
use find::{Finder, Outcome, CHUNK};

/// One token-shaped string found, with what the audit says about it.
pub struct Record {
    /// The file, as the walk reached it (without a leading `./`).
    pub path: PathBuf,
    /// The line, from 1.
    pub line: u64,
    /// The column, from 1, in characters.
    pub column: u64,
    /// Its length in characters (ASCII).
    pub len: usize,
    /// The kind its prefix names.
    pub kind: TokenKind,
    /// The decoded token, or why it does not decode.
    pub token: Result<DecodedToken, DecodeError>,
    /// What the audit found; for text that does not decode, one `malformed-token` finding.
    pub findings: Vec<Finding>,
}

/// What a walk found and what it could not read.
pub struct Scan {
    /// Every token-shaped string, by path, line and column.
    pub records: Vec<Record>,
    /// Files searched (binary files not counted).
    pub files: u64,
    /// Binary files skipped.
    pub binary: u64,
    /// Paths that could not be read, each with why.
    pub warnings: Vec<String>,
}

/// `scan`: walk, find, audit, report; exit 1 when a finding is at `--fail-on` or above.
pub fn run(args: ScanArgs) -> Result<(), Failure> {
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(Failure::Usage(format!(
                "PATH: {}: no such file or folder",
                crate::output::printable(&path.to_string_lossy())
            )));
        }
    }
    let scan = walk(&args.paths, !args.no_ignore, &args.policy.policy());
    let mut stderr = std::io::stderr().lock();
    for warning in &scan.warnings {
        let _ = writeln!(stderr, "netless-token: scan: {warning}");
    }
    let mut out = Out::new()?;
    match args.format {
        Format::Table => report::table(&mut out, &scan)?,
        Format::Json => report::json(&mut out, &scan)?,
        Format::Sarif => report::sarif(&mut out, &scan)?,
    }
    out.flush()?;
    let threshold = args.policy.fail_on;
    let reached = scan
        .records
        .iter()
        .map(|record| at_or_above(&record.findings, threshold))
        .sum();
    fail_on(reached, threshold)
}

/// Walks `paths` in parallel and audits every token-shaped string in every text file.
fn walk(paths: &[PathBuf], ignore_files: bool, policy: &AuditPolicy) -> Scan {
    let mut builder = WalkBuilder::new(&paths[0]);
    for path in &paths[1..] {
        builder.add(path);
    }
    builder
        .standard_filters(ignore_files)
        .hidden(false)
        .require_git(false)
        .add_custom_ignore_filename(".rgignore")
        .filter_entry(|entry| entry.file_name() != ".git");
    let files = AtomicU64::new(0);
    let binary = AtomicU64::new(0);
    let (send, receive) = mpsc::channel::<Result<Vec<Record>, String>>();
    builder.build_parallel().run(|| {
        let mut finder = Finder::new(CHUNK);
        let send = send.clone();
        let (files, binary) = (&files, &binary);
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let _ = send.send(Err(e.to_string()));
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let path = entry.path();
            let found = std::fs::File::open(path).and_then(|file| finder.find(file));
            let result = match found {
                Ok(Outcome::Binary) => {
                    binary.fetch_add(1, Ordering::Relaxed);
                    return WalkState::Continue;
                }
                Ok(Outcome::Text(hits)) => {
                    files.fetch_add(1, Ordering::Relaxed);
                    if hits.is_empty() {
                        return WalkState::Continue;
                    }
                    Ok(audit_hits(path, hits, policy))
                }
                Err(e) => Err(format!("{}: {e}", path.display())),
            };
            let _ = send.send(result);
            WalkState::Continue
        })
    });
    drop(send);
    let mut records = Vec::new();
    let mut warnings = Vec::new();
    for result in receive {
        match result {
            Ok(found) => records.extend(found),
            Err(warning) => warnings.push(warning),
        }
    }
    records.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    warnings.sort();
    Scan {
        records,
        files: files.into_inner(),
        binary: binary.into_inner(),
        warnings,
    }
}

/// Decodes and audits each hit of the file `path`.
fn audit_hits(path: &Path, hits: Vec<find::Hit>, policy: &AuditPolicy) -> Vec<Record> {
    let path: PathBuf = path
        .components()
        .skip_while(|c| *c == Component::CurDir)
        .collect();
    hits.into_iter()
        .filter_map(|hit| {
            // Every hit starts with a prefix.
            let kind = TokenKind::ALL
                .into_iter()
                .find(|kind| hit.text.starts_with(kind.prefix()))?;
            let token = netless_token::decode(&hit.text);
            let findings = match &token {
                Ok(token) => token.audit(policy),
                Err(e) => vec![Finding::malformed(e)],
            };
            Some(Record {
                path: path.clone(),
                line: hit.line,
                column: hit.column,
                len: hit.text.len(),
                kind,
                token,
                findings,
            })
        })
        .collect()
}
