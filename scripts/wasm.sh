#!/usr/bin/env bash
# Runs cargo for a WebAssembly target: `bash scripts/wasm.sh TARGET CARGO-COMMAND [ARGS...]`,
# for example
#
#   bash scripts/wasm.sh wasm32-unknown-unknown build -p netless-token-js --profile wasm
#   bash scripts/wasm.sh wasm32-wasip1 test -p netless-token --test official_vectors --no-run
#
# Where rustup has the target's standard library (`rustup target add TARGET`), that is used, as
# on any developer's machine. Otherwise the standard library is built from source with Debian's
# Rust (packages rustc-web, cargo-web, rust-web-src; wasi-libc for wasm32-wasip1), which this
# script installs when it runs as root with apt (as in CI), and links with rustup's rust-lld.
# Output goes to target/wasm/ (its own folder: another compiler's artifacts). Prints the cargo
# command it runs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET CARGO-COMMAND [ARGS...]" >&2
  exit 2
fi
target=$1
shift
case "$target" in
  wasm32-unknown-unknown | wasm32-wasip1) ;;
  *) echo "$0: TARGET is wasm32-unknown-unknown or wasm32-wasip1, not $target" >&2; exit 2 ;;
esac
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/wasm}"

# Extra flags for a wasm32-unknown-unknown build, from js/scripts/build.mjs:
# NETLESS_WASM_RUSTFLAGS for any toolchain, NETLESS_WASM_BUILD_STD_RUSTFLAGS only where the
# standard library is built from source (flags that need it).
if [ "$target" = wasm32-unknown-unknown ] && [ -n "${NETLESS_WASM_RUSTFLAGS:-}" ]; then
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$NETLESS_WASM_RUSTFLAGS"
fi

if rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "+ cargo $1 --target $target ${*:2}" >&2
  exec cargo "$1" --target "$target" "${@:2}"
fi

# No rustup standard library for the target: build it from source with Debian's Rust.
debian_rust() { [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && compgen -G "/usr/src/rustc-*/library" >/dev/null; }
packages=(rustc-web cargo-web rust-web-src)
[ "$target" = wasm32-wasip1 ] && packages+=(wasi-libc)
missing=()
debian_rust || missing=("${packages[@]}")
[ "$target" = wasm32-wasip1 ] && [ ! -e /usr/lib/wasm32-wasi/crt1-command.o ] && missing+=(wasi-libc)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$0: installing ${missing[*]} (Debian packages)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "$0: no standard library for $target: run 'rustup target add $target', or install" \
      "the Debian packages ${missing[*]}" >&2
    exit 1
  fi
fi

# rustup's lld links WebAssembly; Debian's Rust does not ship one.
lld="$(dirname "$(rustup which rustc)")/../lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
if [ ! -x "$lld" ]; then
  lld=$(command -v rust-lld || command -v wasm-ld || true)
fi
if [ -z "$lld" ]; then
  echo "$0: no WebAssembly linker (rust-lld or wasm-ld) found" >&2
  exit 1
fi
export RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
case "$target" in
  wasm32-unknown-unknown)
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$lld"
    if [ -n "${NETLESS_WASM_BUILD_STD_RUSTFLAGS:-}" ]; then
      export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${NETLESS_WASM_RUSTFLAGS:-} $NETLESS_WASM_BUILD_STD_RUSTFLAGS"
    fi
    ;;
  wasm32-wasip1)
    export CARGO_TARGET_WASM32_WASIP1_LINKER="$lld"
    # Debian's wasi-libc has no threads, while the standard library names the pthread
    # functions of scripts/wasi-undefined.txt (a test binary keeps them; libtest runs every
    # test on the main thread on WebAssembly). They are left as imports, which
    # scripts/wasi-run.mjs provides as functions that refuse.
    export CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS="-C link-self-contained=no -L /usr/lib/wasm32-wasi -C link-arg=/usr/lib/wasm32-wasi/crt1-command.o -C link-arg=--allow-undefined-file=$PWD/scripts/wasi-undefined.txt"
    ;;
esac
echo "+ /usr/bin/cargo $1 -Zbuild-std=std,panic_abort --target $target ${*:2}" >&2
exec /usr/bin/cargo "$1" -Zbuild-std=std,panic_abort --target "$target" "${@:2}"
