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
}

/// Leaves `token` in the output buffer; its length.
fn output(token: &str) -> usize {
    OUTPUT.with(|out| {
        let mut out = out.borrow_mut();
        out.clear();
        out.push_str(token);
        out.len()
    })
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

/// A decoded token's fields as a plain object: `kind`, `ak`, `nonce`, `role` (the digit, as
/// `TokenRole` spells it), `expireAt` (a number, or absent), `uuid` (or absent), `sig` (hex)
/// and `extra` (name to value, in the token's order).
fn fields(token: &DecodedToken) -> Object {
    let out = Object::new();
    let set = |name: &str, value: JsValue| {
        // Setting a property of a fresh plain object does not fail.
        let _ = Reflect::set(&out, &JsValue::from_str(name), &value);
    };
    set("kind", JsValue::from_str(token.kind().as_str()));
    set("ak", JsValue::from_str(token.ak()));
    set("nonce", JsValue::from_str(token.nonce()));
    set("role", JsValue::from_str(token.role().as_digit()));
    if let Some(expire_at) = token.expire_at() {
        // Past 2^53 - 1 (no generator writes one), the nearest number.
        set("expireAt", JsValue::from_f64(expire_at as f64));
    }
    if let Some(uuid) = token.uuid() {
        set("uuid", JsValue::from_str(uuid));
    }
    set("sig", JsValue::from_str(&token.sig_hex()));
    let extra = Array::new();
    for (name, value) in token.extra() {
        extra.push(&JsValue::from_str(name));
        extra.push(&JsValue::from_str(value));
    }
    set("extra", extra.into());
    out
}

/// The drop-in calls (`sdkToken`, `roomToken`, `taskToken`): keys the HMAC and mints a token
/// of `kind` now with a random nonce, left in the output buffer; its length. `kind` and `role`
/// are codes from `kindCode` and `roleCode`.
#[wasm_bindgen(js_name = officialToken)]
pub fn official_token(
    kind: u8,
    ak: &str,
    sk: String,
    lifespan: f64,
    role: u8,
    uuid: Option<String>,
) -> Result<usize, JsValue> {
    let request = TokenRequest::new(
        kind_of(kind)?,
        ms(lifespan, "MintError", "lifespan")?,
        role_of(role)?,
        uuid.as_deref(),
    );
    let pair = netless_token::KeyPair::new(ak, &SecretKey::new(sk).map_err(Failure::from)?)
        .map_err(Failure::from)?;
    Ok(output(&pair.mint_now(&request).map_err(Failure::from)?))
}

/// Decodes a token without any secret: its fields (see `fields`), not trusted.
#[wasm_bindgen]
pub fn decode(token: &str) -> Result<Object, JsValue> {
    let decoded = netless_token::decode(token).map_err(Failure::from)?;
    Ok(fields(&decoded))
}

/// Verifies a token with the secret key alone (`ak` undefined: whatever access key the token
/// carries) or with the key pair `ak`/secret, then the policy.
#[wasm_bindgen]
pub fn verify(
    token: &str,
    sk_text: Option<String>,
    sk_bytes: Option<Vec<u8>>,
    ak: Option<String>,
    policy: &Policy,
) -> Result<Object, JsValue> {
    let sk = secret_key(sk_text, sk_bytes)?;
    let verified = match ak {
        Some(ak) => netless_token::KeyPair::new(&ak, &sk)
            .map_err(Failure::from)?
            .verify(token, &policy.0),
        None => sk.verify(token, &policy.0),
    }
    .map_err(Failure::from)?;
    Ok(fields(&verified))
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

    /// Mints a token, left in the output buffer; its length. Issued now with a random nonce
    /// unless the options fix the issue time or the nonce. `kind` and `role` are codes from
    /// `kindCode` and `roleCode`.
    pub fn mint(
        &self,
        kind: u8,
        role: u8,
        lifespan: f64,
        uuid: Option<String>,
        options: Option<MintOptions>,
    ) -> Result<usize, JsValue> {
        let request = TokenRequest::new(
            kind_of(kind)?,
            ms(lifespan, "MintError", "lifespan")?,
            role_of(role)?,
            uuid.as_deref(),
        );
        let Some(options) = options else {
            return Ok(output(&self.0.mint_now(&request).map_err(Failure::from)?));
        };
        let extra = extra_pairs(&options.extra);
        let request = request.with_extra(&extra);
        let mut issue = Issue::new();
        if let Some(at) = options.issued_at {
            issue = issue.at(at);
        }
        if let Some(nonce) = &options.nonce {
            issue = issue.nonce(nonce);
        }
        Ok(output(
            &self.0.mint_with(&request, issue).map_err(Failure::from)?,
        ))
    }

    /// Verifies a token minted with this key pair, then the policy.
    pub fn verify(&self, token: &str, policy: &Policy) -> Result<Object, JsValue> {
        let verified = self.0.verify(token, &policy.0).map_err(Failure::from)?;
        Ok(fields(&verified))
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

    /// Verifies a token against every secret of its access key, then the policy.
    pub fn verify(&self, token: &str, policy: &Policy) -> Result<Object, JsValue> {
        let verified = self.0.verify(token, &policy.0).map_err(Failure::from)?;
        Ok(fields(&verified))
    }
}

/// The findings of a token, read without its secret: `[severity, code, message, ...]`, flat,
/// under the policy of `now` (default: the clock) and `maxLifetime` (default: 24 hours).
#[wasm_bindgen]
pub fn audit(
    token: &str,
    now: Option<f64>,
    max_lifetime: Option<f64>,
) -> Result<Vec<String>, JsValue> {
    const CLASS: &str = "DecodeError";
    let mut policy = AuditPolicy::new();
    if let Some(now) = now {
        policy = policy.at(ms(now, CLASS, "now")?);
    }
    if let Some(max) = max_lifetime {
        policy = policy.max_lifetime_ms(ms(max, CLASS, "maxLifetime")?);
    }
    let findings = netless_token::audit(token, &policy).map_err(Failure::from)?;
    Ok(findings
        .iter()
        .flat_map(|f| {
            [
                f.severity().as_str().to_owned(),
                f.code().as_str().to_owned(),
                f.message().to_owned(),
            ]
        })
        .collect())
}

/// The limits: `[MAX_TOKEN_LEN, MAX_EXPIRE_AT]`.
#[wasm_bindgen]
pub fn limits() -> Vec<f64> {
    vec![
        netless_token::MAX_TOKEN_LEN as f64,
        netless_token::MAX_EXPIRE_AT as f64,
    ]
}
