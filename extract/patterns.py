"""Loads the rule data of a component from `schema/patterns/{name}.json` (package data).

Patterns are data, kept apart from the matching code (see docs/style): a reviewer can read what a rule
matches without reading Python, and a new spelling is a one-line change to a JSON file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_patterns(name: str) -> dict[str, Any]:
    """The JSON object in `schema/patterns/{name}.json`; keys starting with `_` are comments."""
    path = resources.files("policekg.schema").joinpath("patterns", f"{name}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def compile_alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest spelling wins.

    The one-character words come last as one character class: `re` tries the alternatives of a branch
    one by one at every position it looks at, a class in one step, and the matches are the same.
    """
    ordered = sorted(words, key=len, reverse=True)
    single = [re.escape(w) for w in ordered if len(w) == 1]
    parts = [re.escape(w) for w in ordered if len(w) > 1]
    parts += [f"[{''.join(single)}]"] if len(single) > 1 else single
    return "|".join(parts + [w for w in ordered if not w])


def finditer_near(regex: re.Pattern[str], text: str, word: str, reach: int) -> Iterator[re.Match[str]]:
    """The matches of `regex.finditer(text)`, for a regex each of whose matches holds `word` at most
    `reach` characters after its start. Only the starts near each occurrence of the word are tried:
    a pattern whose first characters are common (互联网+政务服务, 涉企…免罚清单) would otherwise cost a
    regex attempt at every character of the report, for a word most reports use a few times."""
    pos = 0
    while (at := text.find(word, pos)) >= 0:
        for start in range(max(pos, at - reach), at + 1):
            match = regex.match(text, start)
            if match:
                yield match
                pos = max(match.end(), start + 1)
                break
        else:
            pos = at + 1


def finditer_at(regex: re.Pattern[str], text: str, words: tuple[str, ...]) -> list[re.Match[str]]:
    """The matches of `regex` that start where one of `words` does, in text order: for a regex that
    opens with one of them, whose first characters are common on their own (人 of 人大, 法 of 法院)."""
    found = []
    for word in words:
        pos = text.find(word)
        while pos >= 0:
            match = regex.match(text, pos)
            if match:
                found.append(match)
            pos = text.find(word, pos + 1)
    return sorted(found, key=lambda m: m.start())
