#!/usr/bin/env bash
# The library's tests compiled for wasm32-wasip1 and run under Node's WASI: the official
# vectors, the ports, the extra-field order, the documentation tokens, malformed tokens, and
# every other test that needs no process, fork or allocator hook (those few are compiled empty
# for WebAssembly). `bash scripts/wasi-test.sh`; exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

list="$(mktemp)"
trap 'rm -f "$list"' EXIT
bash scripts/wasm.sh wasm32-wasip1 test -p netless-token --tests --no-run \
  --message-format=json-render-diagnostics >"$list"
mapfile -t programs < <(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  for (const line of lines) {
    const m = JSON.parse(line);
    if (m.reason === "compiler-artifact" && m.executable) console.log(m.executable);
  }' "$list")
if [ ${#programs[@]} -lt 10 ]; then
  echo "wasi-test: expected the library's test programs, found ${#programs[@]}" >&2
  exit 1
fi
failed=0
for program in "${programs[@]}"; do
  name=$(basename "$program" .wasm)
  if out=$(node --no-warnings scripts/wasi-run.mjs "$program" -q 2>&1); then
    printf '%-40s %s\n' "${name%-*}" "$(grep 'test result' <<<"$out")"
  else
    printf '%-40s FAILED\n%s\n' "${name%-*}" "$out"
    failed=1
  fi
done
exit "$failed"
