"""Cross-report questions: what can be compared, and a program across bureaus and years (an indicator
across reports is `kg.read.indicator`).

This is what one node per program / indicator (shared by every report naming it) buys: the rows
below come from different named graphs joined on that node.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import PK
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.describe import figures
from policekg.kg.read.kept import as_is, kept
from policekg.kg.read.paging import Key, Page, paginate
from policekg.kg.read.reports import naming
from policekg.kg.read.sparql import NotFound, each_graph, names, rows, sparql_iri, status_name

# Counted inside each report graph (where every triple is once), then named: see `browse.names`.
_INDEX = """
SELECT ?iri (COUNT(DISTINCT ?report) AS ?reports) (COUNT(DISTINCT ?issuer) AS ?bureaus)
       (COUNT(DISTINCT ?year) AS ?years) WHERE {
  GRAPH ?report { %(named)s
    OPTIONAL { ?report dcterms:publisher ?issuer } OPTIONAL { ?report pk:year ?year } }
} GROUP BY ?iri
"""
_INDEX_FIGURES = "SELECT ?iri (COUNT(?obs) AS ?figures) WHERE { GRAPH ?g { %(figure)s } } GROUP BY ?iri"
#: class → how a report names one (pattern binding ?iri), how a figure counts one (binding ?obs).
COMPARABLE = {
    "Program": ("?iri a pk:Program ; pk:mentionedIn ?report .", "?obs pk:about ?iri . ?iri a pk:Program"),
    "Indicator": ("?obs pk:indicator ?iri .", "?obs pk:indicator ?iri"),
}


_CANONICAL = f"{PK}CanonicalIndicator"


def comparable(store: GraphStore, cls: str) -> list[dict[str, Any]]:
    """Programs or indicators with how many reports, bureaus and years name them and how many figures,
    most widely reported first: counted over every report, so kept per state of the store (`kg.read.kept`)."""
    if cls not in COMPARABLE:  # no table kept under a name nobody asked for
        return count_comparable(store, cls)
    return kept(store, f"compare-{cls}", "", partial(count_comparable, store, cls), as_is, as_is)


def comparable_page(store: GraphStore, cls: str, page: int, size: int, after: str | None = None) -> Page:
    """A page of `comparable` (by number, or after the row a cursor names)."""
    return paginate(comparable(store, cls), page, size, after, key=by_reach)


def count_comparable(store: GraphStore, cls: str) -> list[dict[str, Any]]:
    """What `comparable` keeps, counted now; QueryError for a class that cannot be compared."""
    if cls not in COMPARABLE:
        raise QueryError(f"cannot compare {cls!r}; use one of {', '.join(COMPARABLE)}")
    named, figure = COMPARABLE[cls]
    found = rows(store, _INDEX % {"named": named})
    counts = {r["iri"]: r["figures"] for r in rows(store, _INDEX_FIGURES % {"figure": figure})}
    known = names(store, [r["iri"] for r in found])
    result = [{"iri": r["iri"], "label": known.get(r["iri"], (None, set()))[0], "reports": r["reports"],
               "bureaus": r["bureaus"], "years": r["years"], "figures": counts.get(r["iri"], 0),
               "canonical": _CANONICAL in known.get(r["iri"], (None, set()))[1]}
              for r in found]
    return sorted(result, key=by_reach)


def by_reach(row: dict[str, Any]) -> Key:
    """The order of what can be compared: most widely reported first, then by name and IRI (unique)."""
    return -row["bureaus"], -row["reports"], -row["figures"], row["label"] or "", row["iri"]


def by_bureau_name(row: dict[str, Any]) -> Key:
    """The order of an indicator's table: by bureau (one row each)."""
    return (row["bureau"] or "",)


@dataclass
class ProgramAcross:
    """One program, one row per report that names it."""

    iri: str
    label: str | None
    reports: list[dict[str, Any]]


# The details of some of the reports naming a program (the page shown), each read in the report's own
# graph (`each_graph`). The class as a FILTER, not `?unit a pk:PoliceUnit`: a constant there makes
# Oxigraph read every unit first.
_PROGRAM_MENTIONS = "SELECT ?report (COUNT(DISTINCT ?m) AS ?mentions) WHERE { %s } GROUP BY ?report"
_MENTIONS_BODY = "?m pk:mentionOf %(p)s"
_PROGRAM_UNITS = "SELECT DISTINCT ?report ?unit ?unit_label WHERE { %s } ORDER BY ?report ?unit_label"
_UNITS_BODY = """{ ?unit pk:implements %(p)s } UNION { %(p)s pk:performedBy ?unit }
  UNION { ?measure pk:implements %(p)s ; pk:performedBy ?unit }
  ?unit a ?type FILTER(?type = pk:PoliceUnit) OPTIONAL { ?unit rdfs:label ?unit_label }"""
_PROGRAM_MEASURES = """
SELECT DISTINCT ?report ?measure ?measure_label ?status WHERE { %s } ORDER BY ?report ?measure"""
_MEASURES_BODY = """?measure pk:implements %(p)s ; a ?type FILTER(?type = pk:Measure)
  OPTIONAL { ?measure rdfs:label ?measure_label } OPTIONAL { ?measure pk:status ?status }"""


def program_reports(store: GraphStore, iri: str) -> list[dict[str, Any]]:
    """The reports naming the program (rows of `kg.read.reports.list_reports`: title, year, issuer);
    NotFound when none does."""
    reports = naming(store, iri)
    if not reports:
        raise NotFound(f"no program <{iri}> is named in any report")
    return reports


def program_label(store: GraphStore, iri: str) -> str | None:
    """The program's name."""
    return names(store, [iri]).get(iri, (None, set()))[0]


def program_across(store: GraphStore, iri: str) -> ProgramAcross:
    """Every report naming the program: bureau, year, mentions, units running it, measures, figures."""
    reports = sorted(program_reports(store, iri), key=by_bureau)
    return ProgramAcross(iri, program_label(store, iri), program_details(store, iri, reports))


def by_bureau(report: dict[str, Any]) -> Key:
    """The order of a program's comparison: by bureau, then year, then report (unique)."""
    return report["issuer_label"] or "", report["year"] or 0, report["report"]


def program_page(store: GraphStore, iri: str, page: int, size: int, after: str | None = None) -> Page:
    """One page of `program_across` (by number, or after a cursor): the reports naming the program, and
    the details of the page's reports only."""
    shown = paginate(program_reports(store, iri), page, size, after, key=by_bureau)
    shown.items = program_details(store, iri, shown.items)
    return shown


def program_details(store: GraphStore, iri: str, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Some of the reports naming the program (rows of `program_reports`), each with its mentions of it,
    the units running it, its measures and its figures there: read for these reports only."""
    p = sparql_iri(iri)
    by_report = {r["report"]: {**r, "mentions": 0, "units": [], "measures": [], "figures": []}
                 for r in reports}
    if not by_report:
        return []
    def read(query: str, body: str) -> list[dict[str, Any]]:
        wheres = each_graph(list(by_report), body % {"p": p})
        return [r for where in wheres for r in rows(store, query % where)]

    for r in read(_PROGRAM_MENTIONS, _MENTIONS_BODY):
        by_report[r["report"]]["mentions"] = r["mentions"]
    for r in read(_PROGRAM_UNITS, _UNITS_BODY):
        by_report[r["report"]]["units"].append({"iri": r["unit"], "label": r["unit_label"]})
    for r in read(_PROGRAM_MEASURES, _MEASURES_BODY):
        by_report[r["report"]]["measures"].append(
            {"iri": r["measure"], "label": r["measure_label"], "status": status_name(r["status"])})
    for f in figures(store, iri, set(by_report)):
        by_report[f["report"]]["figures"].append(f)
    return list(by_report.values())
