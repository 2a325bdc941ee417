#!/usr/bin/env bash
# Lighthouse (npm, pinned in bench/package.json) with the Debian Chromium on four pages:
# home, search, a category, a product page and the cart (the cart with the visitor's cookie so it has
# a line). Lighthouse's default mobile settings (a throttled phone); LIGHTHOUSE_PRESET=desktop for the
# desktop preset. Writes the four category scores ×100 and FCP/LCP/TBT/CLS per page to a JSON file.
# Offline: with CHROME_PATH set Lighthouse launches that browser and downloads nothing.
#
#   bench/lighthouse.sh http://127.0.0.1:3200 "wix_session=…" [out.json]   # default bench/results/lighthouse.json
#   (a relative out.json is taken from the repository root)
#   LIGHTHOUSE_RUNS=3 bench/lighthouse.sh …                                 # best of 3 per page (by performance)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE_URL=${1:?usage: lighthouse.sh STORE_URL COOKIE [OUT_JSON]}
COOKIE=${2:?usage: lighthouse.sh STORE_URL COOKIE [OUT_JSON]}
OUT_JSON=${3:-bench/results/lighthouse.json}
RUNS=${LIGHTHOUSE_RUNS:-1}
PRESET=${LIGHTHOUSE_PRESET:-mobile}
# Mobile is Lighthouse's default: it has no preset flag of its own.
preset_flag=()
[ "$PRESET" = mobile ] || preset_flag=(--preset="$PRESET")
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
LH=bench/node_modules/.bin/lighthouse
[ -x "$LH" ] || (cd bench && npm ci --no-audit --no-fund)
[ -x "$CHROME_PATH" ] || { echo "lighthouse.sh: no Chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }

# Fail early on a cookie that would measure an empty cart: a cart line links to its product.
# (Into a variable first: grep -q closing a pipe early would fail curl under pipefail.)
cart=$(curl -sf -H "cookie: $COOKIE" "$STORE_URL/cart") && grep -q 'href="/product/' <<<"$cart" ||
  { echo "lighthouse.sh: the cart is empty with this cookie" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# A file rather than an inline argument: the cookie is base64 and JSON-quoting it in the shell is fragile.
python3 -c 'import json,sys; print(json.dumps({"cookie": sys.argv[1]}))' "$COOKIE" >"$WORK/cookie-headers.json"

# name|path|send the cookie?  Only the cart gets the cookie; the others are a first visit.
PAGES=(
  "home|/|no"
  "search|/search|no"
  "category|/category/stationery|no"
  "product|/product/willow-hoodie|no"
  "cart|/cart|yes"
)
for page in "${PAGES[@]}"; do
  IFS='|' read -r name path with_cookie <<<"$page"
  headers=()
  [ "$with_cookie" = yes ] && headers=(--extra-headers="$WORK/cookie-headers.json")
  for run in $(seq "$RUNS"); do
    printf '\033[1;34m==>\033[0m lighthouse %s (%s), run %s/%s\n' "$name" "$path" "$run" "$RUNS" >&2
    # --no-sandbox: Chromium refuses to run as root with its sandbox; --disable-dev-shm-usage: small /dev/shm in containers.
    "$LH" "$STORE_URL$path" --quiet "${preset_flag[@]}" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" \
      "${headers[@]}" --output=json --output-path="$WORK/$name.$run.json"
  done
done

mkdir -p "$(dirname "$OUT_JSON")"
python3 - "$WORK" "$OUT_JSON" "$STORE_URL" "$PRESET" "$RUNS" "$CHROME_PATH" "${PAGES[@]}" <<'PY'
import glob, json, os, subprocess, sys
work, out, store, preset, runs, chrome, *pages = sys.argv[1:]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {"fcp_ms": "first-contentful-paint", "lcp_ms": "largest-contentful-paint",
           "tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift"}

def detail(audit):
    """A short why: the audit's explanation, else its first few items (message, URL or HTML),
    else its displayed value."""
    if audit.get("explanation"):
        return audit["explanation"]
    items = []
    for item in (audit.get("details") or {}).get("items", [])[:3]:
        source = next((s for s in (item.get("sourceLocation"), item.get("source"), item.get("node"))
                       if isinstance(s, dict)), {})
        text = " ".join(str(t) for t in (item.get("description"), source.get("url"), source.get("snippet"),
                                         item.get("url")) if t)
        if text:
            items.append(text)
    return "; ".join(items) or audit.get("displayValue")  # metrics: e.g. "120 ms"

def summary(lhr):
    cats = {c: round(lhr["categories"][c]["score"] * 100) if lhr["categories"][c]["score"] is not None else None
            for c in CATEGORIES}
    metrics = {k: lhr["audits"][a].get("numericValue") for k, a in METRICS.items()}
    # What costs points: every weighted audit below a full score, per category, so the report
    # can say why (e.g. is-on-https on a plain-http loopback store).
    failing = {}
    for c in CATEGORIES:
        for ref in lhr["categories"][c]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                failing.setdefault(c, []).append({"id": ref["id"], "title": audit["title"],
                                                   "score": audit["score"], "weight": ref["weight"],
                                                   "detail": detail(audit)})
    return {"categories": cats, "metrics": metrics, "failing_audits": failing,
            "final_url": lhr.get("finalDisplayedUrl"), "runtime_error": (lhr.get("runtimeError") or {}).get("message")}

result = {"lighthouse_version": None, "preset": preset, "runs_per_page": int(runs), "store_url": store,
          "chrome": subprocess.run([chrome, "--version"], capture_output=True, text=True).stdout.strip(),
          "pages": []}
for page in pages:
    name, path, with_cookie = page.split("|")
    candidates = []
    for f in sorted(glob.glob(os.path.join(work, f"{name}.*.json")), key=lambda f: int(f.split(".")[-2])):
        lhr = json.load(open(f))
        result["lighthouse_version"] = lhr.get("lighthouseVersion")
        candidates.append(summary(lhr))
    # Best of N by performance, the only category that varies between runs.
    best = max(candidates, key=lambda s: s["categories"]["performance"] or 0)
    result["pages"].append({"name": name, "path": path, "with_cookie": with_cookie == "yes", **best,
                            "performance_per_run": [s["categories"]["performance"] for s in candidates]})
json.dump(result, open(out, "w"), indent=1)
for p in result["pages"]:
    print(f"{p['name']:8} " + "  ".join(f"{c} {p['categories'][c]}" for c in CATEGORIES)
          + f"  FCP {p['metrics']['fcp_ms']:.0f} ms  LCP {p['metrics']['lcp_ms']:.0f} ms"
          + f"  TBT {p['metrics']['tbt_ms']:.0f} ms  CLS {p['metrics']['cls']:.3f}", file=sys.stderr)
PY
