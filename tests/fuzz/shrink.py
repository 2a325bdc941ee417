"""Shrinking a failing request to a small one that fails the same way: drop the body, the
query, headers and `&`/`;`-separated pieces, then halve what is left, keeping each step that
still reproduces the failure's signature."""

from __future__ import annotations

from typing import Callable, Iterator

from client import Request


def shrink(request: Request, reproduces: Callable[[Request], bool], budget: int) -> tuple[Request, int]:
    """The smallest variant found within `budget` tries, and the tries used."""
    best, tries = request, 0
    improved = True
    while improved and tries < budget:
        improved = False
        for candidate in candidates(best):
            if candidate.size() >= best.size():
                continue
            tries += 1
            if reproduces(candidate):
                best, improved = candidate, True
                break
            if tries >= budget:
                break
    return best, tries


def candidates(request: Request) -> Iterator[Request]:
    path, has_query, query = request.target.partition(b"?")
    if request.body:
        yield request.with_(body=b"")
    if has_query:
        yield request.with_(target=path)
    for at in range(len(request.headers)):
        yield request.with_(headers=request.headers[:at] + request.headers[at + 1:])
    for body in smaller(request.body, b"&"):
        yield request.with_(body=body)
    if has_query:
        for smaller_query in smaller(query, b"&"):
            yield request.with_(target=path + b"?" + smaller_query)
    for at, (name, value) in enumerate(request.headers):
        for smaller_value in smaller(value, b"; " if name == "cookie" else b"\0"):
            headers = list(request.headers)
            headers[at] = (name, smaller_value)
            yield request.with_(headers=headers)


def smaller(data: bytes, separator: bytes) -> Iterator[bytes]:
    """`data` with chunks of its pieces removed (halves first, then quarters, …), then with one
    long piece halved."""
    pieces = data.split(separator) if separator in data else [data]
    size = len(pieces) // 2
    while size >= 1:
        for start in range(0, len(pieces), size):
            rest = pieces[:start] + pieces[start + size:]
            if rest:
                yield separator.join(rest)
        size //= 2
    for at, piece in enumerate(pieces):
        if len(piece) > 1:
            for half in (piece[: len(piece) // 2], piece[len(piece) // 2:]):
                yield separator.join(pieces[:at] + [half] + pieces[at + 1:])
