//! The command line exercised as a process: mint, decode, verify, every error exit, and that
//! the secret key never appears in any output.

// The library's test helpers: the official vectors and the documentation tokens.
#[path = "../../tests/common/mod.rs"]
mod common;

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use common::{doc_tokens, official_vectors, tempdir, Vector};

const SENTINEL_SK: &str = "S3cr3t-Sentinel-9f8e7d";

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_netless-token"));
    cmd.env_remove("NETLESS_AK").env_remove("NETLESS_SK");
    cmd
}

fn run(cmd: &mut Command, stdin: Option<&str>) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start netless-token");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait for netless-token")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The process failed with exactly one line on stderr that names `field`.
#[track_caller]
fn assert_one_line_error(out: &Output, code: i32, field: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(out.stdout.is_empty(), "stdout on error: {}", stdout(out));
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(err.starts_with("netless-token: "), "{err:?}");
    assert!(err.contains(field), "{err:?} does not name {field:?}");
}

fn mint_args(cmd: &mut Command, v: &Vector) {
    cmd.arg("mint")
        .arg(v.kind.as_str())
        .args(["--role", v.role.as_word()])
        .arg(format!("--lifespan={}", v.lifespan))
        .arg(format!("--issued-at={}", v.now))
        .arg(format!("--nonce={}", v.nonce))
        .arg(format!("--ak={}", v.ak));
    if let Some(uuid) = &v.uuid {
        cmd.arg(format!("--uuid={uuid}"));
    }
}

fn private_key_file(dir: &tempdir::Dir, content: &str, mode: u32) -> std::path::PathBuf {
    let path = dir.path().join(format!("sk-{mode:o}"));
    std::fs::write(&path, content).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    path
}

#[test]
fn mint_prints_the_official_token_with_the_sk_from_the_environment() {
    // Arguments cannot hold NUL; no vector does, so every one goes through argv.
    for v in &official_vectors() {
        let mut cmd = bin();
        mint_args(&mut cmd, v);
        let out = run(cmd.env("NETLESS_SK", &v.sk), None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "line {}: {}",
            v.line,
            stderr(&out)
        );
        assert_eq!(stdout(&out), format!("{}\n", v.token), "line {}", v.line);
    }
}

#[test]
fn mint_reads_the_sk_from_a_private_file_and_the_ak_from_the_environment() {
    let v = &official_vectors()[20];
    let dir = tempdir::Dir::new("skfile");
    let path = private_key_file(&dir, &format!("{}\n", v.sk), 0o600);
    let mut cmd = bin();
    mint_args(&mut cmd, v);
    // --ak on the command line wins over NETLESS_AK; check the environment path separately.
    let out = run(cmd.arg("--sk-file").arg(&path), None);
    assert_eq!(stdout(&out), format!("{}\n", v.token), "{}", stderr(&out));

    let mut cmd = bin();
    cmd.args(["mint", v.kind.as_str(), "--role", v.role.as_digit()])
        .arg(format!("--lifespan={}", v.lifespan))
        .arg(format!("--issued-at={}", v.now))
        .arg(format!("--nonce={}", v.nonce))
        .arg(format!("--uuid={}", v.uuid.as_deref().unwrap()))
        .arg("--sk-file")
        .arg(&path)
        .env("NETLESS_AK", &v.ak);
    let out = run(&mut cmd, None);
    assert_eq!(stdout(&out), format!("{}\n", v.token), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn an_sk_file_readable_by_others_is_refused_with_the_fix() {
    let dir = tempdir::Dir::new("skmode");
    for mode in [0o644, 0o640, 0o604, 0o660] {
        let path = private_key_file(&dir, SENTINEL_SK, mode);
        let out = run(
            bin()
                .args([
                    "mint",
                    "sdk",
                    "--role",
                    "admin",
                    "--lifespan",
                    "1h",
                    "--ak",
                    "ak",
                ])
                .arg("--sk-file")
                .arg(&path),
            None,
        );
        assert_one_line_error(&out, 1, "sk-file");
        assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
        assert!(!stderr(&out).contains(SENTINEL_SK));
    }
}

#[test]
fn a_secret_key_on_the_command_line_is_refused_and_not_echoed() {
    for args in [
        vec![
            "mint",
            "sdk",
            "--role",
            "0",
            "--lifespan",
            "0",
            "--ak",
            "a",
            "--sk",
            SENTINEL_SK,
        ],
        vec!["verify", "NETLESSSDK_x", &format!("--sk={SENTINEL_SK}")],
    ] {
        let out = run(bin().args(&args), None);
        // A usage error, as the README says: exit 2.
        assert_one_line_error(&out, 2, "sk");
        assert!(!stderr(&out).contains(SENTINEL_SK), "{}", stderr(&out));
    }
}

#[test]
fn mint_generates_a_fresh_nonce_and_current_expiry_when_not_given() {
    let mint = || {
        let out = run(
            bin()
                .args([
                    "mint",
                    "room",
                    "--role",
                    "reader",
                    "--lifespan",
                    "10m",
                    "--uuid",
                    "r1",
                ])
                .env("NETLESS_AK", "ak")
                .env("NETLESS_SK", SENTINEL_SK),
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).trim_end().to_owned()
    };
    let (a, b) = (mint(), mint());
    assert_ne!(a, b, "two tokens minted now share a nonce");
    let decoded = netless_token::decode(&a).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let expire_at = decoded.expire_at().unwrap();
    assert!(
        expire_at > now + 9 * 60_000 && expire_at <= now + 10 * 60_000,
        "{expire_at} vs {now}"
    );
    assert_eq!(decoded.nonce().len(), 36);
}

#[test]
fn decode_prints_the_documentation_tokens_readably_and_as_json() {
    for doc in doc_tokens() {
        let (token, query) = (doc.token.as_str(), doc.query.as_str());
        let out = run(bin().args(["decode", token]), None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        for (name, value) in &fields {
            let label = if name == "role" {
                "role"
            } else {
                name.as_str()
            };
            let line = text
                .lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("no {name} line in {text}"));
            if name == "role" {
                assert_eq!(line, "role      admin (0)");
            } else {
                assert!(line.ends_with(value.as_str()), "{line} vs {value}");
            }
        }
        assert!(text.contains("expireAt  never"), "{text}");

        let out = run(
            bin().args(["decode", "-", "--json"]),
            Some(&format!("{token}\n")),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        for (name, value) in &fields {
            assert_eq!(json[name].as_str(), Some(value.as_str()), "{name}");
        }
        assert_eq!(json.as_object().unwrap().len(), fields.len() + 1, "{json}");
    }
}

#[test]
fn decode_json_escapes_values_like_json_stringify() {
    // Line 55 has quote"back\slash, line 56 tab/newline: both must survive as JSON.
    for v in official_vectors()
        .iter()
        .filter(|v| v.ak.contains('"') || v.ak.contains('\t'))
    {
        let out = run(bin().args(["decode", &v.token, "--json"]), None);
        let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(json["ak"].as_str(), Some(v.ak.as_str()), "line {}", v.line);
        // Readable output keeps one line per field even for such values.
        let out = run(bin().args(["decode", &v.token]), None);
        assert_eq!(
            stdout(&out).lines().count(),
            6,
            "line {}: {}",
            v.line,
            stdout(&out)
        );
    }
}

#[test]
fn verify_accepts_a_valid_token_and_prints_its_fields() {
    let v = &official_vectors()[22]; // room, writer, lifespan 600
    let now = (v.now + v.lifespan - 1).to_string();
    let out = run(
        bin()
            .args(["verify", &v.token, "--kind", "room", "--now", &now])
            .env("NETLESS_SK", &v.sk),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("valid\n"), "{text}");
    assert!(text.contains(&format!("uuid      {}", v.uuid.as_deref().unwrap())));
    assert!(!text.contains(&v.sk));
}

#[test]
fn verify_reports_each_failure_in_one_line_with_exit_1() {
    let v = &official_vectors()[22]; // room token expiring at now + 600
    let expired = (v.now + v.lifespan).to_string();
    let valid = v.now.to_string();
    let cases: Vec<(Vec<String>, Option<&str>, &str)> = vec![
        // wrong secret
        (
            vec![v.token.clone(), format!("--now={valid}")],
            Some(SENTINEL_SK),
            "sig",
        ),
        // expired, to the millisecond
        (
            vec![v.token.clone(), format!("--now={expired}")],
            Some(&v.sk),
            "expireAt",
        ),
        // wrong kind
        (
            vec![
                v.token.clone(),
                "--kind=task".into(),
                format!("--now={valid}"),
            ],
            Some(&v.sk),
            "kind",
        ),
        // another access key than the one configured
        (
            vec![
                v.token.clone(),
                "--ak=other".into(),
                format!("--now={valid}"),
            ],
            Some(&v.sk),
            "ak",
        ),
        // malformed token
        (vec!["NETLESSROOM_!!".into()], Some(&v.sk), "payload"),
        // no secret at all
        (vec![v.token.clone()], None, "sk"),
    ];
    for (args, sk, field) in cases {
        let mut cmd = bin();
        cmd.arg("verify").args(&args);
        if let Some(sk) = sk {
            cmd.env("NETLESS_SK", sk);
        }
        let out = run(&mut cmd, None);
        assert_one_line_error(&out, 1, field);
        assert!(!stderr(&out).contains(SENTINEL_SK));
        assert!(
            !stderr(&out).contains(&v.sk),
            "the SK leaked: {}",
            stderr(&out)
        );
    }
    // Leeway extends acceptance past expireAt.
    let out = run(
        bin()
            .args(["verify", &v.token, "--leeway", "1s", "--now", &expired])
            .env("NETLESS_SK", &v.sk),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn mint_and_usage_errors_are_one_line_naming_the_problem() {
    let with_keys = |args: &[&str]| {
        let mut cmd = bin();
        cmd.args(args)
            .env("NETLESS_AK", "ak")
            .env("NETLESS_SK", SENTINEL_SK);
        run(&mut cmd, None)
    };
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["mint", "room", "--role", "admin", "--lifespan", "1h"],
            1,
            "uuid",
        ),
        (
            vec![
                "mint",
                "sdk",
                "--role",
                "admin",
                "--lifespan",
                "1h",
                "--uuid",
                "u",
            ],
            1,
            "uuid",
        ),
        (
            vec!["mint", "task", "--role", "0", "--lifespan", "1h", "--uuid="],
            1,
            "uuid",
        ),
        (
            vec!["mint", "sdk", "--role", "0", "--lifespan", "0", "--nonce="],
            1,
            "nonce",
        ),
        (
            vec![
                "mint",
                "sdk",
                "--role",
                "0",
                "--lifespan",
                "1",
                "--issued-at",
                "18446744073709551615",
            ],
            1,
            "expireAt",
        ),
        (
            vec![
                "mint",
                "sdk",
                "--role",
                "0",
                "--lifespan",
                "0",
                "--extra",
                "role=0",
            ],
            1,
            "role",
        ),
        (
            vec!["mint", "sdk", "--role", "god", "--lifespan", "1h"],
            2,
            "role",
        ),
        (
            vec!["mint", "sdk", "--role", "0", "--lifespan", "1week"],
            2,
            "lifespan",
        ),
        (
            vec!["mint", "sdk", "--role", "0", "--lifespan", "-5"],
            2,
            "lifespan",
        ),
        (
            vec!["mint", "blob", "--role", "0", "--lifespan", "0"],
            2,
            "kind",
        ),
        (vec!["mint", "sdk", "--lifespan", "0"], 2, "--role"),
        (vec!["decode", "NETLESSSDK_"], 1, "payload"),
        (vec!["decode", "hello"], 1, "prefix"),
        (vec!["frobnicate"], 2, "frobnicate"),
        (vec![], 2, "command"),
    ];
    for (args, code, field) in cases {
        let out = with_keys(&args);
        assert_one_line_error(&out, code, field);
        assert!(!stderr(&out).contains(SENTINEL_SK), "{args:?}");
    }
    // No access key anywhere.
    let out = run(
        bin()
            .args(["mint", "sdk", "--role", "0", "--lifespan", "0"])
            .env("NETLESS_SK", "x"),
        None,
    );
    assert_one_line_error(&out, 1, "ak");
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in ["mint", "decode", "verify"] {
        let out = run(bin().args([command, "--help"]), None);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(text.contains("Examples:"), "{command}: {text}");
        assert!(
            text.contains(&format!("netless-token {command}")),
            "{command}: {text}"
        );
    }
    let out = run(bin().arg("--help"), None);
    assert!(stdout(&out).contains("NETLESS_SK"));
}

#[test]
fn values_starting_with_a_dash_take_the_equals_form() {
    let out = run(
        bin()
            .args([
                "mint",
                "sdk",
                "--role=reader",
                "--lifespan=0",
                "--issued-at=0",
            ])
            .args(["--nonce=-n1", "--ak=-ak", "--extra=-x=-y"])
            .env("NETLESS_SK", SENTINEL_SK),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let decoded = netless_token::decode(stdout(&out).trim_end()).unwrap();
    assert_eq!((decoded.nonce(), decoded.ak()), ("-n1", "-ak"));
    assert_eq!(decoded.extra().collect::<Vec<_>>(), [("-x", "-y")]);
    // Without '=', a dash value reads as a flag and is refused in one line.
    let out = run(
        bin()
            .args([
                "mint",
                "sdk",
                "--role",
                "reader",
                "--lifespan",
                "0",
                "--nonce",
                "-n1",
            ])
            .env("NETLESS_SK", SENTINEL_SK)
            .env("NETLESS_AK", "ak"),
        None,
    );
    assert_one_line_error(&out, 2, "--flag=value");
}

/// Runs with standard output a pipe whose reading end is already closed, as `| head` leaves
/// it once it has read enough.
fn run_into_closed_pipe(cmd: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    cmd.stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("run netless-token")
}

#[test]
fn a_closed_stdout_ends_quietly_with_status_141() {
    let token = &doc_tokens()[0].token;
    let mut mint = bin();
    mint.args([
        "mint",
        "sdk",
        "--role",
        "admin",
        "--lifespan",
        "1h",
        "--ak",
        "a",
    ])
    .env("NETLESS_SK", SENTINEL_SK);
    let mut decode = bin();
    decode.args(["decode", token]);
    let mut help = bin();
    help.arg("--help");
    let mut json = bin();
    json.args(["decode", "--json", token]);
    for (what, cmd) in [
        ("mint", &mut mint),
        ("decode", &mut decode),
        ("--help", &mut help),
        ("decode --json", &mut json),
    ] {
        let out = run_into_closed_pipe(cmd.env("RUST_BACKTRACE", "1"));
        assert_eq!(out.status.code(), Some(141), "{what}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{what} printed on stderr");
    }
}

/// Runs `netless-token ARGS` with standard output closed before it starts (`>&-`), through
/// `sh`, which closes the descriptor and then `exec`s the program.
fn run_with_stdout_closed(args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" "$@" >&-"#)
        .arg(env!("CARGO_BIN_EXE_netless-token"))
        .args(args)
        .env_remove("NETLESS_AK")
        .env("NETLESS_SK", SENTINEL_SK)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run sh")
}

#[test]
fn a_stdout_closed_before_the_start_fails_with_one_line_instead_of_losing_the_token() {
    let token = &doc_tokens()[0].token;
    let mint = [
        "mint",
        "sdk",
        "--role",
        "admin",
        "--lifespan",
        "1h",
        "--ak",
        "a",
    ];
    for args in [&mint[..], &["decode", token], &["--help"]] {
        let out = run_with_stdout_closed(args);
        assert_one_line_error(&out, 1, "stdout: standard output is closed");
    }
    // A redirection to /dev/null is the user's choice, and succeeds.
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"exec "$0" "$@" >/dev/null"#)
        .arg(env!("CARGO_BIN_EXE_netless-token"))
        .args(mint)
        .env("NETLESS_SK", SENTINEL_SK)
        .output()
        .expect("run sh");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_mistyped_flag_or_command_keeps_clap_suggestion() {
    let out = run(
        bin()
            .args(["mint", "sdk", "--role", "0", "--lifespam", "1h"])
            .env("NETLESS_AK", "ak")
            .env("NETLESS_SK", SENTINEL_SK),
        None,
    );
    assert_one_line_error(&out, 2, "--lifespam");
    assert!(stderr(&out).contains("'--lifespan'"), "{}", stderr(&out));
    let out = run(bin().args(["mnt", "sdk"]), None);
    assert_one_line_error(&out, 2, "mnt");
    assert!(stderr(&out).contains("'mint'"), "{}", stderr(&out));
}

#[test]
fn decode_of_empty_stdin_says_stdin_was_empty() {
    for input in ["", "  \n"] {
        let out = run(bin().args(["decode", "-"]), Some(input));
        assert_one_line_error(&out, 1, "token");
        assert!(
            stderr(&out).contains("standard input was empty"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn verify_names_kinds_as_people_write_them() {
    let token = &doc_tokens()[1].token;
    let out = run(
        bin()
            .args(["verify", token, "--kind", "sdk"])
            .env("NETLESS_SK", "wrong"),
        None,
    );
    // The signature is checked first, so a wrong secret fails before the kind; mint one.
    assert_one_line_error(&out, 1, "sig");
    let room = run(
        bin()
            .args([
                "mint",
                "room",
                "--role",
                "0",
                "--lifespan",
                "0",
                "--uuid",
                "r",
                "--ak",
                "a",
            ])
            .env("NETLESS_SK", SENTINEL_SK),
        None,
    );
    let out = run(
        bin()
            .args(["verify", stdout(&room).trim(), "--kind", "sdk"])
            .env("NETLESS_SK", SENTINEL_SK),
        None,
    );
    assert_one_line_error(&out, 1, "kind");
    assert!(
        stderr(&out).contains("expected an SDK token, found a Room token"),
        "{}",
        stderr(&out)
    );
}
