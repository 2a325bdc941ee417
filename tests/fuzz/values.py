"""Hostile values and encodings, all drawn from a seeded `random.Random` so a case replays."""

from __future__ import annotations

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
