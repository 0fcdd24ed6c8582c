"""Quoted phrases, and whether a quoted phrase names a program, a platform, or neither.

Reports put most initiatives in quotes (“一村一辅警”工作机制), but also slogans, words used loosely
(“清零”隐患), brands (“甬商”品牌), outcomes (“双下降”) and dates (“12·4”). The decision looks at the
phrase itself (length, digits, outcome words) and at what follows it (类/性/品牌 mark a word, APP/平台
mark a platform). Phrases joined by 、/和 share what follows them (“天府通办”和“蓉易办”平台).
All the word lists are data in `schema/patterns/entity_rules.json`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from typing import Any, NamedTuple

from policekg.extract.patterns import compile_alternation
from policekg.extract.text.marks import DOUBLE_QUOTES

_CHINESE = re.compile("[\u4e00-\u9fff]")
_SPACES_AND_QUOTES = re.compile(f"[\\s{DOUBLE_QUOTES}]")
_LIST_MARKS = re.compile("[、,,]")
_SENTENCE_MARKS = re.compile("[。!?!?;;:]")
_NUMERALS = re.compile("[一二两三四五六七八九十]+个?")


class Quote(NamedTuple):
    """A quoted phrase: `start`/`end` include the quote marks, `inner_*` do not."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    text: str


def find_quotes(text: str, pairs: list[list[str]], ascii_quote: str) -> list[Quote]:
    """Every quoted phrase on one line: paired marks, and ASCII quotes taken two by two."""
    found = []
    for open_, close in pairs:
        for m in _quoted_by(open_, close).finditer(text):
            found.append(Quote(m.start(), m.end(), m.start(1), m.end(1), m.group(1)))
    positions = [m.start() for m in re.finditer(re.escape(ascii_quote), text)]
    for _, line in groupby(positions, key=lambda pos: text.rfind("\n", 0, pos)):
        marks = list(line)
        for a, b in zip(marks[::2], marks[1::2]):
            if 0 < b - a - 1 <= 40:
                found.append(Quote(a, b + 1, a + 1, b, text[a + 1:b]))
    return sorted(found, key=lambda q: q.start)


@lru_cache(maxsize=64)
def _quoted_by(open_: str, close: str) -> re.Pattern[str]:
    """A phrase of 1 to 40 characters on one line between `open_` and `close`."""
    return re.compile(f"{re.escape(open_)}([^{re.escape(open_ + close)}\\n]{{1,40}}){re.escape(close)}")


class QuoteClassifier:
    """Decides what a quoted phrase names: "Program", "Formulation", "Platform" or None."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self._min = rules["program_min_chars"]
        self._max = rules["program_max_chars"]
        self._short_ok = re.compile(compile_alternation(rules["short_program_followers"]))
        self._not_follow = re.compile(compile_alternation(rules["not_program_followers"]))
        self._not_end = tuple(rules["not_program_endings"])
        self._not_words = re.compile(compile_alternation(rules["not_program_words"]))
        self._not_prefix3 = tuple(rules["not_program_prefix3"])
        self._not_starts = tuple(rules["not_program_starts"])
        self._not_shape = re.compile(rules["not_program_re"])
        self._slogan_item = re.compile(rules["slogan_chain_item_re"])
        self._speech = re.compile(compile_alternation(rules["speech_marks"]))
        self._slogan_starts = tuple(rules["slogan_item_starts"])
        self._item_min, self._item_max = rules["program_list_item_chars"]
        self._list_max = rules["program_list_max_chars"]
        self._outcome_item = re.compile(rules["outcome_item_re"])
        self._numbered = re.compile(rules["numbered_program_re"])
        self._people = tuple(rules["people_endings"])
        self._category_lead = tuple(rules["category_leaders"])
        self._coded = re.compile(rules["coded_program_re"])
        self._coded_lead = tuple(rules["coded_program_leaders"])
        self._coded_follow = tuple(rules["coded_program_followers"])
        self._qualifies = re.compile(rules["qualified_noun_re"])
        self._platform_follow = re.compile(compile_alternation(rules["platform_followers"]))
        self._platform_content = tuple(rules["platform_content_heads"])
        self._chain_gaps = ("", *rules["quote_chain_joiners"])  # what may separate the quotes of one chain
        self._platform_lead = tuple(rules["platform_leaders"])
        self._usage_lead = tuple(rules["platform_usage_leaders"])
        self._usage_follow = tuple(rules["platform_usage_followers"])
        self._attitude_lead = tuple(rules["attitude_leaders"])
        self._counted = re.compile(rules["counted_set_re"])
        self._counted_heads = tuple(rules["counted_set_heads"])
        self._needs_chinese = rules["program_needs_chinese"]

    def classify(self, text: str, quotes: list[Quote], platforms: frozenset[str] = frozenset()
                 ) -> list[str | None]:
        """The kind of each quote (same order), reading the follower of each chain of joined quotes.
        A chain holding a known platform (`platforms`: “粤省事”“粤商通”) is a chain of platforms."""
        kinds: list[str | None] = [None] * len(quotes)
        for chain in self._chains(text, quotes):
            follower = text[quotes[chain[-1]].end:quotes[chain[-1]].end + 6]
            before = text[max(0, quotes[chain[0]].start - 6):quotes[chain[0]].start]
            led = before.endswith(self._platform_lead) or any(quotes[i].text in platforms for i in chain) \
                or (before.endswith(self._usage_lead) and follower.startswith(self._usage_follow))
            attitude = before.endswith(self._attitude_lead) or len(chain) > 1 and all(
                self._slogan_item.match(quotes[i].text) for i in chain)  # “掌上办”“就近办”
            for i in chain:
                phrase = quotes[i].text
                kinds[i] = "Platform" if led else self._coded_kind(phrase, before, follower) \
                    or (None if before.endswith(self._category_lead) else self._numbered_kind(phrase, follower)) \
                    or (None if attitude else self._kind(phrase, follower))
        return kinds

    def _chains(self, text: str, quotes: list[Quote]) -> list[list[int]]:
        chains: list[list[int]] = []
        for i, q in enumerate(quotes):
            if chains and text[quotes[chains[-1][-1]].end:q.start] in self._chain_gaps:
                chains[-1].append(i)
            else:
                chains.append([i])
        return chains

    def _coded_kind(self, phrase: str, before: str, follower: str) -> str | None:
        """省委“1310”具体部署: digits a committee issues or a plan follows name a program."""
        coded = self._coded.match(phrase) and (before.endswith(self._coded_lead)
                                               or follower.startswith(self._coded_follow))
        return "Program" if coded else None

    def _numbered_kind(self, phrase: str, follower: str) -> str | None:
        """“四个一”, “两强化两提升”, 做到“三个到位”: a numbered formulation (pk:Formulation, a kind of
        program), whatever leads or follows it,
        unless it is a plan's period (“十四五”), an outcome (“两降四升”) or people, or qualifies a noun."""
        parts = [part for part in _NUMERALS.split(phrase) if part]  # 两强化两提升 → 强化, 提升
        outcome = bool(parts) and all(part.endswith(self._not_end) for part in parts)  # “两降四升”
        numbered = self._numbered.match(phrase) and not self._not_shape.match(phrase) and not outcome \
            and not phrase.endswith(self._people) and not self._not_words.fullmatch(phrase) \
            and not self._qualifies.match(follower) and not self._platform_follow.match(follower)
        if not numbered:
            return None
        worked = phrase[-2:-1] == "联" or phrase.endswith(self._counted_heads) \
            or follower.startswith(self._counted_heads) or set(_NUMERALS.findall(phrase)) == {"一"}
        return "Program" if worked else "Formulation"  # “三室联动”, “三项制度”, “一村一辅警” are work; “四个一” is said

    def _list_kind(self, letters: str) -> str | None:
        """“进千企、解企忧、促发展”, “件件有回音,事事有着落”: two or more short items (split at 、 or a
        comma) are a slogan, principle or target the reports count as a program, unless every item exhorts
        (“不听、不信、不转账”) or is an outcome (“零发案、零事故”). "" when `letters` is no such list."""
        items = _LIST_MARKS.split(letters)
        if len(items) < 2 or len(letters) > self._list_max or _SENTENCE_MARKS.search(letters) \
                or not all(self._item_min <= len(item) <= self._item_max for item in items) \
                or self._not_words.search(letters):
            return ""
        if all(item.startswith(self._slogan_starts) for item in items) \
                or all(self._outcome_item.search(item) for item in items):
            return None
        return "Program"

    def _kind(self, phrase: str, follower: str) -> str | None:
        letters = _SPACES_AND_QUOTES.sub("", phrase)
        if self._platform_follow.match(follower) or letters.endswith(self._platform_content):
            return "Platform"
        if self._qualifies.match(follower):
            return None
        if (listed := self._list_kind(letters)) != "":
            return listed
        if self._not_follow.match(follower) or not self._max >= len(letters) >= 2:
            return None
        if self._needs_chinese and not _CHINESE.search(letters):
            return None
        if len(letters) < self._min and not self._short_ok.match(follower):
            return None
        if letters.endswith(self._not_end + self._people):
            return None
        if self._not_words.search(letters) or self._speech.search(phrase):
            return None
        if len(letters) == 3 and letters.startswith(self._not_prefix3) or letters.startswith(self._not_starts) \
                or self._not_shape.match(letters):
            return None
        if self._counted.match(letters) and not letters.endswith(self._counted_heads):
            return None
        return "Program"
