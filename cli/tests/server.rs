//! `netless-token serve` as a process on an ephemeral loopback port, called with a real HTTP
//! client: every endpoint, every status, role delegation across all 3x3 role pairs, key files,
//! logs without secrets, and a clean stop on SIGTERM. Tokens it returns are checked with the
//! library.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};

use netless_token::{
    decode, mint, unix_time_ms, KeyPair, Keyring, Role, SecretKey, TokenKind, TokenRequest,
    Validation,
};
use reqwest::blocking::Client;
use serde_json::{json, Value};

const AK: &str = "server-test-ak";
const SK: &str = "server-test-sk-5d1c";

struct Server {
    child: Child,
    base: String,
    client: Client,
}

impl Server {
    fn start() -> Server {
        Self::start_with(&[], &[("NETLESS_AK", AK), ("NETLESS_SK", SK)])
    }

    fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_netless-token"));
        cmd.args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("NETLESS_AK")
            .env_remove("NETLESS_SK")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
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

    fn sdk_token(&self, role: &str, lifespan: u64) -> String {
        let (status, body) = self.post(
            "/v5/tokens/teams",
            &[("region", "us-sv")],
            &json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": lifespan, "role": role})
                .to_string(),
        );
        assert_eq!(status, 201, "{body}");
        body.as_str().unwrap().to_owned()
    }

    /// Stops the server with SIGTERM; returns its exit success and everything it logged.
    fn stop(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let status = self.child.wait().unwrap();
        let mut log = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
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
fn healthz_answers() {
    let server = Server::start();
    let response = server
        .client
        .get(format!("{}/healthz", server.base))
        .send()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.json::<Value>().unwrap(), json!({"status": "ok"}));
}

#[test]
fn teams_issues_an_sdk_token_that_verifies_with_the_requested_fields() {
    let server = Server::start();
    for (word, role) in [
        ("admin", Role::Admin),
        ("writer", Role::Writer),
        ("reader", Role::Reader),
    ] {
        let before = unix_time_ms().unwrap();
        let token = server.sdk_token(word, 3_600_000);
        let after = unix_time_ms().unwrap();
        let verified = keyring()
            .verify(&token, &Validation::new().expect_kind(TokenKind::Sdk))
            .unwrap();
        assert_eq!(
            (verified.ak(), verified.role(), verified.uuid()),
            (AK, role, None)
        );
        let expire_at = verified.expire_at().unwrap();
        assert!((before + 3_600_000..=after + 3_600_000).contains(&expire_at));
    }
    // Lifespan 0: never expires.
    assert_eq!(
        decode(&server.sdk_token("admin", 0)).unwrap().expire_at(),
        None
    );
}

#[test]
fn teams_refuses_bad_requests_with_the_right_status() {
    let server = Server::start();
    let good = json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": 60000, "role": "admin"});
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body.to_string()
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(key);
        body.to_string()
    };
    let teams =
        |headers: &[(&str, &str)], body: &str| server.post("/v5/tokens/teams", headers, body);
    let eu = [("region", "eu")];
    assert_failure(teams(&[], &good.to_string()), 400, "region");
    assert_failure(
        teams(&[("region", "mars")], &good.to_string()),
        400,
        "region",
    );
    assert_failure(
        teams(&[("region", "US-SV")], &good.to_string()),
        400,
        "region",
    );
    for region in ["us-sv", "sg", "in-mum", "eu", "gb-lon", "cn-hz"] {
        assert_eq!(
            teams(&[("region", region)], &good.to_string()).0,
            201,
            "{region}"
        );
    }
    assert_failure(
        teams(&eu, &with("secretAccessKey", json!("wrong"))),
        401,
        "accessKey",
    );
    assert_failure(
        teams(&eu, &with("accessKey", json!("unknown-ak"))),
        401,
        "accessKey",
    );
    assert_failure(teams(&eu, "{\"accessKey\": "), 400, "body");
    assert_failure(teams(&eu, "[1, 2]"), 400, "body");
    assert_failure(teams(&eu, ""), 400, "body");
    assert_failure(teams(&eu, &with("lifespan", json!(-1))), 400, "lifespan");
    assert_failure(teams(&eu, &with("lifespan", json!(1.5))), 400, "lifespan");
    assert_failure(teams(&eu, &with("lifespan", json!("1h"))), 400, "lifespan");
    assert_failure(teams(&eu, &with("role", json!("owner"))), 400, "role");
    assert_failure(teams(&eu, &with("role", json!(0))), 400, "role");
    assert_failure(teams(&eu, &with("accessKey", json!(42))), 400, "accessKey");
    assert_failure(
        teams(&eu, &with("secretAccessKey", json!(""))),
        400,
        "secretAccessKey",
    );
    for key in ["accessKey", "secretAccessKey", "lifespan", "role"] {
        assert_failure(teams(&eu, &without(key)), 400, key);
    }
    assert_failure(
        teams(&eu, &with("lifespan", json!(u64::MAX))),
        400,
        "expireAt",
    );
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000));
    assert_failure(teams(&eu, &huge), 413, "body");
}

#[test]
fn rooms_and_tasks_issue_tokens_that_verify_with_the_requested_fields() {
    let server = Server::start();
    let sdk = server.sdk_token("admin", 3_600_000);
    for (path, kind) in [("rooms", TokenKind::Room), ("tasks", TokenKind::Task)] {
        let uuid = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
        let (status, body) = server.post(
            &format!("/v5/tokens/{path}/{uuid}"),
            &[("region", "cn-hz"), ("token", &sdk)],
            &json!({"lifespan": 600000, "role": "writer", "ak": AK}).to_string(),
        );
        assert_eq!(status, 201, "{body}");
        let token = body.as_str().unwrap();
        let verified = keyring()
            .verify(token, &Validation::new().expect_kind(kind))
            .unwrap();
        assert_eq!(
            (verified.role(), verified.uuid(), verified.ak()),
            (Role::Writer, Some(uuid), AK)
        );
        assert!(verified.expire_at().is_some());
    }
}

#[test]
fn role_delegation_allows_equal_or_inferior_roles_across_all_pairs() {
    let server = Server::start();
    let words = ["admin", "writer", "reader"];
    for (i, sdk_role) in words.iter().enumerate() {
        let sdk = server.sdk_token(sdk_role, 3_600_000);
        for (j, wanted) in words.iter().enumerate() {
            let result = server.post(
                "/v5/tokens/rooms/room-1",
                &[("region", "sg"), ("token", &sdk)],
                &json!({"lifespan": 0, "role": wanted}).to_string(),
            );
            if j >= i {
                assert_eq!(result.0, 201, "{sdk_role} issuing {wanted}: {}", result.1);
                let token = result.1.as_str().unwrap();
                assert_eq!(decode(token).unwrap().role().as_word(), *wanted);
            } else {
                assert_failure(result, 403, "role");
            }
        }
    }
}

#[test]
fn rooms_and_tasks_refuse_bad_sdk_tokens_and_requests() {
    let server = Server::start();
    let sdk = server.sdk_token("writer", 3_600_000);
    let body = json!({"lifespan": 60000, "role": "reader"}).to_string();
    let room =
        |headers: &[(&str, &str)], body: &str| server.post("/v5/tokens/rooms/r1", headers, body);

    assert_failure(room(&[("region", "sg")], &body), 401, "token");
    assert_failure(
        room(&[("region", "sg"), ("token", "NETLESSSDK_garbage")], &body),
        401,
        "token",
    );
    let sk = SecretKey::new(SK).unwrap();
    let expired = mint(
        AK,
        &sk,
        &TokenRequest::sdk(Role::Admin, 1_000),
        1_000_000,
        "n",
    )
    .unwrap();
    assert_failure(
        room(&[("region", "sg"), ("token", &expired)], &body),
        401,
        "token",
    );
    let other_key = mint(
        AK,
        &SecretKey::new("not-the-key").unwrap(),
        &TokenRequest::sdk(Role::Admin, 0),
        0,
        "n",
    )
    .unwrap();
    assert_failure(
        room(&[("region", "sg"), ("token", &other_key)], &body),
        401,
        "token",
    );
    let unknown_ak = mint("other-ak", &sk, &TokenRequest::sdk(Role::Admin, 0), 0, "n").unwrap();
    assert_failure(
        room(&[("region", "sg"), ("token", &unknown_ak)], &body),
        401,
        "token",
    );
    let room_token = mint(AK, &sk, &TokenRequest::room(Role::Admin, 0, "r1"), 0, "n").unwrap();
    assert_failure(
        room(&[("region", "sg"), ("token", &room_token)], &body),
        401,
        "token",
    );
    assert_failure(room(&[("token", &sdk)], &body), 400, "region");
    assert_failure(
        room(
            &[("region", "sg"), ("token", &sdk)],
            &json!({"ak": "another", "lifespan": 0, "role": "reader"}).to_string(),
        ),
        403,
        "ak",
    );
    assert_failure(
        room(
            &[("region", "sg"), ("token", &sdk)],
            &json!({"ak": 7, "lifespan": 0, "role": "reader"}).to_string(),
        ),
        400,
        "ak",
    );
    assert_failure(
        room(&[("region", "sg"), ("token", &sdk)], "not json"),
        400,
        "body",
    );
    assert_failure(
        room(
            &[("region", "sg"), ("token", &sdk)],
            &json!({"lifespan": -5, "role": "reader"}).to_string(),
        ),
        400,
        "lifespan",
    );
    assert_failure(
        room(
            &[("region", "sg"), ("token", &sdk)],
            &json!({"lifespan": 0, "role": "guest"}).to_string(),
        ),
        400,
        "role",
    );
    let long_uuid = format!("/v5/tokens/tasks/{}", "u".repeat(129));
    assert_failure(
        server.post(&long_uuid, &[("region", "sg"), ("token", &sdk)], &body),
        400,
        "uuid",
    );
    let fits = format!("/v5/tokens/tasks/{}", "u".repeat(128));
    assert_eq!(
        server
            .post(&fits, &[("region", "sg"), ("token", &sdk)], &body)
            .0,
        201
    );
    assert_failure(
        server.post(
            "/v5/tokens/rooms/",
            &[("region", "sg"), ("token", &sdk)],
            &body,
        ),
        400,
        "uuid",
    );
    assert_failure(
        server.post(
            "/v5/tokens/tasks/",
            &[("region", "sg"), ("token", &sdk)],
            &body,
        ),
        400,
        "uuid",
    );
}

#[test]
fn unknown_paths_wrong_methods_and_big_bodies_get_json_errors() {
    let server = Server::start();
    assert_failure(server.post("/v5/tokens/users", &[], "{}"), 404, "path");
    assert_failure(server.post("/", &[], "{}"), 404, "path");
    let get = server
        .client
        .get(format!("{}/v5/tokens/teams", server.base))
        .send()
        .unwrap();
    assert_eq!(get.status().as_u16(), 405);
    assert!(get.json::<Value>().unwrap()["message"]
        .as_str()
        .unwrap()
        .starts_with("method: "));
    let put = server
        .client
        .put(format!("{}/v5/tokens/rooms/r1", server.base))
        .send()
        .unwrap();
    assert_eq!(put.status().as_u16(), 405);
    let big = "x".repeat(17 * 1024);
    // Authentication comes before the body is read.
    assert_failure(
        server.post("/v5/tokens/rooms/r1", &[("region", "sg")], &big),
        401,
        "token",
    );
    let sdk = server.sdk_token("admin", 0);
    assert_failure(
        server.post(
            "/v5/tokens/rooms/r1",
            &[("region", "sg"), ("token", &sdk)],
            &big,
        ),
        413,
        "body",
    );
    assert_failure(
        server.post("/v5/tokens/teams", &[("region", "sg")], &big),
        413,
        "body",
    );
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
        let (status, body) = server.post(
            "/v5/tokens/teams",
            &[("region", "eu")],
            &json!({"accessKey": ak, "secretAccessKey": sk, "lifespan": 0, "role": "reader"})
                .to_string(),
        );
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
    server.post(
        "/v5/tokens/teams",
        &[("region", "eu")],
        &json!({"accessKey": AK, "secretAccessKey": "wrong", "lifespan": 0, "role": "admin"})
            .to_string(),
    );
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
