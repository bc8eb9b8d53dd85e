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
//! Layout: [`routes`] (handlers, time limit, request log), [`conn`] (one connection, shutdown
//! phases, the 503 past the cap), [`listener`] (backlog), [`log`] (the non-blocking log),
//! [`shutdown`] (signals), [`keys_file`] (key pairs).

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;

mod conn;
mod keys_file;
mod listener;
mod log;
mod routes;
mod settings;
mod shutdown;

use conn::Phase;
use log::Log;
use settings::Settings;
pub use settings::{ServeArgs, HELP};

/// The largest request body accepted; larger is 413.
pub const MAX_BODY: usize = 16 * 1024;
/// How much of a refused body is still read and discarded so that the answer reaches the
/// client; a longer one is left unread and the connection closed after the answer.
pub const MAX_DRAIN: usize = 64 * 1024;
/// The longest room or task UUID accepted; longer is 400.
pub const MAX_UUID: usize = 128;
/// The most bytes of request line plus headers, which is also each connection's read buffer;
/// past it hyper answers 431. (hyper's smallest buffer; a real request here is under 2 KiB.)
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// The most header fields in one request; past it hyper answers 431.
pub const MAX_HEADER_COUNT: usize = 64;
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
async fn serve(mut settings: Settings) -> Result<(), String> {
    let listen = settings.listen;
    let listener = listener::bind(listen, settings.backlog)
        .map_err(|e| format!("listen: cannot bind {listen}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("listen: {e}"))?;
    let access_keys = settings.keyring.len();
    let keyring = std::mem::take(&mut settings.keyring);
    let app = routes::router(Arc::new(routes::Keys { keyring }), settings.request_timeout);
    {
        // Standard output may be closed; the server runs all the same.
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on http://{local}");
        let _ = stdout.flush();
    }
    let wanted = settings.max_connections;
    settings.max_connections = listener::fitting_cap(wanted, MAX_REFUSING);
    if settings.max_connections < wanted {
        tracing::info!(
            "netless-token: --max-connections lowered from {wanted} to {} to fit the open-file limit (ulimit -n)",
            settings.max_connections
        );
    }
    tracing::info!(
        "netless-token: serving {access_keys} access key(s) on http://{local} (backlog {}, at most {} connections)",
        settings.backlog,
        settings.max_connections
    );

    let (phase_tx, phase_rx) = watch::channel(Phase::Serving);
    let permits = Arc::new(Semaphore::new(settings.max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let mut connections = JoinSet::new();
    let accept = |stream: tokio::net::TcpStream, connections: &mut JoinSet<()>| {
        let _ = stream.set_nodelay(true);
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                connections.spawn(conn::serve(
                    stream,
                    app.clone(),
                    settings.idle_timeout,
                    phase_rx.clone(),
                    permit,
                ));
            }
            Err(_) => {
                let limit = settings.max_connections;
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
    for _ in 0..settings.backlog {
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
    let drain_end = start + settings.drain;
    let grace_end = start + settings.grace;
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
                    humantime::format_duration(settings.grace)
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
