//! Mint, decode and verify NETLESS whiteboard tokens (SDK, Room and Task) offline, byte for
//! byte what the official JavaScript generator prints.
//!
//! # A guide in four steps
//!
//! **1. Hold the key pair.** Build a [`KeyPair`] once, at start-up: it keys the HMAC once, is
//! `Send + Sync`, and serves every thread. The [`SecretKey`] never prints and is wiped on drop.
//!
//! **2. Mint.** Describe the token with a [`TokenRequest`] (lifespan in ms, then role, then the
//! room or task UUID, the order of the official calls), then:
//! - [`KeyPair::mint_now`]: issued now, with a random UUID v4 nonce; what an app server does;
//! - [`KeyPair::mint`]: with a fixed issue time and nonce, reproducible byte for byte;
//! - [`KeyPair::mint_with`]: the issue time and the nonce each fixed or drawn ([`Issue`]);
//! - or the one-shot calls shaped like the official generators: [`sdk_token`],
//!   [`room_token`], [`task_token`].
//!
//! **3. Read a token without the secret.** [`decode`] returns a [`DecodedToken`]: its fields,
//! checked for form but not trusted, since anyone can write one.
//!
//! **4. Verify.** [`KeyPair::verify`] (one key), [`Keyring::verify`] (several access keys,
//! or one whose secret rotates) or [`SecretKey::verify`] (the secret alone, whatever access key
//! the token carries) check the signature in constant time, then the [`Validation`] policy
//! (kind, expiry, leeway, lifetime), and return a [`VerifiedToken`]: the only type that proves
//! a token authentic.
//!
//! ```
//! use netless_token::{decode, KeyPair, Role, SecretKey, TokenKind, TokenRequest, Validation};
//!
//! // 1. Once, at start-up.
//! let pair = KeyPair::new("BUxxxxxxrc", &SecretKey::new("CxxxxxxxauY3")?)?;
//!
//! // 2. Per request: a writer token for one room, valid for an hour from now.
//! let room = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
//! let token = pair.mint_now(&TokenRequest::room(3_600_000, Role::Writer, room))?;
//!
//! // 3. Anyone can read it...
//! assert_eq!(decode(&token)?.uuid(), Some(room));
//!
//! // 4. ...only the secret's holder can verify it.
//! let verified = pair.verify(&token, &Validation::new().expect_kind(TokenKind::Room))?;
//! assert_eq!(verified.role(), Role::Writer);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reproducible tokens (fixed clock and nonce), as in the official generator's test vectors:
//!
//! ```
//! use netless_token::{KeyPair, Role, SecretKey, TokenRequest};
//!
//! let pair = KeyPair::new("BUxxxxxxrc", &SecretKey::new("CxxxxxxxauY3")?)?;
//! let token = pair.mint(
//!     &TokenRequest::sdk(0, Role::Admin),
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
//! - `sig = hex(HMAC-SHA256(SK, canonical JSON of every other field))`: every value a string,
//!   no whitespace, escaped as `JSON.stringify`.
//! - QUERY: every field with `sig`, `k=v` joined by `&`, escaped as `encodeURIComponent`
//!   (space is `%20`, never `+`).
//! - Field order, in both: array-index names (`"2"`, `"10"`) by value, then the rest in
//!   UTF-16 order, as JavaScript orders an object's keys. `docs/format.md` in the repository
//!   has the whole format.
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
#![cfg_attr(docsrs, feature(doc_cfg))]

// The layers, bottom up; a module imports only from those before it here.

/// The two limits: `MAX_TOKEN_LEN`, `MAX_EXPIRE_AT`.
mod limits;

/// Bytes: JSON escaping, percent-encoding, base64url, hex, decimals.
mod codec;

/// The vocabulary: `TokenKind`, `Role`.
mod kind;

/// One error type per operation.
mod error;

/// The canonical order of field names.
mod order;

/// The fields, and the signed JSON and the query made from them.
mod fields;

/// A token's text: prefix + base64url(query).
mod token;

/// `SecretKey`.
mod secret;

/// The one seam for time: the system clock.
mod clock;

/// The one seam for randomness: the operating system's generator.
mod entropy;

/// Random UUID v4 nonces, drawn from `entropy`.
mod nonce;

/// `KeyPair` and the signature.
mod key;

/// `TokenRequest`, `KeyPair::mint*`, `sdk_token`, `room_token`, `task_token`.
mod mint;

/// `decode`, `DecodedToken`.
mod decode;

/// `audit`, `DecodedToken::audit`, `AuditPolicy`, `Finding`, `FindingCode`, `Severity`: what a
/// token should not be, read without the secret.
mod audit;

/// `Validation`, `KeyPair::verify`, `Keyring`, `VerifiedToken`.
mod verify;

pub use audit::{audit, AuditPolicy, Finding, FindingCode, Severity};
pub use decode::{decode, DecodedToken};
pub use error::{DecodeError, KeyError, MintError, VerifyError};
pub use key::KeyPair;
pub use kind::{ParseError, Role, TokenKind};
pub use limits::{MAX_EXPIRE_AT, MAX_TOKEN_LEN};
pub use mint::{room_token, sdk_token, task_token, Issue, TokenRequest};
pub use secret::SecretKey;
pub use verify::{Keyring, Validation, VerifiedToken};

/// The README's Rust examples, compiled and run as doctests so the README cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
