//! The limits every layer checks against.

/// The longest token, in bytes, that [`decode`](crate::decode) accepts and minting produces:
/// 4 KiB. Real tokens are about 200 to 300 bytes; the limit bounds the work any input can cause.
pub const MAX_TOKEN_LEN: usize = 4096;

/// The latest `expireAt` minting produces: 2^53 - 1 ms (year 287396), the largest integer the
/// official JavaScript generator represents exactly. Beyond it that generator would print a
/// rounded number, so no token past it can be byte-identical.
pub const MAX_EXPIRE_AT: u64 = (1 << 53) - 1;
