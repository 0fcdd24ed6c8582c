"""Everything the graph says about one resource: what its page shows and what its RDF twins carry.

`describe()` gathers, for any `pkr:` IRI (a unit, a program, a measure, an indicator …): its literal
properties, its links out and in grouped by relation (each with the sentence that states it, from
the reified `rdf:Statement`s), the reports that mention it with the sentences, and its figures.
`resource_graph()` is the same resource as triples (its own triples, the links pointing at it, and
the labels of its neighbours), which the Turtle / JSON-LD twins serialise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PREFIXES
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.paging import Page, paginate
from policekg.kg.read.reports import list_reports, naming, newest_first
from policekg.kg.read.sparql import NotFound, each_graph, main_class, names, py, rows, sparql_iri, status_name

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_PK = PREFIXES["pk"]
#: Shown elsewhere on the page (title, aliases, reports, figures), not in the property / link tables.
_OWN_SECTIONS = {_RDF + "type", _RDFS + "label", _SKOS + "altLabel", _PK + "mentionedIn", _PK + "fullText"}
#: Incoming links that are bookkeeping (mentions, statements) or shown as figures, not as relations.
_HIDDEN_IN = {_PK + "mentionOf", _RDF + "subject", _RDF + "object", _PK + "about", _PK + "indicator",
              _PK + "inReport", _PK + "mentionedIn"}


@dataclass
class Description:
    """One resource as its page shows it."""

    iri: str
    label: str | None
    cls: str | None
    types: list[str]
    aliases: list[str]
    properties: list[dict[str, Any]]
    outgoing: dict[str, list[dict[str, Any]]]
    incoming: dict[str, list[dict[str, Any]]]
    reports: Page = field(default_factory=lambda: Page([], 1, SHOWN, 0))
    figures: list[dict[str, Any]] = field(default_factory=list)
    #: how many neighbours each relation has ("out" / "in" → relation → count): a page shows `SHOWN`
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    figures_total: int = 0  # of all its figures; those shown are in the reports shown (`_shown_figures`)


#: How many neighbours of one relation, reports and figures a page shows: the rest are counted, and the
#: reports paged (a program nearly every report names has tens of thousands of each).
SHOWN = 50

_HIDE = {"out": "pk:mentionedIn, pk:fullText", "in": ", ".join(f"<{p}>" for p in sorted(_HIDDEN_IN))}
#: How many neighbours each relation has, then the first `SHOWN` of each (in the store's order: an ORDER BY
#: would read them all), one sub-query a relation.
_LINK_COUNTS = {
    "out": "SELECT ?p (COUNT(*) AS ?n) WHERE { %(e)s ?p ?o FILTER(?p NOT IN (%(hide)s)) } GROUP BY ?p",
    "in": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?o ?p %(e)s FILTER(?p NOT IN (%(hide)s)) } GROUP BY ?p",
}
_FIRST_LINKS = {
    "out": "{ SELECT ?p ?o WHERE { %(e)s %(p)s ?o BIND(%(p)s AS ?p) } LIMIT %(n)d }",
    "in": "{ SELECT ?p ?o WHERE { ?o %(p)s %(e)s BIND(%(p)s AS ?p) } LIMIT %(n)d }",
}
# The statements behind the links shown. Those from the resource are its own, read whole (given the pairs
# first, Oxigraph would start from the statements of each relation); those to it are read for the pairs
# shown (a program every report names is the object of tens of thousands).
_EVIDENCE = {
    "out": "?st rdf:subject %(e)s ; rdf:predicate ?p ; rdf:object ?o",
    "in": "VALUES (?p ?o) { %(pairs)s } ?st rdf:subject ?o ; rdf:predicate ?p ; rdf:object %(e)s",
}
_EVIDENCE_QUERY = """
SELECT DISTINCT ?p ?o ?sentence ?report WHERE {
  %s ; pk:evidence ?ev . ?ev pk:sentence ?sentence ; pk:inReport ?report }
"""


def describe(store: GraphStore, iri: str, page: int = 1, size: int = SHOWN, after: str | None = None,
             ) -> Description:
    """The resource `iri` as a page shows it; NotFound when the graph never names it.

    Of each relation, the first `SHOWN` neighbours are named and counted against all; the
    reports naming it come a page at a time, newest first (`page`, `size`, or after the cursor `after`),
    each with its sentences; the figures shown are those in these reports. Names are looked up once for
    all neighbours shown, never joined row by row: the work grows with the page, not with the reports.
    """
    e = sparql_iri(iri)
    counts: dict[str, dict[str, int]] = {}
    out, incoming = _links(store, e, "out", counts), _links(store, e, "in", counts)
    if not out and not incoming and not store.ox_query(f"ASK {{ ?s ?p {e} }}"):
        raise NotFound(f"the graph holds nothing about <{iri}>")
    reports = _reports(store, e, iri, page, size, after)
    mine = [r for r in out if r["p"] in _OWN_SECTIONS]
    types = sorted({r["o"] for r in mine if r["p"] == _RDF + "type"})
    labels = sorted({r["o"] for r in mine if r["p"] == _RDFS + "label"})
    return Description(
        iri=iri, label=labels[0] if labels else None, cls=main_class(types), types=types,
        aliases=sorted({r["o"] for r in mine if r["p"] == _SKOS + "altLabel"}),
        properties=[{"property": r["p"], "value": r["o"]} for r in out
                    if r["p"] not in _OWN_SECTIONS and r["types"] is None] + _analysed(store, e),
        outgoing=_grouped([r for r in out if r["p"] not in _OWN_SECTIONS and r["types"] is not None]),
        incoming=_grouped(incoming),
        reports=reports, figures=figure_rows(store, _shown_figures(store, iri, reports)), counts=counts,
        figures_total=rows(store, _COUNT_FIGURES % {"e": e})[0]["n"],
    )


def _analysed(store: GraphStore, e: str) -> list[dict[str, Any]]:
    """What the analysis graph (not part of the default graph) says of the resource: its figures, counts."""
    return [{"property": r["p"], "value": r["o"]}
            for r in rows(store, f"SELECT ?p ?o WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ {e} ?p ?o }} }} ORDER BY ?p")]


def _shown_figures(store: GraphStore, iri: str, reports: Page) -> set[tuple[str, str]]:
    """The figures a page shows: those in the reports it shows; of a thing no report names (an indicator),
    those of the newest reports."""
    if reports.total:
        return figure_pairs(store, iri, {r["iri"] for r in reports.items})
    return _newest(store, figure_pairs(store, iri), SHOWN)


def _links(store: GraphStore, e: str, direction: str,
           counts: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Distinct (predicate, neighbour) pairs one way, the first `SHOWN` of each predicate (in the store's
    order), each with the neighbour's name, classes and evidence; how many each predicate has goes in
    `counts`."""
    counted = rows(store, _LINK_COUNTS[direction] % {"e": e, "hide": _HIDE[direction]})
    counts[direction] = {r["p"]: r["n"] for r in counted}
    if not counted:
        return []
    first = " UNION ".join(_FIRST_LINKS[direction] % {"e": e, "p": sparql_iri(r["p"]), "n": SHOWN}
                           for r in counted)
    pairs = [(s["p"].value, s["o"]) for s in store.ox_query(f"SELECT ?p ?o WHERE {{ {first} }}")]
    known = names(store, [o.value for _, o in pairs if isinstance(o, ox.NamedNode)])
    evidence: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    values = " ".join(f"({sparql_iri(p)} {o})" for p, o in pairs if not isinstance(o, ox.BlankNode))
    for r in rows(store, _EVIDENCE_QUERY % (_EVIDENCE[direction] % {"e": e, "pairs": values})):
        evidence.setdefault((r["p"], r["o"]), []).append({"sentence": r["sentence"], "report": r["report"]})
    result = []
    for p, o in pairs:
        label, types = known.get(o.value, (None, None)) if isinstance(o, ox.NamedNode) else (None, None)
        result.append({"p": p, "o": py(o), "label": label, "types": types,
                       "evidence": evidence.get((p, o.value), [])})
    return result


def _grouped(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Links grouped by relation, neighbours ordered by name."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(found, key=lambda r: (r["p"], r["label"] or "", str(r["o"]))):
        row = {"iri": r["o"], "label": r["label"], "cls": main_class(r["types"] or []),
               "evidence": r["evidence"]}
        grouped.setdefault(r["p"], []).append(row)
    return grouped


# Read in each report's own graph (`each_graph`).
_MENTIONS = "SELECT ?report ?start ?end ?text ?sentence WHERE { %s } ORDER BY ?report ?start"
_MENTIONS_BODY = """?m pk:mentionOf %s ; pk:start ?start ; pk:end ?end .
  OPTIONAL { ?m pk:text ?text } OPTIONAL { ?m pk:sentence ?sentence }"""


def _reports(store: GraphStore, e: str, iri: str, page: int, size: int, after: str | None) -> Page:
    """A page of the reports naming the resource, newest first, each with its distinct sentences naming it
    in text order (read for the page's reports only)."""
    shown = paginate(naming(store, iri), page, size, after, key=newest_first)
    by_report = {r["report"]: {"iri": r["report"], "title": r["title"], "year": r["year"],
                               "issuer": r["issuer_label"], "mentions": 0, "sentences": [], "spans": set()}
                 for r in shown.items}
    for r in (r for where in each_graph(list(by_report), _MENTIONS_BODY % e) for r in rows(store, _MENTIONS % where)):
        entry = by_report[r["report"]]
        entry["spans"].add((r["start"], r["end"]))
        entry["mentions"] = len(entry["spans"])
        if r["sentence"] and all(s["sentence"] != r["sentence"] for s in entry["sentences"]):
            entry["sentences"].append({"sentence": r["sentence"], "text": r["text"], "start": r["start"]})
    for entry in by_report.values():
        del entry["spans"]
    shown.items = list(by_report.values())
    return shown


_FIGURES_OF = "SELECT DISTINCT ?obs ?report WHERE { %s ?obs pk:inReport ?report }"
# In some reports, read in each report's own graph (`each_graph`): a figure is its report's own node.
_FIGURES_IN = "SELECT DISTINCT ?obs ?report WHERE { %s }"
_OF = "{ ?obs pk:about %(e)s } UNION { ?obs pk:indicator %(e)s } UNION { %(e)s pk:hasObservation ?obs }"
_COUNT_FIGURES = "SELECT (COUNT(DISTINCT ?obs) AS ?n) WHERE { " + _OF + " }"
# Read by (figure, report) pairs: what every figure has (`kg.rdf.triples` writes it, the SHACL shapes
# require it) in one query; what it may have (bound, target, change, what it is about, its evidence) in two
# more, joined here. All in the merge: a figure and its evidence are parts of one report, and an indicator,
# a report or a bureau has the same name in every graph holding it (read inside `GRAPH ?report`, the pairs
# led Virtuoso's planner astray: benchmarks/RESULTS.md). An OPTIONAL (or a constant class) here makes
# Oxigraph read every figure of the store before joining the pairs.
_FIGURES = """
SELECT ?obs ?indicator ?indicator_label ?value ?unit ?period ?approximate ?report
       ?title ?year ?issuer ?issuer_label WHERE {
  VALUES (?obs ?report) { %s }
  ?obs pk:indicator ?indicator ; pk:value ?value ; pk:unit ?unit ; pk:period ?period ;
       pk:approximate ?approximate ; a ?type FILTER(?type = pk:Observation)
  ?indicator rdfs:label ?indicator_label . FILTER(LANG(?indicator_label) = "zh")
  ?report rdfs:label ?title ; pk:year ?year ; dcterms:publisher ?issuer .
  ?issuer rdfs:label ?issuer_label .
}
"""
#: Subjects → their values of some properties.
_PROPERTIES = "SELECT ?s ?p ?v WHERE { VALUES ?s { %s } ?s ?p ?v FILTER(?p IN (%s)) }"
_PK, _RDFS_LABEL = PREFIXES["pk"], PREFIXES["rdfs"] + "label"
#: A figure's own optional properties → the column each fills and how its value is shown; its evidence and
#: what it is about are nodes of their own.
_FIGURE_COLUMNS = {_PK + "bound": ("bound", status_name), _PK + "target": ("target", lambda v: v),
                   _PK + "changeDirection": ("change", status_name)}


def figures(store: GraphStore, iri: str, reports: set[str] | None = None) -> list[dict[str, Any]]:
    """The figures of a resource (in `reports` only, when given): those about it, all of an indicator's, or
    a measure's own; one row each, by indicator, newest first, then by bureau."""
    return figure_rows(store, figure_pairs(store, iri, reports))


def figure_pairs(store: GraphStore, iri: str, reports: set[str] | None = None) -> set[tuple[str, str]]:
    """(figure, report) of the figures of a resource (`figures`), in `reports` only when given."""
    of = _OF % {"e": sparql_iri(iri)}
    if reports is None:
        return {(s["obs"].value, s["report"].value) for s in store.ox_query(_FIGURES_OF % of)}
    return {(s["obs"].value, s["report"].value)
            for where in each_graph(sorted(reports), of) for s in store.ox_query(_FIGURES_IN % where)}


def _newest(store: GraphStore, pairs: set[tuple[str, str]], most: int) -> set[tuple[str, str]]:
    """The `most` (figure, report) pairs of the newest reports (by the kept list of reports)."""
    if len(pairs) <= most:
        return pairs
    year = {r["report"]: r["year"] or 0 for r in list_reports(store)}
    return set(sorted(pairs, key=lambda pair: (-year.get(pair[1], 0), pair[1], pair[0]))[:most])


def figure_rows(store: GraphStore, pairs: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The figures of some (figure, report) pairs, as `figures` gives them."""
    if not pairs:
        return []
    found = {r["obs"]: {**r, "bound": None, "target": None, "change": None, "evidence": None,
                        "sentence": None, "about": []}
             for r in rows(store, _FIGURES % _pair_values(pairs))}
    nodes: dict[str, list[tuple[str, str]]] = {"evidence": [], "about": []}  # (figure, node) by property
    for s, p, v in _properties(store, set(found), [*_FIGURE_COLUMNS, _PK + "evidence", _PK + "about"]):
        if p in _FIGURE_COLUMNS:
            column, shown = _FIGURE_COLUMNS[p]
            found[s][column] = shown(v)
        else:
            nodes[p[len(_PK):]].append((s, v))
    second = {node for links in nodes.values() for _, node in links}
    said: dict[str, dict[str, list[str]]] = {}  # node → property → values
    for s, p, v in _properties(store, second, [_PK + "text", _PK + "sentence", _RDFS_LABEL]):
        said.setdefault(s, {}).setdefault(p, []).append(v)
    for obs, ev in nodes["evidence"]:  # an evidence has a text, and may have a sentence
        known = said.get(ev, {})
        text, sentence = (min(known.get(_PK + p, [""])) for p in ("text", "sentence"))
        if text and (found[obs]["evidence"] is None or text < found[obs]["evidence"]):
            found[obs]["evidence"], found[obs]["sentence"] = text, sentence or None
    for obs, about in sorted(nodes["about"]):
        labels = set(said.get(about, {}).get(_RDFS_LABEL, [None]))
        for label in sorted(labels, key=lambda x: x or ""):
            found[obs]["about"].append({"iri": about, "label": label})
    return sorted(found.values(), key=lambda f: (f["indicator_label"] or "", -(f["year"] or 0),
                                                 f["issuer_label"] or "", f["obs"]))


def _pair_values(pairs: set[tuple[str, str]]) -> str:
    return " ".join(f"({sparql_iri(a)} {sparql_iri(b)})" for a, b in sorted(pairs))


def _properties(store: GraphStore, subjects: set[str], properties: list[str]) -> list[tuple[str, str, Any]]:
    """(subject, property, value) of some properties of some subjects."""
    if not subjects:
        return []
    query = _PROPERTIES % (" ".join(map(sparql_iri, sorted(subjects))), ", ".join(map(sparql_iri, properties)))
    return [(r["s"].value, r["p"].value, py(r["v"])) for r in store.ox_query(query)]


def group_about(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per observation (`obs`), its `about`/`about_label` columns folded into a list of links."""
    by_obs: dict[str, dict[str, Any]] = {}
    for r in found:
        about = {"iri": r.pop("about"), "label": r.pop("about_label")}
        row = by_obs.setdefault(r["obs"], {**r, "about": []})
        if about["iri"] and about not in row["about"]:
            row["about"].append(about)
    return list(by_obs.values())


_CBD = """
CONSTRUCT { %(e)s ?p ?o . ?o rdfs:label ?ol . ?s ?q %(e)s . ?s rdfs:label ?sl }
WHERE {
  { { SELECT DISTINCT ?p ?o WHERE { %(e)s ?p ?o } } OPTIONAL { ?o rdfs:label ?ol } }
  UNION
  { { SELECT DISTINCT ?s ?q WHERE { ?s ?q %(e)s } } OPTIONAL { ?s rdfs:label ?sl } }
}
"""


def resource_graph(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The resource's triples, the triples pointing at it and its neighbours' labels (a CBD with inlinks)."""
    # A set: the parts of the description (links out, links in, neighbours' labels) may overlap.
    triples = set(store.ox_query(_CBD % {"e": sparql_iri(iri)}))
    if not triples:
        raise NotFound(f"the graph holds nothing about <{iri}>")
    # Its own triples first, then grouped by subject: Turtle writers group consecutive subjects.
    return sorted(triples, key=lambda t: (t.subject.value != iri, str(t.subject), str(t.predicate),
                                          str(t.object)))
