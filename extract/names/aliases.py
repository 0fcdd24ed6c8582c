"""Folding short spellings into the long name they abbreviate, within one report.

Reports name a thing in full once and then shorten it: 宁波电子证明共享核查平台 … 共享核查平台 … 共享平台;
行政执法和刑事司法衔接信息管理平台 … 行刑衔接平台; 执法办案管理(分)中心 for 执法办案管理中心. A short
name folds into a longer one of the same kind (and parent; for police units only local ones) when its characters appear in order in the
long one, it shares the first character or the last two, and it is clearly shorter (at most
`MAX_RATIO` of the length). A name with a barely longer variant (执法办案管理中心 beside 执法办案管理
分中心) is a sibling, not an abbreviation, and stays. When several long names fit, the shortest is
taken (办案中心 → 执法办案管理中心). A name that only adds a descriptive …化 word to another
(执法办案管理标准化主中心) is that other one.
"""

from __future__ import annotations

import re

from policekg.extract.model import Entity
from policekg.extract.names.canonical import without_parentheses
from policekg.schema.vocabulary import ENTITY_CLASSES

#: The kinds whose short spellings fold into a long name: the report's own coinages (the program and
#: platform families) and the units that may belong to a bureau (the vocabulary's `local` classes).
FOLDED_KINDS: tuple[str, ...] = tuple(c.name for c in ENTITY_CLASSES
                                      if c.extracted and (c.family in ("program", "platform") or c.local))
_MODIFIER_END = "化"
_MODIFIER = re.compile(f"[\u4e00-\u9fff]{{2}}{_MODIFIER_END}")
MAX_RATIO = 0.7
MIN_CHARS = 3


def _minus_length(peer: tuple[Entity, int, frozenset[str]]) -> int:
    return -peer[1]


def in_order(short: str, long: str) -> bool:
    """Whether the characters of `short` appear in `long` in the same order."""
    chars = iter(long)
    return all(c in chars for c in short)


def is_abbreviation(short: str, long: str) -> bool:
    """Whether `short` abbreviates `long` (see the module docstring)."""
    if len(short) < MIN_CHARS or len(short) > MAX_RATIO * len(long):
        return False
    return (short[0] == long[0] or short[-2:] == long[-2:]) and in_order(short, long)


def _without_modifier(name: str) -> list[str]:
    """执法办案管理标准化主中心 → 执法办案管理主中心: the name without one descriptive …化 word
    (标准化, 实体化, 智能化), which describes a unit without making it another one."""
    if _MODIFIER_END not in name:  # most names have none: no regex call
        return []
    return [name[:m.start()] + name[m.end():] for m in _MODIFIER.finditer(name)]


class _Group:
    """The entities of one kind and parent, longest name first, each with the set of its characters:
    a name is compared character by character only with the longer names holding all its characters
    (one set comparison each; an index by character cost more to build than it saved)."""

    def __init__(self, peers: list[Entity], own_heads: tuple[str, ...] = ()) -> None:
        self.by_name = {e.name: e for e in peers}
        self._own_heads = own_heads
        # stable: names of one length keep the report's order, which settles ties below
        self._longest_first = sorted(((e, len(e.name), frozenset(e.name)) for e in peers), key=_minus_length)

    def fold_target(self, e: Entity) -> Entity | None:
        """The entity `e` abbreviates, if exactly one reading is plausible (see the module docstring)."""
        for bare in (without_parentheses(e.name), *_without_modifier(e.name)):
            if bare != e.name and bare in self.by_name:
                return self.by_name[bare]
        if len(e.name) < MIN_CHARS:
            return None
        size, chars = len(e.name), set(e.name)
        candidates = []
        heads = {h for a in e.aliases for h in self._own_heads if a.endswith(h)}
        for o, length, held in self._longest_first:
            if length <= size:
                break
            if chars <= held and in_order(e.name, o.name) and all(o.name.endswith(h) for h in heads):
                candidates.append(o)
        if any(len(o.name) * MAX_RATIO < len(e.name) for o in candidates):
            return None  # a barely longer name contains it: a sibling (执法办案管理中心 / …分中心)
        longer = [o for o in candidates if is_abbreviation(e.name, o.name)]
        return min(longer, key=lambda o: len(o.name)) if longer else None


def fold_aliases(entities: list[Entity], own_heads: tuple[str, ...] = ()) -> list[Entity]:
    """The entities with abbreviations merged into their long names (mentions and aliases kept).

    A name written with one of `own_heads` (“江西公安”微信公众号: an account, an app) folds only into a
    name ending the same way: 江西公安 is not short for 江西省公共安全视频图像信息共享平台."""
    groups: dict[tuple[str, str | None], list[Entity]] = {}
    for e in entities:
        if e.kind in FOLDED_KINDS and not (e.kind == "PoliceUnit" and e.parent is None):
            groups.setdefault((e.kind, e.parent), []).append(e)  # bureaus are resolved already
    target: dict[str, Entity] = {}
    for peers in groups.values():
        if len(peers) < 2:
            continue  # a name alone in its group abbreviates nothing
        group = _Group(peers, own_heads)
        for e in peers:
            into = group.fold_target(e)
            if into is not None:
                target[e.key] = into
    folded = _merge(entities, target) if target else set()
    kept = [e for e in entities if e.key not in folded] if folded else entities
    return sorted(kept, key=lambda e: e.mentions[0].start if e.mentions else 0)


def _merge(entities: list[Entity], target: dict[str, Entity]) -> set[str]:
    """Merges each entity into the one its key folds into (following chains); returns the keys merged away."""
    first: dict[str, Entity] = {}
    for e in entities:
        first.setdefault(e.key, e)
    folded: set[str] = set()
    for key, into in target.items():
        seen = {key}
        while into.key in target and into.key not in seen:
            seen.add(into.key)
            into = target[into.key]
        if into.key in seen:
            continue  # a loop of spellings: leave them apart
        source = first[key]
        into.aliases |= source.aliases
        into.mentions = sorted(into.mentions + source.mentions, key=lambda m: m.start)
        folded.add(key)
    return folded
