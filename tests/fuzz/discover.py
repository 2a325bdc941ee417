"""What the fuzzer learns from the running store before it starts: server-function paths,
products with their ids and options, categories, and real session cookies.

Server-function paths carry a build hash (`/api/add_to_cart1457…`), so they are read from the
forms the pages render and, for functions only the browser app calls, from the wasm bundle.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_plus

from client import Jar, Request, Response, send

# Every `#[server]` function in src/api/{account,cart,catalog}.rs and the fields it takes.
SERVER_FNS: dict[str, list[str]] = {
    "add_to_cart": ["product_id", "variant_id", "quantity", "return_to"],
    "update_quantity": ["line_id", "quantity", "return_to"],
    "remove_line": ["line_id", "return_to"],
    "apply_coupon": ["code", "return_to"],
    "remove_coupon": ["return_to"],
    "checkout": [],
    "get_cart": [],
    "get_cart_summary": [],
    "search_products": ["query"],  # a `SearchQuery` struct: `query[q]=…&query[sort]=…`
    "get_home": [],
    "get_product": ["slug"],
    "get_account": [],
    "get_order": ["order_id"],
}

API_PATH = re.compile(rb"/api/([a-z_]+?)(\d{6,})")


@dataclass
class Product:
    slug: str
    id: str
    variant_id: str
    options: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Context:
    public_url: str
    fns: dict[str, str] = field(default_factory=dict)  # name → path
    fn_sources: dict[str, str] = field(default_factory=dict)  # name → where the path was found
    products: list[Product] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)  # real `wix_session` values
    line_ids: list[str] = field(default_factory=list)
    cursors: list[str] = field(default_factory=list)  # real paging cursors from /search

    @property
    def slugs(self) -> list[str]:
        return [p.slug for p in self.products]

    @property
    def option_names(self) -> list[str]:
        return sorted({name for p in self.products for name in p.options})

    @property
    def words(self) -> list[str]:
        return sorted({word for slug in self.slugs for word in slug.split("-")})


class Discovery:
    def __init__(self, address: tuple[str, int], public_url: str, site_root: Path, timeout: float):
        self.address, self.site_root, self.timeout = address, site_root, timeout
        self.ctx = Context(public_url)

    def get(self, path: str, jar: Jar | None = None) -> str:
        headers = jar.headers() if jar else []
        response = send(self.address, Request("GET", path.encode(), headers), self.timeout)
        if response.status != 200:
            raise SystemExit(f"discovery: GET {path} answered {response.status} {response.error or ''}")
        return response.body.decode("utf-8", "replace")

    def run(self) -> Context:
        ctx = self.ctx
        listing = self.get("/search")
        ctx.cursors = sorted(set(re.findall(r'cursor=([A-Za-z0-9_%-]+)', listing)))
        ctx.categories = sorted(set(re.findall(r'href="/category/([a-z0-9-]+)', self.get("/"))))
        pages = [listing] + [self.get(f"/category/{c}") for c in ctx.categories]
        slugs = sorted({s for page in pages for s in re.findall(r'href="/product/([a-z0-9-]+)', page)})
        for slug in slugs[:60]:
            self.read_product(slug)
        if not ctx.products or "add_to_cart" not in ctx.fns:
            raise SystemExit("discovery: no product page with an add-to-cart form")
        for _ in range(2):
            ctx.sessions.append(self.start_session())
        self.read_cart(Jar({"wix_session": ctx.sessions[0]}))
        self.read_bundle()
        return ctx

    def note_forms(self, page: str) -> None:
        for name, digits in re.findall(r'action="/api/([a-z_]+?)(\d+)"', page):
            if name in SERVER_FNS:
                self.ctx.fns.setdefault(name, f"/api/{name}{digits}")
                self.ctx.fn_sources.setdefault(name, "form action")

    def read_product(self, slug: str) -> None:
        page = self.get(f"/product/{slug}")
        self.note_forms(page)
        product_id = re.search(r'name="product_id" value="([^"]*)"', page)
        variant_id = re.search(r'name="variant_id" value="([^"]*)"', page)
        if not product_id:
            return
        product = Product(slug, product_id.group(1), variant_id.group(1) if variant_id else "")
        for link in re.findall(rf'href="/product/{re.escape(slug)}\?([^"]*)"', page):
            for pair in html.unescape(link).split("&"):
                key, _, val = pair.partition("=")
                choices = product.options.setdefault(unquote_plus(key), [])
                if unquote_plus(val) not in choices:
                    choices.append(unquote_plus(val))
        self.ctx.products.append(product)

    def start_session(self) -> str:
        """A real session with a cart: add an in-stock product, keep the cookie."""
        product = next((p for p in self.ctx.products if p.variant_id or not p.options), self.ctx.products[0])
        body = f"product_id={product.id}&variant_id={product.variant_id}&quantity=1&return_to=%2F"
        request = Request("POST", self.ctx.fns["add_to_cart"].encode(), [
            ("origin", self.ctx.public_url.encode()), ("accept", b"application/json"),
            ("content-type", b"application/x-www-form-urlencoded")], body.encode())
        response: Response = send(self.address, request, self.timeout)
        jar = Jar()
        jar.update(response)
        if response.status != 200 or "wix_session" not in jar.cookies:
            raise SystemExit(f"discovery: add-to-cart answered {response.status} without a session cookie")
        return jar.cookies["wix_session"]

    def read_cart(self, jar: Jar) -> None:
        page = self.get("/cart", jar)
        self.note_forms(page)
        self.ctx.line_ids = sorted(set(re.findall(r'name="line_id" value="([^"]*)"', page)))

    def read_bundle(self) -> None:
        """Functions only the hydrated app calls (search, get_cart, …): their paths from the wasm."""
        for bundle in sorted((self.site_root / "pkg").glob("*.wasm")):
            for name, digits in API_PATH.findall(bundle.read_bytes()):
                name = name.decode()
                if name in SERVER_FNS and name not in self.ctx.fns:
                    self.ctx.fns[name] = f"/api/{name}{digits.decode()}"
                    self.ctx.fn_sources[name] = f"wasm bundle ({bundle.name})"
