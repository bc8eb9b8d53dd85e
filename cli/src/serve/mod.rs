//! `netless-token serve`: the service's three token endpoints, answered locally from the same
//! library. Part of the command line (behind its `server` feature), not of the library.
//!
//! Contract (`docs/format.md`, "The REST endpoints"):
//! - `POST /v5/tokens/teams`: header `region`; JSON `accessKey`, `secretAccessKey`,
//!   `lifespan` (ms, 0 = never), `role` (`admin`/`writer`/`reader`). 201 and an SDK token.
//! - `POST /v5/tokens/rooms/{uuid}`, `POST /v5/tokens/tasks/{uuid}`: headers `token` (an SDK
//!   token) and `region`; JSON `ak` (optional), `lifespan`, `role`. 201 and a Room or Task
//!   token, of a role equal to or below the SDK token's.
//! - Any other status carries `{"message": "..."}`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use netless_token::{
    KeyPair, Keyring, MintError, Role, SecretKey, TokenKind, TokenRequest, Validation,
};

mod keys_file;

/// `serve`'s flags.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// File of 'ACCESS_KEY SECRET_KEY' lines (mode 0600) instead of NETLESS_AK / NETLESS_SK.
    #[arg(long, value_name = "PATH")]
    keys_file: Option<std::path::PathBuf>,
}

/// `serve --help`'s closing text.
pub const HELP: &str = "\
Examples:
  NETLESS_AK=my-ak NETLESS_SK=my-sk netless-token serve
  netless-token serve --listen 0.0.0.0:8787 --keys-file /etc/netless/keys

  curl -s -X POST http://127.0.0.1:8787/v5/tokens/teams -H 'region: us-sv' \\
       -H 'content-type: application/json' \\
       -d '{\"accessKey\":\"my-ak\",\"secretAccessKey\":\"my-sk\",\"lifespan\":3600000,\"role\":\"admin\"}'

Keys come from NETLESS_AK and NETLESS_SK, or from --keys-file: a file of mode 0600 with one
'ACCESS_KEY SECRET_KEY' pair per line ('#' starts a comment line); an access key may appear on
several lines while its secret rotates. One line per request is logged on stderr, without
headers or bodies. SIGINT or SIGTERM stops the server after the requests in flight.";
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;

/// The largest request body accepted; larger is 413.
pub const MAX_BODY: usize = 16 * 1024;
/// The longest room or task UUID accepted; longer is 400.
pub const MAX_UUID: usize = 128;
/// How long a request may take, body included; longer is 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may wait for a request's headers, idle keep-alive waits included.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// The regions the service documents (`gb-lon` is the former name of `eu`).
const REGIONS: [&str; 6] = ["us-sv", "sg", "in-mum", "eu", "gb-lon", "cn-hz"];

/// The configured key pairs.
struct Keys {
    keyring: Keyring,
}

type Shared = Arc<Keys>;

/// A failure: its status and the one-line reason sent as `{"message": reason}`.
struct Failure(StatusCode, String);

impl Failure {
    fn bad_request(message: impl Into<String>) -> Self {
        Failure(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({ "message": self.1 }).to_string();
        (self.0, [("content-type", "application/json")], body).into_response()
    }
}

/// A 201 with the token as a JSON string.
fn created(token: &str) -> Response {
    let body = Value::String(token.to_owned()).to_string();
    (
        StatusCode::CREATED,
        [("content-type", "application/json")],
        body,
    )
        .into_response()
}

/// Serves until SIGINT or SIGTERM, then finishes the requests in flight (for at most
/// [`SHUTDOWN_GRACE`]). Prints `listening on http://ADDR` on standard output once bound.
pub fn run(args: ServeArgs) -> Result<(), crate::Failure> {
    let keyring = keys_file::keyring(args.keys_file.as_deref())?;
    Ok(run_with(args.listen, keyring)?)
}

fn run_with(listen: SocketAddr, keyring: Keyring) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("serve: cannot start the runtime: {e}"))?;
    runtime.block_on(serve(listen, keyring))
}

async fn serve(listen: SocketAddr, keyring: Keyring) -> Result<(), String> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| format!("listen: cannot bind {listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("listen: {e}"))?;
    let access_keys = keyring.len();
    let app = router(Arc::new(Keys { keyring }));
    println!("listening on http://{local}");
    eprintln!("netless-token: serving {access_keys} access key(s) on http://{local}");

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, do not spin.
                        eprintln!("netless-token: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone());
                let mut stop = stop_rx.clone();
                connections.spawn(async move {
                    let mut builder = hyper::server::conn::http1::Builder::new();
                    builder
                        .timer(TokioTimer::new())
                        .header_read_timeout(IDLE_TIMEOUT)
                        .keep_alive(true);
                    let connection = builder.serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        _ = stop.changed() => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            signal = &mut shutdown => {
                eprintln!("netless-token: {signal}: shutting down");
                break;
            }
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        eprintln!("netless-token: connections still open after {SHUTDOWN_GRACE:?}; closing them");
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM, naming it.
async fn shutdown_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

fn router(keys: Shared) -> Router {
    Router::new()
        .route(
            "/healthz",
            get(|| async {
                (
                    StatusCode::OK,
                    [("content-type", "application/json")],
                    r#"{"status":"ok"}"#,
                )
            }),
        )
        .route("/v5/tokens/teams", post(teams))
        .route("/v5/tokens/rooms/{uuid}", post(room))
        .route("/v5/tokens/tasks/{uuid}", post(task))
        .route("/v5/tokens/rooms/", post(empty_uuid))
        .route("/v5/tokens/tasks/", post(empty_uuid))
        .fallback(|| async { Failure(StatusCode::NOT_FOUND, "path: no such endpoint".into()) })
        .method_not_allowed_fallback(|| async {
            Failure(
                StatusCode::METHOD_NOT_ALLOWED,
                "method: this endpoint takes POST (GET for /healthz)".into(),
            )
        })
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(keys)
}

/// One line per request on standard error: method, path, status, time. Never a header (the
/// `token` header is a credential) nor a body (it may hold a secret key).
async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().escape_debug().to_string();
    let response = next.run(request).await;
    eprintln!(
        "{method} {path} {} {:.3}ms",
        response.status().as_u16(),
        start.elapsed().as_secs_f64() * 1e3
    );
    response
}

async fn empty_uuid() -> Failure {
    Failure::bad_request("uuid: must not be empty")
}

async fn teams(
    State(keys): State<Shared>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    check_region(&headers)?;
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

async fn room(
    state: State<Shared>,
    path: Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    delegated(TokenKind::Room, state, path, headers, body).await
}

async fn task(
    state: State<Shared>,
    path: Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    delegated(TokenKind::Task, state, path, headers, body).await
}

/// Room and Task tokens, issued on the authority of an SDK token.
async fn delegated(
    kind: TokenKind,
    State(keys): State<Shared>,
    Path(uuid): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Failure> {
    check_region(&headers)?;
    if uuid.is_empty() {
        return Err(Failure::bad_request("uuid: must not be empty"));
    }
    if uuid.len() > MAX_UUID || uuid.chars().any(char::is_control) {
        return Err(Failure::bad_request(format!(
            "uuid: must be at most {MAX_UUID} bytes without control characters"
        )));
    }
    let unauthorized = |reason: String| Failure(StatusCode::UNAUTHORIZED, reason);
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

/// The body as a JSON object, read to at most [`MAX_BODY`] bytes.
async fn json_body(headers: &HeaderMap, body: Body) -> Result<Map<String, Value>, Failure> {
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
    if declared.is_some_and(|len| len > MAX_BODY as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| too_large())?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Failure::bad_request("body: must be a JSON object")),
        Err(e) => Err(Failure::bad_request(format!("body: not valid JSON ({e})"))),
    }
}

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
