"""Full names of organisations abbreviated relative to the issuer (市局, 市委, 区检察院, 省厅).

A report says 市检察院, never 慈溪市人民检察院; a reader of the graph needs the latter, and two reports
from different cities must not share a 市检察院 node. Each rule below rebuilds the official form of one
kind of body from the level character (省/市/县/区) or the place in front of it.
"""

from __future__ import annotations

import re

from policekg.extract.names.issuer_context import IssuerContext
from policekg.extract.names.lexicon import Gazetteer
from policekg.extract.text.marks import LEVEL_WORDS, RANK

_LEVELS = LEVEL_WORDS + "镇乡"
_PARTY = re.compile(r"^(?P<where>.*?)委(?P<dept>.*)$")
_COURT = re.compile(r"^(?P<where>.*?)(?:(?P<mid>中级)(?:人民)?(?P<head>法院)|(?:人民)?(?P<other>检察院|法院)|(?P<short>中院))$")
_GOVERNMENT = re.compile(r"^(?P<where>.*?)(?:人民)?政府$")
#: A school's place word is part of its own name (江西理工大学 is no body of 江西省): kept as written.
_SCHOOL = re.compile(r"(?:大学|学院)")
_CONGRESS = re.compile(r"^(?P<where>.*?)(?P<head>人大常委会|人大|政协)$")
_BUREAU_ALIAS = re.compile(f"^(?P<level>自治区|[{LEVEL_WORDS}])(?:公安)?(?P<head>厅|局)$")
_BRANCH_ALIAS = re.compile(r"^(?:区)?(?:公安)?分局$")


class Abbreviations:
    """Resolves organisation names in the context of one issuer."""

    def __init__(self, ctx: IssuerContext, gaz: Gazetteer, full_stems: dict[str, str] | None = None) -> None:
        self.ctx = ctx
        self.gaz = gaz
        self.full_stems = full_stems or {}
        self._stems_longest_first = sorted(self.full_stems, key=len, reverse=True)  # the longest spelling wins
        self.unresolved: set[str] = set()  # abbreviations this issuer's context cannot complete

    def place_of(self, prefix: str) -> str | None:
        """The place a name's prefix stands for: a written place (宁波市), a level (市 → 慈溪市), or
        nothing (人大 alone means the issuer's own)."""
        if not prefix:
            return self.ctx.qualified_place
        if prefix == self.ctx.place or prefix == self.ctx.short_place:
            return self.ctx.qualified_place
        if prefix in self.gaz.places or prefix in self.gaz.short_forms:
            return self.gaz.short_forms.get(prefix, prefix)
        if len(prefix) == 1 and prefix in _LEVELS:
            return self.ctx.place_at(prefix)
        return None

    def split_place(self, name: str) -> tuple[str, str]:
        """(place prefix, rest): the longest known place (a full name, or a province's short form:
        江苏; a city's short form is too often a street's name: 玉林派出所) or a level character."""
        own = self.ctx.place
        if name[:2] in self.gaz.name_prefix_starts or (own and name.startswith(own)):
            for n in range(min(len(name) - 1, 10), 1, -1):
                prefix = name[:n]
                if prefix in self.gaz.name_prefixes or prefix == own:
                    return prefix, name[n:]
        if name[:1] in _LEVELS and name[1:2] not in ("级", "域"):
            return name[:1], name[1:]
        return "", name

    def police(self, surface: str) -> tuple[str, str | None] | None:
        """(name, parent) of a police unit; None for a bare 分局 in a report not written by one."""
        ctx = self.ctx
        if surface in ("我局", "本局", "局") or surface in ctx.own_names:  # 局: see bare_bureau_re
            return ctx.issuer, None
        alias = _BUREAU_ALIAS.match(surface)
        if alias:
            level, head = alias["level"], alias["head"]
            if head == "局" and level == ctx.level:
                return ctx.issuer, None
            place = ctx.place_at(level)
            if place and head == "厅":
                return place + "公安厅", None
            if place and RANK.get(level) == 1 and ctx.parent_bureau:
                return ctx.parent_bureau, None
            if not place:
                self.unresolved.add(surface)
                return surface, None
            return place + "公安局", None
        if ctx.is_branch(surface) and len(surface) > len(ctx.issuer) + 2:
            return surface, None  # 江门市公安局新会区分局 in 江门市公安局's report: its branch, named in full
        if _BRANCH_ALIAS.match(surface):
            return (ctx.issuer, None) if ctx.issuer.endswith("分局") else None
        prefix, rest = self.split_place(surface)
        if prefix and rest in ("分局", "公安分局") and self._district_of_issuer(prefix):
            return ctx.issuer + prefix + "分局", None  # 西陵区分局 in 宜昌市公安局's report: its branch, under
            # the name it issues its own reports with (宜昌市公安局西陵区分局), so both reports share one node
        if prefix and rest.startswith(("公安", "分局")):
            return surface, None
        if prefix and self.place_of(prefix) == ctx.qualified_place and rest:
            return (rest if len(prefix) > 1 else ctx.qualified_place + rest), ctx.issuer
        if not prefix and surface.endswith("分局") and not ctx.issuer.endswith("分局"):
            return ctx.issuer + surface, None  # 高新分局, 新会分局: a branch of the issuer, named in full
        return surface, (None if prefix else ctx.issuer)

    def _district_of_issuer(self, prefix: str) -> bool:
        """Whether a county-level place lies under the issuer, a city bureau (unknown counts as yes:
        a city report names no other city's 分局 without its city)."""
        known = self.gaz.lookup(prefix)
        if RANK.get(self.ctx.level or "") != 1 or self.ctx.issuer.endswith("分局") or prefix == self.ctx.place:
            return False
        return known is None or known.level == "county" and known.prefecture in (None, self.ctx.place)

    def body(self, surface: str) -> str:
        """The official name of a government body: 市委 → 中共慈溪市委, 区法院 → 成都市武侯区人民法院."""
        if _SCHOOL.search(surface):
            return surface
        prefix, rest = self.split_place(surface)
        where = self.place_of(prefix)
        if where is None:
            if len(prefix) == 1:
                self.unresolved.add(surface)
            return surface
        if m := _CONGRESS.match(rest):
            if m["where"]:
                return surface
            return {"人大常委会": f"{where}人民代表大会常务委员会", "人大": f"{where}人民代表大会",
                    "政协": f"政协{where}委员会"}[m["head"]]
        if not prefix:
            return surface
        if (m := _PARTY.match(rest)) and not m["where"]:
            return f"中共{where}委{m['dept']}"
        if (m := _COURT.match(rest)) and not m["where"]:
            if m["short"] or m["mid"]:
                return f"{where}中级人民法院"  # 市中院
            return f"{where}人民{m['other']}"
        if (m := _GOVERNMENT.match(rest)) and not m["where"]:
            return f"{where}人民政府"
        return where + self._official_department(rest)

    def _official_department(self, rest: str) -> str:
        """市场监管局 → 市场监督管理局, 发改委 → 发展和改革委员会."""
        for short in self._stems_longest_first:
            if rest.startswith(short) and len(rest) > len(short):
                head = rest[len(short):]
                return self.full_stems[short] + ("委员会" if head == "委" else head)
        return rest
