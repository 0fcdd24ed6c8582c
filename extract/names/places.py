"""Place names the gazetteer does not know, and when a gazetteer match is not a place.

A finder of `entity_rules` (its class is mixed into `EntityRules`, which compiles the rules they share):
the gazetteer's places matched in the text, the issuer's own place however the report writes it
(慈溪市, 慈溪, 我市), and towns, streets and squares named before 镇/街道/广场….
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from policekg.extract.names.issuer_context import IssuerContext
from policekg.extract.names.lexicon import Gazetteer
from policekg.extract.names.name_window import NameWindow
from policekg.extract.names.overlaps import Candidate

_CJK_RUN = re.compile("[\u4e00-\u9fff]+")


class PlaceFinders:
    """The `Place` family's finders."""

    # compiled once by `EntityRules.initialize` and shared by every family's finders
    rules: dict[str, Any]  # schema/patterns/entity_rules.json
    re: dict[str, Any]  # its regexes, compiled
    words: dict[str, tuple[str, ...]]  # its word lists, as tuples
    window: NameWindow
    gaz: Gazetteer
    generic_prefixes: tuple[str, ...]
    verb_led_places: frozenset[str]  # gazetteer names that open with a verb (会同县)

    def _places(self, text: str, matches: list[tuple[str, int, int]], ctx: IssuerContext | None
                ) -> Iterator[Candidate]:
        blocklist = [phrase for phrase in self.rules["place_short_blocklist"] if phrase in text]
        unit_after = self.words["unit_heads"]
        for key, start, end in matches:
            if not key.startswith("Place|"):
                continue
            name = key[6:]
            if name in self.verb_led_places and name != (ctx.place if ctx else None):
                continue  # 会同县司法局 is 会同 + 县司法局 far more often than the county 会同县
            if name in self.gaz.short_forms and (
                    text.startswith(unit_after, end)
                    or any(_covers(text, start, end, phrase) for phrase in blocklist)):
                continue
            yield Candidate(start, end, "Place", "lexicon", self.gaz.short_forms.get(name, name))
        if ctx and ctx.place:
            own = [ctx.place, *([ctx.short_place] if ctx.short_place else []),
                   *self.rules["own_place_words"].get(ctx.level or "", [])]
            for word in own:
                pos = text.find(word)
                while pos >= 0:
                    yield Candidate(pos, pos + len(word), "Place", "lexicon", ctx.place)
                    pos = text.find(word, pos + len(word))

    def _local_places(self, text: str) -> Iterator[Candidate]:
        """Towns, streets and squares: a name of two characters or more before 镇/街道/广场…"""
        bad = self.words["place_body_bad_endings"]
        generic = self.generic_prefixes
        blocked = self.words["place_blocked_after"]
        kinds = self.re["place_kinds"]
        divisions = self.rules["division_heads"]
        for m in self.re["place_head"].finditer(text):
            start = self.window.start(text, m.start())
            body = text[start:m.start()]
            if not 2 <= len(body) <= self.rules["max_place_body"] or not _CJK_RUN.fullmatch(body) \
                    or (m.group() in divisions and body.endswith(bad)) or body.startswith(generic) \
                    or text.startswith(blocked, m.end()):
                continue
            if not kinds.search(body):  # 旅游景区, 城市公园: a kind of place
                yield Candidate(start, m.end(), "Place", "pattern")


def _covers(text: str, start: int, end: int, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` around the stretch start..end."""
    lo = max(0, start - len(phrase))
    pos = text.find(phrase, lo, end + len(phrase))
    return pos != -1 and pos <= start and pos + len(phrase) >= end
