//! `netless-token serve`: the service's three token endpoints, answered locally from the same
//! library. Part of the command line (behind its `server` feature), not of the library.
//!
//! Contract (`docs/format.md`, "The REST endpoints"):
//! - `POST /v5/tokens/teams`: header `region`; JSON `accessKey`, `secretAccessKey`,
//!   `lifespan` (ms, 0 = never), `role` (`admin`/`writer`/`reader`). 201 and an SDK token.
//! - `POST /v5/tokens/rooms/{uuid}`, `POST /v5/tokens/tasks/{uuid}`: headers `token` (an SDK
//!   token) and `region`; JSON `ak` (optional), `lifespan`, `role`. 201 and a Room or Task
//!   token, of a role equal to or below the SDK token's.
//! - Any other status carries `{"message": "..."}`, except the few answers hyper writes on its
//!   own for a request it cannot parse (400, 414, 431, without a body).
//!
//! Layout, in layers that only point down (each file one concern):
//! - [`limits`]: the limits every layer checks against.
//! - [`settings`]: the flags, and the [`Settings`] derived from them in one place; [`keys_file`]
//!   reads the key pairs.
//! - [`wire`]: the HTTP wire below the handlers: bodies read within [`limits::MAX_BODY`], what a handler
//!   leaves of one drained (at most [`limits::MAX_DRAIN`]), the JSON answers.
//! - [`error`]: [`error::ApiError`], every failure with its status and `{"message"}`.
//! - [`json`]: the typed JSON extractor and the lenient fields body structs are made of.
//! - [`request`]: what each endpoint takes, typed: headers, path, bodies checked in a fixed
//!   order.
//! - [`handlers`]: typed requests in, a token or an `ApiError` out; every decision about keys,
//!   roles, the clock and nonces is the library's.
//! - [`app`]: `app()` builds the router, with the time limit and the request log; tested in
//!   process in `tests.rs`.
//! - [`conn`] (one connection, shutdown phases, the 503 past the cap), [`linger`] (the lingering
//!   close of a connection that left a request body unread), [`listener`] (backlog),
//!   [`log`] (the non-blocking log), [`shutdown`] (signals); this file binds and serves.

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;

mod app;
mod conn;
mod error;
mod handlers;
mod json;
mod keys_file;
mod limits;
mod linger;
mod listener;
mod log;
mod request;
mod settings;
mod shutdown;
#[cfg(test)]
mod tests;
mod wire;

use conn::Phase;
use log::Log;
use settings::Settings;
pub use settings::{ServeArgs, HELP};

/// Connections past the cap being answered 503 at once; past this many too, they are closed
/// without an answer.
const MAX_REFUSING: usize = 256;
/// How long the log may take to write what is queued at exit.
const LOG_FLUSH_AT_EXIT: Duration = Duration::from_millis(500);

/// Serves until SIGINT or SIGTERM, then drains and stops (see [`HELP`]). Prints
/// `listening on http://ADDR` on standard output once bound.
pub fn run(args: ServeArgs) -> Result<(), crate::failure::Failure> {
    let settings = Settings::try_from(args)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("serve: cannot start the runtime: {e}"))?;
    let log = Log::install(settings.log_format);
    // A panic (there should be none) is logged through the queue too: the default hook writes
    // to stderr directly and would block on a stalled pipe.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        tracing::error!("netless-token: internal error (panic){place}");
    }));
    let result = runtime.block_on(serve(settings));
    // Connections still open past the grace period are dropped here, without waiting.
    runtime.shutdown_timeout(Duration::from_millis(100));
    log.finish(LOG_FLUSH_AT_EXIT);
    Ok(result?)
}

/// Binds, serves, and on a signal drains and returns.
async fn serve(settings: Settings) -> Result<(), String> {
    let Settings {
        listen,
        keyring,
        log_format: _,
        backlog,
        max_connections: wanted,
        request_timeout,
        idle_timeout,
        drain,
        grace,
    } = settings;
    let listener = listener::bind(listen, backlog)
        .map_err(|e| format!("listen: cannot bind {listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("listen: {e}"))?;
    let access_keys = keyring.len();
    let app = app::app(keyring, request_timeout);
    {
        // Standard output may be closed; the server runs all the same.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on http://{local}");
        let _ = stdout.flush();
    }
    let max_connections = listener::fitting_cap(wanted, MAX_REFUSING);
    if max_connections < wanted {
        tracing::info!(
            "netless-token: --max-connections lowered from {wanted} to {} to fit the open-file limit (ulimit -n)",
            max_connections
        );
    }
    tracing::info!(
        "netless-token: serving {access_keys} access key(s) on http://{local} (backlog {}, at most {} connections)",
        backlog,
        max_connections
    );

    let (phase_tx, phase_rx) = watch::channel(Phase::Serving);
    let permits = Arc::new(Semaphore::new(max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut connections = JoinSet::new();
    let accept = |stream: tokio::net::TcpStream, connections: &mut JoinSet<()>| {
        let _ = stream.set_nodelay(true);
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                connections.spawn(conn::serve(
                    stream,
                    app.clone(),
                    idle_timeout,
                    phase_rx.clone(),
                    permit,
                ));
            }
            Err(_) => {
                let limit = max_connections;
                if let Ok(permit) = refusing.clone().try_acquire_owned() {
                    tracing::info!(
                        status = 503,
                        "netless-token: connection refused: at the limit of {limit} connections; answered 503"
                    );
                    tokio::spawn(conn::refuse(stream, limit, permit));
                } else {
                    // Past both caps the stream is dropped: closed at once, never left hanging.
                    tracing::info!(
                        "netless-token: connection refused: at the limit of {limit} connections; closed"
                    );
                }
            }
        }
    };
    let shutdown = shutdown::signal();
    tokio::pin!(shutdown);
    let signal = loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => accept(stream, &mut connections),
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::info!("netless-token: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections so the set does not grow.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            signal = &mut shutdown => break signal,
        }
    };

    // Connections the kernel already completed are served (with `Connection: close`), not
    // reset; then the listener closes.
    let _ = phase_tx.send(Phase::Draining);
    for _ in 0..backlog {
        match tokio::time::timeout(Duration::ZERO, listener.accept()).await {
            Ok(Ok((stream, _))) => accept(stream, &mut connections),
            _ => break,
        }
    }
    drop(listener);
    while connections.try_join_next().is_some() {}
    tracing::info!(
        "netless-token: {signal}: shutting down; {} connection(s) open",
        connections.len()
    );

    let start = Instant::now();
    let drain_end = start + drain;
    let grace_end = start + grace;
    let mut closing = false;
    loop {
        tokio::select! {
            joined = connections.join_next() => {
                if joined.is_none() {
                    break;
                }
            }
            () = tokio::time::sleep_until(drain_end), if !closing => {
                closing = true;
                let _ = phase_tx.send(Phase::Closing);
            }
            () = tokio::time::sleep_until(grace_end) => {
                tracing::info!(
                    "netless-token: {} connection(s) still busy after {}; closing them",
                    connections.len(),
                    humantime::format_duration(grace)
                );
                connections.abort_all();
                break;
            }
        }
    }
    tracing::info!(
        "netless-token: stopped after {:.3}s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
