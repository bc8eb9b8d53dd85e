//! The HTTP wire below the handlers: a request body read within [`MAX_BODY`], what a handler
//! leaves of one read and discarded (at most [`MAX_DRAIN`]) so that the answer reaches the client
//! on a connection it can reuse, and the JSON answers: `201` with the token as a JSON string, and
//! `{"message": ...}` for a failure, both with `content-type: application/json`.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use hyper::body::{Body as HttpBody, Frame, SizeHint};
use serde_json::Value;
use tokio::sync::oneshot;

use super::limits::{MAX_BODY, MAX_DRAIN};

/// Why a request body could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Over [`MAX_BODY`] bytes, declared or sent.
    TooLarge,
    /// The connection closed in the middle of the body.
    CutShort,
    /// The body's framing is malformed (chunked encoding).
    Malformed,
}

/// A JSON answer: `status`, `content-type: application/json`, and `json` (a JSON text).
pub fn json(status: StatusCode, json: String) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], json).into_response()
}

/// A failure's answer: `status` and `{"message": message}`.
pub fn message(status: StatusCode, message: &str) -> Response {
    let text = Value::String(message.to_owned());
    json(status, format!(r#"{{"message":{text}}}"#))
}

/// A minted token, answered `201` as a JSON string, as the service does.
pub struct Created(pub String);

impl IntoResponse for Created {
    fn into_response(self) -> Response {
        json(StatusCode::CREATED, Value::String(self.0).to_string())
    }
}

/// The whole body, at most [`MAX_BODY`] bytes. A body declared larger by its `content-length`
/// is refused before any of it is read.
pub async fn read_body(headers: &HeaderMap, mut body: Body) -> Result<Vec<u8>, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(|e| read_error(&e))?.into_data() else {
            continue; // trailers
        };
        if bytes.len() + data.len() > MAX_BODY {
            return Err(BodyError::TooLarge);
        }
        bytes.extend_from_slice(&data);
    }
    Ok(bytes)
}

/// A body that could not be read: cut short by the client, or malformed.
fn read_error(error: &axum::Error) -> BodyError {
    if caused_by_incomplete_message(error) {
        BodyError::CutShort
    } else {
        BodyError::Malformed
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

/// Middleware: once the handler has answered, what it left of the request body is read and
/// discarded before the answer goes out, [`MAX_DRAIN`] bytes at most. A request refused before
/// its body was read (or past [`MAX_BODY`]) so leaves the connection clean for the next request,
/// and the client gets the answer rather than a reset. A body left longer is not read here: the
/// connection closes after the answer, lingering (see `linger`).
pub async fn drain_rest(request: Request, next: Next) -> Response {
    let (back, mut returned) = oneshot::channel();
    let request = request.map(|body| {
        Body::new(Lent {
            body: Some(body),
            back: Some(back),
        })
    });
    let response = next.run(request).await;
    // The handler is done, so it has dropped the body, which came back here.
    if let Ok(rest) = returned.try_recv() {
        drain(rest).await;
    }
    response
}

/// Reads and discards `body` to its end, unless more than [`MAX_DRAIN`] bytes are left of it.
async fn drain(mut body: Body) {
    if body.is_end_stream() || body.size_hint().lower() > MAX_DRAIN as u64 {
        return;
    }
    let mut read = 0;
    while read <= MAX_DRAIN {
        match body.frame().await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, Bytes::len),
            Some(Err(_)) | None => break,
        }
    }
}

/// A request body lent to the handler: it reads through it, and when it drops it, the body goes
/// back to [`drain_rest`].
struct Lent {
    /// The body; `None` once given back.
    body: Option<Body>,
    /// Where the body goes back to.
    back: Option<oneshot::Sender<Body>>,
}

impl HttpBody for Lent {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.get_mut().body.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.body
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let (Some(body), Some(back)) = (self.body.take(), self.back.take()) {
            // Nobody waits any more when the request was cut short (a timeout): then the body
            // is simply dropped.
            let _ = back.send(body);
        }
    }
}
