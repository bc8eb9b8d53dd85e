//! Helpers shared by the integration tests, written once: the committed vectors (official
//! generator and its ports), the service's documentation tokens, forging tokens by hand (with the
//! `base64` crate, independently of the crate under test), the test keys, and the check that an
//! error names its field.
#![allow(dead_code)]

use core::fmt::Display;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use netless_token::{
    DecodeError, KeyError, KeyPair, MintError, Role, SecretKey, TokenKind, TokenRequest,
    VerifyError,
};
use serde_json::Value;

// ---- keys ----

/// The access key of the official vectors.
pub const AK: &str = "BUxxxxxxrc";
/// The secret key of the official vectors.
pub const SK: &str = "CxxxxxxxauY3";
/// The issue time of the official vectors.
pub const T: u64 = 1_700_000_000_000;
/// The nonce of the official vectors.
pub const NONCE: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
/// A room UUID.
pub const ROOM: &str = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
/// 64 lowercase hex digits: a well-formed `sig` that signs nothing.
pub const SIG: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The secret key [`SK`].
pub fn sk() -> SecretKey {
    SecretKey::new(SK).unwrap()
}

/// Another secret key, for tokens that must not verify.
pub fn other_sk() -> SecretKey {
    SecretKey::new("another-secret").unwrap()
}

/// The key pair [`AK`] / [`SK`].
pub fn pair() -> KeyPair {
    KeyPair::new(AK, &sk()).unwrap()
}

// ---- forging tokens by hand ----

/// `prefix` + base64url without padding of `query`, by the `base64` crate.
pub fn forge(prefix: &str, query: &str) -> String {
    forge_bytes(prefix, query.as_bytes())
}

/// [`forge`] for a query that need not be UTF-8.
pub fn forge_bytes(prefix: &str, query: &[u8]) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

/// The query inside a token, decoded by hand (independently of the crate), for tampering and
/// for failure reports; a token whose payload is not base64url gives a description instead.
pub fn query_of(token: &str) -> String {
    let payload = token.split_once('_').map_or("", |(_, p)| p);
    match URL_SAFE_NO_PAD.decode(payload) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => format!("<not base64url: {e}>"),
    }
}

/// A UUID v1 whose timestamp is `ms` since the Unix epoch (RFC 4122: 100-ns intervals since
/// 1582-10-15), written here independently of the library: a nonce that records its issue time.
pub fn uuid_v1(ms: u64) -> String {
    let ticks = ms * 10_000 + 122_192_928_000_000_000;
    format!(
        "{:08x}-{:04x}-{:04x}-9f3c-0242ac130003",
        ticks & 0xffff_ffff,
        (ticks >> 32) & 0xffff,
        (ticks >> 48) & 0x0fff | 0x1000
    )
}

// ---- errors name their field ----

/// The error types of the crate, each of which names the field at fault.
pub trait NamesField: Display {
    fn field_of(&self) -> &str;
}

impl NamesField for KeyError {
    fn field_of(&self) -> &str {
        self.field()
    }
}

impl NamesField for MintError {
    fn field_of(&self) -> &str {
        self.field()
    }
}

impl NamesField for DecodeError {
    fn field_of(&self) -> &str {
        self.field()
    }
}

impl NamesField for VerifyError {
    fn field_of(&self) -> &str {
        self.field()
    }
}

/// Asserts that `e.field()` is `field` and that its message is one line starting `field: `.
#[track_caller]
pub fn assert_names_field(e: &impl NamesField, field: &str) {
    let message = e.to_string();
    assert_eq!(e.field_of(), field, "field() of {message:?}");
    assert!(
        message.starts_with(&format!("{field}: ")),
        "{message:?} does not start with {field:?}"
    );
    assert_eq!(message.lines().count(), 1, "{message:?} is not one line");
}

// ---- the committed vectors ----

/// A file of `tests/data/`, from the library's tests or from the command line's (`cli/tests/`
/// uses this module too, one folder down).
fn data(name: &str) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let path = [
        format!("{root}/tests/data/{name}"),
        format!("{root}/../tests/data/{name}"),
    ]
    .into_iter()
    .find(|path| std::path::Path::new(path).is_file())
    .unwrap_or_else(|| panic!("tests/data/{name} is missing"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

/// The lines of a JSON-lines file, parsed, with their line numbers (from 1).
fn json_lines(name: &str) -> Vec<(usize, Value)> {
    data(name)
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v = serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}:{}: {e}", i + 1));
            (i + 1, v)
        })
        .collect()
}

#[track_caller]
fn text(v: &Value, key: &str, line: usize) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("line {line}: {key} is not a string"))
        .to_owned()
}

#[track_caller]
fn number(v: &Value, key: &str, line: usize) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("line {line}: {key} is not a number"))
}

/// One line of `tests/data/official-js.jsonl`: inputs and the token the official JavaScript
/// generator printed for them.
#[derive(Debug, Clone)]
pub struct Vector {
    pub line: usize,
    pub kind: TokenKind,
    pub ak: String,
    pub sk: String,
    pub role: Role,
    pub lifespan: u64,
    pub now: u64,
    pub nonce: String,
    pub uuid: Option<String>,
    pub token: String,
}

impl Vector {
    /// The vector of JSON line `line`, its issue time in the field `now_field`.
    fn read(v: &Value, line: usize, now_field: &str) -> Vector {
        Vector {
            line,
            kind: text(v, "kind", line).parse().expect("kind"),
            ak: text(v, "ak", line),
            sk: text(v, "sk", line),
            role: text(v, "role", line).parse().expect("role"),
            lifespan: number(v, "lifespan", line),
            now: number(v, now_field, line),
            nonce: text(v, "nonce", line),
            uuid: v["uuid"].as_str().map(str::to_owned),
            token: text(v, "token", line),
        }
    }

    pub fn request(&self) -> TokenRequest<'_> {
        TokenRequest::new(self.kind, self.lifespan, self.role, self.uuid.as_deref())
    }

    pub fn pair(&self) -> KeyPair {
        KeyPair::new(&self.ak, &SecretKey::new(self.sk.as_str()).unwrap()).unwrap()
    }
}

/// The 64 official vectors.
pub fn official_vectors() -> Vec<Vector> {
    let vectors: Vec<Vector> = json_lines("official-js.jsonl")
        .into_iter()
        .map(|(line, v)| Vector::read(&v, line, "now"))
        .collect();
    assert_eq!(vectors.len(), 64, "official-js.jsonl should hold 64 tokens");
    vectors
}

/// The signed fields a line of `official-ports.jsonl` says its token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortFields {
    pub ak: String,
    pub role: String,
    pub uuid: Option<String>,
}

/// One line of `tests/data/official-ports.jsonl`: a token from one of the other official
/// generators, and whether the service accepts it.
#[derive(Debug, Clone)]
pub struct PortToken {
    pub line: usize,
    pub port: String,
    pub class: String,
    pub kind: TokenKind,
    pub ak: String,
    pub sk: String,
    pub verify_at: u64,
    pub token: String,
    pub service_accepts: bool,
    /// Absent on some lines.
    pub fields: Option<PortFields>,
}

/// The 220 tokens of the other official generators: 30 of each (realistic and tricky), and 10
/// from PHP and Go showing how they treat an empty value and a `/`.
pub fn official_ports() -> Vec<PortToken> {
    let ports: Vec<PortToken> = json_lines("official-ports.jsonl")
        .into_iter()
        .map(|(line, v)| PortToken {
            line,
            port: text(&v, "port", line),
            class: text(&v, "class", line),
            kind: text(&v, "kind", line).parse().expect("kind"),
            ak: text(&v, "ak", line),
            sk: text(&v, "sk", line),
            verify_at: number(&v, "verify_at", line),
            token: text(&v, "token", line),
            service_accepts: v["service_accepts"]
                .as_bool()
                .unwrap_or_else(|| panic!("line {line}: service_accepts")),
            fields: v
                .get("fields")
                .filter(|f| !f.is_null())
                .map(|f| PortFields {
                    ak: text(f, "ak", line),
                    role: text(f, "role", line),
                    uuid: f["uuid"].as_str().map(str::to_owned),
                }),
        })
        .collect();
    assert_eq!(
        ports.len(),
        220,
        "official-ports.jsonl should hold 220 tokens"
    );
    ports
}

/// The line of `extra-field-order.jsonl`: a Room token with extra fields given in byte order,
/// and what node's reference generator printed for it: the signed JSON, the query, the token.
#[derive(Debug, Clone)]
pub struct ExtraFieldOrder {
    /// The inputs and the token (`extra` aside).
    pub vector: Vector,
    pub extra: Vec<(String, String)>,
    pub json: String,
    pub query: String,
}

pub fn extra_field_order() -> ExtraFieldOrder {
    let (line, v) = json_lines("extra-field-order.jsonl")
        .into_iter()
        .next()
        .expect("extra-field-order.jsonl is empty");
    ExtraFieldOrder {
        vector: Vector::read(&v, line, "issued_at"),
        extra: v["extra"]
            .as_array()
            .expect("extra")
            .iter()
            .map(|pair| {
                let part = |i: usize| pair[i].as_str().expect("extra: [name, value]").to_owned();
                (part(0), part(1))
            })
            .collect(),
        json: text(&v, "json", line),
        query: text(&v, "query", line),
    }
}

/// A token from the service's documentation, with the query `docs/format.md` decodes it to.
#[derive(Debug, Clone)]
pub struct DocToken {
    pub kind: TokenKind,
    pub token: String,
    pub query: String,
}

/// The three tokens from the service's documentation (`documentation-tokens.jsonl`): an SDK, a
/// Room and a Task token, each admin and never expiring.
pub fn doc_tokens() -> Vec<DocToken> {
    let tokens: Vec<DocToken> = json_lines("documentation-tokens.jsonl")
        .into_iter()
        .map(|(line, v)| DocToken {
            kind: text(&v, "kind", line).parse().expect("kind"),
            token: text(&v, "token", line),
            query: text(&v, "query", line),
        })
        .collect();
    assert_eq!(
        tokens.len(),
        3,
        "documentation-tokens.jsonl should hold 3 tokens"
    );
    tokens
}

/// One line of `malformed-tokens.jsonl`: a string that is not a well-formed token, the field
/// every surface (Rust, Python, JavaScript) names in refusing it, the `DecodeError` variant,
/// and the message, exactly or a part of it.
#[derive(Debug, Clone)]
pub struct MalformedToken {
    pub line: usize,
    pub class: String,
    pub token: String,
    pub field: String,
    pub error: String,
    pub message: Option<String>,
    pub contains: Option<String>,
}

/// Every class of malformed token. A line has `token`, or `repeat` (`prefix` then `char`
/// `count` times) for inputs too long to write out.
pub fn malformed_tokens() -> Vec<MalformedToken> {
    json_lines("malformed-tokens.jsonl")
        .into_iter()
        .map(|(line, v)| {
            let token = match v.get("repeat") {
                Some(r) => format!(
                    "{}{}",
                    text(r, "prefix", line),
                    text(r, "char", line).repeat(number(r, "count", line) as usize)
                ),
                None => text(&v, "token", line),
            };
            MalformedToken {
                line,
                class: text(&v, "class", line),
                token,
                field: text(&v, "field", line),
                error: text(&v, "error", line),
                message: v["message"].as_str().map(str::to_owned),
                contains: v["contains"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

// ---- scratch directories ----

/// A scratch directory removed on drop (std only, to keep dev-dependencies few).
pub mod tempdir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let path = std::env::temp_dir().join(format!(
                "netless-token-test-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
