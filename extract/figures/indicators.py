"""Indicator phrases: what a figure counts, worded the same way in every report.

"2022年共办结矛盾纠纷822起" and "全年办结各类矛盾纠纷1,203起" count the same thing; the graph can only
compare them if both become the indicator 办结矛盾纠纷. The phrase is the clause before the figure,
stripped of time words (2022年, 截至12月20日), counting words (共, 累计, 已), quantifiers (各类) and
linking verbs (达, 为); when nothing is left (2个公安综合窗口进驻…), the words after the figure are used.
"""

from __future__ import annotations

import re
from typing import Any

from policekg.extract.patterns import compile_alternation


class IndicatorRules:
    """The compiled phrase rules of `schema/patterns/observations.json`."""

    def __init__(self, patterns: dict[str, Any]) -> None:
        chars, words = patterns["clause_break_chars"], patterns["clause_break_words"]
        self.clause_break = re.compile(f"[{re.escape(chars)}]|{compile_alternation(words)}")
        # the last break before a figure is the first one in the reversed text before it
        reversed_words = compile_alternation([w[::-1] for w in words])
        self._last_break = re.compile(f"[{re.escape(chars)}]|{reversed_words}")
        self._last_break_not_list = re.compile(f"[{re.escape(chars.replace('、', ''))}]|{reversed_words}")
        self.head = re.compile(f"^(?:{patterns['time_prefix']}|{compile_alternation(patterns['strip_prefixes'])}|\\s)+")
        # suffixes are matched at the start of the reversed phrase: a `…$` alternation is tried at every position
        reversed_suffixes = [w[::-1] for w in patterns["strip_suffixes"]]
        self.tail_reversed = re.compile(f"^(?:{compile_alternation(reversed_suffixes)}|\\s)+")
        self.usable = re.compile(r"[\u4e00-\u9fffA-Za-z].*?" * (int(patterns["min_indicator_chars"]) - 1)
                                 + r"[\u4e00-\u9fffA-Za-z]")
        self.inside = re.compile(compile_alternation(patterns["strip_inside"]))
        self.each = re.compile(patterns["each"])
        self.list_split = re.compile(patterns["list_split"])

    def clause_starts(self, text: str, lo: int, pos: int) -> tuple[int, int]:
        """Where the clause ending at `pos` starts (not before `lo`), and where it starts when read
        across the 、 of a list (隐患告知书、整改通知书各10份)."""
        window = text[lo:pos][::-1]
        last = self._last_break.search(window)
        if last is None:
            return lo, lo
        # the breaks that are not 、 are breaks too: they only differ from the last one when it is a 、
        last_not_list = self._last_break_not_list.search(window, last.start()) if last.group() == "、" else last
        return pos - last.start(), (pos - last_not_list.start() if last_not_list else lo)

    def normalize(self, phrase: str) -> str:
        """The shared indicator phrase for a raw one (共办结各类矛盾纠纷 → 办结矛盾纠纷)."""
        text = self.inside.sub("", phrase)
        head = self.head.match(text)  # anchored at the start: one match, no scan of the rest (as sub did)
        if head:
            text = text[head.end():]
        tail = self.tail_reversed.match(text[::-1])
        return text[:len(text) - tail.end()] if tail else text

    def is_usable(self, indicator: str) -> bool:
        """At least `min_indicator_chars` letters: 2个 alone, or 其中, says nothing about what is counted."""
        return self.usable.search(indicator) is not None

    def each_items(self, phrase: str) -> list[str] | None:
        """'隐患告知书和整改通知书各' → the two items the one figure applies to; None if not such a list."""
        if not self.each.search(phrase):
            return None
        items = [p for p in self.list_split.split(self.each.sub("", phrase)) if p.strip()]
        return items if len(items) > 1 else None
