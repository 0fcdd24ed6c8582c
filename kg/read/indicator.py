"""An indicator across reports: its bureau × year table, a page of it, and the values its chart draws.

An indicator most reports measure has tens of thousands of figures: the table is built from (figure,
report) pairs, each figure's report read off its IRI, and the figures' details are read for the page's
bureaus only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from policekg.kg.rdf.iris import report_of_part
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.compare import by_bureau_name
from policekg.kg.read.describe import figure_rows
from policekg.kg.read.paging import Page, paginate
from policekg.kg.read.reports import list_reports
from policekg.kg.read.sparql import NotFound, iri_rows, rows, sparql_iri, values


@dataclass
class IndicatorAcross:
    """One indicator: its results as a bureau × year table, and its targets and changes.

    Figures of its narrower indicators (disputes resolved through 警调衔接) are folded in and listed in
    `narrower`. A row of `table` is a bureau with any figure; its year cells hold results only, and its
    targets and changes (同比下降12% is not a level) are kept apart in the row, so no cell mixes a plan
    or a change with what was done. A row holds (figure, report) pairs until its page is read
    (`indicator_page`, which lists the page's targets and changes in `targets` and `changes`): an
    indicator most reports measure has tens of thousands of figures, and a page shows fifty bureaus.
    `kinds` says how many figures of each kind there are in all.
    """

    iri: str
    label: str | None
    unit: str | None
    results: int
    years: list[int]
    table: list[dict[str, Any]]
    broader: dict[str, Any] | None = None
    narrower: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)


_INDICATOR = """
SELECT ?label ?unit ?broader ?broader_label WHERE { %(i)s a pk:Indicator .
  OPTIONAL { %(i)s rdfs:label ?label FILTER(LANG(?label) != "en") } OPTIONAL { %(i)s pk:unit ?unit }
  OPTIONAL { %(i)s skos:broader ?broader
    OPTIONAL { ?broader rdfs:label ?broader_label FILTER(LANG(?broader_label) = "zh") } }
} LIMIT 1
"""
_NARROWER = """
SELECT DISTINCT ?iri ?label WHERE { ?iri skos:broader %(i)s
  OPTIONAL { ?iri rdfs:label ?label FILTER(LANG(?label) = "zh") } } ORDER BY ?label
"""
#: Some indicators' figures. Each is a part of one report, the one its IRI hangs under.
_MEASURED = "SELECT ?obs ?i WHERE { %s ?obs pk:indicator ?i }"
#: The figures that are not results, a few in a hundred of all: a change, or a target (which wins when a
#: figure is both). Each kind is read from the smaller side: a lookup for each of the indicators'
#: figures, or all such figures of the store (counted first, an index range).
_APART = {"change": "?obs pk:changeDirection ?change", "target": "?obs pk:target true"}


def _measured(store: GraphStore, indicators: list[str]) -> tuple[dict[str, list[tuple[str, str]]], Counter]:
    """The (figure, report) pairs of some indicators by kind (result, target or change), and how many
    figures each indicator has."""
    these = values("i", indicators)
    found = [(obs, ind, report) for obs, ind in iri_rows(store, _MEASURED % these)
             if (report := report_of_part(obs, "observation"))]
    kind: dict[str, str] = {}
    for name, pattern in _APART.items():
        in_store = rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"]
        narrowed = "" if in_store < len(found) else f"{these} ?obs pk:indicator ?i ."
        kind.update((obs, name) for obs, *_ in iri_rows(store, f"SELECT ?obs WHERE {{ {narrowed} {pattern} }}"))
    kinds: dict[str, list[tuple[str, str]]] = {"result": [], "target": [], "change": []}
    for obs, _, report in found:
        kinds[kind.get(obs, "result")].append((obs, report))
    return kinds, Counter(ind for _, ind, _ in found)


def _kind(figure: dict[str, Any]) -> str:
    """result, target or change: which part of the comparison a figure belongs to."""
    return "target" if figure["target"] else "change" if figure["change"] else "result"


def indicator_across(store: GraphStore, iri: str) -> IndicatorAcross:
    """The indicator's figures in every report (its narrower indicators' too), the results pivoted: one
    row per bureau, one column per year, each cell the (figure, report) pairs `indicator_page` reads."""
    i = sparql_iri(iri)
    head = rows(store, _INDICATOR % {"i": i})
    if not head:
        raise NotFound(f"no indicator <{iri}> in the store")
    narrower = rows(store, _NARROWER % {"i": i})
    kinds, counted = _measured(store, [iri, *(n["iri"] for n in narrower)])
    for n in narrower:
        n["figures"] = counted[n["iri"]]
    report = {r["report"]: r for r in list_reports(store)}
    table: dict[str, dict[str, Any]] = {}
    for kind, pairs in kinds.items():
        for obs, r in pairs:
            bureau, year = report.get(r, {}).get("issuer_label"), report.get(r, {}).get("year")
            row = table.setdefault(bureau or "", {"bureau": bureau, "values": {}, "target": [], "change": []})
            (row["values"].setdefault(year, []) if kind == "result" else row[kind]).append((obs, r))
    years = sorted({y for row in table.values() for y in row["values"] if y is not None})
    broader = {"iri": head[0]["broader"], "label": head[0]["broader_label"]} if head[0]["broader"] else None
    return IndicatorAcross(iri, head[0]["label"], head[0]["unit"], len(kinds["result"]), years,
                           [table[k] for k in sorted(table)], broader, narrower,
                           kinds={kind: len(pairs) for kind, pairs in kinds.items()})


def row_pairs(row: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (figure, report) pair of a row of an indicator's table: its results, targets and changes."""
    return [pair for cell in row["values"].values() for pair in cell] + row["target"] + row["change"]


@dataclass
class IndicatorPage(Page):
    """A page of an indicator's table, with the indicator it is a page of (`across`, its table left
    out): both are read in one job, and the table's pairs (tens of thousands for an indicator most
    reports measure) stay where they were read instead of travelling between processes."""

    across: IndicatorAcross | None = None


def indicator_page(store: GraphStore, iri: str, page: int, size: int, after: str | None = None) -> IndicatorPage:
    """One page of the indicator's table (by number, or after a cursor), its figures read for the page's
    bureaus only: their results in the rows, their targets and changes in the indicator's lists."""
    across = indicator_across(store, iri)
    shown = paginate(across.table, page, size, after, key=by_bureau_name)
    figures = _figures_of(store, {pair for row in shown.items for pair in row_pairs(row)})
    read = {f["obs"]: f for f in figures}
    shown.items = [{"bureau": row["bureau"],
                    "values": {year: [read[obs] for obs, _ in pairs if obs in read]
                               for year, pairs in row["values"].items()}} for row in shown.items]
    apart = {kind: [f for f in figures if f["kind"] == kind] for kind in ("target", "change")}
    return IndicatorPage(**vars(shown), across=replace(across, table=[], targets=apart["target"],
                                                        changes=apart["change"]))


#: The values of some figures: all a chart needs of them.
_VALUES = "SELECT ?obs ?i ?value WHERE { VALUES ?obs { %s } ?obs pk:indicator ?i ; pk:value ?value }"
#: Bureaus a chart draws at most, those reporting in the most years: bars past a thousand are not read
#: (the table and its exports have every bureau), and reading every figure's value of an indicator most
#: reports measure would take longer than a page may.
CHART_BUREAUS = 1000


@dataclass
class IndicatorSeries:
    """What the chart beside an indicator's table draws: a bureau's result a year, the one its cell shows
    first (`values` follows `years`; None where the bureau has none that year), for the `CHART_BUREAUS`
    bureaus with results in the most years, in the table's order, of `total` with any result."""

    iri: str
    label: str | None
    unit: str | None
    years: list[int]
    total: int
    bureaus: list[dict[str, Any]]


def indicator_series(store: GraphStore, iri: str, most: int = CHART_BUREAUS) -> IndicatorSeries:
    """The results of `indicator_across` of the `most` bureaus reporting them in the most years, one value
    per bureau and year."""
    across = indicator_across(store, iri)
    reporting = [row for row in across.table if row["values"]]
    drawn = sorted(range(len(reporting)), key=lambda n: -len(reporting[n]["values"]))[:most]
    rows = [reporting[n] for n in sorted(drawn)]  # in the table's order
    label = {iri: across.label, **{n["iri"]: n["label"] for n in across.narrower}}
    shown = " ".join(sparql_iri(obs) for row in rows for cell in row["values"].values() for obs, _ in cell)
    # a cell's figures are shown by their indicator's label, then their IRI: its first value is the least
    first = {s["obs"].value: (label.get(s["i"].value) or "", s["obs"].value, float(s["value"].value))
             for s in store.ox_query(_VALUES % shown)} if shown else {}
    column = {year: n for n, year in enumerate(across.years)}
    bureaus = []
    for row in rows:
        cells: list[float | None] = [None] * len(column)
        for year, pairs in row["values"].items():
            found = [first[obs] for obs, _ in pairs if obs in first]
            if year in column and found:
                cells[column[year]] = min(found)[2]
        bureaus.append({"bureau": row["bureau"], "values": cells})
    return IndicatorSeries(iri, across.label, across.unit, across.years, len(reporting), bureaus)


def _figures_of(store: GraphStore, pairs: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The figures of (figure, report) pairs, as `describe.figures` gives them, each with its `kind`."""
    return [{**f, "kind": _kind(f)} for f in figure_rows(store, pairs)]
