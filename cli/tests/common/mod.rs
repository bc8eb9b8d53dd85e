//! Helpers shared by the integration tests: the official vectors and the spec's tokens.
#![allow(dead_code)]

use std::path::PathBuf;

use netless_token::{Role, TokenKind, TokenRequest};
use serde_json::Value;

/// The official vectors, committed with the crate so a fresh clone tests on its own.
pub const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/official-js.jsonl"
);

/// The project's shared folder beside the checkout, when there is one.
pub fn shared_vectors() -> Option<PathBuf> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors/official-js.jsonl");
    path.is_file().then_some(path)
}

/// One line of `official-js.jsonl`: inputs and the token the official generator printed.
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
    pub fn request(&self) -> TokenRequest<'_> {
        TokenRequest::new(self.kind, self.role, self.lifespan, self.uuid.as_deref())
    }
}

pub fn official_vectors() -> Vec<Vector> {
    let text = std::fs::read_to_string(VECTORS).expect("read tests/data/official-js.jsonl");
    let vectors: Vec<Vector> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).expect("vector line is JSON");
            let s = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("line {}: {k}", i + 1))
                    .to_owned()
            };
            let n = |k: &str| {
                v[k].as_u64()
                    .unwrap_or_else(|| panic!("line {}: {k}", i + 1))
            };
            Vector {
                line: i + 1,
                kind: s("kind").parse().expect("kind"),
                ak: s("ak"),
                sk: s("sk"),
                role: s("role").parse().expect("role"),
                lifespan: n("lifespan"),
                now: n("now"),
                nonce: s("nonce"),
                uuid: v["uuid"].as_str().map(str::to_owned),
                token: s("token"),
            }
        })
        .collect();
    assert_eq!(vectors.len(), 64, "the vector file should hold 64 tokens");
    vectors
}

/// The three tokens from the service's documentation, with the query the spec decodes each to.
pub const DOC_TOKENS: [(&str, &str); 3] = [
    (
        "NETLESSSDK_YWs9MzRsNzBoQ2dINFkxZ1BCYWpqbU5Ick9qM3FGeDFMWE5GY3R0Jm5vbmNlPTE1OTA3MzkyOTgwOTUwMCZyb2xlPTAmc2lnPTY0NGY5ODQwMDMzZDA1MjcxNWE2NDc0MWQyMTExNzFhMGY0NWQ2YzZhZjZlZTc2YTA4YjNkNjFmZDc1NTJkMDM",
        "ak=34l70hCgH4Y1gPBajjmNHrOj3qFx1LXNFctt&nonce=159073929809500&role=0&sig=644f9840033d052715a64741d211171a0f45d6c6af6ee76a08b3d61fd7552d03",
    ),
    (
        "NETLESSROOM_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVzJm5vbmNlPTE1OTA3Mzk3NjUxNjQwMCZyb2xlPTAmc2lnPWNmZWUwMmEzYWE5NjY5NzVmNGJhZTQwMjJiODcxYzg4MzQ3MTIwMWRmYzI2MThjMjRhOTg3ODFmMTVkNmNkYWQmdXVpZD0xNzFmZWYxMDdlMDAxMWVhYTU1ZTZkOWE0ZTA3OGRhNA",
        "ak=xd1HNTchwDJ3hn83UuJfx8Myqlf99dIOVEEs&nonce=159073976516400&role=0&sig=cfee02a3aa966975f4bae4022b871c883471201dfc2618c24a98781f15d6cdad&uuid=171fef107e0011eaa55e6d9a4e078da4",
    ),
    (
        "NETLESSTASK_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVzJm5vbmNlPTE1OTA3NDAyMjg4ODEwMCZyb2xlPTAmc2lnPTUyMTY0ZjRlZmE5NzViYWJlNjgyOWU0ZDE5MGUzNDhhZjBiYzY5N2Q3NWM3ZThmNjFjNzExZTJjMjYwODI3ZjImdXVpZD0wMGQ0ZTAxNWRmNGM0ODg0ODBjM2Y4YTI0ZDA1M2ViMQ",
        "ak=xd1HNTchwDJ3hn83UuJfx8Myqlf99dIOVEEs&nonce=159074022888100&role=0&sig=52164f4efa975babe6829e4d190e348af0bc697d75c7e8f61c711e2c260827f2&uuid=00d4e015df4c488480c3f8a24d053eb1",
    ),
];

/// The query inside a token, decoded by hand (independently of the crate) for failure reports.
pub fn query_of(token: &str) -> String {
    use base64::Engine as _;
    let payload = token.split_once('_').map_or("", |(_, p)| p);
    match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => format!("<not base64url: {e}>"),
    }
}
