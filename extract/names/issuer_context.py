"""Where the issuing bureau stands: its place, level, prefecture and province.

Reports abbreviate everything relative to their issuer: 市局 is the issuer when the issuer is a 市
bureau, 市检察院 is the procuratorate of the issuer's city, 省厅 is the provincial department above it.
This module turns the issuer's name into the facts those abbreviations need, without hard-coding any
place: the place comes from the issuer's name, the province from the gazetteer (or, for a place the
gazetteer does not know, from the provinces the text names).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from policekg.extract.names.lexicon import Gazetteer
from policekg.extract.text.marks import RANK

_BRANCH = re.compile(r"^(?P<city>[\u4e00-\u9fff]+?市)公安局(?P<place>[\u4e00-\u9fff]+?)分局$")
_BUREAU = re.compile(r"^(?P<place>[\u4e00-\u9fff]+?(?:自治区|自治州|自治县|省|市|县|区|州|旗|盟))"
                     r"(?:公安局|公安分局|公安厅|公安处)$")
#: The level word a report uses for its own place (市局, 县委, 旗政府, 州局, 盟委), by the place's suffix.
_LEVEL_OF_SUFFIX = {"省": "省", "自治区": "省", "市": "市", "县": "县", "自治县": "县", "旗": "旗",
                    "区": "区", "州": "州", "自治州": "州", "盟": "盟"}
_SUFFIXES_LONGEST_FIRST = sorted(_LEVEL_OF_SUFFIX, key=len, reverse=True)  # 自治县 before 县


@dataclass(frozen=True)
class IssuerContext:
    """The issuer and the places its abbreviations point at.

    `place` is the issuer's own division (慈溪市, 隆德县, 武侯区); `qualified_place` is how bodies of
    that place are named (a district carries its city: 成都市武侯区). `level` is the one-character
    level the report uses for itself (市 for 慈溪市公安局: 市局, 市委 are its own).
    """

    issuer: str
    place: str | None = None
    qualified_place: str | None = None
    level: str | None = None
    prefecture: str | None = None
    province: str | None = None
    parent_bureau: str | None = None
    local_place: str | None = None  # the place without the city or province written before it

    def place_at(self, level: str) -> str | None:
        """The place a level word (省/自治区, 市/州/盟, 县/区/旗) points at from this issuer, if known."""
        if level == self.level:
            return self.qualified_place
        if RANK.get(level) == 0:
            return self.province
        if RANK.get(level) == 1 and RANK.get(self.level or "") == 2:
            return self.prefecture
        return None

    @cached_property
    def own_names(self) -> frozenset[str]:
        """Every way the report may write the issuer in full (慈溪市公安局; 玄武分局, 玄武区分局).
        Asked once per police unit mentioned: made once per context."""
        names = {self.issuer}
        for place in filter(None, (self.place, self.local_place)):  # 滨海新区公安局 for 天津市滨海新区公安局
            names |= {place + "公安局", place + "分局", place + "公安分局"}
        if self.parent_bureau and self.issuer.startswith(self.parent_bureau):
            names.add(self.issuer[len(self.parent_bureau):])
        return frozenset(names)

    def is_branch(self, name: str) -> bool:
        """Whether `name` is a branch of the issuer named in full (江门市公安局新会区分局 in
        江门市公安局's report), the name the branch issues its own reports under."""
        return name != self.issuer and name.startswith(self.issuer) and name.endswith("分局")

    @property
    def short_place(self) -> str | None:
        """慈溪 for 慈溪市: reports name their own place without its suffix (平安慈溪)."""
        if self.place and len(self.place) >= 3 and self.place[-1] in "市县区":
            return self.place[:-1]
        return None


def issuer_context(issuer: str, gaz: Gazetteer, text_places: list[str] = ()) -> IssuerContext:
    """The context of `issuer`; `text_places` (place names found in the text) settle the province."""
    branch = _BRANCH.match(issuer)
    if branch:
        city, place = branch["city"], _district(branch["place"], gaz)
        province = _province(city, gaz) or _province_from_text(text_places, gaz)
        return IssuerContext(issuer, place, city + place, place[-1], city, province, city + "公安局")
    bureau = _BUREAU.match(issuer)
    if not bureau:
        return IssuerContext(issuer, province=_province_from_text(text_places, gaz))
    place = bureau["place"]
    suffix = next(s for s in _SUFFIXES_LONGEST_FIRST if place.endswith(s))
    known = gaz.lookup(place)
    prefecture = known.prefecture if known else None
    qualified = prefecture + place if known and known.level == "county" and place.endswith("区") and prefecture \
        else place
    province = (known.province if known else None) or _province_from_text(text_places, gaz)
    return IssuerContext(issuer, place, qualified, _LEVEL_OF_SUFFIX[suffix], prefecture, province,
                         local_place=_local_place(place, gaz))


def _local_place(place: str, gaz: Gazetteer) -> str | None:
    """滨海新区 for 天津市滨海新区: a place written after the known place it lies in, which reports
    often leave out when they name the issuer again."""
    for n in range(len(place) - 3, 1, -1):
        if place[:n] in gaz.places:
            return place[n:]
    return None


def _district(name: str, gaz: Gazetteer) -> str:
    """玄武 → 玄武区: a branch bureau may drop the 区 of its district (南京市公安局玄武分局)."""
    if name[-1] in "区县市":
        return name
    return next((name + s for s in "区县" if name + s in gaz.places), name + "区")


def _province(name: str, gaz: Gazetteer) -> str | None:
    known = gaz.lookup(name)
    return known.province if known else None


def _province_from_text(names: list[str], gaz: Gazetteer) -> str | None:
    """The province the text names most often, directly or through its prefectures."""
    counts = Counter(p for p in (_province(n, gaz) for n in names) if p)
    return counts.most_common(1)[0][0] if counts else None
