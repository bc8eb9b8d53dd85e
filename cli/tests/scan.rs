//! `audit` and `scan` exercised as a process: a generated tree with tokens in every context a
//! project keeps them (after quotes, `=`, backticks and spaces; in JSON, YAML, `.env`, source
//! and Markdown), decoys, an ignored and a binary file; each token found at its line and column
//! with its findings, in the table, JSON and SARIF outputs, and no output ever holding a whole
//! token or more than 8 hex digits of a signature.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{doc_tokens, pair, tempdir, uuid_v1, ROOM};
use netless_token::{decode, Role, TokenKind, TokenRequest};
use serde_json::Value;

const HOUR: u64 = 3_600_000;
/// The issue time of the minted tokens, and the time the scans run at: 2024-01-01T00:00:00Z.
const NOW: u64 = 1_704_067_200_000;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_netless-token"));
    cmd.env_remove("NETLESS_AK").env_remove("NETLESS_SK");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn mint(kind: TokenKind, role: Role, lifespan: u64, nonce: &str) -> String {
    let uuid = (kind != TokenKind::Sdk).then_some(ROOM);
    pair()
        .mint(&TokenRequest::new(kind, lifespan, role, uuid), NOW, nonce)
        .unwrap()
}

/// The tokens of the tree, each with the findings it must get at `NOW`.
struct Tokens {
    /// The documentation's admin SDK token: never expires.
    sdk_admin: String,
    /// A writer Room token that never expires.
    room_forever: String,
    /// A reader Task token that expired an hour before `NOW`.
    task_expired: String,
    /// An admin Room token valid for 2 days.
    room_admin_long: String,
    /// A writer SDK token of 1 h whose expiry was written at UTC+8.
    sdk_local_clock: String,
    /// A writer Room token of 1 h: nothing to report.
    room_fine: String,
}

/// The service documentation's SDK token: admin, never expiring.
fn doc_sdk_token() -> String {
    doc_tokens()
        .into_iter()
        .find(|doc| doc.kind == TokenKind::Sdk)
        .expect("documentation-tokens.jsonl holds an SDK token")
        .token
}

impl Tokens {
    fn new() -> Self {
        Tokens {
            sdk_admin: doc_sdk_token(),
            room_forever: mint(TokenKind::Room, Role::Writer, 0, "n-forever"),
            task_expired: pair()
                .mint(
                    &TokenRequest::task(HOUR, Role::Reader, ROOM),
                    NOW - 2 * HOUR,
                    "n-expired",
                )
                .unwrap(),
            room_admin_long: mint(TokenKind::Room, Role::Admin, 48 * HOUR, "n-long"),
            sdk_local_clock: mint(TokenKind::Sdk, Role::Writer, 9 * HOUR, &uuid_v1(NOW)),
            room_fine: mint(TokenKind::Room, Role::Writer, HOUR, "n-fine"),
        }
    }

    fn all(&self) -> [&str; 6] {
        [
            &self.sdk_admin,
            &self.room_forever,
            &self.task_expired,
            &self.room_admin_long,
            &self.sdk_local_clock,
            &self.room_fine,
        ]
    }
}

/// Where a token was put: file, line, column (characters, from 1), and the codes it must get.
type Expected = BTreeMap<(String, u64, u64), BTreeSet<String>>;

/// The places of `expected` that must get findings: the JSON and SARIF outputs hold findings,
/// so a token without any is not in them.
fn with_findings(expected: Expected) -> Expected {
    expected
        .into_iter()
        .filter(|(_, codes)| !codes.is_empty())
        .collect()
}

/// Writes `content` to `dir/name`, and records where each of `tokens` stands in it with the
/// codes it must get.
fn put(dir: &Path, name: &str, content: &str, tokens: &[(&str, &[&str])], expected: &mut Expected) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    for (token, codes) in tokens {
        let at = content
            .find(token)
            .unwrap_or_else(|| panic!("{name}: token not put"));
        let before = &content[..at];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count() as u64
            + 1;
        let codes = codes.iter().map(|c| c.to_string()).collect();
        expected.insert((name.to_owned(), line, column), codes);
    }
}

/// The tree: every context, the decoys, an ignored and a binary file.
fn tree(dir: &Path, t: &Tokens) -> Expected {
    let mut e = Expected::new();
    let truncated = &t.room_forever[..90];
    let lowercased = t.sdk_admin.to_lowercase();
    put(
        dir,
        ".env",
        &format!(
            "# keys\nNEXT_PUBLIC_NETLESS_SDK_TOKEN={}\nROOM={}\n",
            t.sdk_admin, t.room_fine
        ),
        &[(&t.sdk_admin, &["sdk-never-expires"]), (&t.room_fine, &[])],
        &mut e,
    );
    put(
        dir,
        "src/whiteboard.js",
        &format!(
            "import {{ join }} from 'sdk';\n\n// é, ü: characters of two bytes before the token\nconst room = join({{ token: \"{}\" }});\nconst sdk = `{}`;\n",
            t.room_forever, t.sdk_local_clock
        ),
        &[
            (&t.room_forever, &["never-expires"]),
            (&t.sdk_local_clock, &["local-clock-expiry"]),
        ],
        &mut e,
    );
    put(
        dir,
        "config/app.json",
        &format!(
            "{{\n  \"whiteboard\": {{\"task\": \"{}\"}}\n}}\n",
            t.task_expired
        ),
        &[(&t.task_expired, &["expired"])],
        &mut e,
    );
    put(
        dir,
        "deploy/values.yaml",
        &format!("whiteboard:\n  roomToken:   {}\n", t.room_admin_long),
        &[(&t.room_admin_long, &["long-lived", "admin-room-token"])],
        &mut e,
    );
    put(
        dir,
        "server/app.py",
        &format!("SDK_TOKEN = '{}'  # TODO move out\n", t.sdk_admin),
        &[(&t.sdk_admin, &["sdk-never-expires"])],
        &mut e,
    );
    put(
        dir,
        "docs/guide.md",
        &format!(
            "# Deploy\n\nSet `NETLESSROOM_...` to your token, for example `{}`.\n\n```sh\ncurl -H \"token: {truncated}\" ...\n```\n\nNot a token: {lowercased}\n",
            t.sdk_admin
        ),
        &[
            (&t.sdk_admin, &["sdk-never-expires"]),
            (truncated, &["malformed-token"]),
        ],
        &mut e,
    );
    // Left out by .gitignore, and binary: tokens in neither are reported.
    std::fs::write(dir.join(".gitignore"), "secrets.txt\n").unwrap();
    std::fs::write(dir.join("secrets.txt"), &t.sdk_admin).unwrap();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0".to_vec();
    binary.extend_from_slice(t.room_forever.as_bytes());
    std::fs::write(dir.join("logo.png"), binary).unwrap();
    e
}

fn scan(dir: &Path, extra: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(["scan", ".", &format!("--now={NOW}")])
        .args(extra)
        .output()
        .unwrap()
}

/// No output holds a whole token, a 20-character piece of a token's payload, or 9 hex digits of
/// a signature.
#[track_caller]
fn assert_no_token_shown(out: &Output, tokens: &Tokens) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for token in tokens.all() {
        let payload = &token[12..];
        for start in 0..payload.len().saturating_sub(20) {
            let piece = &payload[start..start + 20];
            assert!(
                !all.contains(piece),
                "output shows {piece:?} of a token:\n{all}"
            );
        }
        let sig = decode(token).unwrap().sig_hex();
        assert!(
            !all.contains(&sig[..9]),
            "output shows 9 hex digits of {sig}"
        );
    }
}

#[test]
fn scan_json_finds_each_token_at_its_line_and_column_with_its_findings() {
    let dir = tempdir::Dir::new("scan-json");
    let tokens = Tokens::new();
    let expected = tree(dir.path(), &tokens);
    let out = scan(dir.path(), &["--format=json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let mut found = Expected::new();
    for line in text(&out.stdout).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let key = (
            v["path"].as_str().unwrap().to_owned(),
            v["line"].as_u64().unwrap(),
            v["column"].as_u64().unwrap(),
        );
        found
            .entry(key)
            .or_default()
            .insert(v["code"].as_str().unwrap().to_owned());
        for field in ["severity", "message", "token", "kind"] {
            assert!(v[field].is_string(), "{field} in {line}");
        }
    }
    assert_eq!(found, with_findings(expected));
    assert_no_token_shown(&out, &tokens);
}

#[test]
fn scan_table_lists_every_token_its_findings_and_a_summary() {
    let dir = tempdir::Dir::new("scan-table");
    let tokens = Tokens::new();
    let expected = tree(dir.path(), &tokens);
    let out = scan(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for ((path, line, column), codes) in &expected {
        let at = format!("{path}:{line}:{column}  ");
        let block: Vec<&str> = stdout
            .split_inclusive('\n')
            .skip_while(|l| !l.starts_with(&at))
            .take(1 + codes.len().max(1))
            .collect();
        assert!(!block.is_empty(), "{at} missing from:\n{stdout}");
        for code in codes {
            assert!(
                block[1..].iter().any(|l| l.contains(&format!(" {code}: "))),
                "{at}: {code} missing from {block:?}"
            );
        }
    }
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("9 token-shaped strings in 6 of"),
        "{summary}"
    );
    assert!(summary.contains("1 binary file skipped"), "{summary}");
    assert_eq!(
        text(&out.stderr).trim(),
        "netless-token: fail-on: 3 findings at high or above"
    );
    assert_no_token_shown(&out, &tokens);
}

#[test]
fn scan_sarif_has_the_fields_sarif_2_1_0_requires() {
    let dir = tempdir::Dir::new("scan-sarif");
    let tokens = Tokens::new();
    let expected = tree(dir.path(), &tokens);
    let out = scan(dir.path(), &["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "netless-token");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for rule in rules {
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
    let mut found = Expected::new();
    for result in runs[0]["results"].as_array().unwrap() {
        let rule = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], rule);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap();
        let region = &location["region"];
        let line = region["startLine"].as_u64().unwrap();
        let column = region["startColumn"].as_u64().unwrap();
        assert!(line >= 1 && column >= 1);
        found
            .entry((uri.to_owned(), line, column))
            .or_default()
            .insert(rule.to_owned());
    }
    assert_eq!(found, with_findings(expected));
    assert_no_token_shown(&out, &tokens);
}

#[test]
fn scan_exits_0_below_the_threshold_and_2_for_usage() {
    let dir = tempdir::Dir::new("scan-exit");
    let tokens = Tokens::new();
    std::fs::write(
        dir.path().join("a.txt"),
        format!("x={}\n", tokens.room_forever),
    )
    .unwrap();
    // A medium finding: under the default threshold (high), at --fail-on medium.
    let out = scan(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        scan(dir.path(), &["--fail-on", "medium"]).status.code(),
        Some(1)
    );
    // --max-lifetime takes the --lifespan forms.
    std::fs::write(dir.path().join("a.txt"), &tokens.room_fine).unwrap();
    assert_eq!(
        scan(dir.path(), &["--fail-on=medium", "--max-lifetime=30m"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        scan(dir.path(), &["--fail-on=medium"]).status.code(),
        Some(0)
    );
    for usage in [
        &["--fail-on", "severe"][..],
        &["--format", "xml"],
        &["--max-lifetime", "1w"],
        &["no-such-path"],
    ] {
        let out = scan(dir.path(), usage);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{usage:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr).lines().count(), 1, "{usage:?}");
    }
}

#[test]
fn scan_no_ignore_also_searches_ignored_files() {
    let dir = tempdir::Dir::new("scan-no-ignore");
    let tokens = Tokens::new();
    std::fs::write(dir.path().join(".gitignore"), "secrets.txt\n").unwrap();
    std::fs::write(dir.path().join("secrets.txt"), &tokens.sdk_admin).unwrap();
    let quiet = scan(dir.path(), &["--format=json"]);
    assert_eq!((quiet.status.code(), quiet.stdout.len()), (Some(0), 0));
    let all = scan(dir.path(), &["--format=json", "--no-ignore"]);
    assert_eq!(all.status.code(), Some(1));
    assert!(text(&all.stdout).contains("\"path\":\"secrets.txt\""));
}

#[test]
fn audit_exits_1_on_the_documentation_sdk_token_and_0_on_a_short_lived_one() {
    let out = bin().args(["audit", &doc_sdk_token()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("critical  sdk-never-expires: "), "{stdout}");
    assert!(stdout.contains("ak        34l70hCgH4Y1gPBajjmNHrOj3qFx1LXNFctt"));
    assert!(stdout.contains("expireAt  never"));
    assert!(stdout.contains("token     NETLESSSDK_… sig 644f9840…"));
    assert!(!stdout.contains("644f98400"), "{stdout}");

    let tokens = Tokens::new();
    let fine = bin()
        .args(["audit", &tokens.room_fine, &format!("--now={NOW}")])
        .output()
        .unwrap();
    assert_eq!(fine.status.code(), Some(0), "{}", text(&fine.stderr));
    assert!(text(&fine.stdout).contains("findings  none"));
}

#[test]
fn audit_reads_standard_input_and_prints_json() {
    let tokens = Tokens::new();
    let mut child = bin()
        .args([
            "audit",
            "-",
            "--json",
            &format!("--now={NOW}"),
            "--fail-on=low",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", tokens.room_admin_long).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["role"].as_str()),
        (Some("room"), Some("admin"))
    );
    assert_eq!(v["expire_at"].as_u64(), Some(NOW + 48 * HOUR));
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["long-lived", "admin-room-token"]);
    assert_no_token_shown(&out, &tokens);
}

#[test]
fn audit_refuses_text_that_does_not_decode_naming_the_field() {
    let out = bin()
        .args(["audit", &format!("{}==", Tokens::new().room_fine)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = text(&out.stderr);
    assert!(err.starts_with("netless-token: payload: "), "{err}");
}
