"""Where a name starts, given where its head word (派出所, 平台, 中心) is.

Chinese has no spaces, so a head word's name runs left until something that cannot be part of a name:
punctuation, or a verb or function word (依托省政法一体化办案系统: the name starts after 依托). The
stop words are data (`left_stops` in `schema/patterns/entity_rules.json`); this module only applies
them: the name starts after the rightmost stop in a bounded window.
"""

from __future__ import annotations

import re
from typing import Any

from policekg.extract.text.marks import QUOTE_PAIRS, QUOTES


class NameWindow:
    """Finds the start of a name ending at a head word."""

    def __init__(self, rules: dict[str, Any]) -> None:
        name_chars = rules["name_chars_re"]  # one character class: [...]
        # the run of name characters before a head ends at the last character that cannot be in a name: the
        # first one in the reversed window (one search in C, whatever the window holds)
        self._not_name = re.compile(f"[^{name_chars[1:-1]}]")
        self._not_quoted_name = re.compile(f"[^{name_chars[1:-1]}{re.escape(QUOTES)}]")
        self._max = rules["max_name_chars"]
        self._stops = frozenset(rules["left_stops"])
        self._stop_ends = frozenset(w[-1] for w in self._stops if w)  # most characters end no stop word
        self._lengths = sorted({len(w) for w in self._stops}, reverse=True)
        self._de_after = rules["allowed_before_de"]
        self._head_compounds = frozenset(rules["stops_kept_before_head"])
        self._conjunctions = set(rules["conjunctions"])
        self._conjunction_min_rest = rules["conjunction_min_rest"]
        self._name_ends = tuple(rules["conjunction_name_ends"] + list(rules["platform_heads"]) + [
            h for key in ("unit_heads", "center_heads", "committee_heads", "office_heads", "body_heads")
            for h in rules[key]])
        self._year = re.compile(rules["year_prefix_re"])

    def start(self, text: str, head_start: int, allow_quotes: bool = False) -> int:
        """The offset where the name whose head starts at `head_start` begins (== head_start: no name)."""
        lo = max(0, head_start - self._max)
        stop = (self._not_quoted_name if allow_quotes else self._not_name).search(text[lo:head_start][::-1])
        i = head_start - stop.start() if stop else lo
        window = text[i:head_start]
        cut = self._last_stop_end(window)
        cut += self._year.match(window, cut).end() - cut
        while cut < len(window) and window[cut] in QUOTES + "()" and not _balanced(window[cut:]):
            cut += 1
        return i + cut

    def _last_stop_end(self, window: str) -> int:
        """The end of the rightmost stop word in `window` (0 if none), scanning from the right."""
        for end in range(len(window), 0, -1):
            if window[end - 1] not in self._stop_ends:
                continue
            for n in self._lengths:
                word = window[end - n:end] if end >= n else ""
                if word not in self._stops:
                    continue
                if word == "的" and window[end - 2:end - 1] == self._de_after:
                    continue
                if end == len(window) and word in self._head_compounds:
                    continue  # 智治应用|平台: 应用 before the head word is part of the name
                if word in self._conjunctions and letters(window[end:]) >= self._conjunction_min_rest \
                        and not window[:end - 1].endswith(self._name_ends) and not self._stop_ends_at(window, end - 1):
                    continue  # 行政执法和刑事司法…平台 is one name; 执法办案中心和…系统 and 实现|与… join two
                return end
        return 0


    def _stop_ends_at(self, window: str, end: int) -> bool:
        """Whether a stop word ends at `end` (实现与县局…: a conjunction right after a verb opens no name)."""
        return end == 0 or any(window[max(0, end - n):end] in self._stops for n in self._lengths)


#: The mark that closes each opening quote or bracket.
_CLOSING = {**QUOTE_PAIRS, "(": ")"}


def letters(s: str) -> int:
    """The length of `s` without its quote marks: a quoted name is as long as its words."""
    return sum(1 for c in s if c not in QUOTES)


def _balanced(s: str) -> bool:
    """Whether the opening quote or bracket at the start of `s` is closed inside it."""
    close = _CLOSING.get(s[0])
    return bool(close) and close in s[1:]
