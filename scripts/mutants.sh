#!/usr/bin/env bash
# Mutation testing of the library with cargo-mutants (from crates.io): every mutant of the
# security core (verifying, decoding, the key and signer, and the JSON, percent and base64
# codecs) must be caught by the library's own tests (`cargo test -p netless-token`). Mutants
# that change nothing observable are listed, with the reason, in the README ("Mutation
# testing").
#
#   bash scripts/mutants.sh               # the six core files, about an hour on 2 cores
#   bash scripts/mutants.sh --all         # every file of src/
#   bash scripts/mutants.sh -- -j 2       # anything after -- goes to cargo mutants
#
# The report is in mutants.out/ (outcomes.json, caught.txt, missed.txt, timeout.txt); the
# script exits non-zero when a mutant is missed. Not part of .ci/run: it takes too long.
set -euo pipefail
cd "$(dirname "$0")/.."

files=(
  -f src/verify.rs -f src/decode.rs -f src/key.rs
  -f src/codec/json.rs -f src/codec/percent.rs -f src/codec/base64.rs
)
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) files=(-f 'src/**/*.rs') ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: $0 [--all] [-- cargo-mutants arguments]" >&2; exit 2 ;;
  esac
  shift
done

if ! cargo mutants --version >/dev/null 2>&1; then
  cargo install cargo-mutants --locked
fi
cargo mutants --version
exec cargo mutants --package netless-token "${files[@]}" --output . "${extra[@]}"
