#!/usr/bin/env bash
# The criterion benchmarks of minting, decoding and verifying, before and after a change, built
# and run alternately in one session (before, after, before, ...), so that a slow moment of a
# shared machine slows both: `bash scripts/bench-before-after.sh REV [ROUNDS]`, REV the commit
# before the change (the working tree's HEAD is after). Prints, per operation, the median of
# each side's criterion medians and the median of the per-round after/before ratios (a round's
# two sides share its moment of the machine), with every round's ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: $0 REV [ROUNDS]}
rounds=${2:-3}
filter='^(mint/room_expiry|mint/room_expiry_now_random_nonce|read/decode_room|read/verify_room)$'

work=$(mktemp -d)
cleanup() { git worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add -q --detach "$work/before" "$rev"

# The bench binary of the checkout in $1, built into the target folder $2.
build() {
  (cd "$1" && CARGO_TARGET_DIR="$2" cargo bench --bench tokens --no-run --message-format=json 2>/dev/null) |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "tokens":
        print(m["executable"])'
}
before_bin=$(build "$work/before" "$work/target-before")
after_bin=$(build "$PWD" "$PWD/target")
echo "before: $rev ($(git log -1 --format=%h "$rev")), after: $(git log -1 --format=%h HEAD) + working tree; $rounds rounds"

results="$work/results.jsonl"
for round in $(seq "$rounds"); do
  for side in before after; do
    bin_var="${side}_bin"
    dir="$work/criterion-$side-$round"
    mkdir -p "$dir"
    CARGO_TARGET_DIR="$dir" "${!bin_var}" --bench "$filter" --noplot >/dev/null 2>&1
    python3 - "$dir" "$side" "$round" >>"$results" <<'PY'
import json, pathlib, sys
root, side, rnd = pathlib.Path(sys.argv[1]) / "criterion", sys.argv[2], int(sys.argv[3])
for est in root.glob("*/*/new/estimates.json"):
    op = f"{est.parts[-4]}/{est.parts[-3]}"
    ns = json.loads(est.read_text())["median"]["point_estimate"]
    print(json.dumps({"side": side, "op": op, "round": rnd, "ns": ns}))
PY
  done
done
python3 - "$results" <<'PY'
import json, statistics, sys, collections
ns = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r = json.loads(line)
    ns[r["op"]][(r["side"], r["round"])] = r["ns"]
print(f"{'operation':36} {'before ns':>10} {'after ns':>10} {'after/before':>13}   per round")
for op in sorted(ns):
    rounds = sorted({rnd for _, rnd in ns[op]})
    ratios = [ns[op][("after", r)] / ns[op][("before", r)] for r in rounds]
    b = statistics.median(ns[op][("before", r)] for r in rounds)
    a = statistics.median(ns[op][("after", r)] for r in rounds)
    shown = " ".join(f"{x:.3f}" for x in ratios)
    print(f"{op:36} {b:10.1f} {a:10.1f} {statistics.median(ratios):13.3f}   {shown}")
PY
