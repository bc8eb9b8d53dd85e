//! Differential test against node, the live oracle: random inputs (arbitrary Unicode, control
//! characters, extra fields) are minted here and by `tests/node/official.js`, which uses node's
//! own `JSON.stringify`, `encodeURIComponent`, HMAC and object key order; the canonical JSON,
//! the query and the token must be the same bytes. The extra fields' names include array
//! indices ("0", "2", "10", "4294967294"), names that look numeric but are not indices ("01",
//! "4294967295", "-1"), and characters above U+FFFF and in U+E000..U+FFFF, so node decides
//! their order. Without node the tests are skipped with a message, except under `CI=true`,
//! where they fail.
// Not built for WebAssembly: it needs what WASI lacks (processes, proptest's forking, dhat).
#![cfg(not(target_family = "wasm"))]

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use netless_token::{KeyPair, Role, SecretKey, TokenKind, TokenRequest, Validation};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Value};

const CASES: usize = 2000;

fn node_available() -> bool {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "node is required for the differential test under CI=true, and was not found"
        );
        // Written to stderr directly, past the test harness's capture, so that it shows.
        let _ = std::io::stderr()
            .write_all(b"SKIPPED: node not found; the node differential test did not run\n");
    }
    ok
}

fn text() -> impl Strategy<Value = String> {
    text_of(1..24)
}

/// Text of a length in `len`, from the alphabet of [`text`].
fn text_of(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            any::<char>(),
            (0u32..0x80).prop_map(|c| char::from_u32(c).unwrap()),
            prop::sample::select(vec![
                '\u{2028}', '\u{2029}', '\u{7f}', '/', '\'', '!', '(', '*', '~'
            ]),
        ],
        len,
    )
    .prop_map(|c| c.into_iter().collect())
}

/// Names whose order JavaScript decides differently from byte order: array indices (by value,
/// before everything), numeric-looking names that are not indices, and characters whose
/// UTF-16 order differs from their UTF-8 order (above U+FFFF against U+E000..U+FFFF).
const TRICKY_NAMES: [&str; 14] = [
    "0",
    "2",
    "10",
    "4294967294",
    "01",
    "4294967295",
    "-1",
    "\u{1F600}",
    "\u{10FFFF}",
    "\u{E000}",
    "\u{FF61}",
    "\u{FFFD}",
    "a\u{1F600}",
    "a\u{FF61}",
];

/// A name of an extra field: an identifier, an array index, a tricky name, or a short text
/// mixing ASCII with characters above U+FFFF and in U+E000..U+FFFF.
fn extra_name() -> impl Strategy<Value = String> {
    let high = prop_oneof![
        prop::char::range('a', 'c'),
        prop::char::range('\u{E000}', '\u{FFFF}'),
        prop::char::range('\u{10000}', '\u{10FFFF}'),
    ];
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_]{0,6}",
        (0u32..=u32::MAX - 1).prop_map(|n| n.to_string()),
        (0u64..=u64::from(u32::MAX) + 10).prop_map(|n| n.to_string()),
        prop::sample::select(TRICKY_NAMES.to_vec()).prop_map(str::to_owned),
        prop::collection::vec(high, 1..4).prop_map(|c| c.into_iter().collect()),
        text_of(1..8),
    ]
}

#[derive(Debug)]
struct Case {
    kind: TokenKind,
    role: Role,
    lifespan: u64,
    issued_at: u64,
    ak: String,
    sk: String,
    nonce: String,
    uuid: String,
    extra: Vec<(String, String)>,
}

fn case() -> impl Strategy<Value = Case> {
    // Unique names, in a shuffled order: minting must not depend on the order given.
    let extra = prop::collection::btree_map(extra_name(), text_of(0..8), 0..5)
        .prop_map(|m| {
            m.into_iter()
                .filter(|(k, _)| {
                    !["ak", "expireat", "nonce", "role", "sig", "uuid"]
                        .contains(&k.to_ascii_lowercase().as_str())
                })
                .collect::<Vec<_>>()
        })
        .prop_shuffle();
    (
        prop::sample::select(TokenKind::ALL.to_vec()),
        prop::sample::select(Role::ALL.to_vec()),
        prop_oneof![Just(0u64), 1u64..=100_000_000_000],
        // Up to 2^52, well inside what a JS number holds exactly.
        0u64..(1 << 52),
        (text(), text(), text(), text()),
        extra,
    )
        .prop_map(
            |(kind, role, lifespan, issued_at, (ak, sk, nonce, uuid), extra)| Case {
                kind,
                role,
                lifespan,
                issued_at,
                ak,
                sk,
                nonce,
                uuid,
                extra,
            },
        )
}

#[test]
fn canonical_json_query_and_token_match_node_byte_for_byte() {
    if !node_available() {
        return;
    }
    let mut runner = TestRunner::default();
    let mut cases: Vec<Case> = (0..CASES)
        .map(|_| case().new_tree(&mut runner).unwrap().current())
        .collect();
    // The random cases hold every class of name whose order node must decide.
    let names: Vec<&str> = cases
        .iter()
        .flat_map(|c| c.extra.iter().map(|(name, _)| name.as_str()))
        .collect();
    let index = |n: &str| {
        n.parse::<u32>()
            .is_ok_and(|v| v < u32::MAX && v.to_string() == n)
    };
    for (class, count) in [
        ("array index", names.iter().filter(|n| index(n)).count()),
        (
            "numeric, not an index",
            names
                .iter()
                .filter(|n| n.bytes().any(|b| b.is_ascii_digit()) && !index(n))
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
                .count(),
        ),
        (
            "above U+FFFF",
            names
                .iter()
                .filter(|n| n.chars().any(|c| c > '\u{FFFF}'))
                .count(),
        ),
        (
            "in U+E000..U+FFFF",
            names
                .iter()
                .filter(|n| n.chars().any(|c| ('\u{E000}'..='\u{FFFF}').contains(&c)))
                .count(),
        ),
    ] {
        assert!(count >= 10, "only {count} names of class {class}");
    }
    // And every tricky name at once, given in reverse byte order, in each kind.
    for kind in TokenKind::ALL {
        let mut extra: Vec<(String, String)> = TRICKY_NAMES
            .iter()
            .map(|name| (name.to_string(), format!("value of {name}")))
            .collect();
        extra.sort();
        extra.reverse();
        cases.push(Case {
            kind,
            role: Role::Writer,
            lifespan: 3_600_000,
            issued_at: 1_700_000_000_000,
            ak: "ak".into(),
            sk: "sk".into(),
            nonce: "nonce".into(),
            uuid: "uuid".into(),
            extra,
        });
    }

    let mut ours = Vec::new();
    let mut input = String::new();
    for c in &cases {
        let sk = SecretKey::new(c.sk.as_str()).unwrap();
        let pair = KeyPair::new(&c.ak, &sk).unwrap();
        let extra: Vec<(&str, &str)> = c
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let uuid = c.kind.needs_uuid().then_some(c.uuid.as_str());
        let request = TokenRequest::new(c.kind, c.lifespan, c.role, uuid).with_extra(&extra);
        let token = pair.mint(&request, c.issued_at, &c.nonce).unwrap();
        let decoded = pair
            .verify(&token, &Validation::new().at(c.issued_at))
            .unwrap_or_else(|e| panic!("{c:?}: our own token does not verify: {e}"));
        let payload = token.split_once('_').unwrap().1;
        let query = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        ours.push((decoded.canonical_json(), query, token));

        let mut line = json!({
            "kind": c.kind.as_str(),
            "ak": c.ak,
            "sk": c.sk,
            "nonce": c.nonce,
            "role": c.role.as_digit(),
            "extra": c.extra,
        });
        if c.lifespan > 0 {
            line["expireAt"] = json!((c.issued_at + c.lifespan).to_string());
        }
        if let Some(uuid) = uuid {
            line["uuid"] = json!(uuid);
        }
        input.push_str(&line.to_string());
        input.push('\n');
    }

    let theirs = run_oracle(input);
    assert_eq!(
        theirs.len(),
        cases.len(),
        "node answered {} of {} cases",
        theirs.len(),
        cases.len()
    );

    for ((c, (json, query, token)), node) in cases.iter().zip(&ours).zip(&theirs) {
        assert_eq!(
            Some(json.as_str()),
            node["json"].as_str(),
            "canonical JSON differs for {c:?}"
        );
        assert_eq!(
            Some(query.as_str()),
            node["query"].as_str(),
            "query differs for {c:?}"
        );
        assert_eq!(
            Some(token.as_str()),
            node["token"].as_str(),
            "token differs for {c:?}"
        );
    }
}

#[test]
fn the_node_oracle_reproduces_the_official_vectors() {
    // Proves the oracle itself: it must print the official generator's tokens.
    if !node_available() {
        return;
    }
    let vectors = common::official_vectors();
    let mut input = String::new();
    for v in &vectors {
        let mut case = json!({
            "kind": v.kind.as_str(), "ak": v.ak, "sk": v.sk, "nonce": v.nonce, "role": v.role.as_digit(),
        });
        if v.lifespan > 0 {
            case["expireAt"] = json!((v.now + v.lifespan).to_string());
        }
        if let Some(uuid) = &v.uuid {
            case["uuid"] = json!(uuid);
        }
        input.push_str(&format!("{case}\n"));
    }
    let answers = run_oracle(input);
    for (v, answer) in vectors.iter().zip(&answers) {
        assert_eq!(
            answer["token"].as_str(),
            Some(v.token.as_str()),
            "line {}",
            v.line
        );
    }
    assert_eq!(answers.len(), vectors.len());
}

/// Runs `tests/node/official.js` on JSON lines and parses its JSON-lines answer.
fn run_oracle(input: String) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/official.js");
    let mut child = Command::new("node")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("node output");
    writer.join().unwrap().expect("write to node");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
