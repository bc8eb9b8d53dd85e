//! The WebAssembly core of the npm package `netless-token-wasm`: thin wrappers over the
//! `netless-token` library's public API, exported to JavaScript by wasm-bindgen. The package's
//! JavaScript (`js/lib/`) checks argument types, gives the calls their JavaScript shapes and
//! turns a failure into its error class; every token decision (parsing kinds and roles, the
//! clock, the nonce, minting, decoding, verifying, the policy) is the library's.
//!
//! Calls cross into WebAssembly once each: strings go in once, a token comes out as one string,
//! and the clock and the nonce are drawn inside (`Date.now()` and `crypto.getRandomValues`,
//! through the library's own seams).
//!
//! A failure is thrown as a plain array `[class, message, field, details?]` that
//! `js/lib/errors.js` turns into the package's error class: `class` is that class's name,
//! `message` the library's one-line `field: reason`, which never holds a secret.
//!
//! Secrets: a secret key arrives as an owned `String` or `Vec<u8>` in WebAssembly memory and is
//! moved into the library's `SecretKey`, which wipes it on drop; a key pair's keyed HMAC state
//! is wiped when the key pair is freed.

#![deny(unsafe_code)]
#![warn(missing_docs)]

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use netless_token::{
    AuditPolicy, DecodeError, DecodedToken, Issue, KeyError, MintError, Role, SecretKey, TokenKind,
    TokenRequest, Validation, VerifyError,
};
use wasm_bindgen::prelude::*;

/// The largest integer a JavaScript number holds exactly: the limit of every time in ms.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

thread_local! {
    /// The token of the last mint, which JavaScript reads from WebAssembly memory (at
    /// `outputPtr()`, `length` bytes, ASCII): one buffer for every mint, no allocation. Tokens are
    /// at most `MAX_TOKEN_LEN` bytes, so it never grows and never moves.
    static OUTPUT: RefCell<String> =
        RefCell::new(String::with_capacity(netless_token::MAX_TOKEN_LEN));

    /// Why the last call that returned 0 failed, until JavaScript takes it (`takeFailure`).
    static FAILURE: RefCell<Option<Failure>> = const { RefCell::new(None) };

    /// How the output buffer of the last decode is cut into fields: its length in bytes, then
    /// the length of each field in UTF-16 code units (see `fields_to_output`).
    static PIECES: RefCell<Vec<u32>> = RefCell::new(Vec::with_capacity(32));
}

/// Runs `f`, which writes into the output buffer, and returns what it returns, or 0 (never a
/// success's value) with the failure kept for `takeFailure`. A call returns a plain number this
/// way, which JavaScript reads without an allocation; a failure crosses only when there is one.
fn to_output(f: impl FnOnce(&mut String) -> Result<usize, Failure>) -> usize {
    let result = OUTPUT.with(|out| {
        let mut out = out.borrow_mut();
        out.clear();
        f(&mut out)
    });
    result.unwrap_or_else(|failure| {
        FAILURE.with(|slot| *slot.borrow_mut() = Some(failure));
        0
    })
}

/// Mints into the output buffer: the token's length (no token is empty), or 0 for a failure.
fn mint_to_output(mint: impl FnOnce(&mut String) -> Result<(), Failure>) -> usize {
    to_output(|out| mint(out).map(|()| out.len()))
}

/// Writes `pieces` of text into the output buffer, one after the other, and their lengths into
/// `PIECES`: the text's length in bytes, then each piece's in UTF-16 code units. JavaScript
/// decodes the text once and cuts it; the answer is the number of entries of `PIECES`.
fn pieces_to_output<'a>(pieces: impl Iterator<Item = &'a str>, out: &mut String) -> usize {
    PIECES.with(|lengths| {
        let mut lengths = lengths.borrow_mut();
        lengths.clear();
        lengths.push(0);
        for piece in pieces {
            out.push_str(piece);
            lengths.push(piece.encode_utf16().count() as u32);
        }
        lengths[0] = out.len() as u32;
        lengths.len()
    })
}

/// A decoded token's fields as pieces (see `pieces_to_output`): the kind's word, `ak`,
/// `nonce`, the role's digit, `expireAt` (empty when absent), `uuid` (empty when absent: a
/// token's uuid is never empty), `sig` in hex, then each extra field's name and value in the
/// token's order.
fn fields_to_output(token: &DecodedToken, out: &mut String) -> usize {
    let expire_at = token
        .expire_at()
        .map(|ms| ms.to_string())
        .unwrap_or_default();
    let sig = token.sig_hex();
    let fixed = [
        token.kind().as_str(),
        token.ak(),
        token.nonce(),
        token.role().as_digit(),
        &expire_at,
        token.uuid().unwrap_or_default(),
        &sig,
    ];
    let extra = token.extra().flat_map(|(name, value)| [name, value]);
    pieces_to_output(fixed.into_iter().chain(extra), out)
}

/// Where `PIECES` starts in WebAssembly memory (4-byte aligned); read it right after a decode.
#[wasm_bindgen(js_name = piecesPtr)]
pub fn pieces_ptr() -> usize {
    PIECES.with(|pieces| pieces.borrow().as_ptr() as usize)
}

/// The failure of the last call that returned 0, as thrown values are: `[class, message,
/// field, details?]`.
#[wasm_bindgen(js_name = takeFailure)]
pub fn take_failure() -> JsValue {
    FAILURE
        .with(|slot| slot.borrow_mut().take())
        .map_or(JsValue::UNDEFINED, JsValue::from)
}

/// Where the output buffer starts in WebAssembly memory.
#[wasm_bindgen(js_name = outputPtr)]
pub fn output_ptr() -> usize {
    OUTPUT.with(|out| out.borrow().as_ptr() as usize)
}

/// The WebAssembly memory, for reading the output buffer.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// How much of the stack below a call's frame [`scrub_stack`] overwrites: more than the
/// deepest call here uses.
const SCRUB: usize = 16 * 1024;

/// Overwrites with zeros the stack below the caller's frame, where the calls that returned had
/// their frames. Rust moves a value by copying it and leaves the old bytes where they were;
/// the library wipes a keyed HMAC state, and a secret key, in their last place only. So after
/// a call that keyed an HMAC (a new key pair, a one-off mint or verify) and when a key pair is
/// freed, the copies its calls left on WebAssembly's stack are wiped too.
#[inline(never)]
fn scrub_stack() {
    let mut area = [0u8; SCRUB];
    core::hint::black_box(&mut area);
}

/// Scrubs the stack (see [`scrub_stack`]) when dropped: at the end of the function that holds
/// it, once every call it made has returned.
struct Scrub;

impl Drop for Scrub {
    fn drop(&mut self) {
        scrub_stack();
    }
}

/// A failure, thrown to JavaScript as `[class, message, field, details?]`.
struct Failure {
    /// The name of the package's error class.
    class: &'static str,
    /// `field: reason`, one line.
    message: String,
    /// The field or argument at fault.
    field: String,
    /// Numbers or words the class carries (`expireAt`, `now`, ...), as `(name, value)`.
    details: Vec<(&'static str, JsValue)>,
}

impl Failure {
    /// A failure of `class` with the library's message and field.
    fn new(class: &'static str, message: String, field: &str) -> Self {
        Failure {
            class,
            message,
            field: field.to_owned(),
            details: Vec::new(),
        }
    }

    /// An argument of the right type whose value is refused, as the operation's class.
    fn value(class: &'static str, field: &'static str, reason: &str) -> Self {
        Failure::new(class, format!("{field}: {reason}"), field)
    }
}

impl From<Failure> for JsValue {
    fn from(failure: Failure) -> JsValue {
        let out = Array::new();
        out.push(&JsValue::from_str(failure.class));
        out.push(&JsValue::from_str(&failure.message));
        out.push(&JsValue::from_str(&failure.field));
        if !failure.details.is_empty() {
            let details = Object::new();
            for (name, value) in &failure.details {
                // Setting a property of a fresh plain object does not fail.
                let _ = Reflect::set(&details, &JsValue::from_str(name), value);
            }
            out.push(&details);
        }
        out.into()
    }
}

impl From<KeyError> for Failure {
    fn from(e: KeyError) -> Self {
        Failure::new("KeyPairError", e.to_string(), e.field())
    }
}

impl From<MintError> for Failure {
    fn from(e: MintError) -> Self {
        match e {
            MintError::Key(e) => e.into(),
            e => Failure::new("MintError", e.to_string(), e.field()),
        }
    }
}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Self {
        Failure::new("DecodeError", e.to_string(), e.field())
    }
}

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Self {
        let number = |ms: u64| JsValue::from_f64(ms as f64);
        let (class, details) = match &e {
            VerifyError::Decode(_) => ("MalformedTokenError", vec![]),
            VerifyError::UnknownAccessKey(_) => ("UnknownAccessKeyError", vec![]),
            VerifyError::SignatureMismatch => ("SignatureError", vec![]),
            VerifyError::Expired {
                expire_at_ms,
                now_ms,
                leeway_ms,
            } => (
                "ExpiredError",
                vec![
                    ("expireAt", number(*expire_at_ms)),
                    ("now", number(*now_ms)),
                    ("leeway", number(*leeway_ms)),
                ],
            ),
            VerifyError::LivesTooLong {
                expire_at_ms,
                now_ms,
                max_lifetime_ms,
            } => (
                "LifetimeError",
                vec![
                    ("expireAt", expire_at_ms.map_or(JsValue::UNDEFINED, number)),
                    ("now", number(*now_ms)),
                    ("maxLifetime", number(*max_lifetime_ms)),
                ],
            ),
            VerifyError::WrongKind { expected, found } => (
                "WrongKindError",
                vec![
                    ("expected", JsValue::from_str(expected.as_str())),
                    ("found", JsValue::from_str(found.as_str())),
                ],
            ),
            // The clock, and what a later library version adds.
            _ => ("VerifyError", vec![]),
        };
        Failure {
            details,
            ..Failure::new(class, e.to_string(), e.field())
        }
    }
}

/// A secret key from the text or the bytes JavaScript gave; both are moved, not copied, into
/// the key, which wipes them on drop.
fn secret_key(text: Option<String>, bytes: Option<Vec<u8>>) -> Result<SecretKey, Failure> {
    Ok(match (text, bytes) {
        (Some(text), _) => SecretKey::new(text)?,
        (None, Some(bytes)) => SecretKey::from_bytes(bytes)?,
        (None, None) => SecretKey::new(String::new())?,
    })
}

/// Milliseconds from a JavaScript number: a whole number from 0 to 2^53 - 1.
fn ms(value: f64, class: &'static str, field: &'static str) -> Result<u64, Failure> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_SAFE_INTEGER {
        // Whole, non-negative and exact: the cast is exact.
        Ok(value as u64)
    } else {
        Err(Failure::value(
            class,
            field,
            "must be a whole number of milliseconds from 0 to 2^53 - 1",
        ))
    }
}

/// A kind from its word (`sdk`, `room`, `task`, any letter case).
fn kind(word: &str, class: &'static str) -> Result<TokenKind, Failure> {
    word.parse()
        .map_err(|_| Failure::value(class, "kind", "must be sdk, room or task"))
}

/// The code JavaScript passes for a kind word (its place in `TokenKind::ALL`), so that a word is
/// parsed once, by the library, and not on every call.
#[wasm_bindgen(js_name = kindCode)]
pub fn kind_code(word: &str) -> Result<u8, JsValue> {
    let kind = kind(word, "MintError")?;
    Ok(TokenKind::ALL.iter().position(|&k| k == kind).unwrap_or(0) as u8)
}

/// The code JavaScript passes for a role word or digit (its place in `Role::ALL`).
#[wasm_bindgen(js_name = roleCode)]
pub fn role_code(word: &str) -> Result<u8, JsValue> {
    let role: Role = word.parse().map_err(|_| {
        Failure::value(
            "MintError",
            "role",
            "must be admin, writer, reader, 0, 1 or 2 (a TokenRole)",
        )
    })?;
    Ok(Role::ALL.iter().position(|&r| r == role).unwrap_or(0) as u8)
}

/// The kind of a code from `kindCode`.
fn kind_of(code: u8) -> Result<TokenKind, Failure> {
    TokenKind::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| Failure::value("MintError", "kind", "must be sdk, room or task"))
}

/// The role of a code from `roleCode`.
fn role_of(code: u8) -> Result<Role, Failure> {
    Role::ALL
        .get(usize::from(code))
        .copied()
        .ok_or_else(|| Failure::value("MintError", "role", "must be admin, writer or reader"))
}

/// The request a mint call describes: `kind` and `role` are codes from `kindCode` and
/// `roleCode`, `lifespan` is in ms.
fn request(
    kind: u8,
    lifespan: f64,
    role: u8,
    uuid: Option<&str>,
) -> Result<TokenRequest<'_>, Failure> {
    Ok(TokenRequest::new(
        kind_of(kind)?,
        ms(lifespan, "MintError", "lifespan")?,
        role_of(role)?,
        uuid,
    ))
}

/// The extra fields from `[name, value, name, value, ...]`.
fn extra_pairs(flat: &[String]) -> Vec<(&str, &str)> {
    flat.chunks_exact(2)
        .map(|pair| (pair[0].as_str(), pair[1].as_str()))
        .collect()
}

/// The verification policy of `verify`'s options: `new Policy(kind, leeway, now, maxLifetime)`,
/// each `undefined` when not given.
#[wasm_bindgen]
pub struct Policy(Validation);

#[wasm_bindgen]
impl Policy {
    /// The policy from the options JavaScript gave.
    #[wasm_bindgen(constructor)]
    pub fn new(
        kind_word: Option<String>,
        leeway: Option<f64>,
        now: Option<f64>,
        max_lifetime: Option<f64>,
    ) -> Result<Policy, JsValue> {
        const CLASS: &str = "VerifyError";
        let mut policy = Validation::new();
        if let Some(word) = kind_word {
            policy = policy.expect_kind(kind(&word, CLASS)?);
        }
        if let Some(leeway) = leeway {
            policy = policy.leeway_ms(ms(leeway, CLASS, "leeway")?);
        }
        if let Some(now) = now {
            policy = policy.at(ms(now, CLASS, "now")?);
        }
        if let Some(max) = max_lifetime {
            policy = policy.max_lifetime_ms(ms(max, CLASS, "maxLifetime")?);
        }
        Ok(Policy(policy))
    }
}

/// The options of a mint: `new MintOptions(issuedAt, nonce, extra)`, each `undefined` when not
/// given; `extra` is `[name, value, name, value, ...]`.
#[wasm_bindgen]
pub struct MintOptions {
    /// The issue time, in ms.
    issued_at: Option<u64>,
    /// The nonce.
    nonce: Option<String>,
    /// The extra fields, flat.
    extra: Vec<String>,
}

#[wasm_bindgen]
impl MintOptions {
    /// The options JavaScript gave.
    #[wasm_bindgen(constructor)]
    pub fn new(
        issued_at: Option<f64>,
        nonce: Option<String>,
        extra: Option<Vec<String>>,
    ) -> Result<MintOptions, JsValue> {
        Ok(MintOptions {
            issued_at: issued_at
                .map(|at| ms(at, "MintError", "issuedAt"))
                .transpose()?,
            nonce,
            extra: extra.unwrap_or_default(),
        })
    }
}

/// The drop-in calls (`sdkToken`, `roomToken`, `taskToken`): keys the HMAC and mints a token
/// of `kind` now with a random nonce into the output buffer; its length, or 0 for a failure
/// (`takeFailure`). `kind` and `role` are codes from `kindCode` and `roleCode`.
#[wasm_bindgen(js_name = officialToken)]
pub fn official_token(
    kind: u8,
    ak: &str,
    sk: String,
    lifespan: f64,
    role: u8,
    uuid: Option<String>,
) -> usize {
    let _scrub = Scrub;
    mint_to_output(|out| {
        let request = request(kind, lifespan, role, uuid.as_deref())?;
        let pair = netless_token::KeyPair::new(ak, &SecretKey::new(sk)?)?;
        Ok(pair.mint_with_into(&request, Issue::new(), out)?)
    })
}

/// Decodes a token without any secret: its fields (see `fields_to_output`), not trusted.
#[wasm_bindgen]
pub fn decode(token: &str) -> usize {
    to_output(|out| Ok(fields_to_output(&netless_token::decode(token)?, out)))
}

/// Verifies a token with the secret key alone (`ak` undefined: whatever access key the token
/// carries) or with the key pair `ak`/secret, then the policy; its fields as `decode` gives
/// them, or 0 for a failure.
#[wasm_bindgen]
pub fn verify(
    token: &str,
    sk_text: Option<String>,
    sk_bytes: Option<Vec<u8>>,
    ak: Option<String>,
    policy: &Policy,
) -> usize {
    let _scrub = Scrub;
    to_output(|out| {
        let sk = secret_key(sk_text, sk_bytes)?;
        let verified = match ak {
            Some(ak) => netless_token::KeyPair::new(&ak, &sk)?.verify(token, &policy.0),
            None => sk.verify(token, &policy.0),
        }?;
        Ok(fields_to_output(&verified, out))
    })
}

/// An access key and its secret key, the HMAC keyed once: `new KeyPair(ak, sk)` in JavaScript.
/// Freeing it (`free()`, `Symbol.dispose`, or the garbage collector) wipes the keyed state.
#[wasm_bindgen]
pub struct KeyPair(netless_token::KeyPair);

#[wasm_bindgen]
impl KeyPair {
    /// Binds `ak` to the secret key given as text or as bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(
        ak: &str,
        sk_text: Option<String>,
        sk_bytes: Option<Vec<u8>>,
    ) -> Result<KeyPair, JsValue> {
        let _scrub = Scrub;
        let sk = secret_key(sk_text, sk_bytes)?;
        Ok(KeyPair(
            netless_token::KeyPair::new(ak, &sk).map_err(Failure::from)?,
        ))
    }

    /// The access key.
    #[wasm_bindgen(getter, js_name = accessKey)]
    pub fn access_key(&self) -> String {
        self.0.access_key().to_owned()
    }

    /// Mints a token into the output buffer; its length, or 0 for a failure (`takeFailure`).
    /// Issued now with a random nonce unless the options fix the issue time or the nonce.
    /// `kind` and `role` are codes from `kindCode` and `roleCode`.
    pub fn mint(
        &self,
        kind: u8,
        role: u8,
        lifespan: f64,
        uuid: Option<String>,
        options: Option<MintOptions>,
    ) -> usize {
        mint_to_output(|out| {
            let request = request(kind, lifespan, role, uuid.as_deref())?;
            let Some(options) = options else {
                return Ok(self.0.mint_with_into(&request, Issue::new(), out)?);
            };
            let extra = extra_pairs(&options.extra);
            let mut issue = Issue::new();
            if let Some(at) = options.issued_at {
                issue = issue.at(at);
            }
            if let Some(nonce) = &options.nonce {
                issue = issue.nonce(nonce);
            }
            Ok(self
                .0
                .mint_with_into(&request.with_extra(&extra), issue, out)?)
        })
    }

    /// Verifies a token minted with this key pair, then the policy; as `verify`.
    pub fn verify(&self, token: &str, policy: &Policy) -> usize {
        to_output(|out| {
            let verified = self.0.verify(token, &policy.0)?;
            Ok(fields_to_output(&verified, out))
        })
    }
}

/// Freeing a key pair: its keyed state is wiped where it lives (the library's drop), and the
/// copies its calls left on the stack with it.
impl Drop for KeyPair {
    fn drop(&mut self) {
        scrub_stack();
    }
}

/// Several key pairs: several access keys, and several secrets of one while it rotates.
#[wasm_bindgen]
#[derive(Default)]
pub struct Keyring(netless_token::Keyring);

#[wasm_bindgen]
impl Keyring {
    /// An empty keyring.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Adds a key pair (a copy of its keyed state); an access key may have several secrets,
    /// newest last.
    pub fn insert(&mut self, pair: &KeyPair) {
        self.0.insert(pair.0.clone());
    }

    /// Removes the oldest secret of `ak`; whether there was one.
    #[wasm_bindgen(js_name = retireOldest)]
    pub fn retire_oldest(&mut self, ak: &str) -> bool {
        self.0.retire_oldest(ak)
    }

    /// Removes every secret of `ak`; how many there were.
    pub fn remove(&mut self, ak: &str) -> usize {
        self.0.remove(ak)
    }

    /// The newest key pair of `ak`, to mint with (a copy).
    pub fn minter(&self, ak: &str) -> Option<KeyPair> {
        self.0.minter(ak).cloned().map(KeyPair)
    }

    /// The number of access keys.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// Whether the keyring holds `pair` (its access key with the same secret), in constant time.
    pub fn has(&self, pair: &KeyPair) -> bool {
        self.0.contains(&pair.0)
    }

    /// Verifies a token against every secret of its access key, then the policy; as `verify`.
    pub fn verify(&self, token: &str, policy: &Policy) -> usize {
        to_output(|out| {
            let verified = self.0.verify(token, &policy.0)?;
            Ok(fields_to_output(&verified, out))
        })
    }
}

/// The findings of a token, read without its secret, under the policy of `now` (default: the
/// clock) and `maxLifetime` (default: 24 hours): written as `decode` writes fields (see
/// `pieces_to_output`), three pieces a finding: its severity, its code and its message.
#[wasm_bindgen]
pub fn audit(token: &str, now: Option<f64>, max_lifetime: Option<f64>) -> usize {
    const CLASS: &str = "DecodeError";
    to_output(|out| {
        let mut policy = AuditPolicy::new();
        if let Some(now) = now {
            policy = policy.at(ms(now, CLASS, "now")?);
        }
        if let Some(max) = max_lifetime {
            policy = policy.max_lifetime_ms(ms(max, CLASS, "maxLifetime")?);
        }
        let findings = netless_token::audit(token, &policy)?;
        let pieces = findings
            .iter()
            .flat_map(|f| [f.severity().as_str(), f.code().as_str(), f.message()]);
        Ok(pieces_to_output(pieces, out))
    })
}
