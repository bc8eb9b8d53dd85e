//! The listening socket, with a listen backlog of our choosing: `TcpListener::bind` fixes it at
//! 128, which a burst of new connections overflows (the kernel then drops SYNs and each client
//! waits a second for its retry).

use std::io;
use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpSocket};

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
