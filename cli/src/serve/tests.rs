//! The service in process, without sockets: the router from [`app`] gets one request through
//! `tower::ServiceExt::oneshot`, and the test reads the status, headers and body. Every status
//! and message of the README's table, the regions, all 3x3 role pairs for rooms and tasks, the
//! order in which fields are checked, and the body limits. Expected messages are written out
//! here (or, for the library's own refusals, taken from the library), never from our answers.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::Response;
use http_body_util::BodyExt as _;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use netless_token::{
    decode, KeyPair, Keyring, MintError, Role, SecretKey, TokenKind, TokenRequest, Validation,
    VerifiedToken,
};
use serde_json::{json, Value};
use tower::ServiceExt as _;

use super::app::app;

/// The access key of the test key pair.
const AK: &str = "in-process-ak";
/// The secret key of the test key pair.
const SK: &str = "in-process-sk-7c2e";
/// Every region the service documents, written out as the README lists them.
const REGIONS: [&str; 6] = ["us-sv", "sg", "in-mum", "eu", "gb-lon", "cn-hz"];
// The messages the README lists, written out.
/// No `region` header.
const REGION_MISSING: &str = "region: missing; one of us-sv, sg, in-mum, eu, gb-lon, cn-hz";
/// A `region` not in the list.
const REGION_UNKNOWN: &str = "region: must be one of us-sv, sg, in-mum, eu, gb-lon, cn-hz";
/// A negative, fractional or too large `lifespan`.
const NOT_WHOLE_MS: &str = "lifespan: must be a whole number of milliseconds, 0 or more";
/// A `lifespan` that is not a JSON number.
const NOT_A_NUMBER: &str = "lifespan: must be a number of milliseconds";
/// A `role` string that is not a role word.
const NOT_A_ROLE: &str = "role: must be admin, writer or reader";
/// A body over 16 KiB.
const TOO_LARGE: &str = "body: over the limit of 16384 bytes";
/// A key pair that is not a configured one.
const WRONG_PAIR: &str = "accessKey: unknown access key or wrong secretAccessKey";
/// No `token` header.
const NO_TOKEN: &str = "token: missing; send an SDK token in the token header";
/// A uuid over 128 bytes, or with a control character.
const UUID_TOO_LONG: &str = "uuid: must be at most 128 bytes without control characters";
/// A uuid whose escapes are not UTF-8.
const UUID_NOT_UTF8: &str = "uuid: must be UTF-8 once its %-escapes are decoded";
/// No uuid.
const UUID_EMPTY: &str = "uuid: must not be empty";

/// The keyring every test service answers from.
fn keyring() -> Keyring {
    let mut keyring = Keyring::new();
    keyring.insert(KeyPair::new(AK, &SecretKey::new(SK).unwrap()).unwrap());
    keyring
}

/// One answer, read whole.
#[derive(Debug)]
struct Answer {
    /// The status.
    status: StatusCode,
    /// The `content-type` header.
    content_type: Option<String>,
    /// The `connection` header.
    connection: Option<String>,
    /// The body.
    body: Vec<u8>,
}

impl Answer {
    /// The answer's body as JSON.
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// The `{"message"}` of a failure of `status`, which must be the only member of a JSON
    /// object sent as `application/json`.
    #[track_caller]
    fn message(&self, status: u16) -> String {
        let body = self.json();
        assert_eq!(self.status.as_u16(), status, "{body}");
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
        body["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message: {body}"))
            .to_owned()
    }

    /// Asserts a failure of `status` with exactly `message`.
    #[track_caller]
    fn refused(&self, status: u16, message: &str) {
        assert_eq!(self.message(status), message);
    }

    /// The token of a `201`, sent as a JSON string.
    #[track_caller]
    fn token(&self) -> String {
        let body = self.json();
        assert_eq!(self.status, StatusCode::CREATED, "{body}");
        assert_eq!(self.content_type.as_deref(), Some("application/json"));
        body.as_str()
            .unwrap_or_else(|| panic!("not a JSON string: {body}"))
            .to_owned()
    }
}

/// Sends `request` to a service with a request timeout of `timeout`.
async fn send_within(timeout: Duration, request: Request<Body>) -> Answer {
    let Ok(response) = app(keyring(), timeout).oneshot(request).await;
    read(response).await
}

/// Sends `request` to a service with the default request timeout.
async fn send(request: Request<Body>) -> Answer {
    send_within(Duration::from_secs(10), request).await
}

/// Reads a response whole.
async fn read(response: Response) -> Answer {
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
    };
    let (content_type, connection) = (header("content-type"), header("connection"));
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        connection,
        body: body.to_vec(),
    }
}

/// A request of `method` to `path` with `headers` and `body`.
fn request(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).unwrap()
}

/// `POST /v5/tokens/teams` with `region` (none when empty) and `body`.
async fn teams(region: &str, body: impl Into<Body>) -> Answer {
    let headers: &[(&str, &str)] = if region.is_empty() {
        &[]
    } else {
        &[("region", region)]
    };
    send(request("POST", "/v5/tokens/teams", headers, body)).await
}

/// A teams body for the test key pair.
fn teams_body(lifespan: Value, role: &str) -> String {
    json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": lifespan, "role": role}).to_string()
}

/// An SDK token of `role` from the service.
async fn sdk_token(role: &str) -> String {
    teams("eu", teams_body(json!(3_600_000), role))
        .await
        .token()
}

/// `POST /v5/tokens/{path}` (`rooms/ID` or `tasks/ID`) in region `sg` with `token` (none when
/// empty) and `body`.
async fn delegated(path: &str, token: &str, body: impl Into<Body>) -> Answer {
    let mut headers = vec![("region", "sg")];
    if !token.is_empty() {
        headers.push(("token", token));
    }
    send(request(
        "POST",
        &format!("/v5/tokens/{path}"),
        &headers,
        body,
    ))
    .await
}

/// The library's clock, in ms since the Unix epoch: the expiry of a token it mints now to live
/// 1 ms, less that 1 ms. (The shell reads no clock of its own, and neither do its tests.)
fn library_now_ms() -> u64 {
    let pair = KeyPair::new(AK, &SecretKey::new(SK).unwrap()).unwrap();
    let token = pair.mint_now(&TokenRequest::sdk(1, Role::Reader)).unwrap();
    decode(&token).unwrap().expire_at().unwrap() - 1
}

/// A token minted by the library with a fixed clock and nonce.
fn mint(ak: &str, sk: &str, request: &TokenRequest, issued_at_ms: u64) -> String {
    KeyPair::new(ak, &SecretKey::new(sk).unwrap())
        .unwrap()
        .mint(request, issued_at_ms, "nonce")
        .unwrap()
}

/// `token` verified by the library against the test keyring as a token of `kind`.
#[track_caller]
fn verified(token: &str, kind: TokenKind) -> VerifiedToken {
    keyring()
        .verify(token, &Validation::new().expect_kind(kind))
        .unwrap_or_else(|e| panic!("{token} does not verify: {e}"))
}

/// A request body sent in parts, as over a connection, that counts the bytes the service read.
struct Parts {
    /// What is still to come: data, or an error of the connection.
    parts: VecDeque<Result<Bytes, io::ErrorKind>>,
    /// Whether the body stalls for ever after its parts, instead of ending.
    stall: bool,
    /// Whether the body's length is known ahead, as from a `content-length`.
    declared: bool,
    /// Bytes read so far.
    read: Arc<AtomicUsize>,
}

impl Parts {
    /// `total` bytes of `x` in parts of 1 KiB, of a length not known ahead, as a chunked body.
    fn of(total: usize) -> Parts {
        let parts = (0..total)
            .step_by(1024)
            .map(|start| Ok(Bytes::from(vec![b'x'; (total - start).min(1024)])))
            .collect();
        Parts {
            parts,
            stall: false,
            declared: false,
            read: Arc::default(),
        }
    }

    /// `data`, then the connection fails with `kind`.
    fn failing(data: &str, kind: io::ErrorKind) -> Parts {
        Parts {
            parts: [Ok(Bytes::from(data.to_owned())), Err(kind)].into(),
            ..Parts::of(0)
        }
    }

    /// The body, and the count of its bytes read.
    fn body(self) -> (Body, Arc<AtomicUsize>) {
        let read = self.read.clone();
        (Body::new(self), read)
    }
}

impl HttpBody for Parts {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        match this.parts.pop_front() {
            Some(Ok(data)) => {
                this.read.fetch_add(data.len(), Ordering::Relaxed);
                Poll::Ready(Some(Ok(Frame::data(data))))
            }
            Some(Err(kind)) => Poll::Ready(Some(Err(kind.into()))),
            // Never woken: only a timeout ends the wait.
            None if this.stall => Poll::Pending,
            None => Poll::Ready(None),
        }
    }

    fn size_hint(&self) -> SizeHint {
        if !self.declared {
            return SizeHint::default();
        }
        let left = self.parts.iter().flatten().map(Bytes::len).sum::<usize>();
        SizeHint::with_exact(left as u64)
    }
}

#[tokio::test]
async fn healthz_answers_ok_as_json() {
    let answer = send(request("GET", "/healthz", &[], Body::empty())).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    assert_eq!(answer.json(), json!({"status": "ok"}));
}

#[tokio::test]
async fn teams_issues_sdk_tokens_of_each_role_that_verify_with_the_requested_fields() {
    for (word, role) in [
        ("admin", Role::Admin),
        ("writer", Role::Writer),
        ("reader", Role::Reader),
    ] {
        let before = library_now_ms();
        let token = teams("us-sv", teams_body(json!(3_600_000), word))
            .await
            .token();
        let after = library_now_ms();
        let token = verified(&token, TokenKind::Sdk);
        assert_eq!((token.ak(), token.role(), token.uuid()), (AK, role, None));
        let expire_at = token.expire_at().unwrap();
        assert!(
            (before + 3_600_000..=after + 3_600_000).contains(&expire_at),
            "{expire_at} not 1 h after {before}..={after}"
        );
    }
    // Lifespan 0: never expires.
    let token = teams("eu", teams_body(json!(0), "admin")).await.token();
    assert_eq!(verified(&token, TokenKind::Sdk).expire_at(), None);
}

#[tokio::test]
async fn every_documented_region_is_accepted_and_no_other() {
    let body = teams_body(json!(60_000), "admin");
    for region in REGIONS {
        teams(region, body.clone()).await.token();
    }
    teams("", body.clone()).await.refused(400, REGION_MISSING);
    for region in ["mars", "US-SV", "eu ", "us_sv"] {
        teams(region, body.clone())
            .await
            .refused(400, REGION_UNKNOWN);
    }
    // Not visible ASCII.
    let mut request = request("POST", "/v5/tokens/teams", &[], body);
    request
        .headers_mut()
        .insert("region", HeaderValue::from_bytes(b"\xffeu").unwrap());
    send(request).await.refused(400, REGION_UNKNOWN);
}

#[tokio::test]
async fn teams_checks_its_fields_in_order_and_names_the_first_at_fault() {
    let good = json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": 60000, "role": "admin"});
    let with = |pairs: &[(&str, Value)]| {
        let mut body = good.clone();
        for (key, value) in pairs {
            body[*key] = value.clone();
        }
        body.to_string()
    };
    let cases: Vec<(String, u16, &str)> = vec![
        // Each one missing, and the first missing of several.
        (json!({}).to_string(), 400, "accessKey: missing"),
        (
            json!({"accessKey": AK}).to_string(),
            400,
            "secretAccessKey: missing",
        ),
        (
            json!({"accessKey": AK, "secretAccessKey": SK}).to_string(),
            400,
            "lifespan: missing",
        ),
        (
            json!({"accessKey": AK, "secretAccessKey": SK, "lifespan": 0}).to_string(),
            400,
            "role: missing",
        ),
        (
            json!({"secretAccessKey": SK, "lifespan": 0, "role": "admin"}).to_string(),
            400,
            "accessKey: missing",
        ),
        (
            json!({"accessKey": AK, "lifespan": 0, "role": "admin"}).to_string(),
            400,
            "secretAccessKey: missing",
        ),
        (
            json!({"accessKey": AK, "secretAccessKey": SK, "role": "admin"}).to_string(),
            400,
            "lifespan: missing",
        ),
        // Wrong types, empty strings, and the order between several faults.
        (
            with(&[("accessKey", json!(42))]),
            400,
            "accessKey: must be a string",
        ),
        (
            with(&[("accessKey", json!(null))]),
            400,
            "accessKey: must be a string",
        ),
        (
            with(&[("accessKey", json!([1, {"a": [2]}]))]),
            400,
            "accessKey: must be a string",
        ),
        (
            with(&[("accessKey", json!(""))]),
            400,
            "accessKey: must not be empty",
        ),
        (
            with(&[("secretAccessKey", json!({"k": "v"}))]),
            400,
            "secretAccessKey: must be a string",
        ),
        (
            with(&[("secretAccessKey", json!(""))]),
            400,
            "secretAccessKey: must not be empty",
        ),
        (
            with(&[("accessKey", json!(7)), ("secretAccessKey", json!(7))]),
            400,
            "accessKey: must be a string",
        ),
        (
            with(&[("lifespan", json!(-1)), ("role", json!(7))]),
            400,
            NOT_WHOLE_MS,
        ),
        (
            with(&[("secretAccessKey", json!("")), ("lifespan", json!("x"))]),
            400,
            "secretAccessKey: must not be empty",
        ),
        // lifespan
        (with(&[("lifespan", json!(-1))]), 400, NOT_WHOLE_MS),
        (with(&[("lifespan", json!(1.5))]), 400, NOT_WHOLE_MS),
        (with(&[("lifespan", json!("1h"))]), 400, NOT_A_NUMBER),
        (with(&[("lifespan", json!("600000"))]), 400, NOT_A_NUMBER),
        (with(&[("lifespan", json!(null))]), 400, NOT_A_NUMBER),
        (with(&[("lifespan", json!(true))]), 400, NOT_A_NUMBER),
        (with(&[("lifespan", json!([600000]))]), 400, NOT_A_NUMBER),
        (with(&[("lifespan", json!({"ms": 1}))]), 400, NOT_A_NUMBER),
        // role: the exact lowercase word, not a digit
        (with(&[("role", json!("owner"))]), 400, NOT_A_ROLE),
        (with(&[("role", json!("Admin"))]), 400, NOT_A_ROLE),
        (with(&[("role", json!("0"))]), 400, NOT_A_ROLE),
        (with(&[("role", json!(""))]), 400, NOT_A_ROLE),
        (with(&[("role", json!(0))]), 400, "role: must be a string"),
        (
            with(&[("role", json!(["admin"]))]),
            400,
            "role: must be a string",
        ),
        // The key pair, once the fields are good.
        (
            with(&[("secretAccessKey", json!("wrong"))]),
            401,
            WRONG_PAIR,
        ),
        (with(&[("accessKey", json!("unknown-ak"))]), 401, WRONG_PAIR),
        (
            with(&[("secretAccessKey", json!(format!("{SK} ")))]),
            401,
            WRONG_PAIR,
        ),
    ];
    for (body, status, message) in cases {
        let answer = teams("eu", body.clone()).await;
        assert_eq!(answer.message(status), message, "{body}");
    }
    // Past the largest expiry the official generator represents: the library's refusal.
    let answer = teams("eu", with(&[("lifespan", json!(u64::MAX))])).await;
    let message = answer.message(400);
    assert!(message.starts_with("expireAt: issue time "), "{message}");
    assert!(
        message.contains(" + lifespan 18446744073709551615 ms is past "),
        "{message}"
    );
}

#[tokio::test]
async fn lifespans_are_json_numbers_of_a_whole_value_however_written() {
    // (as sent, ms), written out. Python's timedelta(minutes=10).total_seconds() * 1000 sends
    // 600000.0; the service (JavaScript) reads every one of these as a whole number.
    let whole = [
        ("600000.0", 600_000),
        ("1e3", 1_000),
        ("1E3", 1_000),
        ("6.0e5", 600_000),
        ("1000.000", 1_000),
        ("12.5e1", 125),
    ];
    let fields = format!(r#""accessKey":"{AK}","secretAccessKey":"{SK}","role":"reader""#);
    let sdk = sdk_token("admin").await;
    for (sent, ms) in whole {
        let before = library_now_ms();
        let token = teams("eu", format!(r#"{{{fields},"lifespan":{sent}}}"#))
            .await
            .token();
        let room = delegated(
            "rooms/r1",
            &sdk,
            format!(r#"{{"lifespan":{sent},"role":"reader"}}"#),
        )
        .await
        .token();
        let after = library_now_ms();
        for (token, kind) in [(token, TokenKind::Sdk), (room, TokenKind::Room)] {
            let expire_at = verified(&token, kind).expire_at().unwrap();
            assert!(
                (before + ms..=after + ms).contains(&expire_at),
                "{sent}: {expire_at} not {ms} ms after {before}..={after}"
            );
        }
    }
    // Zero however written, -0.0 included (zero, not a negative number): never expires.
    for sent in ["0", "0.0", "-0.0", "-0", "0e5"] {
        let token = teams("eu", format!(r#"{{{fields},"lifespan":{sent}}}"#))
            .await
            .token();
        assert_eq!(verified(&token, TokenKind::Sdk).expire_at(), None, "{sent}");
    }
    // Fractions, negative numbers and values past u64 (2^64 and beyond) are still refused.
    for sent in [
        "0.5",
        "600000.5",
        "1e-3",
        "-1",
        "-1.0",
        "-1e3",
        "1e300",
        "18446744073709551616",
        "18446744073709551616.0",
    ] {
        let body = format!(r#"{{{fields},"lifespan":{sent}}}"#);
        teams("eu", body).await.refused(400, NOT_WHOLE_MS);
        let body = format!(r#"{{"lifespan":{sent},"role":"reader"}}"#);
        delegated("tasks/t1", &sdk, body)
            .await
            .refused(400, NOT_WHOLE_MS);
    }
    // The largest float below 2^64 is a whole number of ms, too late to be an expiry: the
    // library's refusal, as for u64::MAX.
    let body = format!(r#"{{{fields},"lifespan":18446744073709549568.0}}"#);
    let message = teams("eu", body).await.message(400);
    assert!(message.starts_with("expireAt: "), "{message}");
}

#[tokio::test]
async fn unknown_members_are_ignored_and_a_repeated_member_keeps_its_last_value() {
    let fields = format!(r#""accessKey":"{AK}","secretAccessKey":"{SK}","lifespan":0"#);
    let token = |body: String| async move { teams("eu", body).await.token() };
    token(format!(
        r#"{{{fields},"role":"admin","extra":[1,[2,{{"y":null}}]],"n":1e3}}"#
    ))
    .await;
    let last = token(format!(r#"{{"role":"bad",{fields},"role":"reader"}}"#)).await;
    assert_eq!(decode(&last).unwrap().role(), Role::Reader);
    // Escapes in a member's name are decoded, as by any JSON parser.
    token(format!(r#"{{{fields},"r\u006fle":"writer"}}"#)).await;
    teams("eu", format!(r#"{{{fields},"role":"admin","role":"bad"}}"#))
        .await
        .refused(400, NOT_A_ROLE);
}

#[tokio::test]
async fn bodies_that_are_not_json_objects_are_refused_naming_the_body() {
    for body in ["[1, 2]", "[]", "\"abc\"", "null", "true", "7", "-0"] {
        teams("eu", body)
            .await
            .refused(400, "body: must be a JSON object");
    }
    let secret = "S3cret-in-a-broken-body";
    for body in [
        "".to_owned(),
        " ".to_owned(),
        "{\"accessKey\": ".to_owned(),
        "[1, 2".to_owned(),
        "{} x".to_owned(),
        "\"abc\" x".to_owned(),
        "{\"a\": 1,}".to_owned(),
        "1e400".to_owned(),
        // Members the endpoint does not know are parsed all the same.
        "{\"pad\": 1e400}".to_owned(),
        "{\"pad\": [1, }".to_owned(),
        format!("{{\"accessKey\": \"{AK}\", \"secretAccessKey\": \"{secret}\" \"lifespan\": 0}}"),
        format!("{}{}", "[".repeat(200), "]".repeat(200)),
    ] {
        let message = teams("eu", body.clone()).await.message(400);
        assert!(
            message.starts_with("body: not valid JSON (") && message.ends_with(')'),
            "{body:?}: {message}"
        );
        assert!(!message.contains(secret), "{message}");
    }
    // Not UTF-8, in a value and in a name.
    for body in [&b"{\"pad\": \"\xff\"}"[..], b"{\"\xff\": 1}"] {
        let message = teams("eu", body.to_vec()).await.message(400);
        assert!(message.starts_with("body: not valid JSON ("), "{message}");
    }
}

#[tokio::test]
async fn bodies_over_16_kib_get_413_whether_declared_or_sent() {
    // A valid body of exactly the limit is taken; one byte more is not.
    let body = teams_body(json!(0), "admin");
    let padded = |len: usize| format!("{body}{}", " ".repeat(len - body.len()));
    teams("eu", padded(16 * 1024)).await.token();
    teams("eu", padded(16 * 1024 + 1))
        .await
        .refused(413, TOO_LARGE);
    // Declared by content-length, before any of it is read.
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(20_000));
    let length = huge.len().to_string();
    let declared = request(
        "POST",
        "/v5/tokens/teams",
        &[("region", "eu"), ("content-length", &length)],
        huge,
    );
    send(declared).await.refused(413, TOO_LARGE);
    // Sent in parts without a length, as a chunked body.
    let (sent, _) = Parts::of(20_000).body();
    let chunked = request("POST", "/v5/tokens/teams", &[("region", "eu")], sent);
    send(chunked).await.refused(413, TOO_LARGE);
}

#[tokio::test]
async fn bodies_that_cannot_be_read_name_the_body() {
    let (cut, _) = Parts::failing("{\"accessKey\"", io::ErrorKind::UnexpectedEof).body();
    send(request(
        "POST",
        "/v5/tokens/teams",
        &[("region", "eu")],
        cut,
    ))
    .await
    .refused(
        400,
        "body: the connection closed before the body was complete",
    );
    let (malformed, _) = Parts::failing("{\"accessKey\"", io::ErrorKind::InvalidData).body();
    send(request(
        "POST",
        "/v5/tokens/teams",
        &[("region", "eu")],
        malformed,
    ))
    .await
    .refused(400, "body: could not be read (malformed chunked encoding)");
}

#[tokio::test]
async fn a_body_that_never_ends_gets_408_and_closes_the_connection() {
    let (stalled, _) = Parts {
        stall: true,
        ..Parts::of(10)
    }
    .body();
    let request = request("POST", "/v5/tokens/teams", &[("region", "eu")], stalled);
    let answer = send_within(Duration::from_millis(100), request).await;
    answer.refused(408, "body: the request was not complete within 100ms");
    assert_eq!(answer.connection.as_deref(), Some("close"));
}

#[tokio::test]
async fn rooms_and_tasks_issue_tokens_that_verify_with_the_requested_fields() {
    let sdk = sdk_token("admin").await;
    let uuid = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
    for (path, kind) in [("rooms", TokenKind::Room), ("tasks", TokenKind::Task)] {
        let body = json!({"lifespan": 600000, "role": "writer", "ak": AK}).to_string();
        let before = library_now_ms();
        let token = delegated(&format!("{path}/{uuid}"), &sdk, body)
            .await
            .token();
        let after = library_now_ms();
        let token = verified(&token, kind);
        assert_eq!(
            (token.role(), token.uuid(), token.ak()),
            (Role::Writer, Some(uuid), AK)
        );
        let expire_at = token.expire_at().unwrap();
        assert!((before + 600_000..=after + 600_000).contains(&expire_at));
        // Without ak, and never expiring.
        let body = json!({"lifespan": 0, "role": "reader"}).to_string();
        let token = delegated(&format!("{path}/{uuid}"), &sdk, body)
            .await
            .token();
        assert_eq!(verified(&token, kind).expire_at(), None);
    }
}

#[tokio::test]
async fn role_delegation_allows_equal_or_inferior_roles_across_all_nine_pairs() {
    // (SDK token's role, role asked for, refusal), written out: admin issues all three, writer
    // writer and reader, reader only reader.
    let table: [(&str, &str, Option<&str>); 9] = [
        ("admin", "admin", None),
        ("admin", "writer", None),
        ("admin", "reader", None),
        (
            "writer",
            "admin",
            Some("role: a writer SDK token cannot issue an admin token (only equal or inferior roles)"),
        ),
        ("writer", "writer", None),
        ("writer", "reader", None),
        (
            "reader",
            "admin",
            Some("role: a reader SDK token cannot issue an admin token (only equal or inferior roles)"),
        ),
        (
            "reader",
            "writer",
            Some("role: a reader SDK token cannot issue a writer token (only equal or inferior roles)"),
        ),
        ("reader", "reader", None),
    ];
    for (path, kind) in [
        ("rooms/room-1", TokenKind::Room),
        ("tasks/task-1", TokenKind::Task),
    ] {
        for (holder, wanted, refusal) in table {
            let sdk = sdk_token(holder).await;
            let body = json!({"lifespan": 0, "role": wanted}).to_string();
            let answer = delegated(path, &sdk, body).await;
            match refusal {
                None => {
                    let token = verified(&answer.token(), kind);
                    assert_eq!(token.role().as_word(), wanted, "{holder} issuing {wanted}");
                }
                Some(message) => answer.refused(403, message),
            }
        }
    }
}

#[tokio::test]
async fn rooms_and_tasks_refuse_sdk_tokens_that_do_not_verify() {
    let body = || json!({"lifespan": 60000, "role": "reader"}).to_string();
    delegated("rooms/r1", "", body())
        .await
        .refused(401, NO_TOKEN);
    let expired = mint(AK, SK, &TokenRequest::sdk(1_000, Role::Admin), 1_000_000);
    let other_key = mint(AK, "not-the-key", &TokenRequest::sdk(0, Role::Admin), 0);
    let unknown_ak = mint("other-ak", SK, &TokenRequest::sdk(0, Role::Admin), 0);
    let room_token = mint(AK, SK, &TokenRequest::room(0, Role::Admin, "r1"), 0);
    for token in [
        "NETLESSSDK_garbage",
        "garbage",
        expired.as_str(),
        other_key.as_str(),
        unknown_ak.as_str(),
        room_token.as_str(),
    ] {
        // The library's own refusal, after the field. An expiry also names the time it was
        // checked at, which may differ by a millisecond: that part is left out.
        let why = keyring()
            .verify(token, &Validation::new().expect_kind(TokenKind::Sdk))
            .unwrap_err();
        let expected = format!("token: {why}");
        let stable = |message: &str| message.split("; it is now ").next().unwrap().to_owned();
        for path in ["rooms/r1", "tasks/t1"] {
            let message = delegated(path, token, body()).await.message(401);
            assert_eq!(stable(&message), stable(&expected), "{token}");
        }
    }
    // A header value that is not visible ASCII.
    let mut request = request("POST", "/v5/tokens/rooms/r1", &[("region", "sg")], body());
    request.headers_mut().insert(
        "token",
        HeaderValue::from_bytes(b"NETLESSSDK_\xff").unwrap(),
    );
    send(request)
        .await
        .refused(401, "token: not a valid header value");
}

#[tokio::test]
async fn rooms_and_tasks_check_their_fields_in_order() {
    let writer = sdk_token("writer").await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            json!({"ak": 7, "lifespan": 0, "role": "reader"}),
            400,
            "ak: must be a string",
        ),
        (
            json!({"ak": null, "lifespan": 0, "role": "reader"}),
            400,
            "ak: must be a string",
        ),
        (
            json!({"ak": "another", "lifespan": 0, "role": "reader"}),
            403,
            "ak: differs from the access key of the SDK token",
        ),
        (
            json!({"ak": "", "lifespan": 0, "role": "reader"}),
            403,
            "ak: differs from the access key of the SDK token",
        ),
        // ak comes before lifespan and role, lifespan before role, and both before the role
        // policy.
        (
            json!({"ak": "another", "lifespan": -1, "role": "guest"}),
            403,
            "ak: differs from the access key of the SDK token",
        ),
        (
            json!({"ak": AK, "lifespan": -5, "role": "guest"}),
            400,
            NOT_WHOLE_MS,
        ),
        (json!({"lifespan": -5, "role": "admin"}), 400, NOT_WHOLE_MS),
        (json!({"lifespan": 0, "role": "guest"}), 400, NOT_A_ROLE),
        (json!({"role": "reader"}), 400, "lifespan: missing"),
        (json!({"lifespan": 0}), 400, "role: missing"),
        (
            json!({"lifespan": "0", "role": "reader"}),
            400,
            NOT_A_NUMBER,
        ),
        (
            json!({"lifespan": 0, "role": 2}),
            400,
            "role: must be a string",
        ),
        (json!({}), 400, "lifespan: missing"),
        (json!([1]), 400, "body: must be a JSON object"),
    ];
    for path in ["rooms/r1", "tasks/t1"] {
        for (body, status, message) in &cases {
            let answer = delegated(path, &writer, body.to_string()).await;
            assert_eq!(answer.message(*status), *message, "{path} {body}");
        }
        let message = delegated(path, &writer, "not json").await.message(400);
        assert!(message.starts_with("body: not valid JSON ("), "{message}");
    }
}

#[tokio::test]
async fn uuids_are_checked_after_the_region_and_before_the_token() {
    let sdk = sdk_token("admin").await;
    let body = || json!({"lifespan": 0, "role": "reader"}).to_string();
    for kind in ["rooms", "tasks"] {
        let long = format!("{kind}/{}", "u".repeat(129));
        delegated(&long, &sdk, body())
            .await
            .refused(400, UUID_TOO_LONG);
        // Before the token is looked at.
        delegated(&long, "", body())
            .await
            .refused(400, UUID_TOO_LONG);
        let fits = format!("{kind}/{}", "u".repeat(128));
        delegated(&fits, &sdk, body()).await.token();
        let control = format!("{kind}/a%01b");
        delegated(&control, &sdk, body())
            .await
            .refused(400, UUID_TOO_LONG);
        let not_utf8 = format!("{kind}/%FF%FE");
        delegated(&not_utf8, &sdk, body())
            .await
            .refused(400, UUID_NOT_UTF8);
        // A uuid with escapes that decode is the decoded text.
        let escaped = format!("{kind}/room%20one");
        let token = delegated(&escaped, &sdk, body()).await.token();
        assert_eq!(decode(&token).unwrap().uuid(), Some("room one"));
        // After the region.
        let path = format!("/v5/tokens/{kind}/%FF%FE");
        send(request("POST", &path, &[("token", &sdk)], body()))
            .await
            .refused(400, REGION_MISSING);
        // No uuid at all: refused whatever the headers.
        let path = format!("/v5/tokens/{kind}/");
        send(request("POST", &path, &[], body()))
            .await
            .refused(400, UUID_EMPTY);
        send(request(
            "POST",
            &path,
            &[("region", "sg"), ("token", &sdk)],
            body(),
        ))
        .await
        .refused(400, UUID_EMPTY);
    }
    let path = "/v5/tokens/rooms/r1";
    send(request("POST", path, &[("token", &sdk)], body()))
        .await
        .refused(400, REGION_MISSING);
    send(request(
        "POST",
        path,
        &[("region", "mars"), ("token", &sdk)],
        body(),
    ))
    .await
    .refused(400, REGION_UNKNOWN);
}

#[tokio::test]
async fn headers_are_checked_before_the_body_is_read() {
    let big = "x".repeat(17 * 1024);
    let sdk = sdk_token("admin").await;
    delegated("rooms/r1", "", big.clone())
        .await
        .refused(401, NO_TOKEN);
    delegated("rooms/r1", "garbage", big.clone())
        .await
        .message(401);
    delegated("rooms/r1", &sdk, big.clone())
        .await
        .refused(413, TOO_LARGE);
    teams("", big.clone()).await.refused(400, REGION_MISSING);
    teams("sg", big).await.refused(413, TOO_LARGE);
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods_get_json_errors() {
    let no_path = "path: no such endpoint";
    let no_method = "method: this endpoint takes POST (GET for /healthz)";
    for (method, path, status, message) in [
        ("POST", "/v5/tokens/users", 404, no_path),
        ("POST", "/", 404, no_path),
        ("GET", "/nowhere", 404, no_path),
        ("POST", "/v5/tokens/rooms/a/b", 404, no_path),
        ("GET", "/v5/tokens/teams", 405, no_method),
        ("PUT", "/v5/tokens/rooms/r1", 405, no_method),
        ("GET", "/v5/tokens/tasks/t1", 405, no_method),
        ("DELETE", "/healthz", 405, no_method),
        ("POST", "/healthz", 405, no_method),
    ] {
        let answer = send(request(method, path, &[], "{}")).await;
        assert_eq!(answer.message(status), message, "{method} {path}");
    }
}

#[tokio::test]
async fn what_a_handler_leaves_of_a_short_body_is_read_before_the_answer() {
    // Refused before its body was read, a body of 20 KiB is read to its end, so that the
    // connection can take the next request.
    let (body, read) = Parts::of(20 * 1024).body();
    let answer = send(request(
        "POST",
        "/v5/tokens/rooms/r1",
        &[("region", "sg")],
        body,
    ))
    .await;
    answer.refused(401, NO_TOKEN);
    assert_eq!(read.load(Ordering::Relaxed), 20 * 1024);
    // Past the limit, the rest too.
    let (body, read) = Parts::of(40 * 1024).body();
    let answer = send(request(
        "POST",
        "/v5/tokens/teams",
        &[("region", "sg")],
        body,
    ))
    .await;
    answer.refused(413, TOO_LARGE);
    assert_eq!(read.load(Ordering::Relaxed), 40 * 1024);
    // Past 64 KiB of rest, reading stops: the connection closes after the answer instead.
    let (body, read) = Parts::of(1024 * 1024).body();
    let answer = send(request("POST", "/nowhere", &[], body)).await;
    answer.refused(404, "path: no such endpoint");
    let read = read.load(Ordering::Relaxed);
    assert!((64 * 1024..=66 * 1024).contains(&read), "{read} bytes read");
    // A body declared longer than 64 KiB is not read at all; one declared shorter is.
    for (len, expected) in [(1024 * 1024, 0), (60 * 1024, 60 * 1024)] {
        let (body, read) = Parts {
            declared: true,
            ..Parts::of(len)
        }
        .body();
        let length = len.to_string();
        let headers = [("region", "eu"), ("content-length", length.as_str())];
        let answer = send(request("POST", "/v5/tokens/teams", &headers, body)).await;
        answer.refused(413, TOO_LARGE);
        assert_eq!(read.load(Ordering::Relaxed), expected, "{len} declared");
    }
}

#[test]
fn the_servers_own_faults_are_500_and_a_callers_are_400() {
    use super::error::ApiError;
    for fault in [MintError::Clock, MintError::Randomness] {
        assert_eq!(
            ApiError::Mint(fault.clone()).status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "{fault}"
        );
    }
    assert_eq!(
        ApiError::Mint(MintError::UnexpectedUuid).status(),
        StatusCode::BAD_REQUEST
    );
}
