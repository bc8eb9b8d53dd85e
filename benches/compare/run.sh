#!/usr/bin/env bash
# Side-by-side speed of minting a Room token: this crate, the official algorithm in Node and in
# Python, in-process (after a warm-up) and as a whole process (a serverless cold start).
# Prints a markdown table. Needs cargo, node and python3.   N=200000 benches/compare/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
cargo bench --bench compare_mint --no-run --quiet 2>/dev/null
python3 benches/compare/report.py "${N:-200000}"
