"""Hostile values and encodings, all drawn from a seeded `random.Random` so a case replays."""

from __future__ import annotations

import base64
import json
import random
import string
from urllib.parse import quote_from_bytes

NUMBERS = [
    "0", "1", "-1", "-5", "2", "99", "100", "4294967295", "4294967296", "2147483647",
    "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
    "18446744073709551616", "1e30", "1e308", "-1e308", "1e309", "1e-308", "NaN", "nan", "-NaN",
    "inf", "-inf", "Infinity", "0x10", "1_000", "3.5", "-0", "-0.0", " 3 ", "+1", "01", "1e2",
    "１", "٣", "1,000", "", " ",
]

NASTY = [
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "../../../../etc/passwd",
    "..", ".", "/", "//evil.example", "https://evil.example/", "/\\evil.example", "\\\\evil",
    "javascript:alert(1)", "\x00", "a\x00b", "\r\nset-cookie: evil=1", "\n", "\t", "${jndi:ldap://x/a}",
    "{{7*7}}", "'; DROP TABLE products;--", "\u202eevil", "مرحبا", "商品", "🛒🔥", "e\u0301\u0301\u0301",
    "\ufeff", "\ud800", "\udfff\ud800", "\uffff", "\U0010ffff", "null", "true", "false", "[]",
    "{}", '{"a":1}', "undefined", "None", "a" * 100, "a" * 101, "a" * 200, "a" * 201, "-", "--",
    "all-products", "Relevance", "PriceAscending", "price-asc",
]

# Code point ranges for random unicode: ASCII, Latin, Greek, RTL, CJK, emoji, lone surrogates,
# private use and noncharacters.
RANGES = [(0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x2FF), (0x370, 0x3FF), (0x590, 0x6FF),
          (0x4E00, 0x4FFF), (0x1F300, 0x1F6FF), (0xD800, 0xDFFF), (0xE000, 0xE0FF), (0xFFF0, 0xFFFF)]

# Things that break percent-decoding or the `&`/`=` structure of a query string.
BROKEN_ESCAPES = ["%", "%z", "%zz", "%ff%fe", "%c3%28", "%e2%82", "%%", "%2", "%G1", "%00", "%0d%0a",
                  "%u0041", "+", "%2B", "%26", "%3D", "&", "=", "&&", "==", ";", "%c0%af", "%ed%a0%80"]

# Characters RFC 3986 allows in a request-target; anything else may be refused by the HTTP layer.
URI_SAFE = set((string.ascii_letters + string.digits + "-._~:/?[]@!$&'()*+,;=%").encode())


def to_bytes(text: str) -> bytes:
    """UTF-8, with lone surrogates kept as (invalid) bytes."""
    return text.encode("utf-8", "surrogatepass")


def unicode_text(rng: random.Random, max_len: int = 24) -> str:
    low, high = rng.choice(RANGES)
    return "".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, max_len)))


def huge(rng: random.Random) -> str:
    """10 KB and more. URLs stay under the HTTP layer's 64 KB limit most of the time."""
    unit = rng.choice(["x", "é", "🛒", "a b", "%", "&", "<", "-"])
    return unit * (rng.choice([10_240, 16_384, 30_000, 70_000]) // len(to_bytes(unit)))


def value(rng: random.Random, valid: list[str] = ()) -> str:
    """Anything a query or form field may hold; `valid` values come up now and then."""
    roll = rng.random()
    if valid and roll < 0.25:
        return rng.choice(valid)
    if roll < 0.45:
        return rng.choice(NUMBERS)
    if roll < 0.65:
        return rng.choice(NASTY)
    if roll < 0.80:
        return unicode_text(rng)
    if roll < 0.97:
        return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(0, 12)))
    return huge(rng)


def name(rng: random.Random, known: list[str] = ()) -> str:
    """A parameter name: a known one, its case changed, a nested form, or anything."""
    roll = rng.random()
    if known and roll < 0.5:
        chosen = rng.choice(known)
        return rng.choice([chosen, chosen.upper(), chosen + "[]", chosen + "[0]", chosen + "[x]", " " + chosen])
    if roll < 0.7:
        return rng.choice(["Color", "Size", "Material", "color", "cart", "page", "utm_source", "q[]", "_", ""])
    return value(rng)


def encode(rng: random.Random, text: str) -> bytes:
    """Percent-encoded, mostly properly; sometimes raw or with broken escapes mixed in."""
    data = to_bytes(text)
    roll = rng.random()
    if roll < 0.75:
        return quote_from_bytes(data, safe="").encode().replace(b"%20", b"+")
    if roll < 0.9:
        return inject(rng, quote_from_bytes(data, safe="").encode())
    return data  # raw: spaces, non-ASCII, control bytes


def inject(rng: random.Random, data: bytes) -> bytes:
    """`data` with a broken escape or separator inserted somewhere."""
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice(BROKEN_ESCAPES).encode() + data[at:]


def query(rng: random.Random, pairs: list[tuple[str, str]]) -> bytes:
    """A query string or form body from `pairs`, with odd separators and bare names at times."""
    parts = []
    for key, val in pairs:
        shape = rng.random()
        if shape < 0.9:
            parts.append(encode(rng, key) + b"=" + encode(rng, val))
        elif shape < 0.95:
            parts.append(encode(rng, key))
        else:
            parts.append(b"=" + encode(rng, val))
    separator = rng.choices([b"&", b"&&", b";", b"&amp;"], weights=[90, 4, 3, 3])[0]
    joined = separator.join(parts)
    return inject(rng, joined) if rng.random() < 0.1 else joined


def uri_safe(target: bytes) -> bool:
    """Whether the HTTP layer should accept `target` (else a 400 from it is fine)."""
    return all(byte in URI_SAFE for byte in target)


# ---------------------------------------------------------------------------- paging cursors

# The store hands the emulator's cursors through: base64url, no padding, of the whole query
# and an offset, e.g. {"kind":"Search","filter":null,"sort":[],"search":null,"offset":24}.
CURSOR = {"kind": "Search", "filter": None, "sort": [], "search": None, "offset": 18446744073709551615}

# Hostile contents for each field of a cursor.
CURSOR_FIELDS = {
    "offset": [2**64 - 1, 2**64 - 2, 2**64, 2**63 - 1, 2**63, 2**32, 10**30, -1, -(2**63), 0, 24,
               1e308, -1e308, 1.5, "24", None, [], True],
    "kind": ["Query", "search", "SEARCH", "", "Other", None, 0, ["Search"]],
    "filter": [{}, {"$and": []}, {"$or": [{}]}, {"visible": False}, {"$where": "1"},
               {"price": {"$gt": 1e308}}, {"slug": {"$in": ["x"] * 200}}, "x", 0,
               json.loads("[" * 60 + "]" * 60), json.loads('{"$and":' * 60 + "[]" + "}" * 60)],
    "sort": [None, "x", [{}], [{"fieldName": "price", "order": "DESC"}],
             [{"fieldName": "x" * 500, "order": "ASC"}], [{"fieldName": "price", "order": "SIDEWAYS"}]],
    "search": [{}, {"expression": "mug"}, {"expression": "x" * 2000}, {"expression": None},
               {"fuzzy": True}, "mug", []],
}

# Cursors that are no JSON object at all, or JSON the reader should refuse (raw text).
CURSOR_TEXTS = [
    b"", b"null", b"[]", b"[null, 18446744073709551615]", b'"Search"', b"18446744073709551615", b"{",
    b'{"kind":"Search","filter":null,"sort":[],"search":null,"offset":1,"offset":18446744073709551615}',
    b'{"kind":"Search","filter":null,"sort":[],"search":null,"offset":18446744073709551616}',
    b'{"kind":"Search","filter":null,"sort":[],"search":null,"offset":1e400}',
    b'{"kind":"Search","filter":null,"sort":[],"search":null,"offset":-0}',
    b'{"kind":"Search","filter":null,"sort":[],"search":null,"offset":24} trailing',
    b"\xff\xfe\x00garbage",
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def crafted_cursor(rng: random.Random, real: list[str]) -> tuple[str, str]:
    """A cursor the emulator never made (from scratch or from a `real` one), and what it holds."""
    roll = rng.random()
    if roll < 0.7:
        data = dict(CURSOR)
        if real and rng.random() < 0.4:
            try:
                data = json.loads(base64.urlsafe_b64decode(rng.choice(real) + "=="))
            except ValueError:  # a cursor of another shape: start from ours
                pass
        changes = rng.sample(sorted(CURSOR_FIELDS), rng.randint(0, 2))
        for key in changes:
            data[key] = rng.choice(CURSOR_FIELDS[key])
        if rng.random() < 0.1:
            data.pop(rng.choice(sorted(data)), None)
        elif rng.random() < 0.1:
            data["extra"] = 1
        text = json.dumps(data, separators=(",", ":"))
        return b64url(text.encode()), text[:120]
    if roll < 0.85:
        text = rng.choice(CURSOR_TEXTS)
        return b64url(text), repr(text[:120])
    encoded = b64url(json.dumps(CURSOR).encode())
    garbage = rng.choice([
        (encoded + "==", "with padding"),
        (base64.b64encode(json.dumps(CURSOR).encode() + b"\xfb\xff").decode(), "standard base64"),
        (encoded[: len(encoded) // 2], "cut in half"),
        (encoded + rng.choice(["!", "%", "%00", ".", "~"]), "a stray character"),
        (b64url(rng.randbytes(rng.choice([1, 16, 300, 2500]))), "random bytes"),
        ("A" * rng.choice([4095, 4096, 4097, 10_000]), "long"),
    ])
    return garbage
