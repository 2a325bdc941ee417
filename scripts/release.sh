#!/usr/bin/env bash
# `make release`: the optimised server and site in one self-contained folder, dist/:
#   dist/wix-storefront   the server (ssr)
#   dist/hash.txt         the bundle's content hashes (the server finds them beside itself)
#   dist/site/            the wasm, JS, CSS (each also as .br and .gz) and public files
# It runs with only environment variables: LEPTOS_ENV=PROD, LEPTOS_SITE_ROOT=<dist>/site,
# LEPTOS_SITE_ADDR, WIX_CLIENT_ID, SESSION_SECRET, PUBLIC_URL (see README "Deploying").
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

scripts/setup.sh

# wasm-opt from npm's binaryen (Debian's is too old for what Rust emits; nothing is fetched
# from outside a package registry).
stamp=tools/release/node_modules/.package-lock.sha
lock_hash=$(sha256sum tools/release/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing wasm-opt (npm binaryen) for the release build"
  (cd tools/release && npm ci --no-audit --no-fund)
  echo "$lock_hash" > "$stamp"
fi
export PATH="$PWD/tools/release/node_modules/.bin:$PATH"

# brotli for the bundle's precompressed copies (Debian package).
if ! command -v brotli >/dev/null; then
  say "installing brotli (Debian package)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends brotli
fi

say "release build (server and wasm, wasm-opt -Oz)"
# Its own site folder, so the debug build's assets in target/site stay usable.
export LEPTOS_SITE_ROOT=target/site-release
cargo leptos build --release

say "assembling dist/"
rm -rf dist
mkdir -p dist
cp target/release/wix-storefront dist/
cp target/release/hash.txt dist/
cp -r target/site-release dist/site
# Each bundle file compressed once, at the highest levels, beside itself: the server sends these
# (ServeDir's precompressed files) instead of compressing at its fastest level on every request.
say "compressing the bundle (brotli -q 11, gzip -9)"
for file in dist/site/pkg/*.wasm dist/site/pkg/*.js dist/site/pkg/*.css; do
  brotli -q 11 -f -k "$file"
  gzip -9 -n -f -k "$file"
done
say "dist/ is ready: $(du -sh dist | cut -f1) (run it as README 'Deploying' says)"
