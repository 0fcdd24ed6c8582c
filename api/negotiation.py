"""HTTP content negotiation (RFC 9110 §12.5.1): which of the media types we can write the client wants most.

A small parser of our own (Starlette has none; one module does not justify a dependency), pure and
tested alone. Each offer gets the q-value of the most specific range in the Accept header that
matches it (`text/turtle` beats `text/*` beats `*/*`); the highest q wins and ties go to the server's
order, so callers list their preferred default first (HTML for the pages, JSON / Turtle for SPARQL).
Shared by the pages (`choose`) and the SPARQL endpoint (`rank`, `names_explicitly`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from policekg.kg.rdf.formats import RdfFormat, ResultsFormat

T = TypeVar("T")

#: Every negotiated answer depends on `Accept` (several formats at one address): caches must know.
VARY = {"Vary": "Accept"}


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: `type/subtype` (either may be `*`) with its quality."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """-1 when this range does not match `media_type`, else 0 (*/*), 1 (type/*) or 2 (exact)."""
        mtype, _, msub = media_type.lower().partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != mtype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == msub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts everything.

    Malformed elements are skipped and malformed q-values count as 0, rather than failing the
    request: the worst outcome is a default format.
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        mtype, slash, msub = media.lower().partition("/")
        if slash and mtype and msub:
            ranges.append(MediaRange(mtype, msub, _q(params)))
    return ranges


def _q(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives `media_type`: that of the most specific matching range, else 0."""
    best, q = -1, 0.0
    for r in ranges:
        spec = r.specificity(media_type)
        if spec > best:
            best, q = spec, r.q
    return q


def choose(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client likes best (ties: earliest), or None when it accepts none."""
    ranked = rank(accept, offered, lambda m: (m,))
    return ranked[0] if ranked else None


def rank(header: str | None, candidates: Sequence[T], media_types: Callable[[T], Sequence[str]]) -> list[T]:
    """The candidates the client accepts, most wanted first (ties keep our order).

    A candidate may be known by several media types (`text/turtle`, `application/x-turtle`); it
    gets the best q-value of any of them.
    """
    ranges = parse_accept(header)
    scored = [(max(quality(ranges, m) for m in media_types(c)), i, c) for i, c in enumerate(candidates)]
    return [c for q, _, c in sorted(scored, key=lambda s: (-s[0], s[1])) if q > 0]


def names_explicitly(header: str | None, media_type: str) -> float:
    """The q-value of a range naming exactly `media_type` (0 if none): how a browser asks for HTML,
    as opposed to curl's `*/*`."""
    return max((r.q for r in parse_accept(header) if r.specificity(media_type) == 2), default=0.0)


def media_types(fmt: RdfFormat | ResultsFormat) -> tuple[str, ...]:
    """Every media type a format answers to (`text/turtle`, `application/x-turtle`): what `rank` matches."""
    return (fmt.media_type, *fmt.also)
