#!/usr/bin/env bash
# Every test (`make test`), or one part of them: `scripts/test.sh lint|rust|suites|e2e`.
#   lint:   rustfmt, and clippy with warnings as errors (the storefront with `ssr` and with
#           `hydrate`, the client and the emulator)
#   rust:   unit and integration tests of all crates (the storefront with both features)
#   suites: the reliability, fuzz and scale-out suites at their reduced sizes, and the
#           deployment manifests against the Kubernetes schemas
#   e2e:    Playwright against a fresh storefront + emulator, hydrated and without JavaScript
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
part="${1:-all}"

scripts/setup.sh --test

# One build driver: cargo-leptos builds debug code with `--cfg erase_components`; the same flag
# on plain cargo runs lets them reuse its artifacts instead of rebuilding every dependency.
plain_cargo() { RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components" cargo "$@"; }

lint() {
  say "rustfmt"
  cargo fmt --all -- --check
  say "clippy: the storefront (ssr), the client and the emulator"
  plain_cargo clippy --workspace --all-targets --features ssr -- -D warnings
  say "clippy: the storefront (hydrate, for the browser)"
  plain_cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
}

rust() {
  say "building the storefront (server + wasm)"
  cargo leptos build
  say "storefront tests (ssr, then hydrate)"
  cargo leptos test
  say "wix-headless and wix-emulator tests"
  plain_cargo test -p wix-headless -p wix-emulator
}

suites() {
  say "building the storefront and the emulator for the suites"
  cargo leptos build
  plain_cargo build -p wix-emulator
  say "reliability suite, reduced (full size: tests/reliability/run.py --visitors 100 --ops 30)"
  python3 tests/reliability/run.py
  say "HTTP fuzzing, reduced (full size: tests/fuzz/run.py --cases 50000)"
  python3 tests/fuzz/run.py
  say "scale-out: replicas behind nginx, restarted one by one (full size: make scale-out)"
  python3 tests/scaleout/run.py
  say "deployment manifests against the Kubernetes schemas"
  scripts/check-deploy.sh
}

e2e() {
  say "building the storefront (server + wasm)"
  cargo leptos build
  say "end-to-end tests (Playwright, hydrated and without JavaScript)"
  (cd end2end && npx playwright test)
}

case "$part" in
  all) lint; rust; suites; e2e ;;
  lint) lint ;;
  rust) rust ;;
  suites) suites ;;
  e2e) e2e ;;
  *) echo "unknown part '$part' (lint, rust, suites, e2e)" >&2; exit 2 ;;
esac
