"""Which candidate names survive when they overlap: a pure function, tested alone.

Within one family of kinds (organisations, legal instruments, programs, platforms, places) the longest
match wins: 宁波市公安局 is not a mention of 市公安局, 网络安全法治 is not 网络安全法, 执法办案管理分中心 is
not 执法办案管理中心. Across families names nest: 宁波 inside 宁波电子证明共享核查平台 is still a place,
国家反诈中心 inside 国家反诈中心APP is still a body. One exception: an unquoted program inside another
kind of name (政法一体化办案 inside 省政法一体化办案系统) is part of that name, not a mention.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from policekg.schema.vocabulary import ENTITY_CLASSES

FAMILY: dict[str, str] = {c.name: c.family for c in ENTITY_CLASSES if c.extracted}
SOURCE_RANK = {"lexicon": 0, "quote": 1, "pattern": 2}
_END = itemgetter(1)


class Candidate(NamedTuple):
    """A possible entity mention; `canonical` is set when a lexicon knows the name."""

    start: int
    end: int
    kind: str
    source: str  # lexicon / quote / pattern
    canonical: str = ""
    quoted: bool = False

    @property
    def family(self) -> str:
        return FAMILY[self.kind]


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Longest match wins inside a family; the same stretch claimed by two families goes to the
    best source; unquoted programs nested in other names are dropped. Sorted by position."""
    families: dict[str, list[Candidate]] = {}
    for c in candidates:
        families.setdefault(FAMILY[c.kind], []).append(c)
    kept: list[Candidate] = []
    for members in families.values():
        kept.extend(_longest_first(members))
    by_span: dict[tuple[int, int], Candidate] = {}
    for c in kept:  # the best source, the first of equals
        held = by_span.setdefault((c.start, c.end), c)
        if SOURCE_RANK[c.source] < SOURCE_RANK[held.source]:
            by_span[c.start, c.end] = c
    kept = sorted(by_span.values())  # by (start, end): no two share both
    if not any(c.kind == "Program" and not c.quoted for c in kept):
        return kept
    covered = _Coverage([c for c in kept if c.kind not in ("Program", "Place")])
    return [c for c in kept if not (c.kind == "Program" and not c.quoted and covered.covers(c))]


class _Coverage:
    """Answers "does any of these spans contain that one?" by bisection over their starts."""

    def __init__(self, spans: list[Candidate]) -> None:
        spans = sorted(spans)  # by start (ties in any order: the ends are only maximised)
        self._starts = [c.start for c in spans]
        self._max_end = list(accumulate((c.end for c in spans), max))

    def covers(self, c: Candidate) -> bool:
        """Whether a span starting at or before `c` reaches its end (an identical span cannot be
        here: each stretch was given to one family above)."""
        i = bisect_right(self._starts, c.start) - 1
        return i >= 0 and self._max_end[i] >= c.end


def _longest_first(candidates: list[Candidate]) -> list[Candidate]:
    """spaCy's filter_spans rule (longest, then earliest) with lexicon entries first among equals."""
    rank = SOURCE_RANK
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, rank[c.source], c.start))
    taken: list[Candidate] = []
    occupied = bytearray(max(map(_END, candidates)) + 1)
    for c in ordered:
        if occupied.find(1, c.start, c.end) < 0:
            taken.append(c)
            occupied[c.start:c.end] = b"\x01" * (c.end - c.start)
    return taken
