#!/usr/bin/env bash
# Runs wasm-bindgen-cli of exactly the version of the wasm-bindgen crate in Cargo.lock (the two
# must match): `bash scripts/wasm-bindgen.sh ARGS...`. The first run installs it from crates.io
# (some minutes) into a cache folder that later runs and other clones find:
# ${NETLESS_TOOLS:-$HOME/.cache/netless-token/tools}/wasm-bindgen-VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$version" ]; then
  echo "$0: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
tools="${NETLESS_TOOLS:-$HOME/.cache/netless-token/tools}/wasm-bindgen-$version"
if [ ! -x "$tools/bin/wasm-bindgen" ]; then
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version)" = "wasm-bindgen $version" ]; then
    exec wasm-bindgen "$@"
  fi
  echo "$0: installing wasm-bindgen-cli $version into $tools (once)" >&2
  cargo install wasm-bindgen-cli --version "=$version" --root "$tools" --quiet
fi
exec "$tools/bin/wasm-bindgen" "$@"
