//! The limits of a request, below every layer that checks them.

/// The largest request body accepted; larger is 413.
pub const MAX_BODY: usize = 16 * 1024;
/// How much of a refused body is still read and discarded so that the answer reaches the
/// client on a connection it can reuse; a longer one is left unread, and the connection closes
/// after the answer, lingering (see `linger.rs`).
pub const MAX_DRAIN: usize = 64 * 1024;
/// The longest room or task UUID accepted; longer is 400.
pub const MAX_UUID: usize = 128;
/// The most bytes of request line plus headers, which is also each connection's read buffer;
/// past it hyper answers 431. (hyper's smallest buffer; a real request here is under 2 KiB.)
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// The most header fields in one request; past it hyper answers 431.
pub const MAX_HEADER_COUNT: usize = 64;
