#!/usr/bin/env bash
# `make release-check`: runs dist/ the way the container image runs it, since no container
# engine runs on the build machine: as an unprivileged user, from files it cannot write, with
# only environment variables and production mode, against a standalone emulator. Checks that it
# is healthy and ready, serves pages and the hashed bundle, and stops cleanly on SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
[ -x dist/wix-storefront ] || { echo "no dist/: run make release first" >&2; exit 1; }

cargo build --release -p wix-emulator
work=$(mktemp -d)
app="$work/app"
cp -r dist "$app"
chmod -R a-w "$app"
chmod a+rx "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
emu_port=$(free_port); store_port=$(free_port)
cleanup() { kill "${EMU_PID:-}" "${STORE_PID:-}" 2>/dev/null || true; chmod -R u+w "$work"; rm -rf "$work"; }
trap cleanup EXIT

target/release/wix-emulator --listen "127.0.0.1:$emu_port" --db "$work/emulator.sqlite" >"$work/emulator.log" 2>&1 &
EMU_PID=$!

say "dist/ as uid 65534, read-only, LEPTOS_ENV=PROD"
(cd "$app" && exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i \
  PATH=/usr/bin:/bin LEPTOS_ENV=PROD LEPTOS_SITE_ROOT="$app/site" LEPTOS_SITE_ADDR="127.0.0.1:$store_port" \
  WIX_CLIENT_ID=release-check WIX_API_BASE_URL="http://127.0.0.1:$emu_port" \
  SESSION_SECRET=release-check-secret-release-check-0000 PUBLIC_URL="http://127.0.0.1:$store_port" \
  WIX_DATA_DIR=/nonexistent LOG_FORMAT=json "$app/wix-storefront") >"$work/store.log" 2>&1 &
STORE_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$store_port/healthz" >/dev/null && break; sleep 0.2; done

fail() { echo "release check failed: $*" >&2; tail -20 "$work/store.log" >&2; exit 1; }
LEPTOS_SITE_ADDR="127.0.0.1:$store_port" "$app/wix-storefront" healthcheck || fail "healthcheck"
curl -sf "http://127.0.0.1:$store_port/readyz" >/dev/null || fail "not ready"
curl -sf "http://127.0.0.1:$store_port/search" -o "$work/search.html" || fail "search page"
wasm=$(grep -o '/pkg/[^"]*\.wasm' "$work/search.html" | head -1)
[ -n "$wasm" ] || fail "no hashed wasm in the page"
cache=$(curl -sfI "http://127.0.0.1:$store_port$wasm" | tr -d '\r' | grep -i '^cache-control:' || true)
echo "$cache" | grep -q immutable || fail "the bundle is not served immutable ($cache)"
# The release's brotli copy, byte for byte, to a browser that accepts brotli.
sent=$(curl -sf -H 'accept-encoding: br' "http://127.0.0.1:$store_port$wasm" | wc -c)
[ "$sent" = "$(wc -c <"$app/site$wasm.br")" ] || fail "the wasm is not sent as the release compressed it ($sent bytes)"
grep -q '"level"' "$work/store.log" || fail "logs are not JSON"
kill -TERM "$STORE_PID"
wait "$STORE_PID" && status=0 || status=$?
[ "$status" = 0 ] || fail "exit status $status after SIGTERM"
say "release check passed: healthy, ready, pages and the hashed, precompressed bundle served, clean stop"
