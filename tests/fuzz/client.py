"""Raw HTTP/1.1 requests, and the shared cookie jar fed with their answers.

Requests are written to the socket byte for byte (so paths, header values and bodies can be
anything, valid or not) and the answer is parsed with `http.client.HTTPResponse`. Every request
uses its own connection with `connection: close`: the server may hang up on a bad request and
that must not spill over into the next case.
"""

from __future__ import annotations

import hashlib
import http.client
import re
import socket
import time
from dataclasses import dataclass, field, replace

from support.harness import CookieJar


@dataclass
class Request:
    method: str
    target: bytes  # the request-target exactly as sent (path and query)
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    body: bytes = b""
    # Statuses this request must get; `None`: anything below 500.
    expect: frozenset[int] | None = None
    # An HTML page: an answer with an empty body is a failure.
    page: bool = False
    # A tampered session cookie was sent: the answer must replace or remove it.
    fresh_session: bool = False
    # A cart action: any `location` must stay on this site.
    local_redirect: bool = False
    # Carries a real session: the page must not be the shared page cache's as it is
    # (`x-page-cache` absent, or `personal`: the kept page with their badge spliced in).
    session_page: bool = False
    # Sent without a cookie: the page must not show anyone's cart ("2 items in cart").
    anonymous_page: bool = False
    # Marked same-origin by the browser (`Sec-Fetch-Site`): the CSRF layer must let it pass.
    same_origin: bool = False
    # The body goes in the chunked transfer coding, in chunks of this size (0: not chunked).
    chunk_size: int = 0
    # A `content-length` larger than the body sent: the server must answer without the rest.
    stated_length: int | None = None
    note: str = ""

    def with_(self, **changes) -> Request:
        return replace(self, **changes)

    def route(self) -> str:
        """The route the target falls under (`/product/<slug>`, `/api/add_to_cart`), so that
        failures of one kind on one route are reported as one."""
        parts = self.target.split(b"?", 1)[0].decode("latin-1").split("/")
        first = parts[1] if len(parts) > 1 else ""
        if first in ("product", "category") and len(parts) == 3:
            return f"/{first}/<slug>"
        if first == "api" and len(parts) == 3:
            return "/api/" + re.sub(r"\d+$", "", parts[2])
        if len(parts) == 2 and first in ("", "search", "cart", "thank-you"):
            return "/" + first
        return "<other path>"

    def raw(self, host: str) -> bytes:
        lines = [f"{self.method} ".encode() + self.target + b" HTTP/1.1", b"host: " + host.encode()]
        lines += [name.encode("latin-1") + b": " + value for name, value in self.headers]
        names = {name.lower() for name, _ in self.headers}
        body = self.body
        # Framing from fields, not headers: a shrunk body stays a whole message.
        if self.chunk_size:
            lines.append(b"transfer-encoding: chunked")
            body = b"".join(b"%x\r\n%s\r\n" % (len(body[at:at + self.chunk_size]), body[at:at + self.chunk_size])
                            for at in range(0, len(body), self.chunk_size)) + b"0\r\n\r\n"
        elif "content-length" not in names and (self.body or self.method in ("POST", "PUT")):
            lines.append(b"content-length: %d" % max(self.stated_length or 0, len(body)))
        lines.append(b"connection: close")
        return b"\r\n".join(lines) + b"\r\n\r\n" + body

    def size(self) -> int:
        return len(self.target) + sum(len(v) for _, v in self.headers) + len(self.body)

    def has_header(self, name: str) -> bool:
        return any(key.lower() == name for key, _ in self.headers)


@dataclass
class Response:
    status: int | None  # None: no answer at all
    headers: list[tuple[str, str]]
    body: bytes
    elapsed: float
    error: str | None = None

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name]


def send(address: tuple[str, int], request: Request, timeout: float) -> Response:
    host = f"{address[0]}:{address[1]}"
    start = time.monotonic()
    try:
        sock = socket.create_connection(address, timeout=timeout)
    except OSError as error:
        return Response(None, [], b"", time.monotonic() - start, f"connect failed: {error}")
    with sock:
        sock.settimeout(timeout)
        send_error = None
        try:
            sock.sendall(request.raw(host))
        except OSError as error:
            # The server may answer (413, 400) and close before reading a large body: read on.
            send_error = f"send failed: {error}"
        answer = http.client.HTTPResponse(sock, method=request.method)
        try:
            answer.begin()
            body = answer.read()
        except socket.timeout:
            return Response(None, [], b"", time.monotonic() - start, f"no answer within {timeout:.0f} s")
        except (OSError, http.client.HTTPException) as error:
            reason = f"{type(error).__name__}: {error}" + (f" ({send_error})" if send_error else "")
            return Response(None, [], b"", time.monotonic() - start, f"connection closed without an answer: {reason}")
        return Response(answer.status, answer.getheaders(), body, time.monotonic() - start)


class Jar(CookieJar):
    """The shared cookie jar, fed with this client's answers and giving its raw header lines."""

    def update(self, response: Response) -> None:
        self.receive(response.all("set-cookie"))

    def headers(self) -> list[tuple[str, bytes]]:
        return [("cookie", self.header().encode("latin-1"))] if self.cookies else []


def abbreviate(data: bytes, limit: int = 240) -> str:
    """`repr` of `data`, cut in the middle when long, with its length and a digest."""
    if len(data) <= limit:
        return repr(data)
    digest = hashlib.sha1(data).hexdigest()[:12]
    return f"{data[:limit // 2]!r} … {data[-limit // 4:]!r} ({len(data)} bytes, sha1 {digest})"


def describe(request: Request) -> list[str]:
    """The request, one line per part, long values abbreviated."""
    lines = [f"{request.method} {abbreviate(request.target)}"]
    lines += [f"  {name}: {abbreviate(value)}" for name, value in request.headers]
    if request.chunk_size:
        lines.append(f"  (sent chunked, in chunks of {request.chunk_size} bytes)")
    if request.stated_length:
        lines.append(f"  (content-length {request.stated_length}; only the body below is sent)")
    if request.body:
        lines.append(f"  body: {abbreviate(request.body)}")
    return lines
