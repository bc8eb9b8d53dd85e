#!/usr/bin/env bash
# `netless-token scan` against ripgrep on the same tree, in one run. Generates a tree of text
# files (source-like lines, at least 200 MB by default, in nested folders) with tokens scattered
# through it in a temporary folder, reads it once so that both read from the page cache, then
# runs both alternately ROUNDS times and prints each one's median throughput in MB/s.
#
#   benches/scan.sh                 # 200 MB, 5 rounds
#   SIZE_MB=400 ROUNDS=7 benches/scan.sh
#
# Needs python3 (to generate the tree) and ripgrep (`apt-get install -y ripgrep`). ripgrep
# searches for the three prefixes as fixed strings, with line and column numbers, as scan
# reports them; scan also decodes and audits every token it finds.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_MB="${SIZE_MB:-200}"
ROUNDS="${ROUNDS:-5}"
command -v rg >/dev/null || { echo "ripgrep (rg) is not installed: apt-get install -y ripgrep" >&2; exit 1; }

cargo build --release -q -p netless-token-cli
bin="$PWD/target/release/netless-token"

tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT

# Tokens of every kind, some never expiring, to scatter through the tree.
tokens="$tree.tokens"
trap 'rm -rf "$tree" "$tokens"' EXIT
export NETLESS_AK=bench-ak NETLESS_SK=bench-sk
{
  "$bin" mint sdk --role admin --lifespan never
  "$bin" mint sdk --role writer --lifespan 1h
  "$bin" mint room --role writer --lifespan never --uuid a7e0a4d0c1a011eabc5b5d4c8e0aca69
  "$bin" mint room --role admin --lifespan 30d --uuid a7e0a4d0c1a011eabc5b5d4c8e0aca69
  "$bin" mint task --role reader --lifespan 10m --uuid 00d4e015df4c488480c3f8a24d053eb1
} >"$tokens"

python3 - "$tree" "$SIZE_MB" "$tokens" <<'PY'
import os, random, sys
root, size_mb, tokens = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read().split()
rng = random.Random(16)
words = ["const", "room", "token", "return", "if", "else", "for", "await", "function", "let",
         "whiteboard", "config", "value", "=", "(", ")", "{", "}", ";", "import", "from",
         "export", "default", "string", "number", "Netless", "netless", "sdk", "ak", "uuid"]
lines = [" " * rng.choice([0, 2, 4, 8]) + " ".join(rng.choice(words) for _ in range(rng.randint(2, 14)))
         for _ in range(5000)]
# Names that start like a token but are not one, as a project using the SDK has them: one line
# in 100 of the pool.
lines += [rng.choice(["NETLESS_APP_ID=x", "const NETLESS_REGION = 'us-sv';", "NETLESSSDK_ in the docs"])
          for _ in range(50)]
contexts = ['TOKEN={}', 'const token = "{}";', '  roomToken: {}', '"token": "{}",', 'use `{}`']
target, written, n = size_mb * 1_000_000, 0, 0
while written < target:
    folder = os.path.join(root, f"pkg{n % 40}", f"mod{n % 7}")
    os.makedirs(folder, exist_ok=True)
    body = [rng.choice(lines) for _ in range(rng.randint(200, 4000))]
    if n % 10 == 0:  # a token in one file of ten, at a random line
        body.insert(rng.randrange(len(body)), rng.choice(contexts).format(rng.choice(tokens)))
    text = "\n".join(body) + "\n"
    with open(os.path.join(folder, f"file{n}.{rng.choice(['js', 'ts', 'py', 'md', 'yaml', 'env'])}"), "w") as f:
        f.write(text)
    written += len(text)
    n += 1
print(f"tree: {n} files, {written / 1e6:.0f} MB")
PY

bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
find "$tree" -type f -exec cat {} + >/dev/null   # into the page cache

scan_cmd=("$bin" scan "$tree" --format json)
rg_cmd=(rg --hidden --line-number --column -F -e NETLESSSDK_ -e NETLESSROOM_ -e NETLESSTASK_ "$tree")

echo "scan: $("$bin" scan "$tree" | tail -n 1 || true)"
echo "rg:   $("${rg_cmd[@]}" | wc -l) matching lines"

seconds() { # the wall time of one run of "$@", its output discarded
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

scan_us=() rg_us=()
for round in $(seq "$ROUNDS"); do
  scan_us+=("$(seconds "${scan_cmd[@]}")")
  rg_us+=("$(seconds "${rg_cmd[@]}")")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
report() { # name, microseconds...
  local name=$1; shift
  local m; m=$(median "$@")
  awk -v n="$name" -v b="$bytes" -v us="$m" -v all="$*" \
    'BEGIN {printf "%-22s %8.0f MB/s  (median of %d: %.3f s; runs in us: %s)\n", n, b / us, split(all, x, " "), us / 1e6, all}'
}
echo "$(nproc) cores, $(date -u +%Y-%m-%d), $((bytes / 1000000)) MB, $ROUNDS rounds, alternating"
report "netless-token scan" "${scan_us[@]}"
report "rg (3 prefixes)" "${rg_us[@]}"
