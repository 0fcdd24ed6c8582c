"""One bureau over time: its reports by year, the programs each year names (new, continued, dropped
against its previous report), its figures as series over the years, its sub-units, and the bureaus of
the same level in its province beside it.

Everything is read inside the bureau's own report graphs (`VALUES ?report`), where every triple is
once; names shared across reports are looked up once (`names`), never joined graph by graph.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from policekg.kg.rdf.iris import entity_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.provinces import Locality, locate
from policekg.kg.read.sparql import NotFound, names, rows, sparql_iri


@dataclass
class Named:
    """A thing a page links to: its IRI and its name."""

    iri: str
    label: str | None


@dataclass
class ReportRef:
    """One report of the bureau."""

    iri: str
    title: str | None
    year: int | None


@dataclass
class ProgramYear:
    """The programs a bureau's reports of one year name, against its previous report year."""

    year: int
    named: int
    new: list[Named] = field(default_factory=list)  # not named in the previous report year
    continued: list[Named] = field(default_factory=list)  # named then and now
    dropped: list[Named] = field(default_factory=list)  # named in the previous report year, not now


@dataclass
class Point:
    """A figure of one year: the first the year's reports give, how many there are, and where."""

    year: int
    value: Decimal
    figures: int
    report: str


@dataclass
class Series:
    """One indicator over the bureau's years (a small chart on its profile)."""

    indicator: str
    label: str | None
    unit: str | None
    points: list[Point]


@dataclass
class SubUnit:
    """A unit its reports place inside the bureau (pk:partOf), with the years naming it."""

    iri: str
    label: str | None
    years: list[int]


@dataclass
class Peer:
    """A bureau of the same level in the same province, and what its reports share with this one's."""

    iri: str
    label: str | None
    reports: int
    programs: int
    shared: list[Named]
    jaccard: float


@dataclass
class BureauProfile:
    """What `/bureau/{name}` shows."""

    iri: str
    label: str
    locality: Locality
    reports: list[ReportRef]
    years: list[int]
    programs: list[ProgramYear]
    series: list[Series]
    units: list[SubUnit]
    peers: list[Peer]


_REPORTS = """
SELECT ?report ?title ?year WHERE { GRAPH ?report { ?report a pk:Report ; dcterms:publisher %(b)s .
  OPTIONAL { ?report rdfs:label ?title } OPTIONAL { ?report pk:year ?year } } } ORDER BY ?year ?report
"""
_PROGRAMS = """
SELECT DISTINCT ?report ?program WHERE { VALUES ?report { %(reports)s }
  GRAPH ?report { ?program a pk:Program ; pk:mentionedIn ?report } }
"""
_FIGURES = """
SELECT ?report ?obs ?indicator ?value ?unit WHERE { VALUES ?report { %(reports)s }
  GRAPH ?report { ?obs a pk:Observation ; pk:indicator ?indicator ; pk:value ?value ; pk:unit ?unit } }
ORDER BY ?report ?obs
"""
_UNITS = """
SELECT DISTINCT ?report ?unit WHERE { VALUES ?report { %(reports)s }
  GRAPH ?report { ?unit a pk:PoliceUnit ; pk:partOf %(b)s } }
"""
_PUBLISHERS = """
SELECT ?bureau ?label (COUNT(DISTINCT ?report) AS ?reports) WHERE {
  GRAPH ?report { ?report a pk:Report ; dcterms:publisher ?bureau . ?bureau rdfs:label ?label } }
GROUP BY ?bureau ?label
"""
_PEER_PROGRAMS = """
SELECT DISTINCT ?bureau ?program WHERE { VALUES ?bureau { %(bureaus)s }
  GRAPH ?report { ?report dcterms:publisher ?bureau . ?program a pk:Program ; pk:mentionedIn ?report } }
"""


def bureau_profile(store: GraphStore, name: str) -> BureauProfile:
    """The profile of the bureau named `name`; NotFound when it published no report."""
    iri = str(entity_iri("PoliceUnit", name))
    b = sparql_iri(iri)
    reports = [ReportRef(r["report"], r["title"], r["year"]) for r in rows(store, _REPORTS % {"b": b})]
    if not reports:
        raise NotFound(f"no report published by {name!r} is in the store (the bureau is named by its "
                       "reports' issuer, as on /reports)")
    values = " ".join(sparql_iri(r.iri) for r in reports)
    year_of = {r.iri: r.year for r in reports}
    by_year: dict[int, set[str]] = defaultdict(set)
    for r in rows(store, _PROGRAMS % {"reports": values}):
        if year_of[r["report"]] is not None:
            by_year[year_of[r["report"]]].add(r["program"])
    figures = rows(store, _FIGURES % {"reports": values})
    units = rows(store, _UNITS % {"reports": values, "b": b})
    mine = set().union(*by_year.values()) if by_year else set()
    locality = locate(name)
    peers = _peers(store, iri, locality, mine)
    known = names(store, [*mine, *(f["indicator"] for f in figures), *(u["unit"] for u in units),
                          *(p.iri for p in peers), *(n.iri for p in peers for n in p.shared)])
    label = {i: known.get(i, (None, set()))[0] for i in known}
    for peer in peers:
        peer.label = label.get(peer.iri)
        for shared in peer.shared:
            shared.label = label.get(shared.iri)
        peer.shared.sort(key=lambda n: (n.label or "", n.iri))
    years = sorted({r.year for r in reports if r.year is not None})
    return BureauProfile(iri, name, locality, reports, years, program_years(by_year, label),
                         _series(figures, year_of, label), _sub_units(units, year_of, label), peers)


def program_years(by_year: dict[int, set[str]], label: dict[str, str | None]) -> list[ProgramYear]:
    """Each report year's programs against the previous report year's (the first year: all new)."""
    result: list[ProgramYear] = []
    previous: set[str] = set()
    for year in sorted(by_year):
        now = by_year[year]

        def named(iris: set[str]) -> list[Named]:
            return sorted((Named(i, label.get(i)) for i in iris), key=lambda n: (n.label or "", n.iri))

        result.append(ProgramYear(year, len(now), named(now - previous), named(now & previous),
                                  named(previous - now)))
        previous = now
    return result


def _series(figures: list[dict], year_of: dict[str, int | None],
            label: dict[str, str | None]) -> list[Series]:
    """One series per indicator: per year the first figure its reports give; most years first."""
    points: dict[str, dict[int, Point]] = defaultdict(dict)
    units: dict[str, str] = {}
    for f in figures:
        year = year_of[f["report"]]
        if year is None:
            continue
        units.setdefault(f["indicator"], f["unit"])
        got = points[f["indicator"]].get(year)
        if got is None:
            points[f["indicator"]][year] = Point(year, f["value"], 1, f["report"])
        else:
            got.figures += 1
    found = [Series(ind, label.get(ind), units.get(ind), [by[y] for y in sorted(by)])
             for ind, by in points.items()]
    return sorted(found, key=lambda s: (-len(s.points), s.label or "", s.indicator))


def _sub_units(units: list[dict], year_of: dict[str, int | None],
               label: dict[str, str | None]) -> list[SubUnit]:
    """The units inside the bureau, those named in the most years first."""
    years: dict[str, set[int]] = {}
    for u in units:
        year = year_of[u["report"]]
        years.setdefault(u["unit"], set()).update([] if year is None else [year])
    found = [SubUnit(iri, label.get(iri), sorted(ys)) for iri, ys in years.items()]
    return sorted(found, key=lambda u: (-len(u.years), u.label or "", u.iri))


def _peers(store: GraphStore, iri: str, locality: Locality, mine: set[str]) -> list[Peer]:
    """Other publishing bureaus of the same province and level, most programs in common first."""
    if locality.province is None:
        return []
    publishers = {r["bureau"]: r["reports"] for r in rows(store, _PUBLISHERS)
                  if r["bureau"] != iri and _same_level(locate(r["label"]), locality)}
    if not publishers:
        return []
    programs: dict[str, set[str]] = defaultdict(set)
    for r in rows(store, _PEER_PROGRAMS % {"bureaus": " ".join(sparql_iri(b) for b in publishers)}):
        programs[r["bureau"]].add(r["program"])
    peers = []
    for bureau, count in publishers.items():
        theirs = programs[bureau]
        shared = mine & theirs
        union = mine | theirs
        peers.append(Peer(bureau, None, count, len(theirs), [Named(p, None) for p in sorted(shared)],
                          round(len(shared) / len(union), 3) if union else 0.0))
    return sorted(peers, key=lambda p: (-len(p.shared), -p.jaccard, p.iri))


def _same_level(other: Locality, mine: Locality) -> bool:
    return other.province == mine.province and other.level == mine.level
