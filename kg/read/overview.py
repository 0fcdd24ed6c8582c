"""What the home page and the list of reports read: the size of the graph and where to start reading."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import ANALYSIS_GRAPH
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.compare import COMPARABLE, count_comparable
from policekg.kg.read.kept import as_is, is_kept, keep, kept, kept_file
from policekg.kg.read.reports import keep_reports, list_reports
from policekg.kg.read.sparql import CLASS_ORDER, names, rows, values
from policekg.schema.vocabulary import ENTITY_CLASSES


@dataclass
class Bureau:
    """A bureau that published reports, and how many."""

    iri: str
    label: str | None
    reports: int = 0


@dataclass
class Central:
    """An entity among the most central of its class, with what ranks it."""

    iri: str
    reports: int
    mentions: int | None
    pagerank: Decimal | None  # None until the analysis has run
    label: str | None


@dataclass
class Overview:
    """What the home page shows: the size of the graph and where to start reading."""

    triples: int
    reports: int
    classes: dict[str, int]
    issuers: list[Bureau]
    years: list[int]
    central: dict[str, list[Central]]


#: Beside a store on disk: its last overview, kept per state of the store (`kg.read.kept`).
OVERVIEW_FILE = kept_file(Path("."), "overview").name


def overview(store: GraphStore, top: int = 10) -> Overview:
    """Counts, bureaus, years and the most central programs and units (kept per state of the store)."""
    return kept(store, "overview", str(top), lambda: _overview(store, top), asdict, _decoded)


def keep_overview(store: GraphStore, top: int = 10) -> Overview:
    """Compute what the pages read of the whole store and keep it beside the store: the overview, and
    the tables of /reports, /compare and the /graph overview (`kg.read.kept`), unless they are kept for
    the store as it is. What a writer runs once after its writes (whoever stores the analysis does), so
    that no visitor waits for it: at 20,000 reports they take longer than a page may."""
    from policekg.kg.network.analysis import keep_shared  # networkx, for writers and graph pages only

    if is_kept(store, "overview", str(top)):  # kept last, so the others are kept for this state too
        return overview(store, top)
    state = store.state()  # before counting: a write meanwhile leaves the kept tables stale
    keep_reports(store, state)
    for cls in COMPARABLE:
        keep(store, f"compare-{cls}", "", partial(count_comparable, store, cls), as_is, state)
    for everything in (False, True):
        keep_shared(store, everything, state)
    return keep(store, "overview", str(top), lambda: _overview(store, top), asdict, state)


def _decoded(data: dict[str, Any]) -> Overview:
    return Overview(
        data["triples"], data["reports"], data["classes"], [Bureau(**b) for b in data["issuers"]], data["years"],
        {cls: [Central(**{**c, "pagerank": None if c["pagerank"] is None else Decimal(c["pagerank"])})
               for c in rows] for cls, rows in data["central"].items()})


def _overview(store: GraphStore, top: int) -> Overview:
    stats = store.stats()
    report_rows = list_reports(store)
    issuers: dict[str, Bureau] = {}
    for r in report_rows:
        issuers.setdefault(r["issuer"], Bureau(r["issuer"], r["issuer_label"])).reports += 1
    order = {c: i for i, c in enumerate(CLASS_ORDER)}
    counts = dict(stats["classes"])
    for c in ENTITY_CLASSES:  # a class listed on its own is not counted again under its parent
        if c.own_group and c.name in counts and c.parent in counts:
            counts[c.parent] -= counts[c.name]
    classes = dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    return Overview(
        triples=int(stats["triples"]), reports=int(stats["reports"]), classes=classes,
        issuers=sorted(issuers.values(), key=lambda e: e.label or ""),
        years=sorted({r["year"] for r in report_rows if r["year"] is not None}),
        central={cls: central(store, cls, top) for cls in ("Program", "PoliceUnit")},
    )


# Counted graph by graph (an entity's type triple is in every report graph naming it), never joined
# across graphs: that would multiply reports by mentions by copies. %(only)s: VALUES of the entities to
# count, or nothing for every entity of the class.
_CENTRAL = """
SELECT ?iri ?reports ?mentions ?pagerank WHERE {
  { SELECT ?iri (COUNT(?report) AS ?reports) WHERE {
      %(only)s GRAPH ?report { ?iri a pk:%(cls)s ; pk:mentionedIn ?report %(apart)s } } GROUP BY ?iri }
  OPTIONAL { SELECT ?iri (COUNT(?m) AS ?mentions) WHERE {
      %(only)s GRAPH ?g { ?iri a pk:%(cls)s . ?m pk:mentionOf ?iri } } GROUP BY ?iri }
  OPTIONAL { GRAPH <%(analysis)s> { ?iri pk:pagerank ?pagerank } }
} ORDER BY DESC(?pagerank) DESC(?reports) DESC(?mentions) ?iri LIMIT %(top)d
"""
#: The entities of a class from the `top` PageRank down, every one tied with the last included.
_BY_PAGERANK = f"""
SELECT ?iri WHERE {{
  {{ SELECT (MIN(?pr) AS ?least) WHERE {{ {{ SELECT ?pr WHERE {{
      GRAPH <{ANALYSIS_GRAPH}> {{ ?iri pk:pagerank ?pr }} ?iri a pk:%(cls)s %(apart)s }}
      ORDER BY DESC(?pr) LIMIT %(top)d }} }} }}
  GRAPH <{ANALYSIS_GRAPH}> {{ ?iri pk:pagerank ?pagerank }} ?iri a pk:%(cls)s %(apart)s
  FILTER (?pagerank >= ?least)
}}"""


def central(store: GraphStore, cls: str, top: int) -> list[Central]:
    """The `top` entities of a class: by PageRank when the analysis has run, else by reports and mentions.

    Reports and mentions are counted for the entities PageRank ranks first only (counting every entity
    of a class reads every report); all of them when fewer than `top` have a PageRank yet.
    """
    if cls not in CLASS_ORDER:
        raise QueryError(f"unknown class {cls!r}")
    asked = {"cls": cls, "top": top, "apart": apart(cls), "analysis": ANALYSIS_GRAPH}
    ranked = [r["iri"] for r in rows(store, _BY_PAGERANK % asked)]
    only = values("iri", ranked) if len(ranked) >= top else ""
    found = rows(store, _CENTRAL % {**asked, "only": only})
    known = names(store, [r["iri"] for r in found])
    return [Central(r["iri"], r["reports"], r["mentions"], r["pagerank"], known.get(r["iri"], (None, set()))[0])
            for r in found]


def apart(cls: str) -> str:
    """Filters leaving out the subclasses of `cls` listed on their own (formulations are not central
    programs)."""
    return " ".join(f"FILTER NOT EXISTS {{ ?iri a pk:{c.name} }}"
                    for c in ENTITY_CLASSES if c.own_group and c.parent == cls)
