#!/usr/bin/env bash
# Builds every release artifact into dist/, and checks each:
#
#   bash scripts/dist.sh
#
#   netless_token-VERSION-cp310-abi3-manylinux_2_17_x86_64.whl   the Python package for CPython
#       3.10+ on x86_64 Linux with glibc 2.17+ (one abi3 wheel), built with maturin and zig as the
#       linker, without a container; `auditwheel show` must confirm manylinux_2_17_x86_64
#   netless_token-VERSION.tar.gz            the sdist, with the library's sources: a wheel built
#       from it alone, in an empty folder, installs and imports
#   netless-token-VERSION-x86_64-linux      the command line, statically linked (no shared
#       library, no loader): runs on any x86_64 Linux 3.17+ (scripts/check-static-binary.sh
#       runs it in an empty root)
#   SHA256SUMS                              `sha256sum -c SHA256SUMS` in dist/
#
# and `twine check --strict` on the wheel and the sdist, and `cargo publish --dry-run` for the
# library and the CLI crate together (cargo packages the library into a local registry first,
# so the CLI's version requirement on it resolves before either is published).
#
# The Python build tools come from PyPI, pinned below, into a virtual environment of their own
# (target/dist-tools, made again when the pins change). Needs Rust, Python 3.10+ with venv, and
# network access to PyPI and crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
start=$SECONDS

# maturin builds the wheel and the sdist; ziglang is zig, which maturin links with so that the
# extension asks for no glibc symbol newer than 2.17 (no manylinux container needed);
# auditwheel reads the wheel's symbol versions to confirm its tag; twine checks what PyPI will
# read. Exact versions: the artifacts are built the same way each time.
TOOLS=("maturin==1.16.0" "ziglang==0.17.1" "auditwheel==6.8.2" "twine==7.0.0")
MANYLINUX=manylinux_2_17_x86_64

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "dist: FAILED: $*" >&2; exit 1; }

version="$(cargo pkgid -p netless-token-cli | sed 's/.*[#@]//')"
[ -n "$version" ] || fail "no version from cargo pkgid"
rm -rf dist
mkdir -p dist target

tools="$root/target/dist-tools"
if [ "$(cat "$tools/pins" 2>/dev/null)" != "${TOOLS[*]}" ]; then
  step "build tools from PyPI: ${TOOLS[*]}"
  rm -rf "$tools"
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --upgrade pip
  "$tools/bin/python" -m pip install --quiet "${TOOLS[@]}"
  echo "${TOOLS[*]}" >"$tools/pins"
fi
# maturin finds zig through the ziglang package of the interpreter on PATH.
export PATH="$tools/bin:$PATH"

step "wheel: maturin build --zig --compatibility manylinux2014"
maturin build --release --locked --zig --compatibility manylinux2014 \
  -m python/Cargo.toml -i "$tools/bin/python" -o dist
wheels=(dist/*.whl)
[ ${#wheels[@]} -eq 1 ] || fail "expected one wheel, found ${#wheels[@]}"
wheel="${wheels[0]}"
case "$wheel" in *-cp310-abi3-*) ;; *) fail "$wheel is not an abi3 wheel for CPython 3.10+" ;; esac
show="$(auditwheel show "$wheel")"
echo "$show"
# auditwheel wraps its lines: the tag it confirms is the first one quoted after "consistent".
confirmed="$(tr '\n' ' ' <<<"$show" | sed -n 's/.*consistent with the following platform tag: *"\([^"]*\)".*/\1/p')"
[ "$confirmed" = "$MANYLINUX" ] || fail "auditwheel confirms '$confirmed', not $MANYLINUX"
# (Outputs are read whole, then searched: `cmd | grep -q` fails under pipefail when grep stops
# reading early.)
contents="$(python3 -m zipfile -l "$wheel")"
grep -q 'dist-info/licenses/LICENSE-MIT' <<<"$contents" || fail "the wheel carries no LICENSE-MIT"

step "sdist: maturin sdist"
maturin sdist -m python/Cargo.toml -o dist
sdist="dist/netless_token-$version.tar.gz"
[ -f "$sdist" ] || fail "no $sdist"
listing="$(tar tzf "$sdist")"
for file in Cargo.lock Cargo.toml src/lib.rs src/mint.rs python/Cargo.toml python/src/lib.rs \
  python/netless_token/__init__.py python/README.md LICENSE-MIT LICENSE-APACHE; do
  grep -qx "netless_token-$version/$file" <<<"$listing" || fail "the sdist lacks $file"
done

step "static command line: crt-static, getrandom's linux_raw backend"
# crt-static links glibc into the binary: no shared library, no loader. getrandom's default
# backend looks glibc's getrandom up with dlsym, which a static binary cannot do, and falls back
# to /dev/urandom, which an empty root or a scratch container lacks; `linux_raw` makes the
# getrandom system call itself (Linux 3.17+). --target keeps these flags off build scripts and
# proc macros; a target directory of its own keeps them from rebuilding the workspace's.
RUSTFLAGS='-C target-feature=+crt-static -C strip=symbols --cfg getrandom_backend="linux_raw"' \
  cargo build --release --locked -p netless-token-cli \
  --target x86_64-unknown-linux-gnu --target-dir target/static
binary="dist/netless-token-$version-x86_64-linux"
cp target/static/x86_64-unknown-linux-gnu/release/netless-token "$binary"
elf="$(readelf -l -d "$binary")"
if grep -q -e 'Requesting program interpreter' -e '(NEEDED)' <<<"$elf"; then
  fail "$binary is not statically linked"
fi
"$binary" --version

step "twine check --strict"
twine check --strict "$wheel" "$sdist"

step "the sdist alone, in an empty folder: pip wheel, install, import"
# A fresh virtual environment and pip's own isolated build (maturin from PyPI), from the sdist
# copied into an empty folder: nothing of this checkout is reachable but what the sdist holds.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp "$sdist" "$scratch/"
(
  cd "$scratch"
  python3 -m venv venv
  venv/bin/python -m pip install --quiet --upgrade pip
  # --no-cache-dir: pip would otherwise reuse a wheel it built from an sdist of the same name.
  env -u CARGO_TARGET_DIR venv/bin/python -m pip wheel --quiet --no-cache-dir --no-deps \
    -w wheelhouse "./$(basename "$sdist")"
  venv/bin/python -m pip install --quiet --no-index wheelhouse/*.whl
  venv/bin/python - <<'EOF'
import sys
from pathlib import Path

import netless_token as nt

assert Path(nt.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), nt.__file__
token = nt.mint("sdk", "BUxxxxxxrc", "CxxxxxxxauY3", "admin", 0,
                issued_at=1_700_000_000_000, nonce="6ba7b810-9dad-11d1-80b4-00c04fd430c8")
assert token == (
    "NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgmcm9sZT0w"
    "JnNpZz05ODY3YjBiMzZhMWMyZTFkNzQ5ZjBhMDYzMGRmOTFiOGNiYzQ3NzFhODJjMzVjN2YyNWIwYWQ2OTZhNmQ0NGJm"
), token
assert nt.verify(token, "CxxxxxxxauY3").role == nt.Role.ADMIN
print(f"built from the sdist: {Path(nt._native.__file__).name} mints and verifies")
EOF
)

step "cargo publish --dry-run: the library and the CLI crate"
cargo publish --dry-run --locked -p netless-token -p netless-token-cli

step "SHA256SUMS"
(cd dist && sha256sum -- *.whl *.tar.gz "$(basename "$binary")" >SHA256SUMS && sha256sum -c --quiet SHA256SUMS)
ls -l dist
echo "dist: built and checked in $((SECONDS - start)) s"
