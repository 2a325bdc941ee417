#!/usr/bin/env python3
"""Reliability suite: the storefront and the Wix emulator as real processes, driven over HTTP.

Starts its own emulator (temp SQLite file, admin API on) and storefront on free ports, then:

  1   concurrent visitors, each with its own cookie jar and a seeded random sequence of cart
      actions, while access tokens live a few seconds; every /cart view must match the
      visitor's model (no lost updates, no foreign lines, badge = lines, no 5xx)
  2a  upstream latency beyond WIX_TIMEOUT_MS: catalog pages answer 503/504 with a message, in time
  2b  a share of upstream calls answered 503: pages 200/503 only, the header badge never wrong,
      failed adds never applied, successful adds applied once, at most one upstream add call
      per add request
  2c  every upstream call answered 429 with Retry-After: a clear "busy" page, nothing applied,
      then 200 again
  2d  the emulator SIGKILLed and restarted on the same port and database: 503 while down, the
      same storefront recovers, every cart intact
  3   check 1 again on the same storefront process

Only the standard library is used. Exit status: 0 all passed, 1 a check failed, 2 setup failed.
Ports, processes, the storefront's environment and the cookie jar come from the harness shared
with the fuzzer, tests/support/harness.py.

  tests/reliability/run.py                                # reduced (CI): 8 visitors x 6 ops
  tests/reliability/run.py --visitors 100 --ops 30        # full size
  tests/reliability/run.py --store-bin X --emulator-bin Y --site-root Z
"""

from __future__ import annotations

import argparse
import atexit
import collections
import concurrent.futures
import dataclasses
import http.client
import itertools
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.dont_write_bytecode = True  # keep tests/ free of __pycache__
sys.path.insert(1, str(REPO / "tests"))  # the shared harness: tests/support
from support.harness import (  # noqa: E402
    EMULATOR_READY_PATH, CookieJar, Process, SetupError, base_url, emulator_process, free_port,
    stop_all, storefront_env, storefront_process)

# Demo-catalog products without options (no variant choice needed to add them).
SIMPLE_PRODUCTS = [
    "canyon-notebook", "quarry-notebook", "linen-notebook", "willow-notebook",
    "willow-mug", "harbor-mug", "cedar-wallet", "classic-lamp",
    "classic-vase", "granite-vase", "canyon-planner", "quarry-planner",
    "canyon-pen-set", "linen-sketchbook", "cedar-scarf", "aurora-cap",
]
SEARCH_WORDS = ["mug", "notebook", "lamp", "vase", "wallet", "planner", "linen", "cedar"]

TOKEN_ENDPOINT = "POST /oauth2/token"
# Emulator counter keys ("METHOD /matched/path") of cart mutations, v2 and v1 cart APIs.
ADD_ENDPOINTS = {
    "POST /ecom/v2/carts/current/add-line-items",
    "POST /ecom/v1/carts/current/add-to-cart",
    "POST /ecom/v2/carts/current",
}
MUTATION_ENDPOINTS = ADD_ENDPOINTS | {
    "POST /ecom/v2/carts/current/update-line-items",
    "POST /ecom/v2/carts/current/remove-line-items",
    "POST /ecom/v1/carts/current/update-line-items-quantity",
    "POST /ecom/v1/carts/current/remove-line-items",
    "PATCH /ecom/v2/carts/current",
    "DELETE /ecom/v2/carts/current",
}
MAX_LINE_QUANTITY = 99  # the emulator caps a line here, silently, like Wix

TIMEOUT_MESSAGE = re.compile(r"took too long|temporarily unavailable", re.I)
BUSY_MESSAGE = re.compile(r"busy", re.I)
OUTAGE_MESSAGE = re.compile(r"temporarily unavailable|could not be reached|took too long", re.I)

INCIDENT = re.compile(r"applied|!=|badge|expected")

# Set on Ctrl-C or SIGTERM: visitor threads stop after their current request.
STOP = threading.Event()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# HTTP


@dataclasses.dataclass
class Response:
    status: int  # 0: no answer (connection refused, reset, client timeout)
    body: str
    set_cookies: list[str]
    elapsed: float

    def excerpt(self, n: int = 160) -> str:
        """The visible text, for failure messages."""
        text = re.sub(r"<!--.*?-->|<script.*?</script>|<style.*?</style>|<head>.*?</head>", " ",
                      self.body, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        return re.sub(r"\s+", " ", text).strip()[:n]


def http_request(base: str, method: str, path: str, headers: dict | None = None,
                 body: str | None = None, timeout: float = 30.0) -> Response:
    """One request on a fresh connection: simple, and no stale keep-alive after a restart."""
    url = urllib.parse.urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=body.encode() if body is not None else None,
                     headers=headers or {})
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        return Response(resp.status, data, resp.msg.get_all("Set-Cookie") or [],
                        time.monotonic() - started)
    except (OSError, http.client.HTTPException) as error:
        return Response(0, f"{type(error).__name__}: {error}", [], time.monotonic() - started)
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Processes


class Emulator:
    def __init__(self, binary: Path, workdir: Path, port: int):
        self.port = port
        self.base = base_url(port)
        self.process = emulator_process(binary, workdir, port)

    def start(self) -> None:
        self.process.start()
        self.process.wait_ready(self.base, EMULATOR_READY_PATH, 30)

    def admin(self, method: str, path: str, payload: dict | None = None) -> dict:
        body = json.dumps(payload) if payload is not None else None
        headers = {"content-type": "application/json"} if body else {}
        resp = http_request(self.base, method, path, headers, body, timeout=10)
        if resp.status != 200:
            raise SetupError(f"emulator admin {method} {path}: {resp.status} {resp.body[:200]}")
        return json.loads(resp.body or "{}")

    def set_faults(self, **settings) -> None:
        """PUT replaces the whole settings: fields left out return to their defaults."""
        self.admin("PUT", "/_emulator/settings", settings)

    def reset_settings(self) -> None:
        self.admin("POST", "/_emulator/settings/reset")

    def counters(self) -> dict[str, int]:
        return self.admin("GET", "/_emulator/counters").get("counters", {})

    def reset_counters(self) -> None:
        self.admin("DELETE", "/_emulator/counters")


class Storefront:
    def __init__(self, binary: Path, site_root: Path, workdir: Path, port: int,
                 emulator: Emulator, timeout_ms: int, cache_ttl_secs: int):
        self.base, self.emulator = base_url(port), emulator
        self.timeout_ms, self.cache_ttl_secs = timeout_ms, cache_ttl_secs
        env = storefront_env(
            port, emulator.base, site_root, workdir,
            client_id="rel",
            session_secret="reliability-suite-secret-0123456789abcdef",
            WIX_RENEW_MARGIN_SECS="1",
            WIX_TIMEOUT_MS=str(timeout_ms),
            # Short, so fault probes are not answered from the shared catalog cache.
            CATALOG_CACHE_TTL_SECS=str(cache_ttl_secs),
        )
        self.process = storefront_process(binary, workdir, env)

    def start(self) -> None:
        self.process.start()
        self.process.wait_ready(self.base, "/search", 60, also=[self.emulator.process])

    def wait_out_cache(self) -> None:
        time.sleep(self.cache_ttl_secs + 0.3)


# ---------------------------------------------------------------------------------------------
# Pages


@dataclasses.dataclass
class Product:
    slug: str
    product_id: str
    variant_id: str
    add_path: str


@dataclasses.dataclass
class CartLine:
    line_id: str
    quantity: int


@dataclasses.dataclass
class CartPage:
    lines: dict[str, CartLine]  # slug -> line
    badge: int
    update_path: str | None
    remove_path: str | None
    duplicate_slugs: list[str]


LINE_RE = re.compile(r'<li[^>]*data-testid="cart-line"[^>]*>(.*?)</li>', re.S)
SLUG_RE = re.compile(r'href="/product/([^"?#]+)"')
LINE_ID_RE = re.compile(r'name="line_id" value="([^"]+)"')
QUANTITY_RE = re.compile(r'<input id="quantity-[^"]*"[^>]*?\svalue="(\d+)"')
BADGE_RE = re.compile(r'data-testid="cart-count"[^>]*>\s*(\d+)')
UPDATE_RE = re.compile(r'action="(/api/update_quantity[^"]*)"')
REMOVE_RE = re.compile(r'action="(/api/remove_line[^"]*)"')


def parse_cart(body: str) -> CartPage | None:
    """The cart as the no-JS page shows it; None if the page shows neither lines nor 'empty'."""
    chunks = LINE_RE.findall(body)
    if not chunks and 'data-testid="empty-cart"' not in body:
        return None
    lines, duplicates = {}, []
    for chunk in chunks:
        slug, line_id, quantity = SLUG_RE.search(chunk), LINE_ID_RE.search(chunk), QUANTITY_RE.search(chunk)
        if not (slug and line_id and quantity):
            return None
        if slug.group(1) in lines:
            duplicates.append(slug.group(1))
        lines[slug.group(1)] = CartLine(line_id.group(1), int(quantity.group(1)))
    badge = BADGE_RE.search(body)
    update, remove = UPDATE_RE.search(body), REMOVE_RE.search(body)
    return CartPage(lines, int(badge.group(1)) if badge else 0,
                    update and update.group(1), remove and remove.group(1), duplicates)


def discover_product(store: Storefront, slug: str) -> Product:
    """product_id, variant_id and the add_to_cart action, from the product page's main form."""
    resp = http_request(store.base, "GET", f"/product/{slug}")
    form = re.search(r'<form action="(/api/add_to_cart[^"]*)"[^>]*>(.*?)</form>', resp.body, re.S)
    if resp.status != 200 or not form:
        raise SetupError(f"/product/{slug}: {resp.status}, no add-to-cart form ({resp.excerpt()})")
    field = lambda name: re.search(rf'name="{name}" value="([^"]*)"', form.group(2))
    product_id, variant_id = field("product_id"), field("variant_id")
    if not product_id or variant_id is None:
        raise SetupError(f"/product/{slug}: add-to-cart form without product_id/variant_id")
    return Product(slug, product_id.group(1), variant_id.group(1), form.group(1))


# ---------------------------------------------------------------------------------------------
# Visitors


class Visitor:
    """One browser: its own cookie jar, sequential requests, and the cart it expects."""

    MAX_PROBLEMS = 5

    def __init__(self, ctx: "Context", name: str, products: list[Product]):
        self.ctx, self.name = ctx, name
        self.rng = random.Random(f"{ctx.args.seed}:{name}")  # per-visitor: order-independent
        self.products = products
        self.jar = CookieJar()
        self.model: dict[str, int] = {}  # slug -> quantity expected in the cart
        self.ever_added: set[str] = set()
        # Failed mutations since the last cart view: (slug, quantity had it been applied).
        self.unsure: list[tuple[str, int | None]] = []
        self.recent: collections.deque = collections.deque(maxlen=3)  # context for problems
        self.statuses: collections.Counter = collections.Counter()
        self.cookie_issues = 0  # wix_session values received (mint + renewals)
        self.lost_updates = 0  # cart differs from the model, unexplained
        self.ghosts = 0  # a mutation reported as failed was applied
        self.badge_mismatches = 0  # header count differs from the lines shown
        self.failed_mutations = 0
        self.crashes = 0
        self.leaks: set[str] = set()
        self.problems: list[str] = []

    # -- transport

    def _send(self, method: str, path: str, headers: dict, body: str | None = None,
              timeout: float = 30.0) -> Response:
        if self.jar.cookies:
            headers = dict(headers, cookie=self.jar.header())
        resp = http_request(self.ctx.store.base, method, path, headers, body, timeout)
        self.statuses[resp.status] += 1
        # A new wix_session value: minted or renewed.
        self.cookie_issues += self.jar.receive(resp.set_cookies).count("wix_session")
        if resp.status >= 500 or resp.status == 0:
            self.problem(f"{method} {path} -> {resp.status}: {resp.excerpt(120)}")
        return resp

    def page(self, path: str, timeout: float = 30.0) -> Response:
        return self._send("GET", path, {"accept": "text/html"}, timeout=timeout)

    def server_fn(self, path: str, fields: dict) -> Response:
        """A form post as the hydrated app makes it: JSON answer instead of a redirect."""
        headers = {
            "origin": self.ctx.store.base,
            "content-type": "application/x-www-form-urlencoded",
            "accept": "application/json",
        }
        return self._send("POST", path, headers, urllib.parse.urlencode(fields))

    def problem(self, text: str) -> None:
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(f"{self.name}: {text}")

    # -- actions

    def add(self, product: Product, quantity: int) -> bool:
        """Adds through the product page; True when the store reported it added in full."""
        self.page(f"/product/{product.slug}")
        self.ever_added.add(product.slug)
        resp = add_request(self, product, quantity)
        after = min(MAX_LINE_QUANTITY, self.model.get(product.slug, 0) + quantity)
        return self.settle(f"add {product.slug} x{quantity}", resp, reported_added(resp),
                           product.slug, after)

    def change_quantity(self) -> None:
        cart = self.view_cart()
        slug = self.rng.choice(sorted(self.model))
        quantity = self.rng.randint(1, 5)
        line = cart and cart.lines.get(slug)
        if not line or not cart.update_path:
            return  # the view already counted the difference
        resp = self.server_fn(cart.update_path, {
            "line_id": line.line_id, "quantity": str(quantity), "return_to": "/cart"})
        self.settle(f"set {slug} to {quantity}", resp, json_or_none(resp) == "Updated",
                    slug, quantity)

    def remove(self) -> None:
        cart = self.view_cart()
        slug = self.rng.choice(sorted(self.model))
        line = cart and cart.lines.get(slug)
        if not line or not cart.remove_path:
            return
        resp = self.server_fn(cart.remove_path, {"line_id": line.line_id, "return_to": "/cart"})
        self.settle(f"remove {slug}", resp, json_or_none(resp) == "Removed", slug, None)

    def settle(self, action: str, resp: Response, done: bool, slug: str,
               value: int | None) -> bool:
        """A reported success goes into the model; a failure is remembered as unsure."""
        self.recent.append(f"{action} -> {resp.status}")
        if done and resp.status == 200:
            apply_line(self.model, slug, value)
            return True
        self.failed_mutations += 1
        self.unsure.append((slug, value))
        self.problem(f"{action} -> {resp.status}: {resp.body.strip()[:120]!r}")
        return False

    # -- the cart as the visitor sees it

    def view_cart(self) -> CartPage | None:
        return self.check_cart()[0]

    def check_cart(self) -> tuple[CartPage | None, bool]:
        """GET /cart against the model: (cart or None if unreadable, whether it matched).

        A difference is one incident: a mutation reported as failed that was applied anyway
        (a ghost), else a lost update. The model then follows the cart, so that one incident
        is counted once and not again at every later view.
        """
        resp = self.page("/cart")
        cart = parse_cart(resp.body) if resp.status == 200 else None
        if cart is None:
            if resp.status == 200:  # other statuses are noted by _send already
                self.problem(f"GET /cart -> 200 but no cart in the page: {resp.excerpt(120)}")
            return None, False
        actual = describe(cart)
        self.leaks |= set(actual) - self.ever_added
        ok = True
        if cart.badge != sum(actual.values()):
            ok = False
            self.badge_mismatches += 1
            self.problem(f"header badge {cart.badge} but cart lines {actual}")
        if actual != self.model or cart.duplicate_slugs:
            ok = False
            context = f"after {list(self.recent)}"
            if not cart.duplicate_slugs and self.explained_by_unsure(actual):
                self.ghosts += 1
                self.problem(f"reported failed but applied: cart {actual}, model {self.model}, {context}")
            else:
                self.lost_updates += 1
                self.problem(f"cart {actual} != model {self.model} "
                             f"(duplicate lines {cart.duplicate_slugs}), {context}")
            self.model = dict(actual)
        self.unsure.clear()
        return cart, ok

    def explained_by_unsure(self, actual: dict[str, int]) -> bool:
        for k in range(1, len(self.unsure) + 1):
            for combo in itertools.combinations(self.unsure, k):
                model = dict(self.model)
                for slug, value in combo:
                    apply_line(model, slug, value)
                if model == actual:
                    return True
        return False

    # -- the random session of check 1

    def run_random_session(self, ops: int, ttl_secs: int, max_think: float) -> None:
        """Seeded ops with think time; one pause outlives the token so it expires while idle."""
        pool = self.rng.sample(self.products, 3)
        idle_at = self.rng.randrange(ops)
        try:
            for i in range(ops):
                if STOP.is_set():
                    return
                self.random_op(pool)
                STOP.wait(ttl_secs + 0.5 if i == idle_at else self.rng.uniform(0, max_think))
        except Exception as error:  # a crash in the harness must show, not vanish in a thread
            self.crashes += 1
            self.problem(f"visitor crashed: {type(error).__name__}: {error}")

    def random_op(self, pool: list[Product]) -> None:
        op = "add" if not self.model else self.rng.choices(
            ["add", "change", "remove", "view"], weights=[40, 20, 15, 25])[0]
        if op == "add":
            self.add(self.rng.choice(pool), self.rng.randint(1, 3))
        elif op == "change":
            self.change_quantity()
        elif op == "remove":
            self.remove()
        else:
            self.view_cart()


def apply_line(model: dict[str, int], slug: str, value: int | None) -> None:
    if value is None:
        model.pop(slug, None)
    else:
        model[slug] = value


def add_request(visitor: Visitor, product: Product, quantity: int) -> Response:
    return visitor.server_fn(product.add_path, {
        "product_id": product.product_id, "variant_id": product.variant_id,
        "quantity": str(quantity), "return_to": f"/product/{product.slug}"})


def reported_added(resp: Response) -> bool:
    outcome = json_or_none(resp)
    return resp.status == 200 and isinstance(outcome, dict) and "Added" in outcome


def json_or_none(resp: Response):
    try:
        return json.loads(resp.body)
    except ValueError:
        return None


def describe(cart: CartPage) -> dict[str, int]:
    return {slug: line.quantity for slug, line in cart.lines.items()}


def run_parallel(visitors: list, fn) -> None:
    """fn(visitor) for all visitors at once; on Ctrl-C, stop without waiting for them."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(visitors)))
    futures = [pool.submit(fn, v) for v in visitors]
    try:
        for future in futures:
            future.result()
    except BaseException:
        STOP.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


# ---------------------------------------------------------------------------------------------
# Report


@dataclasses.dataclass
class Row:
    check: str
    result: str  # PASS, FAIL, INFO
    detail: str


class Report:
    def __init__(self):
        self.rows: list[Row] = []
        self.timings: list[tuple[str, float]] = []
        self.problems: list[str] = []

    def add(self, check: str, ok: bool | None, detail: str) -> None:
        result = "INFO" if ok is None else ("PASS" if ok else "FAIL")
        self.rows.append(Row(check, result, detail))
        log(f"{result:4} {check}: {detail}")

    def failed(self) -> bool:
        return any(r.result == "FAIL" for r in self.rows)

    def print(self) -> None:
        width = max(len(r.check) for r in self.rows) if self.rows else 10
        print("\n" + "=" * 100)
        print(f"{'CHECK'.ljust(width)}  RESULT  DETAIL")
        print("-" * 100)
        for r in self.rows:
            print(f"{r.check.ljust(width)}  {r.result:6}  {r.detail}")
        print("-" * 100)
        print("timings: " + ", ".join(f"{name} {secs:.1f}s" for name, secs in self.timings))
        if self.problems:
            # Cart inconsistencies first: they matter more than the 5xx that often caused them.
            ranked = sorted(self.problems, key=lambda p: not INCIDENT.search(p))
            print(f"\nfirst problems seen ({len(self.problems)} recorded):")
            for p in ranked[:25]:
                print(f"  - {p}")
        fails = sum(r.result == "FAIL" for r in self.rows)
        passes = sum(r.result == "PASS" for r in self.rows)
        print(f"\n{passes} passed, {fails} failed")


@dataclasses.dataclass
class Context:
    args: argparse.Namespace
    emulator: Emulator
    store: Storefront
    products: list[Product]
    report: Report
    # Visitors whose carts must survive the emulator restart.
    survivors: list[Visitor] = dataclasses.field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Check 1 / 3: concurrent visitors with short-lived tokens


def check_concurrent_visitors(ctx: Context, label: str, tag: str) -> list[Visitor]:
    args, emu = ctx.args, ctx.emulator
    emu.set_faults(accessTokenTtlSecs=args.token_ttl)
    emu.reset_counters()
    visitors = [Visitor(ctx, f"{tag}-{i}", ctx.products) for i in range(args.visitors)]
    run_parallel(visitors, lambda v: v.run_random_session(args.ops, args.token_ttl, args.max_think))
    time.sleep(args.token_ttl + 0.5)  # the final read, too, starts with an expired token
    finals: dict[str, bool] = {}
    run_parallel(visitors, lambda v: finals.__setitem__(v.name, v.check_cart()[1]))
    counters = emu.counters()
    emu.reset_settings()
    report_visitors(ctx, label, visitors, finals, counters)
    return visitors


def report_visitors(ctx: Context, label: str, visitors: list[Visitor], finals: dict[str, bool],
                    counters: dict) -> None:
    report, total = ctx.report, lambda attr: sum(getattr(v, attr) for v in visitors)
    exact = sum(finals.values())
    report.add(f"{label} final cart == model", exact == len(visitors),
               f"{exact}/{len(visitors)} visitors' /cart exactly as expected at the end")
    report.add(f"{label} no lost updates", total("lost_updates") == 0,
               f"{total('lost_updates')} views (mid-run or final) differing from the model")
    report.add(f"{label} failed mutations not applied", total("ghosts") == 0,
               f"{total('ghosts')} mutations reported as failed but applied")
    report.add(f"{label} header badge == cart lines", total("badge_mismatches") == 0,
               f"{total('badge_mismatches')} cart pages whose badge disagrees with their lines")
    leaks = sum(len(v.leaks) for v in visitors)
    report.add(f"{label} cross-visitor leaks", leaks == 0,
               f"{leaks} products seen in a cart by a visitor who never added them")
    statuses = sum((v.statuses for v in visitors), collections.Counter())
    bad = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    report.add(f"{label} no 5xx / no answer", bad == 0,
               f"{sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    report.add(f"{label} mutations reported as done", total("failed_mutations") == 0,
               f"{total('failed_mutations')} add/update/remove not reported as done")
    if total("crashes"):
        report.add(f"{label} harness", False, f"{total('crashes')} visitor threads crashed")
    report_token_calls(ctx, label, visitors, counters)
    for v in visitors:
        report.problems.extend(v.problems)


def report_token_calls(ctx: Context, label: str, visitors: list[Visitor], counters: dict) -> None:
    calls = counters.get(TOKEN_ENDPOINT, 0)
    mints = sum(1 for v in visitors if v.cookie_issues)
    renewals = sum(max(v.cookie_issues - 1, 0) for v in visitors)
    ratio = f"{(calls - mints) / renewals:.2f}" if renewals else "n/a"
    ctx.report.add(f"{label} token calls per renewal", None,
                   f"{calls} token calls = {mints} visitor mints + {renewals} cookie renewals "
                   f"(+ shared anonymous token): {ratio} calls per renewal")


# ---------------------------------------------------------------------------------------------
# Check 2: faults


def probe_pages(ctx: Context, visitor: Visitor, tag: str) -> list[tuple[str, Response]]:
    """Catalog pages with the visitor's own token (never cached) and anonymously (unique query)."""
    nonce = random.Random(f"{ctx.args.seed}:{tag}").randrange(10**6)
    anonymous = Visitor(ctx, f"anon-{tag}", ctx.products)
    timeout = ctx.store.timeout_ms / 1000 * 4 + 10
    probes = [
        ("visitor /", visitor, "/"),
        ("visitor /search", visitor, f"/search?q={SEARCH_WORDS[nonce % len(SEARCH_WORDS)]}"),
        ("visitor /product", visitor, f"/product/{ctx.products[nonce % len(ctx.products)].slug}"),
        ("anon /search", anonymous, f"/search?q=probe{nonce}"),
    ]
    return [(name, who.page(path, timeout=timeout)) for name, who, path in probes]


def judge_fault_pages(results, allowed: set[int], message: re.Pattern, max_secs: float):
    """(ok, summary, problems) for probe answers: status, readable message, time."""
    problems, summary = [], []
    for name, resp in results:
        summary.append(f"{name} {resp.status or 'none'} {resp.elapsed:.1f}s")
        if resp.status not in allowed:
            problems.append(f"{name}: status {resp.status}, body: {resp.excerpt(200)!r}")
        elif not resp.body.strip() or not message.search(resp.body):
            problems.append(f"{name}: {resp.status} without a readable message: {resp.excerpt(200)!r}")
        if resp.elapsed > max_secs:
            problems.append(f"{name}: took {resp.elapsed:.1f}s (bound {max_secs:.1f}s)")
    return not problems, "; ".join(summary), problems


def check_upstream_timeout(ctx: Context, visitor: Visitor) -> None:
    """2a: catalog calls slower than WIX_TIMEOUT_MS; the token endpoint stays fast."""
    timeout = ctx.store.timeout_ms / 1000
    ctx.emulator.set_faults(latencyMs=int(ctx.store.timeout_ms * 2), faultPathPrefix="/stores")
    try:
        ctx.store.wait_out_cache()
        results = probe_pages(ctx, visitor, "timeout")
    finally:
        ctx.emulator.reset_settings()
    bound = 2 * timeout + 2  # one retry of an idempotent read is allowed
    ok, summary, problems = judge_fault_pages(results, {503, 504}, TIMEOUT_MESSAGE, bound)
    ctx.report.add("2a timeout -> 503/504 + message, bounded", ok, summary)
    statuses = sorted({r.status for _, r in results})
    ctx.report.add("2a timeout status", None,
                   f"{statuses} (504 preferred for an upstream timeout; WIX_TIMEOUT_MS="
                   f"{ctx.store.timeout_ms}, upstream latency {ctx.store.timeout_ms * 2} ms)")
    ctx.report.problems.extend(f"2a {p}" for p in problems)


def page_plan(rng: random.Random, products: list[Product], count: int) -> list[str]:
    paths = []
    for _ in range(count):
        kind = rng.choice(["/", "search", "product", "/cart"])
        if kind == "search":
            paths.append(f"/search?q={rng.choice(SEARCH_WORDS)}")
        elif kind == "product":
            paths.append(f"/product/{rng.choice(products).slug}")
        else:
            paths.append(kind)
    return paths


def read_calls(counters: dict) -> int:
    return sum(n for key, n in counters.items()
               if key not in MUTATION_ENDPOINTS and key != TOKEN_ENDPOINT)


def check_error_rate(ctx: Context) -> None:
    """2b: a share of upstream calls answered 503, for page reads and for adds."""
    args, emu = ctx.args, ctx.emulator
    visitors = [Visitor(ctx, f"faulty-{i}", ctx.products) for i in range(max(1, min(args.visitors, 10)))]
    plans = {v.name: page_plan(v.rng, ctx.products, args.ops) for v in visitors}
    setup = {}  # one product each, added before the faults
    for i, v in enumerate(visitors):
        product, quantity = ctx.products[i % len(ctx.products)], 1 + i % 3
        setup[v.name] = (product, quantity, v.add(product, quantity))
    if not all(done for _, _, done in setup.values()):
        ctx.report.add("2b setup adds", False, "an add without faults failed")
        return

    emu.reset_counters()
    baseline_pages = view_plans(visitors, plans)
    baseline_reads = read_calls(emu.counters())
    adds_per_visitor = min(args.ops, 30)  # 3 + 30 x 3 stays under the 99 per-line cap
    emu.set_faults(errorRate=args.error_rate)
    try:
        emu.reset_counters()
        fault_pages = view_plans(visitors, plans)
        faulted_reads = read_calls(emu.counters())
        emu.reset_counters()
        outcomes = {}
        run_parallel(visitors, lambda v: outcomes.__setitem__(
            v.name, [add_request(v, *setup[v.name][:2]) for _ in range(adds_per_visitor)]))
        add_counters = emu.counters()
    finally:
        emu.reset_settings()
    judge_fault_views(ctx, fault_pages, baseline_reads, faulted_reads)
    expected_badges = {v.name: setup[v.name][1] for v in visitors}
    judge_badges(ctx, plans, baseline_pages, fault_pages, expected_badges)
    judge_adds(ctx, visitors, setup, outcomes, add_counters)


def view_plans(visitors: list[Visitor], plans: dict) -> dict[str, list[Response]]:
    pages = {}
    run_parallel(visitors, lambda v: pages.__setitem__(v.name, [v.page(p) for p in plans[v.name]]))
    return pages


def judge_fault_views(ctx: Context, fault_pages, baseline_reads: int, faulted_reads: int) -> None:
    report = ctx.report
    responses = [r for rs in fault_pages.values() for r in rs]
    statuses = collections.Counter(r.status for r in responses)
    bad = [r for r in responses if r.status not in (200, 503)]
    report.add("2b pages answer 200 or 503", not bad,
               f"{dict(sorted(statuses.items()))} over {len(responses)} views")
    report.problems.extend(f"2b page {r.status}: {r.excerpt(150)!r}" for r in bad)
    report.add("2b read calls (retries)", None,
               f"{faulted_reads} upstream reads for {len(responses)} views under faults vs "
               f"{baseline_reads} without ({faulted_reads / max(baseline_reads, 1):.2f}x); "
               f"pages failed {statuses.get(503, 0)}/{len(responses)}")


def judge_badges(ctx: Context, plans, baseline_pages, fault_pages, expected: dict[str, int]) -> None:
    """A 200 page must not tell a shopper with items that the cart holds a different count."""
    def wrong(pages):
        return [(name, path, r) for name, rs in pages.items() for path, r in zip(plans[name], rs)
                if r.status == 200 and badge_of(r.body) not in (None, expected[name])]
    before, during = wrong(baseline_pages), wrong(fault_pages)
    shown = sum(r.status == 200 for rs in fault_pages.values() for r in rs)
    example = ""
    if during:
        name, path, r = during[0]
        example = (f"; e.g. {name} (cart of {expected[name]}) GET {path} -> 200 "
                   f"with badge {badge_of(r.body)}")
    ctx.report.add("2b header badge right on 200 pages", not before and not during,
                   f"{len(during)}/{shown} pages under faults, {len(before)} without{example}")


def badge_of(body: str) -> int | None:
    match = BADGE_RE.search(body)
    return int(match.group(1)) if match else None


def judge_adds(ctx: Context, visitors, setup, outcomes, add_counters) -> None:
    report = ctx.report
    sent = sum(len(r) for r in outcomes.values())
    succeeded = 0
    failure_statuses, failure_bodies = collections.Counter(), collections.Counter()
    wrong_carts = []
    for v in visitors:
        product, quantity, _ = setup[v.name]
        done = 0
        for r in outcomes[v.name]:
            if reported_added(r):
                done += 1
            else:
                failure_statuses[r.status] += 1
                failure_bodies[r.body.strip()[:90]] += 1
        succeeded += done
        expected = {product.slug: quantity * (1 + done)}  # the setup add + each reported one
        v.model = dict(expected)
        cart, matches = v.check_cart()
        if not matches:
            wrong_carts.append(f"{v.name}: cart {cart and describe(cart)}, expected {expected} "
                               f"({done} adds reported done of {len(outcomes[v.name])})")
    calls = sum(n for key, n in add_counters.items() if key in ADD_ENDPOINTS)
    report.add("2b cart == reported successful adds", not wrong_carts,
               f"{succeeded}/{sent} adds reported done; {len(wrong_carts)} carts differ")
    report.problems.extend(f"2b {w}" for w in wrong_carts)
    report.add("2b add calls upstream <= add requests", calls <= sent,
               f"{calls} upstream add calls for {sent} add requests ({succeeded} succeeded)")
    unreadable = sum(n for body, n in failure_bodies.items() if not re.search(r"[A-Za-z]{4}", body))
    report.add("2b failed adds carry a message", unreadable == 0,
               f"statuses {dict(failure_statuses)}; e.g. {next(iter(failure_bodies), '-')!r}")
    ctx.survivors.extend(visitors)


def check_rate_limited(ctx: Context, visitor: Visitor) -> None:
    """2c: every upstream call 429 with Retry-After; nothing applied; 200 again after."""
    emu, report, retry_after = ctx.emulator, ctx.report, 1
    before = visitor.view_cart()
    product = ctx.products[0]
    emu.set_faults(rateLimitRetryAfterSecs=retry_after)
    try:
        ctx.store.wait_out_cache()
        results = probe_pages(ctx, visitor, "ratelimit")
        results.append(("visitor /cart", visitor.page("/cart")))
        add = add_request(visitor, product, 1)
    finally:
        emu.reset_settings()
    ok, summary, problems = judge_fault_pages(results, {503, 429}, BUSY_MESSAGE,
                                              ctx.store.timeout_ms / 1000 * 2 + 2)
    report.add("2c 429 -> 503/429 'busy' page", ok, summary)
    report.problems.extend(f"2c {p}" for p in problems)
    add_done = reported_added(add)
    report.add("2c add under 429 refused", not add_done,
               f"{add.status}: {add.body.strip()[:90]!r}")
    if add_done:
        visitor.model[product.slug] = visitor.model.get(product.slug, 0) + 1
    recovered, secs = poll_until_ok(visitor, ["/", "/cart", f"/product/{product.slug}"],
                                    retry_after + 5)
    report.add("2c pages 200 again after clearing", recovered, f"after {secs:.1f}s")
    after, matches = visitor.check_cart()
    report.add("2c cart unchanged", before is not None and after is not None
               and describe(before) == describe(after) and matches,
               f"before {before and describe(before)}, after {after and describe(after)}")


def poll_until_ok(visitor: Visitor, paths: list[str], within: float) -> tuple[bool, float]:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if all(visitor.page(p, timeout=within).status == 200 for p in paths):
            return True, time.monotonic() - started
        time.sleep(0.25)
    return False, time.monotonic() - started


def check_emulator_restart(ctx: Context, visitor: Visitor) -> None:
    """2d: the emulator crashes and comes back on the same port and database."""
    emu, report, store = ctx.emulator, ctx.report, ctx.store
    emu.process.kill()
    store.wait_out_cache()
    results = probe_pages(ctx, visitor, "down")
    results.append(("visitor /cart", visitor.page("/cart")))
    bound = store.timeout_ms / 1000 + 2
    ok, summary, problems = judge_fault_pages(results, {503}, OUTAGE_MESSAGE, bound)
    report.add("2d emulator down -> quick 503 + message", ok, summary)
    report.problems.extend(f"2d {p}" for p in problems)

    restarted = time.monotonic()
    emu.start()
    recovered, _ = poll_until_ok(visitor, ["/", "/cart"], ctx.args.recover_secs)
    secs = time.monotonic() - restarted
    report.add("2d same storefront serves 200 after restart",
               recovered and store.process.alive(),
               f"{secs:.1f}s after the emulator restart (bound {ctx.args.recover_secs}s)")
    wrong = []
    for v in ctx.survivors:
        model = dict(v.model)
        cart, matches = v.check_cart()
        if not matches:
            wrong.append(f"{v.name}: {cart and describe(cart)} != {model}")
    report.add("2d carts intact after restart", not wrong,
               f"{len(ctx.survivors) - len(wrong)}/{len(ctx.survivors)} carts as before")
    report.problems.extend(f"2d {w}" for w in wrong)


# ---------------------------------------------------------------------------------------------
# Main


def timed(report: Report, name: str, fn, *a):
    started = time.monotonic()
    log(f"--- {name}")
    try:
        return fn(*a)
    finally:
        report.timings.append((name, time.monotonic() - started))


def run_checks(ctx: Context) -> None:
    report = ctx.report
    first = timed(report, "1 visitors", check_concurrent_visitors, ctx, "1", "visitors")
    ctx.survivors.extend(first)
    probe = first[0]  # a visitor with a cart, for the fault probes
    timed(report, "2a timeout", check_upstream_timeout, ctx, probe)
    timed(report, "2b 5xx", check_error_rate, ctx)
    timed(report, "2c 429", check_rate_limited, ctx, probe)
    timed(report, "2d restart", check_emulator_restart, ctx, probe)
    timed(report, "3 recovery", check_concurrent_visitors, ctx, "3", "recovery")


def start_system(args, workdir: Path, started: list) -> Context:
    for path, what in [(args.emulator_bin, "emulator binary"), (args.store_bin, "storefront binary"),
                       (args.site_root, "site root")]:
        if not path.exists():
            raise SetupError(f"{what} not found: {path}")
    emulator = Emulator(args.emulator_bin, workdir, args.emulator_port or free_port())
    store = Storefront(args.store_bin, args.site_root, workdir, args.store_port or free_port(),
                       emulator, args.timeout_ms, args.cache_ttl)
    started.extend([store.process, emulator.process])
    emulator.start()
    store.start()
    log(f"emulator {emulator.base}, storefront {store.base}, work dir {workdir}")
    products = [discover_product(store, slug) for slug in SIMPLE_PRODUCTS]
    return Context(args, emulator, store, products, Report())


def parse_args(argv=None) -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--visitors", type=int, default=int(env("REL_VISITORS", 8)),
                   help="concurrent visitors in checks 1 and 3 (full: 100; env REL_VISITORS)")
    p.add_argument("--ops", type=int, default=int(env("REL_OPS", 6)),
                   help="actions per visitor (full: 30; env REL_OPS)")
    p.add_argument("--seed", default=env("REL_SEED", "1"), help="random seed (env REL_SEED)")
    p.add_argument("--store-bin", type=Path, default=REPO / "target/debug/wix-storefront")
    p.add_argument("--emulator-bin", type=Path, default=REPO / "target/debug/wix-emulator")
    p.add_argument("--site-root", type=Path, default=REPO / "target/site")
    p.add_argument("--store-port", type=int, default=0, help="default: a free port")
    p.add_argument("--emulator-port", type=int, default=0, help="default: a free port")
    p.add_argument("--timeout-ms", type=int, default=1500, help="storefront WIX_TIMEOUT_MS")
    p.add_argument("--token-ttl", type=int, default=3, help="access token lifetime in check 1 (s)")
    p.add_argument("--error-rate", type=float, default=0.2, help="share of 503s in check 2b")
    p.add_argument("--max-think", type=float, default=1.2, help="max pause between actions (s)")
    p.add_argument("--cache-ttl", type=int, default=1, help="storefront CATALOG_CACHE_TTL_SECS")
    p.add_argument("--recover-secs", type=float, default=10, help="bound for 2d recovery")
    p.add_argument("--keep-workdir", action="store_true", help="keep logs and the database")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="wix-reliability-"))
    started: list[Process] = []
    atexit.register(stop_all, started)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run finally/atexit on SIGTERM
    began = time.monotonic()
    ctx = None
    try:
        ctx = start_system(args, workdir, started)
        run_checks(ctx)
    except SetupError as error:
        log(f"setup failed: {error}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        stop_all(started)
        if ctx:
            ctx.report.timings.append(("total", time.monotonic() - began))
            ctx.report.print()
            if ctx.report.failed() and not args.keep_workdir:
                print("(--keep-workdir keeps the emulator and storefront logs)")
        if args.keep_workdir:
            print(f"work dir kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if ctx.report.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
