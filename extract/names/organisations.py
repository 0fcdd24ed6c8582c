"""Police units and government bodies: bureaus (市局, 成都市公安局武侯区分局), bodies named with a level
word (市委, 县政府, 区检察院, 市卫生健康局) and units or bodies named before a head word (派出所, 大队,
中心, 委员会, 办公室), with the owner a name is written after.

A finder of `entity_rules` (its class is mixed into `EntityRules`, which compiles the rules they share).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from policekg.extract.names.name_window import NameWindow
from policekg.extract.names.overlaps import Candidate
from policekg.extract.patterns import finditer_at
from policekg.extract.text.marks import LEVEL_WORDS


class OrganisationFinders:
    """The `org` family's finders (PoliceUnit, GovernmentBody)."""

    # compiled once by `EntityRules.initialize` and shared by every family's finders
    rules: dict[str, Any]  # schema/patterns/entity_rules.json
    re: dict[str, Any]  # its regexes, compiled
    words: dict[str, tuple[str, ...]]  # its word lists, as tuples
    window: NameWindow
    generic_prefixes: tuple[str, ...]
    center_blocked: tuple[str, ...]
    class_endings: tuple[str, ...]
    heads: dict[str, frozenset[str]]
    anchored: dict[str, tuple[re.Pattern[str], tuple[str, ...], re.Pattern[str]]]
    level_bodies: tuple[tuple[re.Pattern[str], str], ...]

    def _anchored(self, text: str, key: str) -> Iterator[tuple[int, int, int | None, re.Match]]:
        """(start, end, level position, prefix match) of each head word of `key` (bureau, court,
        congress) with the level word or owner mark just before it (see `self.anchored`)."""
        anchor, words, prefix = self.anchored[key]
        for m in finditer_at(anchor, text, words):
            lo = max(0, m.start() - 6)
            p = prefix.search(text, lo, m.start())
            level = p.start("level") if p and p.group("level") else None
            yield (p.start() if p else m.start()), m.end(), level, p

    def _with_place(self, places: dict[int, Candidate], start: int, end: int, level: int | None,
                    kind: str) -> Candidate:
        """The body from `start` to `end`, taking the place in front of it: the place whose last
        character is the level character (宁波[市]检察院), or that ends right where the body starts."""
        place = places.get(level + 1) if level is not None else places.get(start)
        if place is not None and place.end - place.start < 2:
            place = None
        return Candidate(place.start if place else start, end, kind, "pattern")

    def _bureaus(self, text: str, places: dict[int, Candidate]) -> Iterator[Candidate]:
        """市局, 我局, 省厅, 宁波市公安局, 成都市公安局武侯区分局; a bare 分局 with a name in front of it
        (交警分局) is left to the head-word rule."""
        blocked = self.words["issuer_alias_blocked_after"]
        found: list[Candidate] = []
        for start, end, level, p in self._anchored(text, "bureau"):
            if p is None or text.startswith(blocked, end) or self._names_a_class_before(text, start):
                continue
            own, branch = p.group("own"), p.group("branch")
            if not (own or branch or level is not None) or (own and text[end - 1] != "局"):
                continue
            if branch and level is None and self.window.start(text, start) < start:
                continue
            found.append(self._with_place(places, start, end, level, "PoliceUnit"))
        for m in self.re["bare_bureau_re"].finditer(text):  # 。局党委…: the issuer's own party committee
            if m.start() == 0 or text[m.start() - 1] in self.rules["bare_bureau_after"]:
                yield Candidate(m.start(), m.end(), "PoliceUnit", "pattern")
        for a, b in pairwise(found):  # 成都市公安局 + 武侯区分局 is one name
            if a.end == b.start and text[b.start:b.end].endswith("分局"):
                yield Candidate(a.start, b.end, "PoliceUnit", "pattern")
        yield from found

    def _level_bodies(self, text: str, places: dict[int, Candidate]) -> Iterator[Candidate]:
        """Bodies named with a level word; one named only as the author inside a document's title
        (《中共某区委全面依法治区委员会关于…》) is the title's words, not a body the report deals with."""
        titles = self._titles(text)
        for regex, required in self.level_bodies:
            if required not in text:
                continue
            for m in regex.finditer(text):
                if not _inside(titles, m.start()):
                    yield self._with_place(places, m.start(), m.end(), m.start("level"), "GovernmentBody")
        for key in ("court", "congress"):
            for start, end, level, _ in self._anchored(text, key):
                yield self._with_place(places, start, end, level, "GovernmentBody")
        yield from self._short_bodies(text)

    def _short_bodies(self, text: str) -> Iterator[Candidate]:
        """Bodies named without the level or head word the rules above need: 中办/国办 as issuers, a bare
        司法局 among partners, and universities named before 大学/学院."""
        for key in ("central_office_re", "partner_body_re"):
            for m in self.re[key].finditer(text):
                yield Candidate(m.start(), m.end(), "GovernmentBody", "pattern")
        for m in self.re["university_head"].finditer(text):
            if text.startswith(self.words["university_blocked_after"], m.end()):
                continue
            start = self.window.start(text, m.start())
            body = text[start:m.start()]
            if len(body) >= 2 and not body.startswith(self.generic_prefixes) \
                    and not body.endswith(self.words["university_bad_bodies"]):
                yield Candidate(start, m.end(), "GovernmentBody", "pattern")

    def _titles(self, text: str) -> list[tuple[int, int]]:
        """The spans of the 《titles》 in `text`."""
        return [m.span() for m in self.re["title_re"].finditer(text)] if "《" in text else []

    def _org_heads(self, text: str, quotes: list, bureaus: list[Candidate]) -> Iterator[Candidate]:
        """派出所/大队/中心/委员会/办公室 with the name before them; a bureau or an issuer alias at the
        start of that name (市局执法监督管理委员会, 夷陵区分局执法办案管理中心) is its owner, not its name."""
        r = self.rules
        owners: dict[int, Candidate] = {}
        for b in bureaus:  # the longest bureau at a start owns what follows (成都市公安局武侯区分局…)
            if b.end > owners.get(b.start, b).end or b.start not in owners:
                owners[b.start] = b
        starts = [q.inner_start for q in quotes]
        titles = self._titles(text)
        for m in self.re["org_head"].finditer(text):
            head = m.group()
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < quotes[i].inner_end:
                continue  # a head word inside quotes belongs to a program's name (“枫桥式公安派出所”)
            if head in self.heads["center"] and text.startswith(self.center_blocked, m.end()):
                continue  # 中心组, 中心工作: not a body
            start = self.window.start(text, m.start())
            body = text[start:m.start()]
            owned = self._owner_body_end(head, body)
            start, body = start + owned, body[owned:]
            kind = self._org_kind(head, body, text[m.end():m.end() + 2], text[max(0, start - 4):start])
            if kind == "GovernmentBody" and _inside(titles, m.start()):
                continue  # a title's author (see `_level_bodies`)
            if not kind or body.startswith(self.generic_prefixes) or any(map(str.isdigit, body)) \
                    or self._names_a_class(text, body, m.end()) or self._names_a_class_before(text, start) \
                    or self.re["unit_count_before"].search(text, max(0, start - 4), start):
                continue
            alias = self.re["issuer_alias_prefix_re"].match(body)
            owner_end = self._bureau_owner_end(text, owners[start].end, m.start()) if start in owners \
                else start + (alias.end() if alias else self._inner_unit_end(body))
            if start < owner_end < m.start():
                yield Candidate(start, owner_end, "PoliceUnit", "pattern")
                start, kind = owner_end, "PoliceUnit"
            if r["min_unit_body"] <= m.start() - start <= r["max_unit_body"]:
                yield Candidate(start, m.end(), kind, "pattern")

    def _owner_body_end(self, head: str, body: str) -> int:
        """Where a government body that owns the one named ends inside its name: 县检察院 before
        侦查监督与协作配合办公室 (two bodies)."""
        return max((body.rfind(w) + len(w) for w in self.rules["owner_body_ends"] if w in body), default=0)

    @staticmethod
    def _bureau_owner_end(text: str, bureau_end: int, head_start: int) -> int:
        """Where the owner of a unit named after a bureau ends: after the bureau's branch when one is
        named between them (九江市公安局|浔阳分局|甘棠派出所 is the branch's station)."""
        branch = text.find("分局", bureau_end + 1, head_start - 1)
        return branch + 2 if branch > 0 else bureau_end

    def _inner_unit_end(self, body: str) -> int:
        """Where a unit named inside `body` ends (新会分局|会城派出所, 交警大队|车管中队, 倪家营派出所|红沟村
        警务室: a unit named before its own sub-unit), or 0."""
        inner = None
        for inner in self.re["inner_unit"].finditer(body, 2):
            pass
        return inner.end() if inner else 0

    def _names_a_class(self, text: str, body: str, end: int) -> bool:
        """临时警务站12处, 流动警务站, 每个派出所, 偏远乡镇派出所: a count after the head, a name made of
        descriptors only, a class word for a name, or a kind of place (every township's station)."""
        return bool(self.re["unit_count_re"].match(text, end, end + 4)) \
            or not self.re["unit_descriptors"].sub("", body) \
            or bool(self.re["class_prefix_re"].fullmatch(body)) or body.endswith(self.class_endings)

    def _names_a_class_before(self, text: str, start: int) -> bool:
        """各县区公安局, 各区县公安分局: a class word (or a second level) before the name makes it a class."""
        return start > 0 and bool(self.re["class_prefix_re"].search(text, max(0, start - 4), start))

    def _org_kind(self, head: str, body: str, after: str, before: str) -> str | None:
        """The class of the unit or body named `body` + `head`, or None when it is none: a leading
        group's office (法治建设领导小组办公室) and a bureau's own committee (执法监督管理委员会) are ways of
        working, not units (the real set leaves them out); an office the report says was set up with no
        owner named (成立服务企业办公室) is the bureau's own."""
        if head in self.heads["unit"]:
            return "PoliceUnit"
        if head in self.heads["center"]:
            if after.startswith(self.center_blocked) or not self.re["center_words"].search(body):
                return None
            if self.re["government_center"].search(body):
                return "GovernmentBody"  # 社会治安综合治理中心 is the government's, 治安 or not
        elif head in self.heads["office"]:
            if body.endswith(self.words["group_heads"]):
                return None
            own = before.endswith(self.words["own_office_leaders"]) and body[:1] not in LEVEL_WORDS \
                and not before.startswith(self.words["joint_office_leaders"])
            return "PoliceUnit" if own else "GovernmentBody"
        elif head not in self.heads["committee"]:
            return "GovernmentBody"  # 司法所, 办事处
        police = self.re["police_words"].search(body)
        if police and head == "委员会":
            return None
        return "PoliceUnit" if police else "GovernmentBody"


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a < pos < b for a, b in spans)
