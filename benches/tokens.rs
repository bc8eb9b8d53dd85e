//! Criterion benchmarks: mint (SDK and Room, with and without expiry, into a String and into a
//! reused buffer), decode, verify, the cold path (a new key each call), two threads on one
//! shared key pair, and in the same run the floor: `sha2` compressing as many SHA-256 blocks as
//! one token's HMAC needs. After the run, a table gives ns/token and the ratio to the floor.
//!
//! `cargo bench --bench tokens` (add `-- --quick` for a fast look).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use netless_token::{decode, KeyPair, Role, SecretKey, TokenKind, TokenRequest, Validation};
use sha2::{Digest, Sha256};

const AK: &str = "BUxxxxxxrc0123456789abcdefABCDEF";
const SK: &str = "CxxxxxxxauY3-0123456789abcdefABCDEF";
const NONCE: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const UUID: &str = "a7e0a4d0c1a011eabc5b5d4c8e0aca69";
const NOW: u64 = 1_700_000_000_000;

fn pair() -> KeyPair {
    KeyPair::new(AK, &SecretKey::new(SK).unwrap()).unwrap()
}

fn room(lifespan: u64) -> TokenRequest<'static> {
    TokenRequest::room(lifespan, Role::Writer, UUID)
}

fn sdk(lifespan: u64) -> TokenRequest<'static> {
    TokenRequest::sdk(lifespan, Role::Writer)
}

/// `token` with hex digit `at` of its signature changed (to another lowercase hex digit).
fn with_sig_byte_changed(token: &str, at: usize) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let (prefix, payload) = token.split_at(token.find('_').unwrap() + 1);
    let mut query = URL_SAFE_NO_PAD.decode(payload).unwrap();
    let sig = query.windows(4).position(|w| w == b"sig=").unwrap() + 4;
    query[sig + at] = if query[sig + at] == b'0' { b'1' } else { b'0' };
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(query))
}

/// SHA-256 compressions one token costs with a reused keyed state: the inner hash over the
/// canonical JSON after the precomputed key block, and one for the outer hash.
fn hmac_blocks(json_len: usize) -> usize {
    let inner = (64 + json_len + 9).div_ceil(64) - 1;
    let outer = (64usize + 32 + 9).div_ceil(64) - 1;
    inner + outer
}

/// A message that SHA-256 compresses in exactly `blocks` blocks.
fn floor_message(blocks: usize) -> Vec<u8> {
    vec![b'x'; blocks * 64 - 9]
}

fn json_len(request: &TokenRequest) -> usize {
    let token = pair().mint(request, NOW, NONCE).unwrap();
    decode(&token).unwrap().canonical_json().len()
}

fn benches(c: &mut Criterion) {
    let pair = pair();

    let mut floor = c.benchmark_group("floor");
    for (name, request) in [("room", room(3_600_000)), ("sdk", sdk(0))] {
        let blocks = hmac_blocks(json_len(&request));
        let message = floor_message(blocks);
        floor.bench_function(format!("sha256_{name}_{blocks}_blocks"), |b| {
            b.iter(|| Sha256::digest(black_box(&message)))
        });
    }
    floor.finish();

    let mut mint = c.benchmark_group("mint");
    for (name, request) in [
        ("sdk", sdk(0)),
        ("sdk_expiry", sdk(3_600_000)),
        ("room", room(0)),
        ("room_expiry", room(3_600_000)),
    ] {
        mint.bench_function(name, |b| {
            b.iter(|| pair.mint(black_box(&request), black_box(NOW), black_box(NONCE)))
        });
    }
    let request = room(3_600_000);
    let mut buffer = String::with_capacity(512);
    mint.bench_function("room_expiry_into_buffer", |b| {
        b.iter(|| {
            buffer.clear();
            pair.mint_into(black_box(&request), NOW, NONCE, &mut buffer)
        })
    });
    mint.bench_function("room_expiry_now_random_nonce", |b| {
        b.iter(|| pair.mint_now(black_box(&request)))
    });
    mint.finish();

    let token = pair.mint(&room(3_600_000), NOW, NONCE).unwrap();
    let policy = Validation::new().at(NOW).expect_kind(TokenKind::Room);
    let mut other = c.benchmark_group("read");
    other.bench_function("decode_room", |b| b.iter(|| decode(black_box(&token))));
    other.bench_function("verify_room", |b| {
        b.iter(|| pair.verify(black_box(&token), &policy))
    });
    other.finish();

    // Constant-time comparison: a signature wrong in its first byte and one wrong in its last
    // must cost the same as each other (and as the right one) to verify.
    let mut timing = c.benchmark_group("timing");
    for (name, forged) in [
        ("verify_sig_correct", token.clone()),
        (
            "verify_sig_wrong_first_byte",
            with_sig_byte_changed(&token, 0),
        ),
        (
            "verify_sig_wrong_last_byte",
            with_sig_byte_changed(&token, 63),
        ),
    ] {
        timing.bench_function(name, |b| {
            b.iter(|| pair.verify(black_box(&forged), &policy))
        });
    }
    timing.finish();

    let mut cold = c.benchmark_group("cold");
    cold.bench_function("mint_room_new_key", |b| {
        b.iter(|| {
            let sk = SecretKey::new(black_box(SK)).unwrap();
            KeyPair::new(AK, &sk)
                .unwrap()
                .mint(&room(3_600_000), NOW, NONCE)
        })
    });
    cold.bench_function("verify_room_new_key", |b| {
        b.iter(|| {
            let sk = SecretKey::new(black_box(SK)).unwrap();
            KeyPair::new(AK, &sk).unwrap().verify(&token, &policy)
        })
    });
    cold.finish();

    let mut threads = c.benchmark_group("threads");
    for n in [1usize, 2] {
        // Time per token at the throughput of n threads minting on one shared key pair.
        threads.bench_function(format!("mint_room_expiry_{n}_threads"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                std::thread::scope(|s| {
                    for _ in 0..n {
                        s.spawn(|| {
                            for _ in 0..iters {
                                black_box(pair.mint(&request, NOW, NONCE).unwrap());
                            }
                        });
                    }
                });
                start.elapsed() / n as u32
            })
        });
    }
    threads.finish();
}

criterion_group! {
    name = token_benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}

/// The median of one benchmark from criterion's saved estimates, in ns.
fn median_ns(id: &str) -> Option<f64> {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/target").to_owned());
    let path = format!("{dir}/criterion/{id}/new/estimates.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary() {
    let room_blocks = hmac_blocks(json_len(&room(3_600_000)));
    let sdk_blocks = hmac_blocks(json_len(&sdk(0)));
    let room_floor = format!("floor/sha256_room_{room_blocks}_blocks");
    let sdk_floor = format!("floor/sha256_sdk_{sdk_blocks}_blocks");
    let rows: [(&str, &str, Option<&str>); 14] = [
        (
            room_floor.as_str(),
            "SHA-256 floor, Room token (blocks)",
            None,
        ),
        (
            sdk_floor.as_str(),
            "SHA-256 floor, SDK token (blocks)",
            None,
        ),
        ("mint/sdk", "mint SDK, no expiry", Some(sdk_floor.as_str())),
        (
            "mint/sdk_expiry",
            "mint SDK, expiry",
            Some(sdk_floor.as_str()),
        ),
        (
            "mint/room",
            "mint Room, no expiry",
            Some(room_floor.as_str()),
        ),
        (
            "mint/room_expiry",
            "mint Room, expiry",
            Some(room_floor.as_str()),
        ),
        (
            "mint/room_expiry_into_buffer",
            "mint Room into a reused buffer",
            Some(room_floor.as_str()),
        ),
        (
            "mint/room_expiry_now_random_nonce",
            "mint Room now, random nonce",
            Some(room_floor.as_str()),
        ),
        ("read/decode_room", "decode Room", None),
        ("read/verify_room", "verify Room", Some(room_floor.as_str())),
        (
            "cold/mint_room_new_key",
            "cold mint Room (new key)",
            Some(room_floor.as_str()),
        ),
        (
            "cold/verify_room_new_key",
            "cold verify Room (new key)",
            Some(room_floor.as_str()),
        ),
        (
            "threads/mint_room_expiry_1_threads",
            "mint Room, 1 thread (per token)",
            None,
        ),
        (
            "threads/mint_room_expiry_2_threads",
            "mint Room, 2 threads (per token)",
            None,
        ),
    ];
    println!(
        "\n{:<36} {:>10} {:>12}",
        "benchmark (median)", "ns/token", "x floor"
    );
    for (id, label, floor) in rows {
        let Some(ns) = median_ns(id) else { continue };
        let ratio = floor
            .and_then(median_ns)
            .map_or(String::new(), |f| format!("{:.2}", ns / f));
        println!("{label:<36} {ns:>10.1} {ratio:>12}");
    }
    let timings: Vec<f64> = [
        "timing/verify_sig_correct",
        "timing/verify_sig_wrong_first_byte",
        "timing/verify_sig_wrong_last_byte",
    ]
    .iter()
    .filter_map(|id| median_ns(id))
    .collect();
    if let [correct, first, last] = timings[..] {
        println!(
            "verify, sig right / wrong in first byte / wrong in last byte: {correct:.1} / {first:.1} / {last:.1} ns \
             (first vs last differ by {:.1}%)",
            (first - last).abs() / first.min(last) * 100.0
        );
    }
    if let (Some(one), Some(two)) = (
        median_ns("threads/mint_room_expiry_1_threads"),
        median_ns("threads/mint_room_expiry_2_threads"),
    ) {
        println!(
            "2-thread throughput / 1-thread throughput: {:.2}x",
            one / two
        );
    }
    println!("(SHA-256 blocks per token: Room {room_blocks}, SDK {sdk_blocks})");
}

/// The ratio of `op`'s time to `floor`'s, measured in alternating batches so that a burst of
/// load on a shared machine hits both alike: the median of the per-round ratios.
fn interleaved_ratio(mut floor: impl FnMut(), mut op: impl FnMut()) -> f64 {
    const ROUNDS: usize = 101;
    const BATCH: u32 = 2_000;
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..BATCH {
                floor();
            }
            let floor_time = start.elapsed();
            let start = Instant::now();
            for _ in 0..BATCH {
                op();
            }
            start.elapsed().as_secs_f64() / floor_time.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ROUNDS / 2]
}

fn interleaved_summary() {
    let pair = pair();
    let room_request = room(3_600_000);
    let sdk_request = sdk(0);
    let room_floor = floor_message(hmac_blocks(json_len(&room_request)));
    let sdk_floor = floor_message(hmac_blocks(json_len(&sdk_request)));
    let token = pair.mint(&room_request, NOW, NONCE).unwrap();
    let policy = Validation::new().at(NOW);
    let floor = |message: &[u8]| {
        black_box(Sha256::digest(black_box(message)));
    };
    println!("\nRatio to the SHA-256 floor, interleaved (median of 101 rounds of 2000):");
    let rows: [(&str, f64); 3] = [
        (
            "mint Room, expiry",
            interleaved_ratio(
                || floor(&room_floor),
                || {
                    black_box(pair.mint(black_box(&room_request), NOW, NONCE).unwrap());
                },
            ),
        ),
        (
            "mint SDK, no expiry",
            interleaved_ratio(
                || floor(&sdk_floor),
                || {
                    black_box(pair.mint(black_box(&sdk_request), NOW, NONCE).unwrap());
                },
            ),
        ),
        (
            "verify Room",
            interleaved_ratio(
                || floor(&room_floor),
                || {
                    black_box(pair.verify(black_box(&token), &policy).unwrap());
                },
            ),
        ),
    ];
    for (label, ratio) in rows {
        println!("{label:<36} {ratio:>10.2}x");
    }
}

fn main() {
    token_benches();
    Criterion::default().configure_from_args().final_summary();
    summary();
    interleaved_summary();
}
