#!/usr/bin/env bash
# Installs what the storefront needs to build (and, with `--test`, to run every test), skipping
# whatever is already at the right version. Safe to run again and again; says which step it is
# on and whether that step had anything to do.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.7
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

if [ "${1:-}" = "--test" ]; then steps=6; else steps=3; fi
n=0
# step "what": announces the next step.
step() { n=$((n + 1)); printf '\033[1;34m==>\033[0m setup %d/%d: %s' "$n" "$steps" "$1"; }
ready() { printf ' \033[32mready\033[0m\n'; }
installing() { printf ' \033[33minstalling%s\033[0m\n' "${1:+ ($1)}"; }
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_install() {
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
}

step "Rust's wasm32-unknown-unknown target"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then ready; else
  installing
  rustup target add wasm32-unknown-unknown
fi

step "cargo-leptos $CARGO_LEPTOS_VERSION"
if [ "$(cargo leptos --version 2>/dev/null)" = "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then ready; else
  installing "built from source, about 15 minutes on 2 cores"
  # no_downloads: never fetch tool binaries at build time; --locked: 0.3.7's own lock builds on this Rust.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then ready; else
  installing "about 3 minutes"
  # Unlocked on purpose: its own lock names a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "${1:-}" = "--test" ]; then
  step "python3 (the reliability, fuzz and scale-out suites)"
  if command -v python3 >/dev/null; then ready; else
    installing "Debian package"
    apt_install python3
  fi

  step "Chromium (the browser tests)"
  if [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ]; then ready; else
    installing "Debian package"
    apt_install chromium
  fi

  step "the end-to-end test packages (end2end/package-lock.json)"
  stamp=end2end/node_modules/.package-lock.sha
  lock_hash=$(sha256sum end2end/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$lock_hash" ]; then ready; else
    installing "npm ci"
    (cd end2end && npm ci --no-audit --no-fund)
    echo "$lock_hash" > "$stamp"
  fi
  # nginx for the scale-out suite is installed by that suite (tests/scaleout/run.py).
fi
