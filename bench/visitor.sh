#!/usr/bin/env bash
# A new visitor with one product in the cart: posts the product page's add_to_cart form (the
# server function, as a browser without JS would) and prints the `wix_session=…` cookie pair.
# Shared by run.sh and renewal.sh so both get a session the same way.
#
#   bench/visitor.sh http://127.0.0.1:3200 [product-slug]
set -euo pipefail
STORE_URL=${1:?usage: visitor.sh STORE_URL [PRODUCT_SLUG]}
SLUG=${2:-canyon-notebook}

page=$(curl -sf "$STORE_URL/product/$SLUG") || { echo "visitor.sh: cannot fetch $STORE_URL/product/$SLUG" >&2; exit 1; }
# sed -n 1p rather than head -1: it reads to the end, so no SIGPIPE to fail the pipeline.
add_path=$(grep -o 'action="/api/add_to_cart[^"]*"' <<<"$page" | sed -n 1p | cut -d'"' -f2 || true)
product_id=$(grep -o 'name="product_id" value="[^"]*"' <<<"$page" | sed -n 1p | cut -d'"' -f4 || true)
[ -n "$add_path" ] && [ -n "$product_id" ] || { echo "visitor.sh: no add-to-cart form on /product/$SLUG" >&2; exit 1; }
# No cookie sent, so the storefront mints a visitor (one token call) and sets the session cookie.
cookie=$(curl -s -D - -o /dev/null -X POST "$STORE_URL$add_path" -H "origin: $STORE_URL" \
  -H 'accept: application/json' -H 'content-type: application/x-www-form-urlencoded' \
  --data "product_id=$product_id&variant_id=&quantity=1&return_to=%2F" |
  grep -i '^set-cookie: wix_session=' | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r' || true)
[ -n "$cookie" ] || { echo "visitor.sh: add_to_cart set no wix_session cookie" >&2; exit 1; }
printf '%s\n' "$cookie"
