#!/usr/bin/env bash
# The benchmark: release build, a standalone emulator and the storefront on their own ports,
# wrk against each page at concurrency 1, 16 and 64, the in-memory ceiling in the same run,
# upstream calls per page view, bytes each page loads first and peak RSS, then Lighthouse (mobile) on five pages
# (bench/lighthouse.sh) and token calls per renewal under 50 concurrent requests (bench/renewal.sh).
# Writes bench/results/report.{md,json} (and lighthouse.json).
#
#   bench/run.sh                 # full run (5 s per measurement)
#   DURATION=2 bench/run.sh      # quicker
#   LIGHTHOUSE=0 bench/run.sh    # without Lighthouse; LIGHTHOUSE_RUNS=3 for best of 3 per page
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
STORE=127.0.0.1:3200
EMU=127.0.0.1:3201
OUT=bench/results
LIGHTHOUSE=${LIGHTHOUSE:-1}
# Renew 1 s before expiry (default is larger) so the renewal measurement needs only a 3 s token.
RENEW_MARGIN=1
WORK=$(mktemp -d)
mkdir -p "$OUT"
say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

scripts/setup.sh
command -v wrk >/dev/null && command -v brotli >/dev/null || {
  say "installing wrk and brotli"; apt-get update -qq && apt-get install -y -qq wrk brotli; }
[ "$LIGHTHOUSE" = 0 ] || [ -x "${CHROME_PATH:-/usr/bin/chromium}" ] || {
  say "installing chromium for Lighthouse"; apt-get update -qq && apt-get install -y -qq chromium; }
[ "$LIGHTHOUSE" = 0 ] || [ -x bench/node_modules/.bin/lighthouse ] || (cd bench && npm ci --no-audit --no-fund)

# The release exactly as it is deployed: dist/ (server, hash.txt, site).
scripts/release.sh
cargo build --release -p wix-emulator

cleanup() { kill "${EMU_PID:-}" "${STORE_PID:-}" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

say "starting the emulator on $EMU and the storefront on $STORE"
target/release/wix-emulator --listen "$EMU" --db "$WORK/emulator.sqlite" --admin >"$WORK/emulator.log" 2>&1 &
EMU_PID=$!
WIX_CLIENT_ID=bench WIX_API_BASE_URL="http://$EMU" SESSION_SECRET=bench-secret-bench-secret-bench-secret-00 \
  PUBLIC_URL="http://$STORE" LEPTOS_SITE_ADDR="$STORE" LEPTOS_SITE_ROOT="$PWD/dist/site" LEPTOS_ENV=PROD \
  BENCH_CEILING=1 RATE_LIMIT_POSTS_PER_SECOND=0 RATE_LIMIT_NEW_VISITORS_PER_MINUTE=0 WIX_RENEW_MARGIN_SECS=$RENEW_MARGIN RUST_LOG=warn dist/wix-storefront >"$WORK/store.log" 2>&1 &
STORE_PID=$!
for _ in $(seq 100); do curl -sf "http://$STORE/search" >/dev/null && break; sleep 0.2; done

# The ceiling serves the search page's own bytes from memory.
curl -sf "http://$STORE/search" -o "$WORK/search.html"
curl -sf -X PUT --data-binary @"$WORK/search.html" "http://$STORE/_bench/static" >/dev/null

# A visitor with a cart: add one product through the server function, keep the cookie.
COOKIE=$(bench/visitor.sh "http://$STORE" canyon-notebook) || { say "could not start a cart session"; exit 1; }
# The same form's action and product id, for wrk's add-to-cart script.
ADD_PATH=$(curl -sf "http://$STORE/product/canyon-notebook" | grep -o 'action="/api/add_to_cart[^"]*"' | head -1 | cut -d'"' -f2)
PRODUCT_ID=$(curl -sf "http://$STORE/product/canyon-notebook" | grep -o 'name="product_id" value="[^"]*"' | head -1 | cut -d'"' -f4)
TOKEN=$(curl -sf -X POST "http://$EMU/oauth2/token" -H 'content-type: application/json' \
  -d '{"clientId":"bench","grantType":"anonymous"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

cat >"$WORK/add.lua" <<LUA
wrk.method = "POST"
wrk.body = "product_id=$PRODUCT_ID&variant_id=&quantity=1&return_to=%2F"
wrk.headers["content-type"] = "application/x-www-form-urlencoded"
wrk.headers["accept"] = "application/json"
wrk.headers["origin"] = "http://$STORE"
wrk.headers["cookie"] = "$COOKIE"
LUA
cat >"$WORK/cookie.lua" <<LUA
wrk.headers["cookie"] = "$COOKIE"
LUA
cat >"$WORK/emu-search.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"search":{"cursorPaging":{"limit":24}},"fields":["CURRENCY","URL"]}'
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "$TOKEN"
LUA
: >"$WORK/empty.lua"

# name|url|lua script
TARGETS=(
  "ceiling (same bytes from memory)|http://$STORE/_bench/static|empty"
  "home|http://$STORE/|empty"
  "search (24 results), no cart|http://$STORE/search|empty"
  "search (24 results), with a cart|http://$STORE/search|cookie"
  "product page|http://$STORE/product/willow-hoodie|empty"
  "cart page|http://$STORE/cart|cookie"
  "add-to-cart server function|http://$STORE$ADD_PATH|add"
  "emulator: search products|http://$EMU/stores/v3/products/search|emu-search"
)
: >"$WORK/runs.tsv"
for target in "${TARGETS[@]}"; do
  IFS='|' read -r name url script <<<"$target"
  for c in 1 16 64; do
    say "$name, concurrency $c"
    out=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${DURATION}s" --latency -s "$WORK/$script.lua" "$url")
    printf '%s\t%s\t%s\n' "$name" "$c" "$(printf '%s' "$out" | base64 -w0)" >>"$WORK/runs.tsv"
  done
done

# What each page makes the browser load first: its HTML names the bundle files.
mkdir -p "$WORK/pages"
for page in home:/ search:/search category:/category/stationery product:/product/willow-hoodie; do
  curl -sf "http://$STORE${page#*:}" -o "$WORK/pages/${page%%:*}.html"
done
curl -sf -H "cookie: $COOKIE" "http://$STORE/cart" -o "$WORK/pages/cart.html"

say "upstream calls per page view"
curl -sf -X DELETE "http://$EMU/_emulator/counters" >/dev/null
for _ in $(seq 20); do curl -sf -H "cookie: $COOKIE" "http://$STORE/search" >/dev/null; done
curl -sf "http://$EMU/_emulator/counters" >"$WORK/counters-returning.json"
curl -sf -X DELETE "http://$EMU/_emulator/counters" >/dev/null
for _ in $(seq 20); do curl -sf "http://$STORE/search" >/dev/null; done
curl -sf "http://$EMU/_emulator/counters" >"$WORK/counters-anonymous.json"

# Peak RSS now, so it stays the peak under wrk, comparable with earlier reports.
grep VmHWM "/proc/$STORE_PID/status" | awk '{print $2}' >"$WORK/rss_kb"
grep VmHWM "/proc/$EMU_PID/status" | awk '{print $2}' >"$WORK/emu_rss_kb"

# Lighthouse after wrk, so the browser does not compete with the load runs for the CPU.
# The cart is measured with the visitor cookie, so it has a line. A failure here or in the
# renewal step is reported, not fatal: the wrk figures above are still worth a report.
rm -f "$OUT/lighthouse.json"  # no stale scores beside a report made without them
if [ "$LIGHTHOUSE" != 0 ]; then
  say "Lighthouse (${LIGHTHOUSE_PRESET:-mobile}, ${LIGHTHOUSE_RUNS:-1} run(s) per page)"
  if bench/lighthouse.sh "http://$STORE" "$COOKIE" "$WORK/lighthouse.json"; then
    cp "$WORK/lighthouse.json" "$OUT/lighthouse.json"
  else
    say "Lighthouse failed; the report will say so"; rm -f "$WORK/lighthouse.json"
  fi
fi

# Last: it shortens the emulator's token TTL (renewal.sh resets the settings when done).
say "token calls per renewal, 50 concurrent requests with one expired cookie"
RENEW_MARGIN_SECS=$RENEW_MARGIN CONCURRENCY=50 bench/renewal.sh "http://$STORE" "http://$EMU" "$WORK/renewal.json" ||
  { say "renewal measurement failed; the report will say so"; rm -f "$WORK/renewal.json"; }

# The raw measurements stay beside the report, so `python3 bench/report.py bench/results/raw
# bench/results N` can redo it.
rm -rf "$OUT/raw" && mkdir -p "$OUT/raw"
cp -r "$WORK"/*.tsv "$WORK"/*.json "$WORK"/*_kb "$WORK"/search.html "$WORK"/pages "$OUT/raw/" 2>/dev/null || true
python3 bench/report.py "$WORK" "$OUT" "$DURATION"
say "report: $OUT/report.md"
