#!/usr/bin/env bash
# Proves that a netless-token binary needs nothing but itself: it is copied alone into an empty
# directory (no /dev, /proc, /etc, /tmp, no libc, no loader) and run there with chroot, where it
# must mint (the official vector byte for byte, and a token issued now with a random nonce),
# decode, verify, and serve: the server answers the teams, rooms and healthz endpoints over
# 127.0.0.1 (a chroot shares the network namespace) and exits 0 on SIGTERM.
#
#   bash scripts/check-static-binary.sh dist/netless-token-x86_64-linux
#
# Needs root (chroot), curl and timeout. Exits non-zero, saying which check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:?usage: check-static-binary.sh BINARY}"
[ -x "$binary" ] || { echo "check-static-binary: $binary is not an executable file" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "check-static-binary: chroot needs root" >&2; exit 1; }

fail() { echo "check-static-binary: FAILED: $*" >&2; exit 1; }
ok() { printf '  ok  %s\n' "$*"; }

root="$(mktemp -d)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$root" "$work"
}
trap cleanup EXIT
cp "$binary" "$root/netless-token"
chmod 0755 "$root"
[ "$(find "$root" -mindepth 1 | wc -l)" -eq 1 ] || fail "the root holds more than the binary"

# No program interpreter (the dynamic loader) and no shared library asked for.
# (Outputs are read whole, then searched: `cmd | grep -q` fails under pipefail when grep stops
# reading early.)
if command -v readelf >/dev/null 2>&1; then
  elf="$(readelf -l -d "$binary")"
  if grep -q 'Requesting program interpreter' <<<"$elf"; then
    fail "the binary asks for a dynamic loader"
  fi
  if grep -q '(NEEDED)' <<<"$elf"; then
    fail "the binary needs shared libraries: $(grep '(NEEDED)' <<<"$elf" | tr -s ' ')"
  fi
  ok "no program interpreter, no NEEDED shared library (readelf)"
fi

# `in_root VAR=value... timeout N chroot ROOT /netless-token ARGS`: only the environment given
# (not even PATH), so the tools are named by their full paths.
chroot="$(command -v chroot)"
timeout="$(command -v timeout)"
in_root() { env -i "$@"; }

# mint: the first official vector, byte for byte (fixed clock and nonce).
vector="$(head -n 1 tests/data/official-js.jsonl)"
field() { sed -E "s/.*\"$1\": \"?([^\",}]*)\"?.*/\1/" <<<"$vector"; }
expected="$(field token)"
got="$(in_root NETLESS_AK="$(field ak)" NETLESS_SK="$(field sk)" "$timeout" 20 "$chroot" "$root" /netless-token \
  mint "$(field kind)" --role "$(field role)" --lifespan "$(field lifespan)" \
  --issued-at "$(field now)" --nonce="$(field nonce)")" || fail "mint with a fixed clock and nonce"
[ "$got" = "$expected" ] || fail "mint printed $got, the official vector is $expected"
ok "mint: the official vector, byte for byte"

# mint now: the clock, and a random nonce from the kernel's getrandom (no /dev/urandom here).
room=a7e0a4d0c1a011eabc5b5d4c8e0aca69
token="$(in_root NETLESS_AK=demo-ak NETLESS_SK=demo-sk "$timeout" 20 "$chroot" "$root" /netless-token \
  mint room --role writer --lifespan 1h --uuid "$room")" || fail "mint now (clock and random nonce)"
case "$token" in NETLESSROOM_*) ;; *) fail "mint now printed $token" ;; esac
second="$(in_root NETLESS_AK=demo-ak NETLESS_SK=demo-sk "$timeout" 20 "$chroot" "$root" /netless-token \
  mint room --role writer --lifespan 1h --uuid "$room")"
[ "$second" != "$token" ] || fail "two tokens minted now are equal: the nonce is not random"
ok "mint now: clock and random nonce"

# decode, from an argument and from standard input.
decoded="$(in_root "$timeout" 20 "$chroot" "$root" /netless-token decode "$token" --json)" || fail "decode"
grep -q "\"uuid\":\"$room\"" <<<"$decoded" || fail "decode --json printed $decoded"
decoded="$(in_root "$timeout" 20 "$chroot" "$root" /netless-token decode - <<<"$token")" || fail "decode -"
grep -q "$room" <<<"$decoded" || fail "decode - printed $decoded"
ok "decode: argument and standard input"

# verify: the right secret passes, another one is refused with exit status 1.
in_root NETLESS_SK=demo-sk "$timeout" 20 "$chroot" "$root" /netless-token verify "$token" --kind room >/dev/null \
  || fail "verify with the right secret"
status=0
in_root NETLESS_SK=another-sk "$timeout" 20 "$chroot" "$root" /netless-token verify "$token" >/dev/null 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "verify with another secret exited $status, not 1"
ok "verify: the right secret passes, another is refused (exit 1)"

# A standard output closed at the start cannot be told from /dev/null without /proc, and there
# is no /dev/null to reopen it on: Rust's runtime then aborts before main. Nothing is minted
# into the void either way: the exit status is not 0.
status=0
in_root NETLESS_AK=demo-ak NETLESS_SK=demo-sk "$timeout" 20 "$chroot" "$root" /netless-token \
  mint sdk --role admin --lifespan 1h >&- 2>/dev/null || status=$?
[ "$status" -ne 0 ] || fail "mint with standard output closed exited 0"
ok "mint with standard output closed: exit $status, no token"

# serve: bound by the kernel to a free port, answering over loopback, stopped by SIGTERM. No
# /proc: the open-file limit cannot be read, so the connection cap stays as configured.
# (env itself, not the in_root function: a function in the background is a subshell, and $!
# would be the subshell's process, not the server's.)
env -i NETLESS_AK=demo-ak NETLESS_SK=demo-sk "$timeout" 60 "$chroot" "$root" /netless-token \
  serve --listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err" >&2; fail "serve exited before listening"; }
  sleep 0.1
done
base="$(sed -n 's/^listening on //p' "$work/out")"
[ -n "$base" ] || { cat "$work/err" >&2; fail "serve printed no 'listening on' line"; }

request() { curl -sS --max-time 10 -o "$work/body" -w '%{http_code}' "$@"; }
code="$(request -X POST "$base/v5/tokens/teams" -H 'region: us-sv' \
  -d '{"accessKey":"demo-ak","secretAccessKey":"demo-sk","lifespan":3600000,"role":"admin"}')"
sdk="$(tr -d '"' <"$work/body")"
[ "$code" = 201 ] && [[ "$sdk" == NETLESSSDK_* ]] || fail "POST /v5/tokens/teams: $code $(cat "$work/body")"
code="$(request -X POST "$base/v5/tokens/rooms/$room" -H 'region: us-sv' -H "token: $sdk" \
  -d '{"lifespan":600000,"role":"writer"}')"
[ "$code" = 201 ] && grep -q '^"NETLESSROOM_' "$work/body" || fail "POST /v5/tokens/rooms: $code $(cat "$work/body")"
code="$(request "$base/healthz")"
[ "$code" = 200 ] || fail "GET /healthz: $code"
ok "serve: teams 201, rooms 201, healthz 200 at $base"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || { cat "$work/err" >&2; fail "serve exited $status after SIGTERM"; }
ok "serve: exit 0 after SIGTERM; $(grep -c ' 20[01] ' "$work/err") requests logged"
echo "check-static-binary: $binary runs alone in an empty root"
