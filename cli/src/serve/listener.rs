//! The listening socket, with a listen backlog of our choosing: `TcpListener::bind` fixes it at
//! 128, which a burst of new connections overflows (the kernel then drops SYNs and each client
//! waits a second for its retry).

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

/// File descriptors kept free for everything but connections: the listener, the runtime's
/// own, the standard streams, the log.
const SPARE_FILES: u64 = 32;

/// The connection cap that fits the process's open-file limit: `wanted`, or less when the soft
/// limit (`ulimit -n`) could not hold that many connections plus `refusing` connections being
/// refused and a few spare descriptors. Past the limit, accept() would fail and new clients
/// would wait in the backlog instead of being refused at once.
pub fn fitting_cap(wanted: usize, refusing: usize) -> usize {
    match open_file_limit() {
        Some(limit) => {
            let room = limit.saturating_sub(refusing as u64 + SPARE_FILES);
            wanted
                .min(usize::try_from(room).unwrap_or(usize::MAX))
                .max(1)
        }
        None => wanted,
    }
}

/// The soft limit on open files, from `/proc/self/limits` (Linux); `None` elsewhere, or when
/// unlimited.
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files")
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Binds `addr` with a listen backlog of `backlog` connections (the kernel caps it at
/// `net.core.somaxconn`). Must run inside the Tokio runtime.
pub fn bind(addr: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As `TcpListener::bind` does: a restarted server can bind while old connections linger.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}
