#!/usr/bin/env bash
# Checks the minimum Rust version the workspace claims (`rust-version` in Cargo.toml) as far as a
# machine with only a newer toolchain can, without building with the old one:
#
# 1. every package of the lock file (all targets, dev-dependencies included: `cargo metadata
#    --locked`) needs at most that version by what it declares: its `rust-version`, and its
#    edition (2021 needs 1.56, 2024 needs 1.85). Cargo's MSRV-aware resolver (`resolver = "3"`)
#    picks such versions when the lock file is updated; this check fails if one slips in;
# 2. clippy's `incompatible_msrv` lint, which reads `rust-version`, finds no item of the standard
#    library stabilized after it in the workspace's own code.
#
#   bash scripts/msrv.sh
#
# What it cannot see: a dependency that uses a newer feature without declaring it, and language
# features or Cargo features of our own that came after the version (clippy checks library
# items only). Building with that toolchain is the proof this machine cannot give.
set -euo pipefail
cd "$(dirname "$0")/.."

metadata="$(mktemp)"
trap 'rm -f "$metadata"' EXIT
cargo metadata --locked --format-version 1 >"$metadata"
python3 - "$metadata" <<'EOF'
import json
import sys

meta = json.load(open(sys.argv[1]))
members = set(meta["workspace_members"])
EDITION = {"2015": (1, 0, 0), "2018": (1, 31, 0), "2021": (1, 56, 0), "2024": (1, 85, 0)}


def version(text):
    return tuple(int(part) for part in (text.split(".") + ["0", "0"])[:3])


def spell(v):
    return ".".join(map(str, v))


claimed = {p["rust_version"] for p in meta["packages"] if p["id"] in members}
if len(claimed) != 1 or None in claimed:
    sys.exit(f"msrv: the workspace members declare {sorted(map(str, claimed))}, not one rust-version")
[msrv_text] = claimed
msrv = version(msrv_text)

needs, undeclared, too_new = [], [], []
for p in meta["packages"]:
    if p["id"] in members:
        continue
    declared = p.get("rust_version")
    need = max(version(declared) if declared else (1, 0, 0), EDITION[p["edition"]])
    needs.append((need, p["name"], p["version"]))
    if not declared:
        undeclared.append(p["name"])
    if need > msrv:
        too_new.append(f"{p['name']} {p['version']} needs {spell(need)}")

if too_new:
    sys.exit(f"msrv: rust-version is {msrv_text}, but the lock file holds:\n  " + "\n  ".join(too_new))
top = max(need for need, _, _ in needs)
at_top = sorted(f"{name} {ver}" for need, name, ver in needs if need == top)
print(f"msrv: rust-version {msrv_text}; the {len(needs)} locked packages need at most {spell(top)} "
      f"({', '.join(at_top)})")
print(f"msrv: {len(undeclared)} of them declare no rust-version and are bounded by their edition "
      f"only: {', '.join(sorted(undeclared))}")
EOF

# The lint is on by default; denied here by name so that a change of clippy's defaults cannot
# turn it off. The same flags as .ci/run's clippy step, so there it re-checks nothing.
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings -D clippy::incompatible_msrv
echo "msrv: clippy's incompatible_msrv finds no standard-library item newer than the rust-version"
