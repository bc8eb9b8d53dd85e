#!/usr/bin/env bash
# Instructions per operation (valgrind's callgrind, which counts instructions, not seconds: the
# same count on a busy machine as on a quiet one) of minting, decoding and verifying a Room
# token, before and after a change: `bash scripts/instructions-before-after.sh REV`, REV the
# commit before the change (the working tree is after). The timing counterpart is
# scripts/bench-before-after.sh. Each operation runs 1,000 and 11,000 times; the difference
# over 10,000 is the cost of one, start-up excluded. Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: $0 REV}
work=$(mktemp -d)
cleanup() { git worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add -q --detach "$work/before" "$rev"

# One program, built against each side's library by path (the API it uses is the same on both).
mkdir -p "$work/ops/src"
cat >"$work/ops/src/main.rs" <<'RS'
use netless_token::{decode, KeyPair, Role, SecretKey, TokenRequest, Validation};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let (op, n) = (args.next().expect("op"), args.next().expect("n").parse::<u64>().expect("n"));
    let sk = SecretKey::new("CxxxxxxxauY3-0123456789abcdefABCDEF").expect("sk");
    let pair = KeyPair::new("BUxxxxxxrc0123456789abcdefABCDEF", &sk).expect("pair");
    let request = TokenRequest::room(3_600_000, Role::Writer, "a7e0a4d0c1a011eabc5b5d4c8e0aca69");
    let (at, nonce) = (1_700_000_000_000, "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    let token = pair.mint(&request, at, nonce).expect("mint");
    let validation = Validation::new().at(at);
    let mut sink = 0;
    for _ in 0..n {
        sink += match op.as_str() {
            "mint" => black_box(pair.mint(black_box(&request), at, nonce).expect("mint")).len(),
            "mint_now" => black_box(pair.mint_now(black_box(&request)).expect("mint_now")).len(),
            "decode" => black_box(decode(black_box(&token)).expect("decode")).nonce().len(),
            "verify" => black_box(pair.verify(black_box(&token), &validation).expect("verify")).nonce().len(),
            other => panic!("unknown op {other}"),
        };
    }
    println!("{sink}");
}
RS
for side in before after; do
  lib=$([ "$side" = before ] && echo "$work/before" || echo "$PWD")
  cat >"$work/ops/Cargo.toml" <<TOML
[package]
name = "ops"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
netless-token = { path = "$lib" }

[workspace]
TOML
  (cd "$work/ops" && CARGO_TARGET_DIR="$work/target-$side" cargo build --release --quiet)
done

count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
echo "before: $rev ($(git log -1 --format=%h "$rev")), after: $(git log -1 --format=%h HEAD) + working tree"
printf '%-10s %12s %12s %8s\n' operation before after change
for op in mint mint_now decode verify; do
  per_op=()
  for side in before after; do
    bin="$work/target-$side/release/ops"
    per_op+=($(( ($(count "$bin" "$op" 11000) - $(count "$bin" "$op" 1000)) / 10000 )))
  done
  printf '%-10s %12d %12d %+7.1f%%\n' "$op" "${per_op[0]}" "${per_op[1]}" \
    "$(python3 -c "print(100 * (${per_op[1]} - ${per_op[0]}) / ${per_op[0]})")"
done
