//! This crate's side of `benches/compare/run.sh`: the same Room token inputs as mint.js and
//! mint.py, minted with a fresh random nonce and the system clock per token (what the
//! official generators do), timed in-process after a warm-up.
//!   cargo bench --bench compare_mint -- N       print {"impl","ns_per_token"} for N tokens
//!   cargo bench --bench compare_mint -- fixed   print the token for the fixed inputs

use std::hint::black_box;
use std::time::Instant;

use netless_token::{KeyPair, Role, SecretKey, TokenRequest};

fn main() {
    let pair = KeyPair::new("BUxxxxxxrc", &SecretKey::new("CxxxxxxxauY3").unwrap()).unwrap();
    let request = TokenRequest::room(3_600_000, Role::Writer, "a7e0a4d0c1a011eabc5b5d4c8e0aca69");
    // cargo passes --bench to benchmark targets; the first other argument is ours.
    let arg = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .unwrap_or_else(|| "1000000".into());
    if arg == "fixed" {
        let nonce = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        println!("{}", pair.mint(&request, 1_700_000_000_000, nonce).unwrap());
        return;
    }
    let n: u32 = arg.parse().expect("a number of tokens, or fixed");
    let mut sink = 0;
    for _ in 0..n.min(100_000) {
        sink += black_box(pair.mint_now(&request).unwrap()).len();
    }
    let start = Instant::now();
    for _ in 0..n {
        sink += black_box(pair.mint_now(&request).unwrap()).len();
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
    println!("{{\"impl\":\"rust\",\"ns_per_token\":{ns:.1},\"sink\":{sink}}}");
}
