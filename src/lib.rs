//! Mint, decode and verify NETLESS whiteboard tokens (SDK, Room and Task) offline, byte for
//! byte what the official JavaScript generator prints.
//!
//! ```
//! use netless_token::{decode, KeyPair, Role, SecretKey, TokenRequest, Validation};
//!
//! // Once, at start-up: the key pair keys the HMAC once and serves every thread.
//! let pair = KeyPair::new("BUxxxxxxrc", &SecretKey::new("CxxxxxxxauY3")?)?;
//!
//! // Per request: a writer token for one room, valid for an hour from now.
//! let room = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
//! let token = pair.mint_now(&TokenRequest::room(Role::Writer, 3_600_000, room))?;
//!
//! // Anyone can decode it; only the secret's holder can verify it.
//! let decoded = decode(&token)?;
//! assert_eq!(decoded.uuid(), Some(room));
//! let verified = pair.verify(&token, &Validation::new())?;
//! assert_eq!(verified.role(), Role::Writer);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reproducible tokens (fixed clock and nonce), as in the official generator's test vectors:
//!
//! ```
//! use netless_token::{mint, Role, SecretKey, TokenRequest};
//! let token = mint(
//!     "BUxxxxxxrc",
//!     &SecretKey::new("CxxxxxxxauY3")?,
//!     &TokenRequest::sdk(Role::Admin, 0),
//!     1_700_000_000_000,
//!     "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
//! )?;
//! assert_eq!(
//!     token,
//!     "NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgmcm9sZT0wJnNpZz05ODY3YjBiMzZhMWMyZTFkNzQ5ZjBhMDYzMGRmOTFiOGNiYzQ3NzFhODJjMzVjN2YyNWIwYWQ2OTZhNmQ0NGJm"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The format in five lines
//!
//! - `token = PREFIX + base64url_nopad(QUERY)`, PREFIX one of `NETLESSSDK_`, `NETLESSROOM_`,
//!   `NETLESSTASK_`.
//! - Fields: `ak`, `nonce`, `role` (`0` admin, `1` writer, `2` reader), `expireAt` (ms, only when
//!   the lifespan is not 0), `uuid` (Room and Task), any extra fields, and `sig`.
//! - `sig = hex(HMAC-SHA256(SK, canonical JSON of every other field))`: keys sorted, every
//!   value a string, no whitespace, escaped as `JSON.stringify`.
//! - QUERY: every field with `sig`, keys sorted, `k=v` joined by `&`, escaped as
//!   `encodeURIComponent` (space is `%20`, never `+`).
//! - Decoding needs no secret; verifying recomputes `sig` and checks `expireAt`.
//!
//! # Errors
//!
//! Each operation has its own error type: [`KeyError`], [`MintError`], [`DecodeError`] and
//! [`VerifyError`]. Every message is one line, `field: reason`, and never holds a secret key.
//!
//! # Limits
//!
//! A token longer than [`MAX_TOKEN_LEN`] bytes is refused by [`decode`] before any work and
//! never minted. An `expireAt` past [`MAX_EXPIRE_AT`] is never minted.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod decode;
mod error;
mod fields;
mod keypair;
mod kind;
mod mint;
mod secret;
mod verify;
mod wire;

pub use decode::{decode, DecodedToken};
pub use error::{DecodeError, KeyError, MintError, VerifyError};
pub use keypair::KeyPair;
pub use kind::{ParseError, Role, TokenKind};
pub use mint::{mint, random_nonce, room_token, sdk_token, task_token, unix_time_ms, TokenRequest};
pub use secret::SecretKey;
pub use verify::{verify, Keyring, Validation};

/// The longest token, in bytes, that [`decode`] accepts and minting produces: 4 KiB. Real
/// tokens are about 200 to 300 bytes; the limit bounds the work any input can cause.
pub const MAX_TOKEN_LEN: usize = 4096;

/// The latest `expireAt` minting produces: 2^53 - 1 ms (year 287396), the largest integer the
/// official JavaScript generator represents exactly. Beyond it that generator would print a
/// rounded number, so no token past it can be byte-identical.
pub const MAX_EXPIRE_AT: u64 = (1 << 53) - 1;

/// The README's Rust examples, compiled and run as doctests so the README cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
