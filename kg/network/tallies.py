"""Counts over the whole collection, kept with the analysis: what a ranking reads instead of every report.

A question such as "which programs do the most bureaus name" joins every report; asked of 20,000 reports
it reads a million (entity, report) pairs per visit. The counts below are made once per state of the
store, by the same writer and at the same moment as the network figures (`analysis.store_results`), and
stored in the analysis graph, so a query reads one row per entity it ranks:

- on every program, legal instrument and platform the reports name, and on every indicator they give a
  figure of: `pk:reportCount` (the reports naming it, or giving a figure of it), `pk:bureauCount` (their
  publishers), `pk:firstYear` (the earliest `pk:year` among them) and `pk:measureCount` (the measures
  that implement, cite or use it: `pk:implements`, `pk:basedOn`, `pk:usesPlatform`; not on indicators);
- on every indicator, `pk:figureCount` (the figures measuring it);
- on the first `RANKED` programs, legal instruments, platforms and indicators of each class,
  `pk:bureauRank`: their place by `pk:bureauCount`, then `pk:reportCount` (1 = named by the most
  bureaus; equal counts share a place, the next place skips as many), which a ranking reads instead of
  every entity's counts;
- on every bureau that publishes a report, `pk:programCount` (the distinct programs its reports name);
- one `pk:Year` node per year the reports cover (`pkr:year/2022`, with its `pk:year`): its reports,
  measures and figures (`pk:reportCount`, `pk:measureCount`, `pk:figureCount`).

Units, other bodies and places are not counted: nearly all are named by one bureau's reports only.
Like the network figures, the counts describe the reports as they were when the analysis graph was
written (`pk:inputDigest`, `prov:generatedAtTime`, and the reports listed by `prov:wasDerivedFrom`);
after a write they are stale until the analysis is refreshed (at the end of every `ingest` and `remove`,
in the background after a write to the service).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from policekg.kg.rdf.iris import PK, PKR
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.sparql import iri_rows

#: The classes whose entities are counted: what the reports share across bureaus.
TALLIED_CLASSES: tuple[str, ...] = ("Program", "LegalInstrument", "Platform")
#: The relations by which a measure reaches a tallied entity (`pk:measureCount`).
MEASURE_RELATIONS: tuple[str, ...] = ("implements", "basedOn", "usesPlatform")
#: How many places of each class's ranking are kept (`pk:bureauRank`): what the example rankings list.
RANKED = 100

# Plain scans, counted in Python: joining them in SPARQL (a GROUP BY over every report) costs several
# times as much, which is what the rankings cost before they read the counts.
_REPORTS = "SELECT ?r ?b ?y WHERE { GRAPH ?r { ?r a pk:Report ; dcterms:publisher ?b ; pk:year ?y } }"
_CLASSES = " ".join(f"pk:{c}" for c in TALLIED_CLASSES)
_NAMED = f"SELECT ?e ?c ?r WHERE {{ GRAPH ?r {{ ?e a ?c }} VALUES ?c {{ {_CLASSES} }} }}"
_FIGURES = "SELECT ?i ?r (COUNT(?o) AS ?n) WHERE { GRAPH ?r { ?o pk:indicator ?i } } GROUP BY ?i ?r"
_MEASURES = "SELECT ?r (COUNT(?m) AS ?n) WHERE { GRAPH ?r { ?m a pk:Measure } } GROUP BY ?r"
# A measure is report-local: its IRI hangs under its report's (`…/measure/4-1`, the identity rule), which
# tells it from a unit implementing a program without reading every measure's type.
_RELATIONS = " ".join(f"pk:{p}" for p in MEASURE_RELATIONS)
_MEASURE_LINKS = (f"SELECT ?e (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m ?p ?e VALUES ?p {{ {_RELATIONS} }} "
                  'FILTER(CONTAINS(STR(?m), "/measure/")) } GROUP BY ?e')


@dataclass
class Tallies:
    """The counts, by subject IRI and property name (`reportCount` …), and the years given nodes."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


@dataclass
class _Seen:
    """What the scans found of one counted entity."""

    reports: set[str] = field(default_factory=set)
    figures: int = 0
    named: bool = False  # named in a report (not only measured by its figures)
    ranked_as: str = "Indicator"  # the class it is ranked among: as named, else an indicator


def year_iri(year: int) -> str:
    """The node holding one year's counts."""
    return f"{PKR}year/{year}"


def count(store: GraphStore) -> Tallies:
    """Count what the module docstring lists, over the store as it is now (a few plain scans)."""
    reports = {row["r"].value: (row["b"].value, int(row["y"].value)) for row in store.ox_query(_REPORTS)}
    seen: dict[str, _Seen] = defaultdict(_Seen)
    programs: dict[str, set[str]] = defaultdict(set)  # bureau → programs
    program = str(PK.Program)
    for e, c, r in iri_rows(store, _NAMED):
        if r in reports:
            seen[e].reports.add(r)
            seen[e].named = True
            seen[e].ranked_as = c
            if c == program:
                programs[reports[r][0]].add(e)
    figures_of: dict[str, int] = defaultdict(int)  # report → figures
    for row in store.ox_query(_FIGURES):
        i, r, n = row["i"].value, row["r"].value, int(row["n"].value)
        if r in reports:
            seen[i].reports.add(r)
            seen[i].figures += n
            figures_of[r] += n
    measures_of = {row["r"].value: int(row["n"].value) for row in store.ox_query(_MEASURES)}
    linked = {row["e"].value: int(row["n"].value) for row in store.ox_query(_MEASURE_LINKS)}
    found = Tallies()
    for e, s in seen.items():
        found.counts[e] = {"reportCount": len(s.reports), "bureauCount": len({reports[r][0] for r in s.reports}),
                           "firstYear": min(reports[r][1] for r in s.reports)}
        if s.named:
            found.counts[e]["measureCount"] = linked.get(e, 0)
        if s.figures:
            found.counts[e]["figureCount"] = s.figures
    _rank(found.counts, seen)
    for bureau, named in programs.items():
        found.counts.setdefault(bureau, {})["programCount"] = len(named)
    found.years = sorted({year for _, year in reports.values()})
    for year in found.years:
        of_year = [r for r, (_, y) in reports.items() if y == year]
        found.counts[year_iri(year)] = {"reportCount": len(of_year),
                                        "measureCount": sum(measures_of.get(r, 0) for r in of_year),
                                        "figureCount": sum(figures_of.get(r, 0) for r in of_year)}
    return found


def _rank(counts: dict[str, dict[str, int]], seen: dict[str, _Seen]) -> None:
    """Give the first `RANKED` places of each class its `bureauRank` (ties share a place)."""
    classes: dict[str, list[str]] = defaultdict(list)
    for e, s in seen.items():
        classes[s.ranked_as].append(e)
    for members in classes.values():
        members.sort(key=lambda e: (-counts[e]["bureauCount"], -counts[e]["reportCount"]))
        place, before = 0, None
        for position, e in enumerate(members, 1):
            key = (counts[e]["bureauCount"], counts[e]["reportCount"])
            place = place if key == before else position
            if place > RANKED:
                break
            counts[e]["bureauRank"], before = place, key


def tally_lines(tallies: Tallies) -> list[str]:
    """The counts as N-Triples lines for the analysis graph (integers; each year node typed and dated).
    The IRIs come from the store, valid as they are."""
    lines = [f"<{s}> <{PK}{p}> {integer(n)} .\n"
             for s, props in tallies.counts.items() for p, n in props.items()]
    for year in tallies.years:
        node = f"<{year_iri(year)}>"
        lines += [f"{node} <{_RDF_TYPE}> <{PK}Year> .\n", f"{node} <{PK}year> {integer(year)} .\n"]
    return lines


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def integer(n: int) -> str:
    """An xsd:integer literal in N-Triples, as Oxigraph writes it back."""
    return f'"{n}"^^<http://www.w3.org/2001/XMLSchema#integer>'
