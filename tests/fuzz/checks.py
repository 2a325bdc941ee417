"""What counts as a failure, and how failures are grouped into classes."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from client import Request, Response
from values import uri_safe


@dataclass
class Failure:
    kind: str
    detail: str
    case: int
    target: str
    request: Request
    status: int | None
    body: bytes
    elapsed: float

    @property
    def signature(self) -> tuple:
        return signature(self.kind, self.request, self.status, self.body)


@dataclass
class FailureClass:
    """Failures with one signature. Only the first few and the smallest request are kept whole
    (a long run may fail on thousands of 1 MB bodies); every case number is kept."""
    examples: list[Failure]
    smallest: Failure
    cases: list[int]
    details: Counter

    @classmethod
    def of(cls, failure: Failure) -> FailureClass:
        return cls([failure], failure, [failure.case], Counter([failure.detail]))

    def add(self, failure: Failure, keep: int) -> None:
        if len(self.examples) < keep:
            self.examples.append(failure)
        if failure.request.size() < self.smallest.request.size():
            self.smallest = failure
        self.cases.append(failure.case)
        self.details[failure.detail] += 1


# Leptos's own errors for arguments it cannot decode: one cause whatever the function.
FRAMEWORK_ERRORS = ("Args|", "Deserialization|", "MissingArg|")


def signature(kind: str, request: Request, status: int | None, body: bytes) -> tuple:
    """One class per kind, route and (for wrong statuses) status and error message."""
    error = body_class(body)
    if kind in ("5xx", "unexpected status"):
        if error.startswith(FRAMEWORK_ERRORS):
            return (kind, request.method, "/api/*", status, error.split("|")[0] + "|…")
        return (kind, request.method, request.route(), status, error)
    if kind == "off-site redirect" and error.startswith(FRAMEWORK_ERRORS):
        return (kind, request.method, "/api/*", "Leptos's error redirect")
    return (kind, request.method, request.route())


def body_class(body: bytes) -> str:
    """The start of an error body with names, quotes and numbers blanked out."""
    text = body[:200].decode("utf-8", "replace").strip()
    if text.lower().startswith(("<!doctype", "<html")):
        return "<html page>"
    text = re.sub(r"`[^`]*`", "`…`", text)
    text = re.sub(r'"[^"]*"', '"…"', text)
    text = re.sub(r"\d+", "0", text)
    return text[:100]


def is_local(location: str, origin: str) -> bool:
    """A redirect a browser resolves on this site (tabs and newlines are dropped by browsers)."""
    bare = re.sub(r"[\t\n\r]", "", location)
    if bare.startswith(origin + "/") or bare == origin:
        bare = bare[len(origin):] or "/"
    return (bare.startswith("/") and not bare.startswith("//") and "\\" not in bare
            and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in location))


# The header badge as the page renders it for a visitor with a cart.
CART_BADGE = re.compile(rb"(\d+) items? in cart")


def problems(request: Request, response: Response, slow: float, origin: str) -> list[tuple[str, str]]:
    """Every rule the answer breaks, as `(kind, detail)`."""
    if response.status is None:
        return [("no answer", response.error or "")]
    status, found = response.status, []
    # The store's abuse limits may answer any request 429, if they say when to come back.
    limited = status == 429 and response.header("retry-after") is not None
    if status >= 500:
        found.append(("5xx", f"{status}: {response.body[:160]!r}"))
    elif status == 429 and not limited:
        found.append(("429 without Retry-After", f"{response.body[:160]!r}"))
    elif (request.expect is not None and status not in request.expect and not limited
          and not refused_by_http(request, status)):
        found.append(("unexpected status", f"{status}, expected {statuses(request.expect)}"))
    if response.elapsed > slow:
        found.append(("slow", f"{response.elapsed:.2f} s"))
    found += page_problems(request, response)
    content_type = response.header("content-type") or ""
    if status == 200 and "json" in content_type and not response.header("content-encoding"):
        try:
            json.loads(response.body)
        except ValueError as error:
            found.append(("bad JSON", str(error)))
    if request.fresh_session and status < 500 and not limited and not any(
            c.startswith("wix_session=") for c in response.all("set-cookie")):
        found.append(("tampered session kept", "a tampered wix_session was neither removed nor replaced"))
    location = response.header("location")
    if request.local_redirect and location is not None and not is_local(location, origin):
        found.append(("off-site redirect", f"location: {location!r}"))
    found += privacy_problems(request, response)
    if request.same_origin and status == 403:
        found.append(("same-origin call refused", f"403 for Sec-Fetch-Site "
                      f"{dict(request.headers).get('sec-fetch-site')!r} without Origin or Referer"))
    return found


def statuses(expect: frozenset[int]) -> str:
    """`[200, 4xx]` rather than a hundred numbers."""
    any_4xx = set(range(400, 500)) <= expect
    named = [str(s) for s in sorted(expect) if not (any_4xx and 400 <= s < 500)]
    return "[" + ", ".join(named + ["4xx"] * any_4xx) + "]"


def privacy_problems(request: Request, response: Response) -> list[tuple[str, str]]:
    """A page for one visitor must never reach another through the shared page cache. (The
    shrinker drops headers: a request that lost its cookie no longer tests the first rule.)"""
    found = []
    cached = response.header("x-page-cache")
    # Their own render (no header) or the kept page with their badge spliced in ("personal");
    # never the kept page as it is ("hit", "miss").
    if request.session_page and request.has_header("cookie") and cached not in (None, "personal"):
        found.append(("session page cached", f"x-page-cache: {cached} on a page sent with a session"))
    if request.anonymous_page and response.status == 200 and not request.has_header("cookie"):
        shown = [int(n) for n in CART_BADGE.findall(response.body) if int(n) > 0]
        if shown and not response.header("content-encoding"):
            found.append(("another visitor's cart shown",
                          f"'{shown[0]} items in cart' on a page sent without a cookie (x-page-cache: {cached})"))
    return found


def page_problems(request: Request, response: Response) -> list[tuple[str, str]]:
    if not request.page or request.method == "HEAD" or response.status not in (200, 404):
        return []
    content_type = response.header("content-type") or ""
    if not response.body.strip():
        return [("empty HTML page", f"{response.status} with an empty body ({content_type})")]
    if response.status == 200 and "text/html" not in content_type:
        return [("page is not HTML", f"content-type {content_type!r}")]
    # Leptos appends its resource scripts after `</html>`, so the tag need not come last.
    if not response.header("content-encoding") and b"</html>" not in response.body:
        return [("truncated HTML page", f"{len(response.body)} bytes without </html>")]
    return []


def refused_by_http(request: Request, status: int) -> bool:
    """The HTTP layer (hyper) refuses what it cannot parse before the app sees it: a bad byte in
    the target or a header value, a target over 64 KB, too many or too large headers."""
    header_bytes = sum(len(value) for _, value in request.headers)
    bad_header = any(b < 0x20 and b != 0x09 or b == 0x7F for _, value in request.headers for b in value)
    return ((status == 400 and (bad_header or not uri_safe(request.target)))
            or (status == 414 and len(request.target) > 60_000)
            or (status == 431 and (header_bytes > 8_192 or len(request.headers) > 90
                                   or len(request.target) > 60_000)))
