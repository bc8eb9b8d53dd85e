//! The service: [`app`] builds the router from the handlers, with the request time limit, the
//! draining of unread bodies and the request log around every route.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use netless_token::{Keyring, TokenKind};

use super::error::ApiError;
use super::handlers;
use super::wire;

/// The service answering from `keyring`, each request limited to `request_timeout` (408 past
/// it) and logged.
pub fn app(keyring: Keyring, request_timeout: Duration) -> Router {
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/v5/tokens/teams", post(handlers::teams))
        .route(
            "/v5/tokens/rooms/{uuid}",
            post(handlers::delegated).layer(Extension(TokenKind::Room)),
        )
        .route(
            "/v5/tokens/tasks/{uuid}",
            post(handlers::delegated).layer(Extension(TokenKind::Task)),
        )
        .route("/v5/tokens/rooms/", post(handlers::empty_id))
        .route("/v5/tokens/tasks/", post(handlers::empty_id))
        .fallback(handlers::no_such_endpoint)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(middleware::from_fn(wire::drain_rest))
        .layer(middleware::from_fn_with_state(request_timeout, time_limit))
        .layer(middleware::from_fn(log_request))
        .with_state(Arc::new(keyring))
}

/// A request, body included, gets `limit` to complete; past it the answer is a JSON 408 and the
/// connection closes (the rest of its body is never read).
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout(limit).into_response(),
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
