//! The HTTP side of `serve`: routes, handlers, the request time limit and the request log.
//! Every failure is `{"message": "field: reason"}` with `content-type: application/json`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::header::{CONNECTION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use netless_token::{
    KeyPair, Keyring, MintError, Role, SecretKey, TokenKind, TokenRequest, Validation,
};
use serde_json::{json, Map, Value};

use http_body_util::BodyExt as _;

use super::{MAX_BODY, MAX_DRAIN, MAX_UUID};

/// The regions the service documents (`gb-lon` is the former name of `eu`).
const REGIONS: [&str; 6] = ["us-sv", "sg", "in-mum", "eu", "gb-lon", "cn-hz"];

/// The configured key pairs.
pub struct Keys {
    /// Every accepted key pair; an access key may have several secrets while they rotate.
    pub keyring: Keyring,
}

/// The handlers' state.
type Shared = Arc<Keys>;

/// A failure: its status and the one-line reason sent as `{"message": reason}`.
pub struct Failure(pub StatusCode, pub String);

impl Failure {
    /// A 400 with `message`.
    fn bad_request(message: impl Into<String>) -> Self {
        Failure(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({ "message": self.1 }).to_string();
        (self.0, [(CONTENT_TYPE, "application/json")], body).into_response()
    }
}

/// A 201 with the token as a JSON string.
fn created(token: &str) -> Response {
    let body = Value::String(token.to_owned()).to_string();
    (
        StatusCode::CREATED,
        [(CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// The routes, each request limited to `request_timeout` (408 past it) and logged.
pub fn router(keys: Shared, request_timeout: Duration) -> Router {
    Router::new()
        .route(
            "/healthz",
            get(|| async {
                (
                    StatusCode::OK,
                    [(CONTENT_TYPE, "application/json")],
                    r#"{"status":"ok"}"#,
                )
            }),
        )
        .route("/v5/tokens/teams", post(teams))
        .route("/v5/tokens/rooms/{uuid}", post(room))
        .route("/v5/tokens/tasks/{uuid}", post(task))
        .route("/v5/tokens/rooms/", post(empty_uuid))
        .route("/v5/tokens/tasks/", post(empty_uuid))
        .fallback(|body: Body| async {
            drain(body).await;
            Failure(StatusCode::NOT_FOUND, "path: no such endpoint".into())
        })
        .method_not_allowed_fallback(|body: Body| async {
            drain(body).await;
            Failure(
                StatusCode::METHOD_NOT_ALLOWED,
                "method: this endpoint takes POST (GET for /healthz)".into(),
            )
        })
        .layer(middleware::from_fn_with_state(request_timeout, time_limit))
        .layer(middleware::from_fn(log_request))
        .with_state(keys)
}

/// A request, body included, gets `limit` to complete; past it the answer is a JSON 408 and the
/// connection closes (the rest of its body is never read).
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let mut response = Failure(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "body: the request was not complete within {}",
                    humantime::format_duration(limit)
                ),
            )
            .into_response();
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

/// One line per request: method, path, status, time. Never a header (the `token` header is a
/// credential) nor a body (it may hold a secret key). The line goes to the log queue and never
/// waits for the log sink.
async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().escape_debug().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = start.elapsed().as_secs_f64() * 1e3;
    tracing::info!(
        method = %method,
        path = %path,
        status,
        ms,
        "{method} {path} {status} {ms:.3}ms"
    );
    response
}

/// `POST /v5/tokens/rooms/` and `.../tasks/`: a uuid is required.
async fn empty_uuid(body: Body) -> Failure {
    drain(body).await;
    Failure::bad_request("uuid: must not be empty")
}

/// `POST /v5/tokens/teams`: an SDK token for a key pair that matches a configured one.
async fn teams(
    State(keys): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    if let Err(failure) = check_region(&headers) {
        drain(body).await;
        return Err(failure);
    }
    let body = json_body(&headers, body).await?;
    let ak = string_field(&body, "accessKey")?;
    let sk = string_field(&body, "secretAccessKey")?;
    let lifespan = lifespan(&body)?;
    let role = role(&body)?;
    let unauthorized = || {
        Failure(
            StatusCode::UNAUTHORIZED,
            "accessKey: unknown access key or wrong secretAccessKey".into(),
        )
    };
    let sk = SecretKey::new(sk).map_err(|_| unauthorized())?;
    let pair = KeyPair::new(ak, &sk).map_err(|_| unauthorized())?;
    // The secret matches when a probe it signs verifies against the configured keyring
    // (constant-time, every secret of the AK tried).
    let probe = pair
        .mint(&TokenRequest::sdk(0, Role::Reader), 0, "probe")
        .map_err(|_| unauthorized())?;
    keys.keyring
        .verify(&probe, &Validation::new())
        .map_err(|_| unauthorized())?;
    let token = pair
        .mint_now(&TokenRequest::sdk(lifespan, role))
        .map_err(mint_failure)?;
    Ok(created(&token))
}

/// `POST /v5/tokens/rooms/{uuid}`: a Room token.
async fn room(
    state: State<Shared>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    delegated(TokenKind::Room, state, path, headers, body).await
}

/// `POST /v5/tokens/tasks/{uuid}`: a Task token.
async fn task(
    state: State<Shared>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    delegated(TokenKind::Task, state, path, headers, body).await
}

/// Room and Task tokens, issued on the authority of an SDK token.
async fn delegated(
    kind: TokenKind,
    State(keys): State<Shared>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    let unauthorized = |reason: String| Failure(StatusCode::UNAUTHORIZED, reason);
    // Everything the headers and path decide, before the body is read.
    let checked = (|| {
        check_region(&headers)?;
        // The only way this route's path fails to extract: escapes that do not decode to UTF-8.
        let Path(uuid) = path.map_err(|_| {
            Failure::bad_request("uuid: must be UTF-8 once its %-escapes are decoded")
        })?;
        if uuid.is_empty() {
            return Err(Failure::bad_request("uuid: must not be empty"));
        }
        if uuid.len() > MAX_UUID || uuid.chars().any(char::is_control) {
            return Err(Failure::bad_request(format!(
                "uuid: must be at most {MAX_UUID} bytes without control characters"
            )));
        }
        let token = headers
            .get("token")
            .ok_or_else(|| {
                unauthorized("token: missing; send an SDK token in the token header".into())
            })?
            .to_str()
            .map_err(|_| unauthorized("token: not a valid header value".into()))?;
        let sdk = keys
            .keyring
            .verify(token, &Validation::new().expect_kind(TokenKind::Sdk))
            .map_err(|e| unauthorized(format!("token: {e}")))?;
        Ok::<_, Failure>((uuid, sdk))
    })();
    let (uuid, sdk) = match checked {
        Ok(checked) => checked,
        Err(failure) => {
            drain(body).await;
            return Err(failure);
        }
    };
    let body = json_body(&headers, body).await?;
    if let Some(ak) = body.get("ak") {
        let ak = ak
            .as_str()
            .ok_or_else(|| Failure::bad_request("ak: must be a string"))?;
        if ak != sdk.ak() {
            return Err(Failure(
                StatusCode::FORBIDDEN,
                "ak: differs from the access key of the SDK token".into(),
            ));
        }
    }
    let lifespan = lifespan(&body)?;
    let role = role(&body)?;
    if !can_issue(sdk.role(), role) {
        return Err(Failure(
            StatusCode::FORBIDDEN,
            format!(
                "role: {} SDK token cannot issue {} token (only equal or inferior roles)",
                a_role(sdk.role()),
                a_role(role)
            ),
        ));
    }
    let minter = keys
        .keyring
        .minter(sdk.ak())
        .ok_or_else(|| unauthorized("token: unknown access key".into()))?;
    let token = minter
        .mint_now(&TokenRequest::new(kind, lifespan, role, Some(&uuid)))
        .map_err(mint_failure)?;
    Ok(created(&token))
}

/// The `region` header: one of [`REGIONS`].
fn check_region(headers: &HeaderMap) -> Result<(), Failure> {
    let region = headers.get("region").ok_or_else(|| {
        Failure::bad_request(format!("region: missing; one of {}", REGIONS.join(", ")))
    })?;
    match region.to_str() {
        Ok(region) if REGIONS.contains(&region) => Ok(()),
        _ => Err(Failure::bad_request(format!(
            "region: must be one of {}",
            REGIONS.join(", ")
        ))),
    }
}

/// The body as a JSON object, read to at most [`MAX_BODY`] bytes. Past the limit, the rest is
/// still read and discarded up to [`MAX_DRAIN`] bytes, so that the 413 reaches the client
/// instead of a reset.
async fn json_body(headers: &HeaderMap, mut body: Body) -> Result<Map<String, Value>, Failure> {
    let too_large = || {
        Failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("body: over the limit of {MAX_BODY} bytes"),
        )
    };
    let declared = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(len) = declared.filter(|&len| len > MAX_BODY as u64) {
        if len <= MAX_DRAIN as u64 {
            drain(body).await;
        }
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|e| body_failure(&e))?.into_data() else {
            continue; // trailers
        };
        if bytes.len() + data.len() > MAX_BODY {
            drain(body).await;
            return Err(too_large());
        }
        bytes.extend_from_slice(&data);
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::bad_request("body: must be a JSON object")),
        Err(e) => Err(Failure::bad_request(format!("body: not valid JSON ({e})"))),
    }
}

/// Reads and discards what is left of a body, [`MAX_DRAIN`] bytes at most: a request refused
/// before its body was read still leaves the connection clean, and the client gets the answer
/// rather than a reset. Past the bound hyper closes the connection after the answer.
async fn drain(mut body: Body) {
    let mut read = 0;
    while read <= MAX_DRAIN {
        match body.frame().await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
            Some(Err(_)) | None => break,
        }
    }
}

/// A body that could not be read: cut short by the client, or malformed.
fn body_failure(error: &axum::Error) -> Failure {
    if caused_by_incomplete_message(error) {
        Failure::bad_request("body: the connection closed before the body was complete")
    } else {
        Failure::bad_request("body: could not be read (malformed chunked encoding)")
    }
}

/// Whether `error` comes from a connection that closed in the middle of the body.
fn caused_by_incomplete_message(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        let incomplete = e
            .downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_incomplete_message)
            || e.downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof);
        if incomplete {
            return true;
        }
        source = e.source();
    }
    false
}

/// A non-empty string field of the body.
fn string_field<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, Failure> {
    match body.get(name) {
        None => Err(Failure::bad_request(format!("{name}: missing"))),
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) => Err(Failure::bad_request(format!("{name}: must not be empty"))),
        Some(_) => Err(Failure::bad_request(format!("{name}: must be a string"))),
    }
}

/// `lifespan`: a whole number of milliseconds, 0 (never expires) or more.
fn lifespan(body: &Map<String, Value>) -> Result<u64, Failure> {
    match body.get("lifespan") {
        None => Err(Failure::bad_request("lifespan: missing")),
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            Failure::bad_request("lifespan: must be a whole number of milliseconds, 0 or more")
        }),
        Some(_) => Err(Failure::bad_request(
            "lifespan: must be a number of milliseconds",
        )),
    }
}

/// `role`: `admin`, `writer` or `reader`.
fn role(body: &Map<String, Value>) -> Result<Role, Failure> {
    let word = match body.get("role") {
        None => return Err(Failure::bad_request("role: missing")),
        Some(Value::String(word)) => word,
        Some(_) => return Err(Failure::bad_request("role: must be a string")),
    };
    Role::ALL
        .into_iter()
        .find(|role| role.as_word() == word)
        .ok_or_else(|| Failure::bad_request("role: must be admin, writer or reader"))
}

/// Whether a holder of `holder` may issue a token for `role`: the service lets every role issue
/// tokens of an equal or inferior role (admin issues all three, reader only reader).
fn can_issue(holder: Role, role: Role) -> bool {
    let power = |role| Role::ALL.iter().position(|&r| r == role);
    power(holder) <= power(role)
}

/// "an admin", "a writer", "a reader".
fn a_role(role: Role) -> &'static str {
    match role {
        Role::Admin => "an admin",
        Role::Writer => "a writer",
        Role::Reader => "a reader",
    }
}

/// A mint failure: 500 for the clock, 400 otherwise.
fn mint_failure(e: MintError) -> Failure {
    match e {
        MintError::Clock => Failure(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        e => Failure::bad_request(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delegation_allows_equal_or_inferior_roles_only() {
        let mut allowed = Vec::new();
        for a in Role::ALL {
            for b in Role::ALL {
                if can_issue(a, b) {
                    allowed.push((a.as_digit(), b.as_digit()));
                }
            }
        }
        assert_eq!(
            allowed,
            [
                ("0", "0"),
                ("0", "1"),
                ("0", "2"),
                ("1", "1"),
                ("1", "2"),
                ("2", "2")
            ]
        );
    }
}
