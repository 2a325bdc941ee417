#!/usr/bin/env bash
# Every test: unit and integration tests of all crates (the storefront with both its `ssr` and
# `hydrate` features), the reliability and fuzz suites at their reduced sizes, then the
# Playwright suite against a fresh storefront + emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

scripts/setup.sh --test

say "building the storefront (server + wasm)"
cargo leptos build

say "storefront tests (ssr, then hydrate)"
cargo leptos test

say "wix-headless and wix-emulator tests"
# One build driver: cargo-leptos builds debug code with `--cfg erase_components`; the same flag
# here lets this plain cargo run reuse its artifacts instead of rebuilding every dependency.
RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components" cargo test -p wix-headless -p wix-emulator
RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components" cargo build -p wix-emulator

say "reliability suite, reduced (full size: tests/reliability/run.py --visitors 100 --ops 30)"
python3 tests/reliability/run.py

say "HTTP fuzzing, reduced (full size: tests/fuzz/run.py --cases 50000)"
python3 tests/fuzz/run.py

say "end-to-end tests (Playwright, hydrated and without JavaScript)"
(cd end2end && npx playwright test)
