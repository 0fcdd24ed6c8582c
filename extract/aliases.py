"""Folding short spellings into the long name they abbreviate, within one report.

Reports name a thing in full once and then shorten it: 宁波电子证明共享核查平台 … 共享核查平台 … 共享平台;
行政执法和刑事司法衔接信息管理平台 … 行刑衔接平台; 执法办案管理(分)中心 for 执法办案管理中心. A short
name folds into a longer one of the same kind (and parent; for police units only local ones) when its characters appear in order in the
long one, it shares the first character or the last two, and it is clearly shorter (at most
`MAX_RATIO` of the length). A name with a barely longer variant (执法办案管理中心 beside 执法办案管理
分中心) is a sibling, not an abbreviation, and stays. When several long names fit, the shortest is
taken (办案中心 → 执法办案管理中心).
"""

from __future__ import annotations

from policekg.extract.model import Entity
from policekg.extract.names import without_parentheses

FOLDED_KINDS = ("Program", "Platform", "PoliceUnit")
MAX_RATIO = 0.7
MIN_CHARS = 3


def in_order(short: str, long: str) -> bool:
    """Whether the characters of `short` appear in `long` in the same order."""
    chars = iter(long)
    return all(c in chars for c in short)


def is_abbreviation(short: str, long: str) -> bool:
    """Whether `short` abbreviates `long` (see the module docstring)."""
    if len(short) < MIN_CHARS or len(short) > MAX_RATIO * len(long):
        return False
    return (short[0] == long[0] or short[-2:] == long[-2:]) and in_order(short, long)


def _near_variant(short: str, names: list[str]) -> bool:
    """Whether a name barely longer than `short` contains it (执法办案管理中心 / 执法办案管理分中心):
    then `short` is a sibling of those names, not an abbreviation of any of them."""
    return any(len(short) < len(n) and len(short) > MAX_RATIO * len(n) and in_order(short, n) for n in names)


def fold_aliases(entities: list[Entity]) -> list[Entity]:
    """The entities with abbreviations merged into their long names (mentions and aliases kept)."""
    by_key = {e.key: e for e in entities}
    target: dict[str, str] = {}
    for e in entities:
        if e.kind not in FOLDED_KINDS or (e.kind == "PoliceUnit" and e.parent is None):
            continue  # bureaus are named in full or resolved by their abbreviation already
        peers = [o for o in entities if o.kind == e.kind and o.parent == e.parent and o is not e]
        same = [o for o in peers if without_parentheses(e.name) == o.name and e.name != o.name]
        if not same and _near_variant(e.name, [o.name for o in peers]):
            continue
        longer = same or sorted((o for o in peers if is_abbreviation(e.name, o.name)), key=lambda o: len(o.name))
        if longer:
            target[e.key] = longer[0].key
    for key, into in target.items():
        while into in target and target[into] != key:
            into = target[into]
        if into == key:
            continue
        merged = by_key[into]
        merged.aliases |= by_key[key].aliases
        merged.mentions = sorted(merged.mentions + by_key[key].mentions, key=lambda m: m.start)
    return sorted((e for e in entities if e.key not in target or _cycle(e.key, target)),
                  key=lambda e: e.mentions[0].start if e.mentions else 0)


def _cycle(key: str, target: dict[str, str]) -> bool:
    """Whether following `key`'s fold leads back to it (then it stays, nothing was merged)."""
    seen, into = {key}, target.get(key)
    while into in target and into not in seen:
        seen.add(into)
        into = target[into]
    return into == key
