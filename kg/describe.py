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

from policekg.kg.browse import NotFound, main_class, rows, sparql_iri
from policekg.kg.iris import PREFIXES
from policekg.kg.store import GraphStore

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
    reports: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


#: A neighbour's name: its label, or for a figure (which has none) its indicator and value.
_LABEL = """OPTIONAL { ?o rdfs:label ?name } OPTIONAL { ?o pk:indicator/rdfs:label ?ind ; pk:value ?val }
  BIND(COALESCE(?name, CONCAT(?ind, " ", STR(?val))) AS ?label)"""

_OUT = """
SELECT ?p ?o ?label ?type ?sentence ?report WHERE {
  %(e)s ?p ?o .
  OPTIONAL { ?o a ?type } %(label)s
  OPTIONAL { ?st rdf:subject %(e)s ; rdf:predicate ?p ; rdf:object ?o ; pk:evidence ?ev .
             ?ev pk:sentence ?sentence ; pk:inReport ?report }
} ORDER BY ?p ?label ?o
"""

_IN = """
SELECT ?p ?o ?label ?type ?sentence ?report WHERE {
  ?o ?p %(e)s .
  FILTER(?p NOT IN (%(hidden)s))
  OPTIONAL { ?o a ?type } %(label)s
  OPTIONAL { ?st rdf:subject ?o ; rdf:predicate ?p ; rdf:object %(e)s ; pk:evidence ?ev .
             ?ev pk:sentence ?sentence ; pk:inReport ?report }
} ORDER BY ?p ?label ?o
"""


def describe(store: GraphStore, iri: str) -> Description:
    """The resource `iri` as a page shows it; NotFound when the graph never names it."""
    e = sparql_iri(iri)
    out = rows(store, _OUT % {"e": e, "label": _LABEL})
    hidden = ", ".join(f"<{p}>" for p in sorted(_HIDDEN_IN))
    incoming = rows(store, _IN % {"e": e, "hidden": hidden, "label": _LABEL})
    if not out and not incoming and not store.ox_query(f"ASK {{ ?s ?p {e} }}"):
        raise NotFound(f"the graph holds nothing about <{iri}>")
    types = sorted({r["o"] for r in out if r["p"] == _RDF + "type"})
    labels = sorted({r["o"] for r in out if r["p"] == _RDFS + "label"})
    return Description(
        iri=iri, label=labels[0] if labels else None, cls=main_class(types), types=types,
        aliases=sorted({r["o"] for r in out if r["p"] == _SKOS + "altLabel"}),
        properties=_properties(out),
        outgoing=_links([r for r in out if r["p"] not in _OWN_SECTIONS and r["type"] is not None]),
        incoming=_links(incoming),
        reports=_reports(store, e), figures=figures(store, iri),
    )


def _properties(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Literal-valued (or unlabelled, untyped) properties, once each."""
    seen: dict[tuple[str, Any], dict[str, Any]] = {}
    for r in out:
        if r["p"] in _OWN_SECTIONS or r["type"] is not None:
            continue
        seen.setdefault((r["p"], r["o"]), {"property": r["p"], "value": r["o"]})
    return list(seen.values())


def _links(found: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Links grouped by relation; one row per neighbour, its evidence sentences collected."""
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for r in found:
        row = grouped.setdefault(r["p"], {}).setdefault(
            r["o"], {"iri": r["o"], "label": r["label"], "types": set(), "evidence": []})
        if r["type"]:
            row["types"].add(r["type"])
        evidence = {"sentence": r["sentence"], "report": r["report"]}
        if r["sentence"] and evidence not in row["evidence"]:
            row["evidence"].append(evidence)
    return {p: [{**row, "cls": main_class(row.pop("types"))} for row in by_iri.values()]
            for p, by_iri in grouped.items()}


_MENTIONS = """
SELECT ?report ?title ?year ?issuer_label ?start ?end ?text ?sentence WHERE {
  ?m pk:mentionOf %s ; pk:inReport ?report ; pk:start ?start ; pk:end ?end .
  OPTIONAL { ?m pk:text ?text } OPTIONAL { ?m pk:sentence ?sentence }
  OPTIONAL { ?report rdfs:label ?title } OPTIONAL { ?report pk:year ?year }
  OPTIONAL { ?report dcterms:publisher/rdfs:label ?issuer_label }
} ORDER BY DESC(?year) ?report ?start
"""


def _reports(store: GraphStore, e: str) -> list[dict[str, Any]]:
    """The reports that name the resource, newest first, each with its distinct sentences in text order."""
    by_report: dict[str, dict[str, Any]] = {}
    for r in rows(store, _MENTIONS % e):
        entry = by_report.setdefault(r["report"], {
            "iri": r["report"], "title": r["title"], "year": r["year"], "issuer": r["issuer_label"],
            "mentions": 0, "sentences": [], "spans": set()})
        entry["spans"].add((r["start"], r["end"]))
        entry["mentions"] = len(entry["spans"])
        if r["sentence"] and all(s["sentence"] != r["sentence"] for s in entry["sentences"]):
            entry["sentences"].append({"sentence": r["sentence"], "text": r["text"], "start": r["start"]})
    for entry in by_report.values():
        del entry["spans"]
    return list(by_report.values())


_FIGURES = """
SELECT ?obs ?indicator ?indicator_label ?value ?unit ?period ?approximate ?report ?title ?year
       ?issuer ?issuer_label ?evidence ?sentence ?about ?about_label WHERE {
  { ?obs pk:about %(e)s } UNION { ?obs pk:indicator %(e)s } UNION { %(e)s pk:hasObservation ?obs }
  ?obs a pk:Observation ; pk:indicator ?indicator ; pk:value ?value ; pk:inReport ?report .
  OPTIONAL { ?indicator rdfs:label ?indicator_label } OPTIONAL { ?obs pk:unit ?unit }
  OPTIONAL { ?obs pk:period ?period } OPTIONAL { ?obs pk:approximate ?approximate }
  OPTIONAL { ?obs pk:evidence ?ev . ?ev pk:text ?evidence OPTIONAL { ?ev pk:sentence ?sentence } }
  OPTIONAL { ?obs pk:about ?about OPTIONAL { ?about rdfs:label ?about_label } }
  OPTIONAL { ?report rdfs:label ?title } OPTIONAL { ?report pk:year ?year }
  OPTIONAL { ?report dcterms:publisher ?issuer OPTIONAL { ?issuer rdfs:label ?issuer_label } }
} ORDER BY ?indicator_label DESC(?year) ?issuer_label ?obs
"""


def figures(store: GraphStore, iri: str) -> list[dict[str, Any]]:
    """The figures of a resource: those about it, all of an indicator's, or a measure's own; one row each."""
    return group_about(rows(store, _FIGURES % {"e": sparql_iri(iri)}))


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
  { %(e)s ?p ?o OPTIONAL { ?o rdfs:label ?ol } }
  UNION
  { ?s ?q %(e)s OPTIONAL { ?s rdfs:label ?sl } }
}
"""


def resource_graph(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The resource's triples, the triples pointing at it and its neighbours' labels (a CBD with inlinks)."""
    triples = list(store.ox_query(_CBD % {"e": sparql_iri(iri)}))
    if not triples:
        raise NotFound(f"the graph holds nothing about <{iri}>")
    # Its own triples first, then grouped by subject: Turtle writers group consecutive subjects.
    return sorted(triples, key=lambda t: (t.subject.value != iri, str(t.subject), str(t.predicate),
                                          str(t.object)))
