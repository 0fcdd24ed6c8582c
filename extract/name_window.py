"""Where a name starts, given where its head word (派出所, 平台, 中心) is.

Chinese has no spaces, so a head word's name runs left until something that cannot be part of a name:
punctuation, or a verb or function word (依托省政法一体化办案系统: the name starts after 依托). The
stop words are data (`left_stops` in `schema/patterns/entity_rules.json`); this module only applies
them: the name starts after the rightmost stop in a bounded window.
"""

from __future__ import annotations

import re
from typing import Any

from policekg.extract.patterns import compile_alternation

QUOTES = "“”\"「」『』‘’"


class NameWindow:
    """Finds the start of a name ending at a head word."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self._name_char = re.compile(rules["name_chars_re"])
        self._max = rules["max_name_chars"]
        de = rules["allowed_before_de"]
        stops = [w for w in rules["left_stops"] if w != "的"]
        self._stop = re.compile(f"{compile_alternation(stops)}|(?<!{de})的")
        self._conjunctions = set(rules["conjunctions"])
        self._conjunction_min_rest = rules["conjunction_min_rest"]
        self._year = re.compile(rules["year_prefix_re"])

    def start(self, text: str, head_start: int, allow_quotes: bool = False) -> int:
        """The offset where the name whose head starts at `head_start` begins (== head_start: no name)."""
        i = head_start
        while i > 0 and head_start - i < self._max and (
                self._name_char.match(text[i - 1]) or (allow_quotes and text[i - 1] in QUOTES)):
            i -= 1
        window = text[i:head_start]
        cut = 0
        for match in self._stop.finditer(window):
            rest = window[match.end():]
            if match.group() in self._conjunctions and _letters(rest) >= self._conjunction_min_rest:
                continue
            cut = match.end()
        cut += self._year.match(window, cut).end() - cut
        while cut < len(window) and window[cut] in QUOTES + "()" and not _balanced(window[cut:]):
            cut += 1
        return i + cut


def _letters(s: str) -> int:
    return sum(1 for c in s if c not in QUOTES)


def _balanced(s: str) -> bool:
    """Whether the opening quote or bracket at the start of `s` is closed inside it."""
    closing = {"“": "”", "「": "」", "『": "』", "‘": "’", "(": ")", "\"": "\""}
    close = closing.get(s[0])
    return bool(close) and close in s[1:]
