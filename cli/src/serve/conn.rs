//! One connection's life: HTTP/1.1 with bounded buffers, half-closed clients served, protocol
//! rejections logged, the shutdown phases applied, and a lingering close when a request body was
//! left unread (see [`super::linger`]); and the fast 503 for connections past the cap.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, Request, Response};
use axum::Router;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::{watch, OwnedSemaphorePermit};

use super::limits::{MAX_HEADER_BYTES, MAX_HEADER_COUNT};
use super::linger::{Lingering, Tracked, Unread};

/// Where the server is in its life; every connection watches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Accepting and serving.
    Serving,
    /// A signal came: no more accepting; every response carries `Connection: close`, and
    /// requests on open connections are still served (the drain window).
    Draining,
    /// The drain window is over: requests in progress finish, every other connection (idle,
    /// or in the middle of sending a request's headers) closes now.
    Closing,
}

/// How often a closing connection checks whether a request is still in progress.
const CLOSING_TICK: Duration = Duration::from_millis(50);

/// Counts a connection's requests in progress: from the moment hyper hands the request to the
/// router until the response body has been handed back to hyper.
struct InProgress(Arc<AtomicUsize>);

impl InProgress {
    /// Counts one more request in progress, until the guard drops.
    fn enter(count: &Arc<AtomicUsize>) -> InProgress {
        count.fetch_add(1, Ordering::AcqRel);
        InProgress(count.clone())
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves one accepted connection until it closes, or until shutdown closes it. `_permit` is
/// this connection's place under the connection cap, given back when it ends.
pub async fn serve(
    stream: TcpStream,
    app: Router,
    idle_timeout: Duration,
    mut phase: watch::Receiver<Phase>,
    _permit: OwnedSemaphorePermit,
) {
    let in_progress = Arc::new(AtomicUsize::new(0));
    let unread = Unread::default();
    let router = TowerToHyperService::new(app);
    let service = {
        let in_progress = in_progress.clone();
        let phase = phase.clone();
        let unread = unread.clone();
        hyper::service::service_fn(move |request: Request<Incoming>| {
            let guard = InProgress::enter(&in_progress);
            let phase = phase.clone();
            // Each body marks the connection if it is dropped before its end, so that closing
            // after this request lingers.
            unread.clear();
            let request = request.map(|body| Body::new(Tracked::new(body, unread.clone())));
            let response = router.call(request);
            let unread = unread.clone();
            async move {
                let Ok(mut response) = response.await;
                // The client learns now that this connection takes no further request: the
                // server is shutting down, or this request's body was left unread (the
                // connection then closes after the answer, lingering).
                if *phase.borrow() != Phase::Serving || unread.is_set() {
                    response
                        .headers_mut()
                        .insert(CONNECTION, HeaderValue::from_static("close"));
                }
                // The guard lives as long as the body, which hyper drops once it is sent.
                let response = response.map(|body| {
                    Body::new(body.map_frame(move |frame| {
                        let _ = &guard;
                        frame
                    }))
                });
                Ok::<Response<Body>, Infallible>(response)
            }
        })
    };
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(idle_timeout)
        .keep_alive(true)
        // A client may shut down its side once its request is sent, and still get the answer.
        .half_close(true)
        // The read buffer, and so the request line plus headers, is bounded: past it hyper
        // answers 431 on its own.
        .max_buf_size(MAX_HEADER_BYTES)
        .max_headers(MAX_HEADER_COUNT);
    let io = TokioIo::new(Lingering::new(stream, unread));
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);

    let result = loop {
        let now = *phase.borrow_and_update();
        if now == Phase::Closing {
            break close(connection.as_mut(), &in_progress).await;
        }
        tokio::select! {
            biased;
            result = connection.as_mut() => break result,
            changed = phase.changed() => {
                if changed.is_err() {
                    // The server is gone: close as at the end of the drain window.
                    break close(connection.as_mut(), &in_progress).await;
                }
            }
        }
    };
    if let Err(e) = result {
        log_rejection(&e);
    }
}

/// The end of the drain window for one connection: a request in progress finishes (with
/// `Connection: close`); without one the connection closes now, even in the middle of a
/// request's headers.
async fn close<C>(
    mut connection: std::pin::Pin<
        &mut hyper::server::conn::http1::Connection<TokioIo<Lingering<TcpStream>>, C>,
    >,
    in_progress: &AtomicUsize,
) -> hyper::Result<()>
where
    C: hyper::service::HttpService<Incoming, ResBody = Body>,
{
    connection.as_mut().graceful_shutdown();
    loop {
        tokio::select! {
            biased;
            result = connection.as_mut() => return result,
            () = tokio::time::sleep(CLOSING_TICK) => {
                if in_progress.load(Ordering::Acquire) == 0 {
                    return Ok(());
                }
            }
        }
    }
}

/// Logs a connection that ended in a protocol error, by kind only: hyper's error text is not
/// copied, and never a byte of what the client sent.
fn log_rejection(error: &hyper::Error) {
    let (status, reason) = if error.is_parse_too_large() {
        (
            431,
            "request line or headers over the limit; hyper answered 431 without a body",
        )
    } else if error.is_parse() {
        (
            400,
            "request line or headers not valid HTTP/1.1; hyper answered 400 without a body",
        )
    } else if error.is_timeout() {
        (0, "no complete request headers within the idle timeout")
    } else if error.is_incomplete_message() {
        (0, "connection closed in the middle of a request")
    } else {
        // Resets and other I/O errors of a peer that went away.
        return;
    };
    if status == 0 {
        tracing::info!(reason, "netless-token: connection closed: {reason}");
    } else {
        tracing::info!(
            status,
            reason,
            "netless-token: connection rejected: {reason}"
        );
    }
}

/// Answers a connection past the cap with a 503 JSON at once, then closes it; gives the
/// client at most a second to take the answer.
pub async fn refuse(mut stream: TcpStream, limit: usize, _permit: OwnedSemaphorePermit) {
    let body = format!(
        r#"{{"message":"connections: the server is at its limit of {limit} connections; retry later"}}"#
    );
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await?;
        // Read what the client sent, so that closing does not reset the connection before it
        // has read the answer.
        let mut sink = [0u8; 4096];
        let mut read = 0;
        while read < 64 * 1024 {
            match stream.read(&mut sink).await? {
                0 => break,
                n => read += n,
            }
        }
        Ok::<(), std::io::Error>(())
    })
    .await;
}
