#!/usr/bin/env bash
# Token calls per renewal under concurrency: a visitor whose access token is past the storefront's
# renewal point sends CONCURRENCY (50) simultaneous GET /cart with the same cookie. Single-flight
# renewal means exactly one call to the emulator's /oauth2/token. Prints (or writes) a JSON summary.
#
# The storefront must run with WIX_RENEW_MARGIN_SECS equal to RENEW_MARGIN_SECS here (default 1),
# and the emulator with --admin. The emulator's settings are reset on exit.
#
#   bench/renewal.sh http://127.0.0.1:3200 http://127.0.0.1:3201 [out.json]   # default: stdout
#   (a relative out.json is taken from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE_URL=${1:?usage: renewal.sh STORE_URL EMULATOR_URL [OUT_JSON]}
EMU_URL=${2:?usage: renewal.sh STORE_URL EMULATOR_URL [OUT_JSON]}
OUT_JSON=${3:--}
TTL=${RENEWAL_TTL_SECS:-3}
MARGIN=${RENEW_MARGIN_SECS:-1}
CONCURRENCY=${CONCURRENCY:-50}
SLUG=canyon-notebook

trap 'curl -sf -X POST "$EMU_URL/_emulator/settings/reset" >/dev/null || true' EXIT
# PUT replaces the whole settings object (missing fields take defaults), so change only the TTL.
curl -sf "$EMU_URL/_emulator/settings" |
  python3 -c 'import json,sys; s=json.load(sys.stdin); s["accessTokenTtlSecs"]=int(sys.argv[1]); print(json.dumps(s))' "$TTL" |
  curl -sf -X PUT "$EMU_URL/_emulator/settings" -H 'content-type: application/json' --data-binary @- >/dev/null

# A new visitor, so its access token is minted now with the short TTL.
COOKIE=$(bench/visitor.sh "$STORE_URL" "$SLUG")
MINTED_BY=$(date +%s.%N)

python3 - "$STORE_URL" "$EMU_URL" "$COOKIE" "$MINTED_BY" "$TTL" "$MARGIN" "$CONCURRENCY" "$SLUG" "$OUT_JSON" <<'PY'
import http.client, json, math, sys, threading, time, urllib.parse, urllib.request
store, emu, cookie, minted_by, ttl, margin, n, slug, out = sys.argv[1:]
minted_by, ttl, margin, n = float(minted_by), int(ttl), int(margin), int(n)

# The storefront stores expires_at = mint second + ttl (whole seconds) and renews once
# expires_at - margin < now, i.e. from second floor(mint) + ttl - margin + 1. The mint happened
# no later than minted_by, so that second (plus a little) is certainly past the renewal point.
renew_from = math.floor(minted_by) + ttl - margin + 1 + 0.2
time.sleep(max(0.0, renew_from - time.time()))
waited = time.time() - minted_by

def emulator(method, path):
    with urllib.request.urlopen(urllib.request.Request(emu + path, method=method)) as r:
        return json.load(r)

emulator("DELETE", "/_emulator/counters")

host = urllib.parse.urlsplit(store)
barrier = threading.Barrier(n)
results = [None] * n

def visit(i):
    # Connect first, then wait for all: the n requests leave together, not as connections open.
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    try:
        conn.connect()
        barrier.wait()
        conn.request("GET", "/cart", headers={"cookie": cookie})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        renewed = any(h.lower() == "set-cookie" and v.startswith("wix_session=") for h, v in resp.getheaders())
        results[i] = {"status": resp.status, "set_cookie": renewed, "cart_line": f"/product/{slug}" in body}
    except Exception as e:  # a failed request is a result, not a crash of the measurement
        results[i] = {"status": type(e).__name__, "set_cookie": False, "cart_line": False}
    finally:
        conn.close()

threads = [threading.Thread(target=visit, args=(i,)) for i in range(n)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start

counters = emulator("GET", "/_emulator/counters")["counters"]
statuses = {}
for r in results:
    statuses[str(r["status"])] = statuses.get(str(r["status"]), 0) + 1
summary = json.dumps({
    "concurrent_requests": n,
    "path": "/cart",
    "access_token_ttl_secs": ttl,
    "renew_margin_secs": margin,
    "waited_after_mint_s": round(waited, 2),
    "token_calls": sum(v for k, v in counters.items() if k.endswith(" /oauth2/token")),
    "responses_200": statuses.get("200", 0),
    "status_counts": statuses,
    "responses_setting_a_renewed_cookie": sum(r["set_cookie"] for r in results),
    "responses_showing_the_cart_line": sum(r["cart_line"] for r in results),
    "elapsed_ms": round(elapsed * 1000),
    "upstream_calls": counters,
}, indent=1)
if out == "-":
    print(summary)
else:
    open(out, "w").write(summary + "\n")
PY
