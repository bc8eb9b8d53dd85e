#!/usr/bin/env bash
# The Python package's tests (python/tests) in a fresh virtual environment:
#
#   bash scripts/python-test.sh              builds ./python from source (needs Rust and
#                                            Python 3.10+ with its headers), installs it, runs pytest
#   bash scripts/python-test.sh WHEEL        installs a built wheel (dist/*.whl) and runs pytest
#                                            with no cargo or rustc on PATH: what a user without
#                                            Rust gets
#
# PYTHON picks the interpreter (default python3). The tests read tests/data/*.jsonl of the
# checkout, but import the package installed in the environment, never the sources in
# python/python/: the script checks where `netless_token` comes from before running pytest.
# A pytest that collects no tests (exit 5) fails too.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
python="${PYTHON:-python3}"
wheel="${1:-}"

# No cargo, rustc or rustup here: the directories of PATH that hold one are left out. Without a
# wheel the build needs them, so the full PATH is kept for the build only.
no_rust_path() {
  local out="" dir
  local IFS=:
  for dir in $PATH; do
    if [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || [ -e "$dir/rustup" ]; then
      continue
    fi
    out="${out:+$out:}$dir"
  done
  printf '%s' "$out"
}

venv_dir="$(mktemp -d)"
trap 'rm -rf "$venv_dir"' EXIT
venv="$venv_dir/venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "pytest>=7" "hypothesis>=6"

if [ -n "$wheel" ]; then
  [ -f "$wheel" ] || { echo "python-test: no wheel at $wheel" >&2; exit 1; }
  test_path="$venv/bin:$(no_rust_path)"
  if PATH="$test_path" command -v cargo >/dev/null || PATH="$test_path" command -v rustc >/dev/null; then
    echo "python-test: cargo or rustc is still on PATH" >&2
    exit 1
  fi
  # --only-binary: the wheel as built, never a build from anything.
  PATH="$test_path" "$venv/bin/python" -m pip install --quiet --no-index --only-binary=:all: "$wheel"
else
  # maturin from PyPI, then `pip install ./python` with the workspace's Cargo.lock (--locked) and
  # target directory.
  test_path="$venv/bin:$PATH"
  "$venv/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
  PATH="$test_path" CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" MATURIN_PEP517_ARGS="--locked" \
    "$venv/bin/python" -m pip install --quiet --no-build-isolation ./python
fi

# From python/tests, as pytest runs the tests (it puts that folder first on sys.path): the
# package must be the environment's, with its extension beside it.
(cd python/tests && PATH="$test_path" "$venv/bin/python" - "$venv" <<'EOF'
import sys
from pathlib import Path

import netless_token
from netless_token import _native

venv = Path(sys.argv[1]).resolve()
package = Path(netless_token.__file__).resolve().parent
assert package.is_relative_to(venv), f"netless_token imported from {package}, not from {venv}"
assert Path(_native.__file__).resolve().parent == package, _native.__file__
print(f"netless_token from {package} (Python {sys.version.split()[0]}, {Path(_native.__file__).name})")
EOF
)

status=0
(cd python && PATH="$test_path" "$venv/bin/python" -m pytest tests -q -p no:cacheprovider) || status=$?
if [ "$status" -ne 0 ]; then
  echo "pytest failed with exit status $status (5: no tests collected)" >&2
  exit 1
fi
