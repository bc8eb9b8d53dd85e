//! `netless-token serve` as a process on an ephemeral loopback port: what only a real process
//! and real sockets show. Every endpoint's statuses and messages are tested in process, without
//! sockets, in `cli/src/serve/tests.rs`; here, one end-to-end smoke test with a real HTTP client
//! (tokens checked with the library), keys from the command line, the environment and key
//! files, the log on stderr without secrets, a clean stop on SIGTERM, and refusals that reach the
//! client on a reused connection. Then the faults, over raw loopback sockets: a closed or stalled
//! stderr, clients that half-close, JSON bodies for every failure the server writes (malformed
//! and cut-short bodies among them), headers over the limit, the connection cap, the listen
//! backlog, timeouts, and SIGTERM under keep-alive load with no request lost. Every loop is
//! bounded, and every time bound is generous (seconds), never a speed claim.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use netless_token::{KeyPair, Keyring, Role, SecretKey, TokenKind, Validation};
use reqwest::blocking::Client;
use serde_json::{json, Value};

const AK: &str = "server-test-ak";
const SK: &str = "server-test-sk-5d1c";

struct Server {
    child: Child,
    base: String,
    client: Client,
}

/// The keys every test server runs with.
const KEYS: [(&str, &str); 2] = [("NETLESS_AK", AK), ("NETLESS_SK", SK)];

impl Server {
    fn start() -> Server {
        Self::start_with(&[], &KEYS)
    }

    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        Self::spawn(args, env, Stdio::piped())
    }

    /// Starts the server with `args`, its stderr going to `stderr`.
    fn spawn(args: &[&str], env: &[(&str, &str)], stderr: Stdio) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_netless-token"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("NETLESS_AK")
            .env_remove("NETLESS_SK")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(stderr);
        let mut child = cmd.spawn().expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let client = Client::builder().no_proxy().build().unwrap();
        Server {
            child,
            base,
            client,
        }
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().expect("request");
        let status = response.status().as_u16();
        let text = response.text().unwrap();
        let value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
        (status, value)
    }

    /// `POST /v5/tokens/teams` for the key pair `ak`, `sk`.
    fn teams(&self, ak: &str, sk: &str, lifespan: u64, role: &str) -> (u16, Value) {
        self.post(
            "/v5/tokens/teams",
            &[("region", "us-sv")],
            &json!({"accessKey": ak, "secretAccessKey": sk, "lifespan": lifespan, "role": role})
                .to_string(),
        )
    }

    /// An SDK token for the test key pair.
    fn sdk_token(&self, role: &str, lifespan: u64) -> String {
        let (status, body) = self.teams(AK, SK, lifespan, role);
        assert_eq!(status, 201, "{body}");
        body.as_str().unwrap().to_owned()
    }

    /// The address the server listens on.
    fn addr(&self) -> SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("an address")
    }

    /// Sends `signal` (`TERM`, `STOP`, `CONT`) to the server.
    fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits at most `limit` for the server to exit; its exit success, or `None` if it is still
    /// running.
    fn wait_at_most(&mut self, limit: Duration) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Stops the server with SIGTERM; returns its exit success and everything it logged.
    fn stop(mut self) -> (bool, String) {
        self.signal("TERM");
        let status = self.child.wait().unwrap();
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut log).unwrap();
        }
        (status.success(), log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.insert(KeyPair::new(AK, &SecretKey::new(SK).unwrap()).unwrap());
    keyring
}

#[track_caller]
fn assert_failure(result: (u16, Value), status: u16, field: &str) {
    let (got, body) = result;
    assert_eq!(got, status, "{body}");
    let message = body["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no message: {body}"));
    assert!(
        message.starts_with(&format!("{field}: ")),
        "{message:?} should name {field}"
    );
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
}

#[test]
fn a_real_client_gets_tokens_that_verify_end_to_end() {
    // One smoke test over a real socket: every status and message is tested in process, in
    // cli/src/serve/tests.rs.
    let server = Server::start();
    let health = server
        .client
        .get(format!("{}/healthz", server.base))
        .send()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.json::<Value>().unwrap(), json!({"status": "ok"}));
    let before = unix_time_ms();
    let sdk = server.sdk_token("writer", 3_600_000);
    let after = unix_time_ms();
    let verified = keyring()
        .verify(&sdk, &Validation::new().expect_kind(TokenKind::Sdk))
        .unwrap();
    assert_eq!((verified.ak(), verified.role()), (AK, Role::Writer));
    let expire_at = verified.expire_at().unwrap();
    assert!((before + 3_600_000..=after + 3_600_000).contains(&expire_at));
    let uuid = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
    let (status, body) = server.post(
        &format!("/v5/tokens/rooms/{uuid}"),
        &[("region", "cn-hz"), ("token", &sdk)],
        &json!({"lifespan": 600000, "role": "reader", "ak": AK}).to_string(),
    );
    assert_eq!(status, 201, "{body}");
    let room = keyring()
        .verify(
            body.as_str().unwrap(),
            &Validation::new().expect_kind(TokenKind::Room),
        )
        .unwrap();
    assert_eq!((room.role(), room.uuid()), (Role::Reader, Some(uuid)));
    // A refusal, as JSON naming its field.
    assert_failure(
        server.post("/v5/tokens/rooms/r1", &[("region", "sg")], "{}"),
        401,
        "token",
    );
}

#[test]
fn refusals_before_or_past_the_body_limit_reach_the_client_on_a_reused_connection() {
    // The server answers before it has read the body; what is left of it is read and discarded,
    // so the client gets the answer rather than a reset, again and again.
    let server = Server::start();
    let sdk = server.sdk_token("admin", 0);
    let big = "x".repeat(20 * 1024);
    for _ in 0..30 {
        assert_failure(
            server.post("/v5/tokens/rooms/r1", &[("region", "sg")], &big),
            401,
            "token",
        );
        assert_failure(
            server.post(
                "/v5/tokens/rooms/r1",
                &[("region", "sg"), ("token", &sdk)],
                &big,
            ),
            413,
            "body",
        );
        assert_failure(server.post("/v5/tokens/teams", &[], &big), 400, "region");
        assert_failure(
            server.post("/v5/tokens/teams", &[("region", "sg")], &big),
            413,
            "body",
        );
        assert_failure(server.post("/v5/nowhere", &[], &big), 404, "path");
        assert_failure(server.post("/v5/tokens/rooms/", &[], &big), 400, "uuid");
    }
}

#[test]
fn key_files_hold_several_pairs_and_rotating_secrets() {
    let dir = std::env::temp_dir().join(format!("netless-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys");
    std::fs::write(
        &path,
        format!("# comment\n{AK} old-secret\n{AK} {SK}\n\nsecond-ak second-sk\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let server = Server::start_with(&["--keys-file", path.to_str().unwrap()], &[]);
    for (ak, sk) in [(AK, "old-secret"), (AK, SK), ("second-ak", "second-sk")] {
        let (status, body) = server.teams(ak, sk, 0, "reader");
        assert_eq!(status, 201, "{ak}: {body}");
    }
    drop(server);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_netless-token"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--keys-file",
                path.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("chmod 600") && !err.contains(SK), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_access_key_comes_from_ak_as_for_the_other_commands() {
    // --ak on the command line, as mint and verify take it; NETLESS_AK is its default.
    let server = Server::start_with(&["--ak", "flag-ak"], &[("NETLESS_SK", SK)]);
    assert_eq!(server.teams("flag-ak", SK, 0, "reader").0, 201);
    assert_failure(server.teams(AK, SK, 0, "reader"), 401, "accessKey");
    drop(server);
    // The flag wins over the variable, as clap does for every command.
    let server = Server::start_with(&["--ak", "flag-ak"], &KEYS);
    assert_failure(server.teams(AK, SK, 0, "reader"), 401, "accessKey");
    assert_eq!(server.teams("flag-ak", SK, 0, "reader").0, 201);
}

#[test]
fn without_a_secret_key_serve_names_its_own_key_file_flag() {
    // `serve` reads key files with --keys-file; --sk-file belongs to mint and verify.
    let out = Command::new(env!("CARGO_BIN_EXE_netless-token"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("NETLESS_SK")
        .env("NETLESS_AK", AK)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err,
        "netless-token: sk: no secret key: set NETLESS_SK or pass --keys-file PATH\n"
    );
    // The same message from mint names mint's flag.
    let out = Command::new(env!("CARGO_BIN_EXE_netless-token"))
        .args(["mint", "sdk", "--role", "admin", "--lifespan", "1h"])
        .env_remove("NETLESS_SK")
        .env("NETLESS_AK", AK)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("pass --sk-file PATH"), "{err}");
}

#[test]
fn logs_one_line_per_request_without_secrets_or_tokens_and_stops_cleanly_on_sigterm() {
    let server = Server::start();
    let sdk = server.sdk_token("admin", 0);
    let (status, body) = server.post(
        "/v5/tokens/rooms/r1",
        &[("region", "sg"), ("token", &sdk)],
        &json!({"lifespan": 0, "role": "reader"}).to_string(),
    );
    assert_eq!(status, 201);
    let room = body.as_str().unwrap().to_owned();
    server.teams(AK, "wrong", 0, "admin");
    let (clean, log) = server.stop();
    assert!(clean, "did not exit cleanly: {log}");
    let requests: Vec<&str> = log.lines().filter(|l| l.starts_with("POST ")).collect();
    assert_eq!(requests.len(), 3, "{log}");
    assert!(
        requests[0].starts_with("POST /v5/tokens/teams 201 "),
        "{log}"
    );
    assert!(log.contains("SIGTERM"), "{log}");
    for secret in [SK, "wrong", &sdk, &room, &sdk[12..40], &room[12..40]] {
        assert!(!log.contains(secret), "the log holds {secret:?}: {log}");
    }
}

// ---- Faults: raw HTTP/1.1 over loopback sockets ----

/// One response read off a raw connection.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    /// Header names in lower case, with their values.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the server said this connection takes no further request.
    fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }

    /// Asserts a JSON failure `{"message": "field: ..."}` with the JSON content type.
    #[track_caller]
    fn assert_json_failure(&self, status: u16, field: &str) {
        let text = String::from_utf8_lossy(&self.body);
        assert_eq!(self.status, status, "{self:?} {text}");
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        let body: Value =
            serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        assert_failure((self.status, body), status, field);
    }
}

/// Reads one response; `Ok(None)` when the connection closed before its first byte.
fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<RawResponse>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').expect("a header line");
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Some(RawResponse {
        status,
        headers,
        body,
    }))
}

/// A connection with generous timeouts: a test fails, it does not hang.
fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Sends `request` on a new connection, half-closing it after when `half_close`, and reads
/// the one response.
fn exchange(addr: SocketAddr, request: &[u8], half_close: bool) -> RawResponse {
    let mut stream = connect(addr);
    stream.write_all(request).unwrap();
    if half_close {
        stream.shutdown(Shutdown::Write).unwrap();
    }
    read_response(&mut BufReader::new(stream))
        .expect("a response")
        .expect("a response, not a closed connection")
}

/// A complete `POST /v5/tokens/teams` for the test key pair.
fn teams_request() -> Vec<u8> {
    let body = json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": 0, "role": "reader"})
        .to_string();
    format!(
        "POST /v5/tokens/teams HTTP/1.1\r\nhost: test\r\nregion: eu\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nhost: test\r\n\r\n";

/// Sends `count` `GET /healthz` back to back on one keep-alive connection; how many got 200.
fn healthz_many(addr: SocketAddr, count: usize) -> usize {
    let mut stream = connect(addr);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut ok = 0;
    for _ in 0..count {
        stream.write_all(HEALTHZ).unwrap();
        match read_response(&mut reader) {
            Ok(Some(response)) if response.status == 200 => ok += 1,
            _ => break,
        }
    }
    ok
}

/// The server's log lines as they come, read by a thread of their own.
fn log_lines(server: &mut Server) -> std::sync::mpsc::Receiver<String> {
    let stderr = server.child.stderr.take().expect("stderr piped");
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    lines_rx
}

/// Waits (10 s at most) for a log line holding `needle`.
#[track_caller]
fn wait_for_line(lines: &std::sync::mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no log line with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

#[test]
fn a_closed_stderr_neither_fails_requests_nor_stops_the_server() {
    // A pipe whose reader is gone: every log write fails with EPIPE.
    let mut server = Server::spawn(&[], &KEYS, Stdio::piped());
    drop(server.child.stderr.take());
    for _ in 0..50 {
        assert!(server.sdk_token("admin", 0).starts_with("NETLESSSDK_"));
    }
    assert_eq!(healthz_many(server.addr(), 500), 500);
    let (clean, _) = server.stop();
    assert!(clean, "did not exit 0 with a closed stderr");

    // A full device: every log write fails with ENOSPC.
    #[cfg(target_os = "linux")]
    {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let server = Server::spawn(&[], &KEYS, Stdio::from(full));
        for _ in 0..50 {
            server.sdk_token("writer", 0);
        }
        assert_eq!(healthz_many(server.addr(), 500), 500);
        let (clean, _) = server.stop();
        assert!(clean, "did not exit 0 with stderr on /dev/full");
    }
}

#[test]
fn a_stalled_stderr_holds_up_no_request_and_no_shutdown_and_drops_are_reported() {
    // Far more log lines than the pipe (64 KiB) and the log queue hold together.
    const REQUESTS: usize = 8_000;
    let mut server = Server::start();
    let stderr = server.child.stderr.take().unwrap();
    assert_eq!(healthz_many(server.addr(), REQUESTS), REQUESTS);

    // Once the sink drains, the count of dropped lines is reported, and logging goes on.
    let (lines_tx, lines_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut stderr = BufReader::new(stderr);
        let mut line = String::new();
        loop {
            line.clear();
            match stderr.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let report = line.contains("log line(s) dropped");
                    let _ = lines_tx.send(line.clone());
                    if report {
                        break;
                    }
                }
            }
        }
        // Handed back unread from here on: the pipe stalls again.
        stderr
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let report = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .expect("no report of dropped log lines");
        if line.contains("log line(s) dropped") {
            break line;
        }
    };
    let dropped: u64 = report
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{report:?}"));
    assert!(dropped > 0, "{report:?}");
    let _stalled = reader.join().unwrap();

    // Stalled again: requests are still answered, and SIGTERM still stops the server.
    assert_eq!(healthz_many(server.addr(), REQUESTS), REQUESTS);
    server.signal("TERM");
    assert_eq!(
        server.wait_at_most(Duration::from_secs(5)),
        Some(true),
        "no prompt exit 0 on SIGTERM with a stalled stderr"
    );
}

#[test]
fn a_client_that_half_closes_after_its_request_gets_the_answer() {
    let server = Server::start();
    for _ in 0..100 {
        let response = exchange(server.addr(), &teams_request(), true);
        assert_eq!(response.status, 201, "{response:?}");
        let token: Value = serde_json::from_slice(&response.body).unwrap();
        assert!(token.as_str().unwrap().starts_with("NETLESSSDK_"));
    }
    let response = exchange(server.addr(), HEALTHZ, true);
    assert_eq!(response.status, 200);
}

#[test]
fn every_failure_the_server_writes_is_json_naming_the_field() {
    let server = Server::start_with(&["--request-timeout", "1s"], &KEYS);
    let addr = server.addr();

    // A body that never comes: 408 within the configured second (allowed 5 s here).
    let mut stream = connect(addr);
    stream
        .write_all(
            b"POST /v5/tokens/teams HTTP/1.1\r\nhost: test\r\nregion: eu\r\n\
              content-length: 100\r\n\r\n{\"accessKey\"",
        )
        .unwrap();
    let sent = Instant::now();
    let response = read_response(&mut BufReader::new(stream)).unwrap().unwrap();
    assert!(sent.elapsed() < Duration::from_secs(5));
    response.assert_json_failure(408, "body");
    assert!(response.closes(), "{response:?}");

    // A uuid whose escapes are not UTF-8.
    let sdk = server.sdk_token("admin", 0);
    let request = format!(
        "POST /v5/tokens/rooms/%FF%FE HTTP/1.1\r\nhost: test\r\nregion: eu\r\ntoken: {sdk}\r\n\
         content-length: 2\r\n\r\n{{}}"
    );
    exchange(addr, request.as_bytes(), false).assert_json_failure(400, "uuid");

    // Malformed chunked bodies: a 400 naming the body, not a 413.
    let chunked = "POST /v5/tokens/teams HTTP/1.1\r\nhost: test\r\nregion: eu\r\n\
                   transfer-encoding: chunked\r\n\r\n";
    exchange(
        addr,
        format!("{chunked}zz\r\nabc\r\n0\r\n\r\n").as_bytes(),
        false,
    )
    .assert_json_failure(400, "body");
    // Truncated: the client sends part of a chunk, then closes its side.
    exchange(addr, format!("{chunked}10\r\nabc").as_bytes(), true).assert_json_failure(400, "body");
    // A content-length body cut short.
    exchange(
        addr,
        b"POST /v5/tokens/teams HTTP/1.1\r\nhost: test\r\nregion: eu\r\ncontent-length: 50\r\n\r\n{\"a\"",
        true,
    )
    .assert_json_failure(400, "body");
    // Over the limit, chunked: still 413.
    let big = "x".repeat(20_000);
    exchange(
        addr,
        format!("{chunked}{:x}\r\n{big}\r\n0\r\n\r\n", big.len()).as_bytes(),
        false,
    )
    .assert_json_failure(413, "body");

    // The rest, over raw sockets too: content type and shape.
    exchange(addr, b"GET /nowhere HTTP/1.1\r\nhost: test\r\n\r\n", false)
        .assert_json_failure(404, "path");
    exchange(
        addr,
        b"DELETE /healthz HTTP/1.1\r\nhost: test\r\n\r\n",
        false,
    )
    .assert_json_failure(405, "method");
    exchange(
        addr,
        b"POST /v5/tokens/rooms/r1 HTTP/1.1\r\nhost: test\r\nregion: eu\r\ncontent-length: 0\r\n\r\n",
        false,
    )
    .assert_json_failure(401, "token");
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    assert!(log.contains("POST /v5/tokens/teams 408 "), "{log}");
    assert!(log.contains("POST /v5/tokens/rooms/%FF%FE 400 "), "{log}");
}

#[test]
fn headers_over_the_limit_get_431_at_once_and_a_log_line() {
    let server = Server::start();
    let addr = server.addr();
    // A real request with 2 KiB of headers is fine.
    let padded = format!(
        "GET /healthz HTTP/1.1\r\nhost: test\r\nx-pad: {}\r\n\r\n",
        "p".repeat(2048)
    );
    assert_eq!(exchange(addr, padded.as_bytes(), false).status, 200);
    // 9 KiB of one header, never finished: answered without waiting for the end of the headers.
    let mut stream = connect(addr);
    let start = format!(
        "GET /healthz HTTP/1.1\r\nhost: test\r\nx-big: {}",
        "b".repeat(9 * 1024)
    );
    stream.write_all(start.as_bytes()).unwrap();
    let response = read_response(&mut BufReader::new(stream)).unwrap().unwrap();
    assert_eq!(response.status, 431, "{response:?}");
    // Many small headers over the limit too.
    let many: String = (0..600).map(|i| format!("x-h{i}: v\r\n")).collect();
    let request = format!("GET /healthz HTTP/1.1\r\nhost: test\r\n{many}\r\n");
    assert_eq!(exchange(addr, request.as_bytes(), false).status, 431);
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    let rejected = log
        .lines()
        .filter(|l| l.contains("connection rejected") && l.contains("431"))
        .count();
    assert_eq!(rejected, 2, "{log}");
    assert!(!log.contains("bbbbbbbb") && !log.contains("x-h1"), "{log}");
}

#[test]
fn connections_past_the_cap_get_a_json_503_at_once_and_the_cap_frees_up() {
    let server = Server::start_with(&["--max-connections", "2"], &KEYS);
    let addr = server.addr();
    let first = connect(addr);
    let second = connect(addr);
    // Both held: prove the server has them by a request on each.
    for stream in [&first, &second] {
        let mut writer = stream.try_clone().unwrap();
        writer.write_all(HEALTHZ).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        assert_eq!(read_response(&mut reader).unwrap().unwrap().status, 200);
    }
    let refused = exchange(addr, HEALTHZ, false);
    refused.assert_json_failure(503, "connections");
    assert!(refused.closes());
    drop(first);
    // The freed place is taken by the next connection (the server may take a moment to see the
    // close: a few tries, bounded).
    let mut status = 0;
    for _ in 0..50 {
        status = exchange(addr, HEALTHZ, false).status;
        if status == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(status, 200);
    drop(second);
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    assert!(log.contains("connection refused"), "{log}");
}

#[cfg(target_os = "linux")]
#[test]
fn the_listen_backlog_holds_a_burst_of_connections() {
    // With the server stopped, the kernel alone completes connections, up to the backlog; past
    // it, it drops SYNs and connect() waits for a retry (the 128 of TcpListener::bind).
    const BURST: usize = 600;
    let server = Server::start();
    let addr = server.addr();
    server.signal("STOP");
    let mut held = Vec::with_capacity(BURST);
    let mut stalled = None;
    for i in 0..BURST {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(3)) {
            Ok(stream) => held.push(stream),
            Err(e) => {
                stalled = Some((i, e));
                break;
            }
        }
    }
    server.signal("CONT");
    assert!(
        stalled.is_none(),
        "connection {:?} of a burst of {BURST} was not taken by the backlog",
        stalled
    );
    drop(held);
    assert_eq!(healthz_many(addr, 10), 10);

    // And the flag sets it: a backlog of 16 overflows within the same burst.
    let small = Server::start_with(&["--backlog", "16"], &KEYS);
    let addr = small.addr();
    small.signal("STOP");
    let mut held = Vec::new();
    let mut overflowed = false;
    for _ in 0..BURST {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(1500)) {
            Ok(stream) => held.push(stream),
            Err(_) => {
                overflowed = true;
                break;
            }
        }
    }
    small.signal("CONT");
    assert!(overflowed, "{} connections fit a backlog of 16", held.len());
}

#[test]
fn sigterm_under_keep_alive_load_loses_no_request() {
    const CLIENTS: usize = 32;
    // Bounds every client's loop; the server closes them long before.
    const MAX_PER_CLIENT: usize = 100_000;
    let mut server = Server::start();
    let addr = server.addr();
    let sdk = server.sdk_token("admin", 0);
    let room = format!(
        "POST /v5/tokens/rooms/r1 HTTP/1.1\r\nhost: test\r\nregion: sg\r\ntoken: {sdk}\r\n\
         content-length: 35\r\n\r\n{{\"lifespan\":600000,\"role\":\"reader\"}}"
    );
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Connected here, before any thread runs: each is in the server's hands before SIGTERM.
    let streams: Vec<TcpStream> = (0..CLIENTS).map(|_| connect(addr)).collect();
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(i, mut stream)| {
            let (answered, started) = (answered.clone(), started.clone());
            let request = if i % 2 == 0 {
                room.clone().into_bytes()
            } else {
                HEALTHZ.to_vec()
            };
            std::thread::spawn(move || {
                // (answered, lost, told to close)
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut ok, mut lost, mut closed) = (0, 0, false);
                for _ in 0..MAX_PER_CLIENT {
                    if stream.write_all(&request).is_err() {
                        // Closed before this request was sent: not lost.
                        break;
                    }
                    match read_response(&mut reader) {
                        Ok(Some(response)) => {
                            assert!(
                                response.status == 200 || response.status == 201,
                                "{response:?}"
                            );
                            ok += 1;
                            if ok == 1 {
                                started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            if response.closes() {
                                closed = true;
                                break;
                            }
                        }
                        // Sent in full, and no answer: lost.
                        Ok(None) | Err(_) => {
                            lost += 1;
                            break;
                        }
                    }
                }
                (ok, lost, closed)
            })
        })
        .collect();
    // SIGTERM mid-way: once every client is going (bounded wait).
    let deadline = Instant::now() + Duration::from_secs(20);
    while (started.load(std::sync::atomic::Ordering::Relaxed) < CLIENTS
        || answered.load(std::sync::atomic::Ordering::Relaxed) < CLIENTS * 20)
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    server.signal("TERM");
    let exited = server.wait_at_most(Duration::from_secs(15));
    let results: Vec<(usize, usize, bool)> =
        clients.into_iter().map(|c| c.join().unwrap()).collect();
    let lost: usize = results.iter().map(|r| r.1).sum();
    let told: usize = results.iter().filter(|r| r.2).count();
    let total: usize = results.iter().map(|r| r.0).sum();
    assert_eq!(lost, 0, "requests lost at shutdown: {results:?}");
    assert_eq!(
        told, CLIENTS,
        "not every client was told to close: {results:?}"
    );
    assert!(total >= CLIENTS * 20, "{total} answered");
    assert_eq!(exited, Some(true), "no exit 0 within 15 s of SIGTERM");
}

#[test]
fn idle_and_half_sent_connections_do_not_hold_the_exit_past_the_drain_window() {
    // A grace of a minute: only the drain window (1 s) may pass before the exit.
    let mut server = Server::start_with(&["--drain", "1s", "--grace", "60s"], &KEYS);
    let addr = server.addr();
    let _idle = connect(addr);
    let mut half_sent = connect(addr);
    half_sent
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: test\r\nx-slow: aaa")
        .unwrap();
    let mut used = connect(addr);
    used.write_all(HEALTHZ).unwrap();
    let mut reader = BufReader::new(used.try_clone().unwrap());
    assert_eq!(read_response(&mut reader).unwrap().unwrap().status, 200);
    let log = log_lines(&mut server);
    let signalled = Instant::now();
    server.signal("TERM");
    wait_for_line(&log, "shutting down");
    // Within the drain window, the idle keep-alive connection is still served, told to close.
    used.write_all(HEALTHZ).unwrap();
    let last = read_response(&mut reader).unwrap().unwrap();
    assert_eq!(last.status, 200);
    assert!(last.closes(), "{last:?}");
    assert_eq!(server.wait_at_most(Duration::from_secs(10)), Some(true));
    assert!(
        signalled.elapsed() < Duration::from_secs(10),
        "the exit waited for the grace period"
    );
}

#[test]
fn the_idle_timeout_closes_silent_slow_and_idle_keep_alive_connections() {
    let server = Server::start_with(&["--idle-timeout", "1s"], &KEYS);
    let addr = server.addr();
    let mut silent = connect(addr);
    let mut slow = connect(addr);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nhost: test\r\nx-slow: a")
        .unwrap();
    let mut kept = connect(addr);
    kept.write_all(HEALTHZ).unwrap();
    let mut reader = BufReader::new(kept.try_clone().unwrap());
    assert_eq!(read_response(&mut reader).unwrap().unwrap().status, 200);
    let start = Instant::now();
    let mut rest = Vec::new();
    for stream in [&mut silent, &mut slow] {
        // EOF (or a reset), not the 10 s read timeout.
        let _ = stream.read_to_end(&mut rest);
    }
    let _ = reader.read_to_end(&mut rest);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "not closed in time"
    );
    assert!(rest.is_empty());
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    assert!(log.contains("idle timeout"), "{log}");
}

#[test]
fn the_json_log_format_carries_the_request_fields_and_no_secret() {
    let server = Server::start_with(&["--log-format", "json"], &KEYS);
    let sdk = server.sdk_token("admin", 0);
    let (status, _) = server.post(
        "/v5/tokens/rooms/r1",
        &[("region", "sg"), ("token", &sdk)],
        &json!({"lifespan": 0, "role": "reader"}).to_string(),
    );
    assert_eq!(status, 201);
    let (clean, log) = server.stop();
    assert!(clean, "{log}");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let requests: Vec<&Value> = lines.iter().filter(|l| l.get("method").is_some()).collect();
    assert_eq!(requests.len(), 2, "{log}");
    assert_eq!(requests[1]["method"], "POST");
    assert_eq!(requests[1]["path"], "/v5/tokens/rooms/r1");
    assert_eq!(requests[1]["status"], 201);
    assert!(requests[1]["ms"].is_number());
    for secret in [SK, &sdk[12..40]] {
        assert!(!log.contains(secret), "the log holds {secret:?}");
    }
}

/// The system clock in ms since the Unix epoch.
fn unix_time_ms() -> u64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    u64::try_from(since.as_millis()).unwrap()
}

#[test]
fn a_body_far_over_the_limit_always_gets_its_413() {
    // The server answers 413 without reading a body this large, shuts its side, then lingers,
    // reading and discarding what the client still sends, so that the client finishes sending
    // and reads the answer instead of a reset (before: a reset once in a few runs at 1 MiB, and
    // nearly always within 30 runs at 4 MiB).
    let server = Server::start();
    for size in [1 << 20, 4 << 20] {
        let big = "x".repeat(size);
        for round in 0..30 {
            let response = server
                .client
                .post(format!("{}/v5/tokens/teams", server.base))
                .header("region", "eu")
                .body(big.clone())
                .send()
                .unwrap_or_else(|e| panic!("{size} bytes, round {round}: no answer: {e:?}"));
            assert_eq!(
                response.status().as_u16(),
                413,
                "{size} bytes, round {round}"
            );
            // Not to be reused: the rest of the body is not read.
            let close = response.headers().get("connection").cloned();
            assert_eq!(close.as_ref().map(|v| v.as_bytes()), Some(&b"close"[..]));
            let body: Value = response.json().unwrap();
            assert_eq!(
                body,
                json!({"message": "body: over the limit of 16384 bytes"})
            );
        }
    }
}

#[test]
fn a_lingering_close_ends_when_the_client_stalls_or_sends_without_end() {
    let server = Server::start();
    let addr = server.addr();
    let head = b"POST /v5/tokens/teams HTTP/1.1\r\nhost: test\r\nregion: eu\r\n\
                 content-length: 1073741824\r\n\r\n";
    // A client that sends some of its body, then goes silent: the server stops lingering
    // (after a second without data, and 5 s at the latest) and closes. Allowed 15 s here.
    let mut stalled = connect(addr);
    stalled.write_all(head).unwrap();
    stalled.write_all(&[b'x'; 100_000]).unwrap();
    let mut reader = BufReader::new(stalled.try_clone().unwrap());
    let response = read_response(&mut reader).unwrap().unwrap();
    response.assert_json_failure(413, "body");
    assert!(response.closes(), "{response:?}");
    // EOF: the server shut its side after the answer.
    let mut rest = Vec::new();
    assert_eq!(reader.read_to_end(&mut rest).ok(), Some(0));
    // Once the server has closed, a write fails (at the latest the second one, once the reset
    // has come back). Probes 2 s apart, more than the idle bound.
    let start = Instant::now();
    let mut closed = false;
    while !closed && start.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_secs(2));
        closed = stalled.write_all(b"x").is_err() || {
            std::thread::sleep(Duration::from_millis(100));
            stalled.write_all(b"x").is_err()
        };
    }
    assert!(closed, "the server still lingers after 15 s");

    // A client that never stops sending (1 GiB declared): the server reads a bounded amount,
    // then closes, and the client's writes fail long before its body is sent.
    let mut endless = connect(addr);
    endless.write_all(head).unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0usize;
    let start = Instant::now();
    while sent < 256 << 20 && start.elapsed() < Duration::from_secs(30) {
        match endless.write(&chunk) {
            Ok(n) => sent += n,
            Err(_) => break,
        }
    }
    assert!(
        sent < 256 << 20 && start.elapsed() < Duration::from_secs(30),
        "the server read {sent} bytes of an endless body and kept the connection"
    );
    let mut reader = BufReader::new(endless);
    let response = read_response(&mut reader);
    // The answer may have been lost to the reset by then; if it was read, it is the 413.
    if let Ok(Some(response)) = response {
        response.assert_json_failure(413, "body");
    }
    drop(server);
}
