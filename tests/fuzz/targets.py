"""The fuzz cases. A case draws everything from its own seeded `rng` and sends its requests
through `send`, which checks each answer; a case may send several requests (a visitor flow
with its own cookie jar).
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
from typing import Callable
from urllib.parse import quote, urlencode

import values as v
from client import Jar, Request, Response
from discover import SERVER_FNS, Context

Send = Callable[[Request], Response]

PAGE_SORTS = ["relevance", "price-asc", "price-desc", "newest", "name"]
FN_SORTS = ["Relevance", "PriceAscending", "PriceDescending", "Newest", "Name"]
NOTICES = ["added", "partly-added", "not-added", "invalid-quantity", "store-unavailable", "updated",
           "removed", "line-gone", "cart-empty", "payments-off", "checkout-failed", "coupon-applied",
           "coupon-expired", "coupon-unknown"]
CART_ACTIONS = {"add_to_cart", "update_quantity", "remove_line", "apply_coupon", "remove_coupon"}
B64 = string.ascii_letters + string.digits + "+/"
FORM = b"application/x-www-form-urlencoded"
# A page, or a refusal of what the request asked for; never a 5xx or a redirect.
PAGE_OR_REFUSED = frozenset({200} | set(range(400, 500)))
# Browsers' `Origin` for another site; the CSRF layer must refuse these with 403.
FOREIGN_ORIGINS = ["http://evil.example", "https://127.0.0.1:{port}", "http://127.0.0.1:1",
                   "http://127.0.0.1:{port}.evil.example", "http://localhost.evil.example:{port}",
                   "http://127.0.0.2:{port}", "file://", "zzz", "http://[::2]:{port}"]
SPECIAL_FIELD_VALUES = {
    "quantity": ["1", "2", "3", "99", "100", "0", "-5", "1e30", "2147483648", "9223372036854775808",
                 "18446744073709551616", "4294967297", " 2 ", "1.0", "", "１"],
    "return_to": ["/", "/cart", "/search?q=a&cart=x", "//evil.example", "https://evil.example/",
                  "/\\evil.example", " //evil.example", "/%2F%2Fevil.example", "/a\r\nset-cookie: x=1",
                  "/é?x=ü", "/\x7f", "/" + "a" * 10_000, "", "javascript:alert(1)", "\\/evil.example"],
    "variant_id": ["", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                   "x" * 100, "x" * 101],
    "line_id": ["", "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-999999999999",
                "x" * 1000, "../", "*"],
}


# ----------------------------------------------------------------------------------- helpers

def target_bytes(path: str | bytes, query: bytes | None = None) -> bytes:
    path = path.encode() if isinstance(path, str) else path
    return path if query is None else path + b"?" + query


def page_headers(rng: random.Random) -> list[tuple[str, bytes]]:
    """A few of the headers browsers and proxies send, with odd values now and then."""
    pool = [
        ("accept", rng.choice([b"text/html", b"*/*", b"application/json", b"garbage", b""])),
        ("accept-encoding", rng.choice([b"gzip", b"br", b"deflate, gzip;q=0", b"zstd", b"*;q=0", b"x"])),
        ("accept-language", rng.choice([b"en", b"fr-CH, fr;q=0.9", b"*", b"\xff\xfe"])),
        ("user-agent", rng.choice([b"Mozilla/5.0", b"", b"x" * 8000])),
        ("if-none-match", rng.choice([b'"abc"', b"*", b"W/\"x\""])),
        ("range", rng.choice([b"bytes=0-10", b"bytes=-1", b"bytes=99999999-", b"bytes=x"])),
        ("x-forwarded-host", b"evil.example"),
        ("referer", rng.choice([b"http://evil.example/", b"\xff", b"/relative"])),
    ]
    return rng.sample(pool, rng.randint(0, 3)) if rng.random() < 0.4 else []


def cart_body(rng: random.Random, ctx: Context) -> bytes:
    product = purchasable(rng, ctx)
    return (f"product_id={product.id}&variant_id={product.variant_id}"
            f"&quantity={rng.randint(1, 3)}&return_to=%2F").encode()


def purchasable(rng: random.Random, ctx: Context):
    choices = [p for p in ctx.products if p.variant_id or not p.options] or ctx.products
    return rng.choice(choices)


def form(fields: list[tuple[str, str]]) -> bytes:
    """A form body as a browser encodes it (serde_qs brackets left as they are)."""
    return urlencode(fields, safe="[]").encode()


def fn_request(ctx: Context, fn: str, body: bytes, accept: bytes = b"application/json",
               jar: Jar | None = None, **flags) -> Request:
    headers = [("origin", ctx.public_url.encode()), ("content-type", FORM), ("accept", accept)]
    return Request("POST", ctx.fns[fn].encode(), headers + (jar.headers() if jar else []), body, **flags)


# ------------------------------------------------------------------------ 1. session cookies

def session_value(rng: random.Random, ctx: Context) -> tuple[bytes, str, bool]:
    """A `wix_session` value, what was done to it, and whether it is certainly invalid."""
    real = rng.choice(ctx.sessions)
    kind = rng.choice(["real", "bit-flip", "byte-flip", "truncate", "extend", "splice", "random-b64",
                       "random-bytes", "long", "percent", "quoted", "spaces", "swapcase", "reverse",
                       "b64url", "empty"])
    if kind == "real":
        return real.encode(), "the real session cookie", False
    if kind == "bit-flip":  # one base64 character changed (not the last four: padding bits)
        at = rng.randrange(len(real) - 4)
        char = rng.choice([c for c in B64 if c != real[at]])
        return (real[:at] + char + real[at + 1:]).encode(), f"real cookie, char {at} → {char!r}", True
    if kind == "byte-flip":  # one bit of the decoded nonce, ciphertext or tag flipped
        raw = bytearray(base64.b64decode(real))
        at = rng.randrange(len(raw))
        raw[at] ^= 1 << rng.randrange(8)
        return base64.b64encode(bytes(raw)), f"real cookie, bit flipped in byte {at}", True
    if kind == "truncate":
        cut = rng.randrange(len(real))
        return real[:cut].encode(), f"real cookie truncated to {cut} chars", True
    if kind == "extend":
        extra = rng.choice(["A", "AAAA", "=", "==", "====", "".join(rng.choices(B64, k=rng.randint(1, 64)))])
        return (real + extra).encode(), f"real cookie + {extra[:12]!r}", True
    if kind == "splice":  # two real sessions' halves
        other = ctx.sessions[1] if real == ctx.sessions[0] else ctx.sessions[0]
        cut = rng.randrange(8, min(len(real), len(other)) - 8)
        return (real[:cut] + other[cut:]).encode(), f"two real cookies spliced at {cut}", True
    if kind == "random-b64":
        size = rng.choice([0, 4, 16, 28, 100, len(real)])
        return base64.b64encode(rng.randbytes(size)), f"random base64 of {size} bytes", True
    if kind == "random-bytes":  # any bytes but the ones that end the header line
        data = bytes(b for b in rng.randbytes(rng.randint(1, 200)) if b not in b"\r\n\0")
        return data, "random bytes", False
    if kind == "long":
        size = rng.choice([4096, 4097, 8192, 16_384, 60_000])
        return "".join(rng.choices(B64, k=size)).encode(), f"{size} base64 characters", True
    if kind == "percent":
        return real.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D").encode(), "real, percent-encoded", False
    if kind == "quoted":
        return f'"{real}"'.encode(), "real, in double quotes", False
    if kind == "spaces":
        return f" {real} ".encode(), "real, with spaces around", False
    if kind == "swapcase":
        return real.swapcase().encode(), "real, case swapped", True
    if kind == "reverse":
        return real[::-1].encode(), "real, reversed", True
    if kind == "b64url":
        return real.replace("+", "-").replace("/", "_").encode(), "real, as base64url", False
    return b"", "empty value", True


def other_cookies(rng: random.Random, count: int) -> list[bytes]:
    names = ["_ga", "theme", "wix_session_old", "wix", "session", "a", "x" * 200]
    return [f"{rng.choice(names)}{i}={''.join(rng.choices(B64, k=rng.randint(0, 40)))}".encode()
            for i in range(count)]


def cookie_headers(rng: random.Random, ctx: Context, value: bytes) -> tuple[list[tuple[str, bytes]], str, bool]:
    """Cookie header lines carrying `value`, how they are built, and whether the server must see
    exactly this one `wix_session` (so a tampered value must end the session)."""
    ours = b"wix_session=" + value
    shape = rng.choice(["single", "others", "many", "duplicate", "lines", "separators", "names", "binary"])
    if shape == "single":
        return [("cookie", ours)], "one cookie", True
    if shape in ("others", "many"):
        parts = other_cookies(rng, rng.randint(1, 5) if shape == "others" else rng.randint(50, 400))
        parts.insert(rng.randint(0, len(parts)), ours)
        return [("cookie", b"; ".join(parts))], f"{len(parts) - 1} other cookies", True
    if shape == "duplicate":
        pair = [ours, b"wix_session=" + rng.choice(ctx.sessions).encode()]
        rng.shuffle(pair)
        return [("cookie", b"; ".join(pair))], "wix_session twice (tampered and real)", False
    if shape == "lines":
        lines = [("cookie", c) for c in other_cookies(rng, rng.randint(1, 8))]
        lines.insert(rng.randint(0, len(lines)), ("cookie", ours))
        return lines, f"{len(lines)} cookie header lines", False
    if shape == "separators":
        sep = rng.choice([b";", b";;", b" ; ", b",", b", ", b"\t;", b"; ;", b"&"])
        parts = other_cookies(rng, 2) + [ours]
        rng.shuffle(parts)
        lead, trail = rng.choice([b"", b";", b" "]), rng.choice([b"", b";", b"; ", b","])
        return [("cookie", lead + sep.join(parts) + trail)], f"separator {sep!r}", False
    if shape == "names":
        name = rng.choice([b"WIX_SESSION", b"wix_session ", b" wix_session", b"wix_session=", b"wix%5Fsession"])
        return [("cookie", name + b"=" + value)], f"cookie named {name!r}", False
    return [("cookie", b"\xff\xfe=\x80; " + ours)], "non-UTF-8 bytes before it", False


def cookie_destination(rng: random.Random, ctx: Context) -> Request:
    """A page, or a server function with a valid body, that reads the session."""
    pages = ["/", "/search", "/cart", "/thank-you", f"/product/{rng.choice(ctx.slugs)}",
             f"/category/{rng.choice(ctx.categories)}", "/search?q=" + rng.choice(ctx.words)]
    if rng.random() < 0.6:
        return Request("GET", rng.choice(pages).encode(), expect=frozenset({200}), page=True)
    fn = rng.choice([f for f in ("get_cart_summary", "get_cart", "add_to_cart", "update_quantity",
                                 "search_products") if f in ctx.fns])
    body = {
        "add_to_cart": lambda: cart_body(rng, ctx),
        "update_quantity": lambda: f"line_id={rng.choice(ctx.line_ids or ['x'])}&quantity=2&return_to=%2Fcart".encode(),
        "search_products": lambda: b"query[q]=&query[sort]=Relevance&query[in_stock]=false",
    }.get(fn, lambda: b"")()
    return fn_request(ctx, fn, body, expect=frozenset({200}))


def disguised_session(rng: random.Random, real: bytes) -> tuple[bytes, str]:
    """A `cookie` header carrying the real session `real` as the cookie layer still reads it (it
    percent-decodes names and reads UTF-8 headers) but a stricter reader would not; and how."""
    other = rng.choice(["lang=café", "city=Zürich", "name=日本", "basket=🛒"]).encode()
    shape = rng.choice(["encoded name", "encoded name, lower-case hex", "name all encoded",
                        "UTF-8 cookie before it", "UTF-8 cookie after it", "UTF-8 cookie and encoded name"])
    return {
        "encoded name": b"wix%5Fsession=" + real,
        "encoded name, lower-case hex": b"wix%5fsession=" + real,
        "name all encoded": b"%77%69%78%5F%73%65%73%73%69%6F%6E=" + real,
        "UTF-8 cookie before it": other + b"; wix_session=" + real,
        "UTF-8 cookie after it": b"wix_session=" + real + b"; " + other,
        "UTF-8 cookie and encoded name": other + b"; wix%5Fsession=" + real,
    }[shape], shape


def catalog_page(rng: random.Random, ctx: Context) -> str:
    """A page the shared page cache may keep for visitors without a session; often one it does
    not hold yet (a query or variant not asked for lately)."""
    product = rng.choice(ctx.products)
    variant = "&".join(f"{name}={rng.choice(choices)}" for name, choices in product.options.items())
    with_variant = f"/product/{product.slug}" + (f"?{quote(variant, safe='=&')}" if variant else "")
    return rng.choice(["/", "/search", f"/search?q={rng.choice(ctx.words)}",
                       f"/search?q={rng.choice(ctx.words)}&sort={rng.choice(PAGE_SORTS)}",
                       f"/product/{product.slug}", with_variant, f"/category/{rng.choice(ctx.categories)}"])


def disguised_session_visit(rng: random.Random, ctx: Context, send: Send) -> None:
    """A catalog page for a real session in a disguised cookie header, then the same page without
    a cookie. The first is the visitor's own page: the shared page cache must neither answer it
    nor keep it. The second must then show no cart."""
    cookie, how = disguised_session(rng, rng.choice(ctx.sessions).encode())
    path = catalog_page(rng, ctx).encode()
    send(Request("GET", path, [("cookie", cookie)], expect=frozenset({200}), page=True,
                 session_page=True, note=f"session cookie: {how}"))
    send(Request("GET", path, expect=frozenset({200}), page=True, anonymous_page=True,
                 note="the same page without a cookie, after a session's visit"))


def case_cookie(rng: random.Random, ctx: Context, send: Send) -> None:
    if rng.random() < 0.2:
        disguised_session_visit(rng, ctx, send)
        return
    value, how, invalid = session_value(rng, ctx)
    headers, shape, exact = cookie_headers(rng, ctx, value)
    request = cookie_destination(rng, ctx)
    send(request.with_(headers=request.headers + headers, fresh_session=invalid and exact,
                       note=f"session cookie: {how}; {shape}"))


# ---------------------------------------------------------------------------- 2. query strings

def cursor(rng: random.Random, ctx: Context) -> str:
    """A paging cursor: garbage, or a real one re-encoded with hostile contents."""
    if ctx.cursors and rng.random() < 0.6:
        text = base64.urlsafe_b64decode(ctx.cursors[0] + "==").decode("utf-8", "replace")
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        key = rng.choice(list(data) or ["offset"])
        data[key] = rng.choice([-1, 0, 2**31, 2**63, 2**64, -(2**63) - 1, 1e308, "24", None, [], {},
                                "x" * 5000, {"$where": "1"}, 10**100])
        encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        return rng.choice([encoded, encoded.rstrip("="), encoded + "!!", encoded[: len(encoded) // 2]])
    return v.value(rng, ctx.cursors)


def search_pairs(rng: random.Random, ctx: Context) -> list[tuple[str, str]]:
    valid = {"q": ctx.words, "sort": PAGE_SORTS, "category": ctx.categories, "min": ["0", "10", "50"],
             "max": ["20", "100", "100000"], "in_stock": ["1", "true", "on", "0"], "cursor": ctx.cursors}
    pairs = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.8:
            key = rng.choice(list(valid))
            pairs.append((key, cursor(rng, ctx) if key == "cursor" else v.value(rng, valid[key])))
        else:
            pairs.append((v.name(rng, ctx.option_names), v.value(rng)))
    roll = rng.random()
    if pairs and roll < 0.15:  # the same short parameter many times
        key, val = rng.choice(pairs)
        pairs += [(key, val[:1000])] * rng.randint(2, 200)
    elif roll < 0.22:  # many distinct option filters
        names = ctx.option_names + [v.unicode_text(rng, 8) for _ in range(rng.randint(1, 300))]
        pairs += [(n, v.value(rng, ["Black", "M", "Rust"])) for n in names]
    return pairs


def variant_pairs(rng: random.Random, ctx: Context, product) -> list[tuple[str, str]]:
    pairs = []
    for option, choices in product.options.items():
        if rng.random() < 0.7:
            pairs.append((option, rng.choice(choices) if rng.random() < 0.6 else v.value(rng, choices)))
    for _ in range(rng.randint(0, 3)):
        key = rng.choice(["cart", v.name(rng, ctx.option_names)])
        pairs.append((key, v.value(rng, NOTICES if key == "cart" else [])))
    rng.shuffle(pairs)
    return pairs


def segment(rng: random.Random) -> bytes:
    """One path segment: hostile, encoded or raw."""
    return v.encode(rng, v.value(rng)).replace(b"%2F", rng.choice([b"%2F", b"/"]))


def query_search(rng: random.Random, ctx: Context) -> Request:
    target = target_bytes("/search", v.query(rng, search_pairs(rng, ctx)))
    return Request("GET", target, expect=frozenset({200}), page=True, note="search")


def query_category(rng: random.Random, ctx: Context) -> Request:
    known = rng.random() < 0.7
    slug = rng.choice(ctx.categories).encode() if known else segment(rng)
    target = target_bytes(b"/category/" + slug, v.query(rng, search_pairs(rng, ctx)))
    return Request("GET", target, expect=frozenset({200} if known else {200, 404}), page=True,
                   note="known category" if known else "random category")


def query_product(rng: random.Random, ctx: Context) -> Request:
    product = rng.choice(ctx.products)
    known = rng.random() < 0.8
    slug = product.slug.encode() if known else segment(rng)
    target = target_bytes(b"/product/" + slug, v.query(rng, variant_pairs(rng, ctx, product)))
    return Request("GET", target, expect=frozenset({200} if known else {200, 404}), page=True,
                   note="known product" if known else "random product")


def query_path(rng: random.Random, ctx: Context) -> Request:
    pieces = [b"", b"api", b"pkg", b"product", b"category", b"search", b"cart", b"thank-you", b"..",
              b".", b"%2e%2e", b"%2F", b"robots.txt", b"sitemap.xml", b"sitemap-pages.xml",
              b"sitemap-products.xml", b"favicon.ico", b"wix-storefront.css", b"_bench", b"static"]
    parts = [rng.choice(pieces) if rng.random() < 0.6 else segment(rng) for _ in range(rng.randint(1, 5))]
    target = b"/" + b"/".join(parts)
    if rng.random() < 0.3:
        target += b"?" + v.query(rng, search_pairs(rng, ctx))
    return Request("GET", target, note="random path")


def query_method(rng: random.Random, ctx: Context) -> Request:
    method = rng.choice(["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "FOO"])
    path = rng.choice(["/", "/search?q=mug", "/cart", f"/product/{rng.choice(ctx.slugs)}", "/robots.txt"])
    origin = [("origin", ctx.public_url.encode())] if rng.random() < 0.5 else []
    return Request(method, path.encode(), origin, v.to_bytes(v.value(rng)) if method != "HEAD" else b"",
                   note=f"{method} on a page")


def query_cursor(rng: random.Random, ctx: Context) -> Request:
    """A listing at a cursor the emulator never made (an offset of 2^64 - 1, a negative or float
    one, another kind, garbage): the store shows the first page (200) or refuses it (4xx)."""
    value, what = v.crafted_cursor(rng, ctx.cursors)
    query = f"cursor={value}"
    if rng.random() < 0.3:
        query = f"q={rng.choice(ctx.words)}&{query}"
    path = "/search" if rng.random() < 0.8 else f"/category/{rng.choice(ctx.categories)}"
    return Request("GET", target_bytes(path, query.encode()), expect=PAGE_OR_REFUSED, page=True,
                   note=f"crafted cursor: {what}")


def query_account(rng: random.Random, ctx: Context) -> Request:
    """The sign-in routes and account pages with hostile input: a sign-in's `return_to` (the
    answer goes to Wix's login page, or 429), a callback with any query and no sign-in in
    progress (always the problem page, on this site), an order id, a problem code."""
    kind = rng.choice(["sign-in", "callback", "order", "problem"])
    if kind == "sign-in":
        query = v.query(rng, [("return_to", field_value(rng, ctx, "return_to"))])
        return Request("GET", target_bytes("/auth/sign-in", query), expect=frozenset({303, 429}),
                       note="sign-in with a hostile return_to")
    if kind == "callback":
        pairs = [(rng.choice(["code", "state", "error", "error_description", "x"]), str(v.value(rng)))
                 for _ in range(rng.randint(0, 4))]
        return Request("GET", target_bytes("/auth/callback", v.query(rng, pairs)),
                       expect=frozenset({303, 429}), local_redirect=True,
                       note="a callback no sign-in started")
    if kind == "order":
        return Request("GET", b"/account/orders/" + segment(rng), expect=frozenset({400, 404}), page=True,
                       note="an order page while signed out")
    query = v.query(rng, [("problem", str(v.value(rng)))])
    return Request("GET", target_bytes("/account/sign-in", query),
                   expect=frozenset({200, 400, 403, 503}), page=True, note="a sign-in problem page")


def case_query(rng: random.Random, ctx: Context, send: Send) -> None:
    build = rng.choices([query_search, query_category, query_product, query_path, query_method, query_cursor,
                         query_account],
                        weights=[35, 20, 25, 15, 5, 12, 8])[0]
    request = build(rng, ctx)
    send(request.with_(headers=request.headers + page_headers(rng)))


# ----------------------------------------------------------------------- 3. server functions

def valid_fields(rng: random.Random, ctx: Context, fn: str) -> list[tuple[str, str]]:
    product = purchasable(rng, ctx)
    line = rng.choice(ctx.line_ids or ["00000000-0000-0000-0000-000000000001"])
    return {
        "add_to_cart": [("product_id", product.id), ("variant_id", product.variant_id),
                        ("quantity", str(rng.randint(1, 3))), ("return_to", f"/product/{product.slug}")],
        "update_quantity": [("line_id", line), ("quantity", str(rng.randint(1, 4))), ("return_to", "/cart")],
        "remove_line": [("line_id", "00000000-0000-0000-0000-999999999999"), ("return_to", "/cart")],
        "apply_coupon": [("code", rng.choice(["SAVE10", "NOPE", "SUMMER2025", "BIGSPENDER", " save10 "])),
                         ("return_to", "/cart")],
        "remove_coupon": [("return_to", "/cart")],
        "get_product": [("slug", rng.choice(ctx.slugs))],
        "search_products": [("query[q]", rng.choice(ctx.words)), ("query[sort]", rng.choice(FN_SORTS)),
                            ("query[in_stock]", rng.choice(["true", "false"]))] + option_fields(rng, ctx),
    }.get(fn, [])


def option_fields(rng: random.Random, ctx: Context) -> list[tuple[str, str]]:
    """Option filters of a `SearchQuery` (`query[options][Color]=Black`), where the build has them."""
    product = rng.choice([p for p in ctx.products if p.options] or ctx.products)
    return [(f"query[options][{name}]", rng.choice(choices)) for name, choices in product.options.items()
            if rng.random() < 0.3]


def field_value(rng: random.Random, ctx: Context, key: str) -> str:
    """A hostile value for a known field, or anything at all."""
    if key in SPECIAL_FIELD_VALUES and rng.random() < 0.5:
        return rng.choice(SPECIAL_FIELD_VALUES[key])
    related = {"product_id": [p.id for p in ctx.products] + ["", "x" * 100, "x" * 101],
               "slug": ctx.slugs + ["", "x" * 200, "x" * 201], "query[sort]": FN_SORTS,
               "query[category]": ctx.categories, "query[cursor]": ctx.cursors}.get(key, [])
    return v.value(rng, related)


def mutate_fields(rng: random.Random, ctx: Context, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    fields = list(fields)
    search_keys = [f"query[{k}]" for k in ("q", "sort", "category", "min", "max", "in_stock", "cursor",
                                           "options][Color", "options][", "options")]
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["drop", "extra", "value", "value", "duplicate", "nest"])
        if op == "drop" and fields:
            fields.pop(rng.randrange(len(fields)))
        elif op == "extra":
            fields.append((rng.choice(search_keys + [v.name(rng)]), field_value(rng, ctx, "")))
        elif op == "value" and fields:
            at = rng.randrange(len(fields))
            fields[at] = (fields[at][0], field_value(rng, ctx, fields[at][0]))
        elif op == "duplicate" and fields:
            fields.append((rng.choice(fields)[0], field_value(rng, ctx, "")))
        elif op == "nest":  # serde_qs brackets in odd places
            key = rng.choice([k for k, _ in fields] or ["query"])
            fields.append((rng.choice([f"{key}[]", f"{key}[x]", f"{key}[0]", f"{key}[[", f"{key}]",
                                       key + "[a]" * rng.choice([2, 6, 40]), "query", "query[]"]), "1"))
    if rng.random() < 0.3:
        rng.shuffle(fields)
    return fields


def json_body(rng: random.Random, ctx: Context, fn: str) -> bytes:
    fields = SERVER_FNS[fn] or ["x"]
    data = {k: rng.choice([1, -5, 1e30, 2**63, None, True, [], {}, "", field_value(rng, ctx, k)]) for k in fields}
    return json.dumps(data).encode()


def fn_body(rng: random.Random, ctx: Context, fn: str) -> tuple[bytes, str]:
    roll = rng.random()
    fields = valid_fields(rng, ctx, fn)
    if roll < 0.15:
        return v.query(rng, fields), "valid fields"
    if roll < 0.70:
        return v.query(rng, mutate_fields(rng, ctx, fields)), "mutated fields"
    if roll < 0.78:
        return json_body(rng, ctx, fn), "JSON"
    if roll < 0.84:
        return rng.randbytes(rng.choice([1, 16, 300, 5000])), "random bytes"
    if roll < 0.88:
        return b"", "empty"
    if roll < 0.91:  # 1 MB bodies (one huge field, many fields, noise), and one over axum's 2 MB limit
        shape = rng.choice(["field", "fields", "noise", "3 MB"])
        body = {"field": lambda: v.query(rng, fields) + b"&x=" + b"9" * 1_048_576,
                "fields": lambda: b"&".join(b"f%d=%d" % (i, i) for i in range(110_000)),
                "noise": lambda: rng.randbytes(1_048_576),
                "3 MB": lambda: v.query(rng, fields) + b"&x=" + b"9" * 3_145_728}[shape]()
        return body, f"large body ({shape})"
    return v.inject(rng, b"&".join(f"{k}={val}".encode() for k, val in fields)), "broken escapes"


def fn_headers(rng: random.Random, ctx: Context) -> tuple[list[tuple[str, bytes]], bool, str]:
    """Headers for a server-function call, whether its origin is foreign, and a note."""
    port = ctx.public_url.rsplit(":", 1)[1]
    roll = rng.random()
    foreign = False
    if roll < 0.65:
        origin = [("origin", ctx.public_url.encode())]
    elif roll < 0.72:
        origin = []
    elif roll < 0.77:
        origin = [("origin", f"http://localhost:{port}".encode())]
    elif roll < 0.81:
        origin = [("referer", f"{ctx.public_url}/product/x".encode())]
    elif roll < 0.83:  # `null`: a sandboxed frame or a `data:` page, so another site
        origin = [("origin", rng.choice([b"null", b"\xff\xfe", b""]))]
        foreign = origin[0][1] == b"null"
    elif roll < 0.85:  # our origin with a foreign referer passes the CSRF layer
        origin = [("origin", ctx.public_url.encode()), ("referer", b"https://evil.example/page")]
    else:
        foreign = True
        bad = rng.choice(FOREIGN_ORIGINS).format(port=port).encode()
        origin = [rng.choice([("origin", bad), ("referer", bad + b"/cart")])]
    content_type = rng.choices([FORM, b"application/json", b"text/plain", b"multipart/form-data; boundary=x",
                                b"garbage/\xff", FORM + b"; charset=utf-16", None], weights=[60, 10, 5, 5, 5, 5, 10])[0]
    accept = rng.choices([b"application/json", b"text/html", b"*/*", b"text/html, application/json", b"\xff", None],
                         weights=[45, 25, 8, 8, 4, 10])[0]
    headers = origin + [(k, val) for k, val in (("content-type", content_type), ("accept", accept)) if val is not None]
    cookie = rng.random()
    if cookie < 0.3:
        headers.append(("cookie", b"wix_session=" + rng.choice(ctx.sessions).encode()))
    elif cookie < 0.4:
        headers.append(("cookie", b"wix_session=" + session_value(rng, ctx)[0]))
    note = f"origin {origin[0][1][:40]!r}" if origin else "no origin"
    return headers, foreign, note


def fn_path(rng: random.Random, ctx: Context, fn: str) -> tuple[bytes, bool]:
    """The function's path, or now and then a near miss; and whether it is the real one."""
    path = ctx.fns[fn]
    if rng.random() < 0.95:
        return path.encode(), True
    near = rng.choice([path + "?x=1", path + "/", path.upper(), path[:-1], path + "%00", "/api/" + fn])
    return near.encode(), near.startswith(path + "?")


def fuzzed_call(rng: random.Random, ctx: Context) -> Request:
    fn = rng.choice(sorted(ctx.fns))
    body, how = fn_body(rng, ctx, fn)
    headers, foreign, origin = fn_headers(rng, ctx)
    path, routed = fn_path(rng, ctx, fn)
    # Only routed requests meet the CSRF layer; a near-miss path is a 404 whoever sends it.
    return Request("POST", path, headers, body, expect=frozenset({403}) if foreign and routed else None,
                   local_redirect=fn in CART_ACTIONS, note=f"{fn}: {how}; {origin}")


def browser_marked_call(rng: random.Random, ctx: Context) -> Request:
    """A call with the headers a browser adds to say where it comes from. `Origin: null` (a
    sandboxed frame, a `data:` page) and a `Sec-Fetch-Site` other than `same-origin` or `none`
    are another site: 403, whatever else the request says. `Sec-Fetch-Site: same-origin` alone,
    without Origin or Referer, is the store's own page: not refused."""
    fn = rng.choice(sorted(ctx.fns))
    ours = ctx.public_url.encode()
    kind = rng.choice(["null origin", "cross-site fetch", "same-origin fetch"])
    if kind == "null origin":
        marks = [("origin", b"null")] + rng.choice([[], [("sec-fetch-site", b"same-origin")],
                                                   [("referer", ours + b"/cart")]])
    elif kind == "cross-site fetch":
        site = rng.choice([b"cross-site", b"Cross-Site", b" cross-site ", b"same-site"])
        marks = [("sec-fetch-site", site)] + rng.choice([[], [("origin", ours)], [("referer", ours + b"/")]])
    else:
        marks = [("sec-fetch-site", rng.choice([b"same-origin", b"none"]))]
    rng.shuffle(marks)
    accept = rng.choice([b"application/json", b"text/html"])
    headers = marks + [("content-type", FORM), ("accept", accept)]
    if rng.random() < 0.5:
        headers.append(("cookie", b"wix_session=" + rng.choice(ctx.sessions).encode()))
    body = form(valid_fields(rng, ctx, fn))
    refused = kind != "same-origin fetch"
    return Request("POST", ctx.fns[fn].encode(), headers, body, expect=frozenset({403}) if refused else None,
                   same_origin=not refused, local_redirect=fn in CART_ACTIONS,
                   note=f"{fn}: {kind} ({', '.join(f'{k}: {v.decode()}' for k, v in marks)})")


def oversized_call(rng: random.Random, ctx: Context) -> Request:
    """Arguments of 70 KB to 2 MB from our own page: the body limit (64 KB) refuses them before
    they are read, 413, or the framework gives 400; never 5xx. "stated" sends a `content-length`
    of that size and only its first kilobyte: an answer must come without waiting for the rest.
    A chunked body has no length to refuse up front: reading stops at the limit, and a plain form
    post gets the store's usual error redirect back to the page instead of the 400."""
    fn = rng.choice(sorted(ctx.fns))
    size = int(70_000 * (2_097_152 / 70_000) ** rng.random())  # as many below 300 KB as above
    shape = rng.choice(["one field", "many fields", "noise", "JSON", "chunked", "stated"])
    content_type = FORM
    accept = rng.choice([b"application/json", b"text/html"])
    fields = form(valid_fields(rng, ctx, fn))
    if shape == "many fields":  # each at least 5 bytes: cut to size
        body = b"&".join(b"f%d=%d" % (i, i) for i in range(size // 5))[:size]
    elif shape == "noise":
        body = rng.randbytes(size)
    elif shape == "JSON":
        content_type = b"application/json"
        body = json.dumps({"query": {"q": "x" * size}}).encode()
    else:
        body = fields + b"&x=" + b"9" * (size - len(fields))
    request = Request("POST", ctx.fns[fn].encode(), [("origin", ctx.public_url.encode()),
                      ("content-type", content_type), ("accept", accept)], body,
                      expect=frozenset({413, 400}), note=f"{fn}: {size} bytes of arguments ({shape})")
    if rng.random() < 0.3:
        request.headers.append(("cookie", b"wix_session=" + rng.choice(ctx.sessions).encode()))
    if shape == "stated":
        return request.with_(body=body[:1024], stated_length=size)
    if shape == "chunked":
        form_post = accept == b"text/html"
        return request.with_(chunk_size=rng.choice([100, 4096, 16_384, 65_536, 300_000]),
                             expect=frozenset({413, 400, 302, 303} if form_post else {413, 400}),
                             local_redirect=True)
    return request


def case_serverfn(rng: random.Random, ctx: Context, send: Send) -> None:
    build = rng.choices([fuzzed_call, browser_marked_call, oversized_call], weights=[80, 13, 7])[0]
    send(build(rng, ctx))


# ---------------------------------------------------------------------- valid visitor flows

def case_valid(rng: random.Random, ctx: Context, send: Send) -> None:
    """A shopper's visit with its own cookie jar, with and without JavaScript, so the fuzzed
    requests meet a store whose carts really change."""
    jar = Jar()
    with_js = rng.random() < 0.6
    accept = b"application/json" if with_js else b"text/html"
    added = send(fn_request(ctx, "add_to_cart", cart_body(rng, ctx), accept, jar,
                            expect=frozenset({200} if with_js else {302, 303}),
                            local_redirect=True, note="flow: add to cart"))
    jar.update(added)
    if not with_js and (location := added.header("location")):
        jar.update(send(Request("GET", location.encode("latin-1"), jar.headers(), expect=frozenset({200}), page=True,
                                note="flow: back from the form post")))
    cart = send(Request("GET", b"/cart", jar.headers(), expect=frozenset({200}), page=True, note="flow: cart page"))
    jar.update(cart)
    lines = re.findall(r'name="line_id" value="([^"]*)"', cart.body.decode("utf-8", "replace"))
    if lines and "update_quantity" in ctx.fns:
        body = f"line_id={rng.choice(lines)}&quantity={rng.randint(1, 5)}&return_to=%2Fcart".encode()
        jar.update(send(fn_request(ctx, "update_quantity", body, accept, jar, local_redirect=True,
                                   expect=frozenset({200} if with_js else {302, 303}), note="flow: update")))
    if lines and "remove_line" in ctx.fns and rng.random() < 0.3:
        body = f"line_id={rng.choice(lines)}&return_to=%2Fcart".encode()
        jar.update(send(fn_request(ctx, "remove_line", body, accept, jar, local_redirect=True,
                                   expect=frozenset({200} if with_js else {302, 303}), note="flow: remove")))
    if "search_products" in ctx.fns and rng.random() < 0.5:
        body = f"query[q]={rng.choice(ctx.words)}&query[sort]={rng.choice(FN_SORTS)}&query[in_stock]=false"
        send(fn_request(ctx, "search_products", body.encode(), jar=jar, expect=frozenset({200}), note="flow: search"))
    if "checkout" in ctx.fns and rng.random() < 0.2:
        send(fn_request(ctx, "checkout", b"", b"text/html", jar, expect=frozenset({302, 303}), note="flow: checkout"))


TARGETS: dict[str, tuple[Callable[[random.Random, Context, Send], None], int]] = {
    "cookie": (case_cookie, 30),
    "query": (case_query, 32),
    "serverfn": (case_serverfn, 30),
    "valid": (case_valid, 8),
}
