//! Lingering close, as nginx does it. When a connection closes with a request body left unread
//! (a body refused without reading it, past what [`super::wire`] drains, or a request cut short
//! by its time limit), closing the socket at once would make the kernel answer what the client
//! still sends with a reset, and a client that is still sending then loses the answer it was
//! about to read. So the connection answers, shuts its write side (the client sees the end of
//! the answer), then reads and discards what the client still sends, for [`LINGER_TIME`] and
//! [`LINGER_BYTES`] at most and for [`LINGER_IDLE`] without data at most, and only then closes.
//!
//! Only a connection whose last request left its body unread lingers: an idle keep-alive
//! connection closes at once.

use std::future::Future as _;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Instant, Sleep};

/// The longest a connection lingers after its answer.
pub const LINGER_TIME: Duration = Duration::from_secs(5);
/// The longest a lingering connection waits for the client's next bytes.
pub const LINGER_IDLE: Duration = Duration::from_secs(1);
/// The most bytes a lingering connection reads and discards.
pub const LINGER_BYTES: usize = 8 * 1024 * 1024;
/// The buffer a lingering connection reads into.
const LINGER_BUFFER: usize = 8 * 1024;

/// A connection's mark: whether its last request left its body unread. Shared by the
/// connection's IO ([`Lingering`]) and its requests' bodies ([`Tracked`]).
#[derive(Clone, Debug, Default)]
pub struct Unread(Arc<AtomicBool>);

impl Unread {
    /// A new request begins: the bodies before it were read to their end, by the handler or by
    /// hyper, since the connection goes on.
    pub fn clear(&self) {
        self.0.store(false, Ordering::Release);
    }

    /// A request body was dropped before its end.
    fn set(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether the last request left its body unread.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A request body that marks its connection [`Unread`] when it is dropped before its end.
pub struct Tracked {
    /// The body as hyper gives it.
    body: Incoming,
    /// Whether the body was read to its end.
    ended: bool,
    /// The connection's mark.
    unread: Unread,
}

impl Tracked {
    /// `body`, tracked for the connection of mark `unread`.
    pub fn new(body: Incoming, unread: Unread) -> Self {
        Tracked {
            body,
            ended: false,
            unread,
        }
    }
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if let Poll::Ready(None) = polled {
            this.ended = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.ended || self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if !self.ended && !self.body.is_end_stream() {
            self.unread.set();
        }
    }
}

/// Where a connection's shutdown is.
enum Close {
    /// Not begun.
    Open,
    /// The write side is shut; reading and discarding what the client still sends.
    Lingering(Box<Linger>),
    /// Done: the connection may be closed.
    Done,
}

/// The state of a lingering close.
struct Linger {
    /// What is read, and discarded.
    buffer: Box<[u8]>,
    /// Bytes read and discarded so far.
    read: usize,
    /// The end of [`LINGER_TIME`].
    deadline: Pin<Box<Sleep>>,
    /// The end of [`LINGER_IDLE`] since the last bytes came.
    idle: Pin<Box<Sleep>>,
}

impl Linger {
    /// A lingering close that begins now.
    fn start() -> Self {
        Linger {
            buffer: vec![0; LINGER_BUFFER].into_boxed_slice(),
            read: 0,
            deadline: Box::pin(sleep(LINGER_TIME)),
            idle: Box::pin(sleep(LINGER_IDLE)),
        }
    }

    /// Reads and discards from `io` until the client closes, an error, or a bound; `Pending`
    /// while the client is still sending.
    fn poll_discard<IO: AsyncRead + Unpin>(
        &mut self,
        io: &mut IO,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        loop {
            if self.deadline.as_mut().poll(cx).is_ready() || self.idle.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(());
            }
            let mut buffer = ReadBuf::new(&mut self.buffer);
            match Pin::new(&mut *io).poll_read(cx, &mut buffer) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(_)) => return Poll::Ready(()),
                Poll::Ready(Ok(())) => {
                    let n = buffer.filled().len();
                    self.read += n;
                    if n == 0 || self.read >= LINGER_BYTES {
                        return Poll::Ready(());
                    }
                    self.idle.as_mut().reset(Instant::now() + LINGER_IDLE);
                }
            }
        }
    }
}

/// A connection's IO that, on shutdown, lingers when its [`Unread`] mark is set: hyper shuts a
/// connection down once the last answer is written.
pub struct Lingering<IO> {
    /// The socket.
    io: IO,
    /// The connection's mark.
    unread: Unread,
    /// Where the shutdown is.
    close: Close,
}

impl<IO> Lingering<IO> {
    /// `io`, lingering on shutdown when `unread` is set.
    pub fn new(io: IO, unread: Unread) -> Self {
        Lingering {
            io,
            unread,
            close: Close::Open,
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Lingering<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Lingering<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match &mut this.close {
                Close::Open => {
                    // The answer is written; the client now sees its end.
                    let shut = std::task::ready!(Pin::new(&mut this.io).poll_shutdown(cx));
                    if shut.is_err() || !this.unread.is_set() {
                        this.close = Close::Done;
                        return Poll::Ready(shut);
                    }
                    this.close = Close::Lingering(Box::new(Linger::start()));
                }
                Close::Lingering(linger) => {
                    std::task::ready!(linger.poll_discard(&mut this.io, cx));
                    this.close = Close::Done;
                }
                Close::Done => return Poll::Ready(Ok(())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt as _;

    use super::*;

    /// A client at the other end of an in-memory connection (64 KiB of buffer) that sends
    /// `total` bytes, then closes; it finishes only if the server side reads them.
    fn sending_client(
        client: tokio::io::DuplexStream,
        total: usize,
    ) -> tokio::task::JoinHandle<io::Result<()>> {
        tokio::spawn(async move {
            let mut client = client;
            let chunk = [b'x'; 4096];
            for _ in 0..total / chunk.len() {
                client.write_all(&chunk).await?;
            }
            Ok(())
        })
    }

    #[tokio::test]
    async fn a_connection_that_left_a_body_unread_reads_the_rest_before_closing() {
        let (server, client) = tokio::io::duplex(64 * 1024);
        let unread = Unread::default();
        unread.set();
        let mut server = Lingering::new(server, unread);
        let client = sending_client(client, 1024 * 1024);
        server.shutdown().await.unwrap();
        // 1 MiB went through a 64 KiB pipe: the server side read it all.
        client.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_connection_with_nothing_left_unread_closes_without_reading() {
        let (server, client) = tokio::io::duplex(64 * 1024);
        let unread = Unread::default();
        let mut server = Lingering::new(server, unread.clone());
        // Set by an earlier request, cleared by the next one.
        unread.set();
        unread.clear();
        let client = sending_client(client, 1024 * 1024);
        server.shutdown().await.unwrap();
        // Nothing the client sends was read: its 1 MiB cannot have got through.
        tokio::task::yield_now().await;
        assert!(!client.is_finished());
        drop(server);
        assert!(client.await.unwrap().is_err());
    }

    #[tokio::test]
    async fn lingering_stops_after_its_byte_bound() {
        let (server, client) = tokio::io::duplex(64 * 1024);
        let unread = Unread::default();
        unread.set();
        let mut server = Lingering::new(server, unread);
        // The client sends more than the bound and never closes.
        let client = sending_client(client, 4 * LINGER_BYTES);
        server.shutdown().await.unwrap();
        drop(server);
        assert!(client.await.unwrap().is_err(), "the client sent it all");
    }
}
