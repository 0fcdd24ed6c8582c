"""Where a bureau is: its province and level, read from its name with the GB/T 2260 gazetteer.

The graph does not store a bureau's province, and need not: a Chinese bureau's name starts with its
place (慈溪市公安局, 宁波市公安局海曙分局, 浙江省公安厅, 上海市公安局), and the gazetteer knows which province
every province, prefecture and county lies in. The directly administered cities (北京, 上海, 天津, 重庆)
are provinces. Provinces are named by their short form (浙江, 内蒙古, 广西), as the map's geometry names
them. A county name shared by several provinces (鼓楼区) is placed where the gazetteer puts it; a name
that starts with its province or city (江苏省南京市鼓楼区…) is placed right.

`province_map` counts the bureaus naming a program or reporting an indicator per province: the data
of the choropleth on the comparison pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from policekg.extract.names.lexicon import Place, gazetteer
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.compare import program_label, program_reports
from policekg.kg.read.indicator import indicator_across, row_pairs

#: Longest place name looked for at the start of a bureau's name (新疆维吾尔自治区 has 8 characters).
_LONGEST_PLACE = 10
#: A branch of a city bureau (…公安局海曙分局) works at county level, whatever place opens its name.
_BRANCH_WORD = "分局"
#: The level of a bureau from the place its name starts with: the place's own level.
LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Locality:
    """Where a bureau is: its province (short form), the place its name starts with, and its level."""

    province: str | None
    place: str | None
    level: str | None


def locate(name: str) -> Locality:
    """The province, place and level of a bureau from its name (all None when no place opens it).

    Places written one after another (广西壮族自治区南宁市公安局) are followed to the last, the bureau's own;
    one the gazetteer cannot place (鼓楼区, in four provinces) keeps the province of those before it.
    """
    placed, last, rest = None, None, name
    while (match := _place_at_start(rest)) is not None:
        last, rest = match[0], rest[match[1]:]
        placed = last if last.province else placed
    if placed is None or last is None:
        return Locality(None, None, None)
    level = "county" if _BRANCH_WORD in rest and last.level != "county" else last.level
    return Locality(_short(placed.province), last.name, level)


def _place_at_start(text: str) -> tuple[Place, int] | None:
    """The longest place name (full or short form) `text` starts with, and its length."""
    gaz = gazetteer()
    for length in range(min(len(text), _LONGEST_PLACE), 1, -1):
        place = gaz.lookup(text[:length])
        if place is not None:
            return place, length
    return None


def _short(province: str) -> str:
    """浙江省 → 浙江 (the gazetteer's short form, as the map's geometry names provinces)."""
    return next((short for short, full in gazetteer().short_forms.items() if full == province), province)


@dataclass
class ProvinceCount:
    """One province on the map: how many bureaus and reports, and which bureaus."""

    province: str
    bureaus: int
    reports: int
    names: list[str]


@dataclass
class ProvinceMap:
    """Bureaus naming a program (or reporting an indicator), counted by province."""

    iri: str
    label: str | None
    kind: str  # "program" or "indicator"
    provinces: list[ProvinceCount]
    #: bureaus whose name opens with no place the gazetteer knows
    unplaced: list[str] = field(default_factory=list)


def province_map(store: GraphStore, kind: str, iri: str) -> ProvinceMap:
    """The bureaus whose reports name the program / report the indicator, by province (most first).

    NotFound (from the comparison) when no report names it; ValueError for another kind.
    """
    if kind == "program":  # who names it is all a map needs: not the comparison's units, measures, figures
        named = program_reports(store, iri)
        label = program_label(store, iri)
        pairs = {(r["issuer_label"], r["report"]) for r in named if r["issuer_label"]}
    elif kind == "indicator":
        across = indicator_across(store, iri)
        label = across.label
        pairs = {(row["bureau"], report) for row in across.table if row["bureau"] for _, report in row_pairs(row)}
    else:
        raise ValueError(f"a map is drawn for a program or an indicator, not {kind!r}")
    reports: dict[str, set[str]] = defaultdict(set)
    for bureau, report in pairs:
        reports[bureau].add(report)
    by_province: dict[str, list[str]] = defaultdict(list)
    unplaced = []
    for bureau in sorted(reports):
        province = locate(bureau).province
        if province is None:
            unplaced.append(bureau)
        else:
            by_province[province].append(bureau)
    counts = [ProvinceCount(p, len(b), sum(len(reports[n]) for n in b), b) for p, b in by_province.items()]
    counts.sort(key=lambda c: (-c.bureaus, -c.reports, c.province))
    return ProvinceMap(iri, label, kind, counts, unplaced)
