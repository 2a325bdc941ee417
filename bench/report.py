#!/usr/bin/env python3
"""Turns bench/run.sh's raw measurements into bench/results/report.{md,json}."""
import base64, glob, gzip, json, os, re, subprocess, sys, platform

work, out, duration = sys.argv[1], sys.argv[2], sys.argv[3]

def ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

runs = []
for line in open(os.path.join(work, "runs.tsv")):
    name, c, raw = line.rstrip("\n").split("\t")
    text = base64.b64decode(raw).decode()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", text, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket = re.search(r"Socket errors: (.*)", text)
    runs.append({"target": name, "concurrency": int(c), "requests_per_sec": rps,
                 "p50_ms": ms(pct["50"]), "p99_ms": ms(pct["99"]),
                 "non_2xx": int(errors.group(1)) if errors else 0,
                 "socket_errors": socket.group(1) if socket else None})

ceiling = {r["concurrency"]: r["requests_per_sec"] for r in runs if r["target"].startswith("ceiling")}
for r in runs:
    r["ratio_to_ceiling"] = round(r["requests_per_sec"] / ceiling[r["concurrency"]], 3)

def calls(file):
    counters = json.load(open(os.path.join(work, file)))["counters"]
    return {k: v / 20 for k, v in counters.items()}

assets = {}
for path in glob.glob("target/site/pkg/*"):
    raw = open(path, "rb").read()
    br = subprocess.run(["brotli", "-c", "-q", "11", path], capture_output=True).stdout
    assets[os.path.basename(path)] = {"raw": len(raw), "gzip": len(gzip.compress(raw, 9)), "brotli": len(br)}
html = open(os.path.join(work, "search.html"), "rb").read()
assets["search page HTML"] = {"raw": len(html), "gzip": len(gzip.compress(html, 9)),
                              "brotli": len(subprocess.run(["brotli", "-c", "-q", "11"], input=html, capture_output=True).stdout)}

report = {
    "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    "duration_s": int(duration),
    "runs": runs,
    "upstream_calls_per_page_view": {"returning visitor (own token)": calls("counters-returning.json"),
                                     "visitor without a session (shared token + cache)": calls("counters-anonymous.json")},
    "first_visit_bytes": assets,
    "peak_rss_mb": {"storefront": int(open(os.path.join(work, "rss_kb")).read()) / 1024,
                    "emulator": int(open(os.path.join(work, "emu_rss_kb")).read()) / 1024},
}
os.makedirs(out, exist_ok=True)
json.dump(report, open(os.path.join(out, "report.json"), "w"), indent=1)

lines = [f"# Benchmark report\n", f"Machine: {report['machine']['cpus']} cores, {report['machine']['platform']}; wrk, {duration} s per measurement; storefront and emulator release builds on loopback.\n",
         "| target | c | req/s | p50 ms | p99 ms | × ceiling | non-2xx |", "|---|---|---|---|---|---|---|"]
for r in runs:
    lines.append(f"| {r['target']} | {r['concurrency']} | {r['requests_per_sec']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['ratio_to_ceiling']:.3f} | {r['non_2xx']} |")
search64 = next(r for r in runs if r["target"] == "search (24 results), no cart" and r["concurrency"] == 64)
emu64 = next(r for r in runs if r["target"].startswith("emulator") and r["concurrency"] == 64)
lines += ["", f"Emulator search rate ÷ storefront search page rate at 64 concurrent: **{emu64['requests_per_sec'] / search64['requests_per_sec']:.1f}×**.", ""]
lines += ["## Upstream calls per page view (20 views of /search)", ""]
for who, counters in report["upstream_calls_per_page_view"].items():
    total = sum(counters.values())
    detail = ", ".join(f"{k}: {v:g}" for k, v in sorted(counters.items())) or "none"
    lines.append(f"- {who}: {total:g} ({detail})")
lines += ["", "## First-visit bytes", "", "| file | raw | gzip | brotli |", "|---|---|---|---|"]
total_br = 0
for name, size in sorted(assets.items()):
    lines.append(f"| {name} | {size['raw']} | {size['gzip']} | {size['brotli']} |")
    if name.endswith((".js", ".wasm", ".css")):
        total_br += size["brotli"]
lines += ["", f"JS + wasm + CSS, brotli: **{total_br / 1024:.0f} KB**.", "",
          f"Peak RSS: storefront {report['peak_rss_mb']['storefront']:.0f} MB, emulator {report['peak_rss_mb']['emulator']:.0f} MB."]
open(os.path.join(out, "report.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
