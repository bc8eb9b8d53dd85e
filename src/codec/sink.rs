//! Where written bytes go. Every writer of the format takes a [`Sink`], so that one escaping
//! routine serves the HMAC input, a bounded stack buffer and a `Vec` alike, with no allocation
//! of its own.

/// Where escaped bytes go: an HMAC, a bounded stack buffer, a `Vec`.
pub(crate) trait Sink {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// A bounded stack buffer; what does not fit is dropped and remembered as an overflow.
pub(crate) struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
    overflowed: bool,
}

impl<const N: usize> StackBuf<N> {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        StackBuf {
            buf: [0; N],
            len: 0,
            overflowed: false,
        }
    }

    /// What was written, or `None` when it did not all fit.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        (!self.overflowed).then(|| &self.buf[..self.len])
    }

    /// How many bytes were written (or would have been, before an overflow stopped them).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Overwrites `bytes.len()` bytes already written, starting at `at`.
    pub(crate) fn patch(&mut self, at: usize, bytes: &[u8]) {
        if let Some(hole) = self.buf.get_mut(at..at + bytes.len()) {
            hole.copy_from_slice(bytes);
        }
    }
}

impl<const N: usize> Sink for StackBuf<N> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        match self.buf.get_mut(self.len..self.len + bytes.len()) {
            Some(room) if !self.overflowed => {
                room.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            _ => self.overflowed = true,
        }
    }
}

/// Keeps nothing: the side of a two-sided writer that is not wanted.
pub(crate) struct Discard;

impl Sink for Discard {
    #[inline(always)]
    fn put(&mut self, _: &[u8]) {}
}

/// Counts bytes instead of keeping them.
pub(crate) struct Counter(pub(crate) usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}
