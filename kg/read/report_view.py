"""One report as its page shows it: metadata, structure with status, the text with its mentions, figures.

The mentions come back as offsets into `pk:fullText` (the normalised text the extractor read), so
the page can highlight exactly what was extracted, each span pointing at its entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.describe import group_about
from policekg.kg.read.sparql import NotFound, main_class, rows, sparql_iri, status_name


@dataclass
class ReportView:
    """Everything the report page needs."""

    iri: str
    meta: dict[str, Any]
    sections: list[dict[str, Any]]
    text: str
    mentions: list[dict[str, Any]]
    figures: list[dict[str, Any]]


_META = """
SELECT ?title ?year ?issued ?issuer ?issuer_label ?source_url ?source_name ?sha256 ?text WHERE {
  GRAPH %(r)s { %(r)s a pk:Report .
    OPTIONAL { %(r)s rdfs:label ?title } OPTIONAL { %(r)s pk:year ?year }
    OPTIONAL { %(r)s dcterms:issued ?issued } OPTIONAL { %(r)s pk:sourceURL ?source_url }
    OPTIONAL { %(r)s pk:sourceName ?source_name } OPTIONAL { %(r)s pk:sha256 ?sha256 }
    OPTIONAL { %(r)s pk:fullText ?text }
    OPTIONAL { %(r)s dcterms:publisher ?issuer OPTIONAL { ?issuer rdfs:label ?issuer_label } } }
} LIMIT 1
"""

_STRUCTURE = """
SELECT ?section ?s_ord ?s_label ?s_status ?s_start ?measure ?m_ord ?m_label ?m_status ?m_start
       (COUNT(DISTINCT ?obs) AS ?figures) WHERE {
  GRAPH %(r)s { %(r)s pk:hasSection ?section .
    OPTIONAL { ?section pk:ordinal ?s_ord } OPTIONAL { ?section rdfs:label ?s_label }
    OPTIONAL { ?section pk:status ?s_status } OPTIONAL { ?section pk:start ?s_start }
    OPTIONAL { ?section pk:hasMeasure ?measure .
      OPTIONAL { ?measure pk:ordinal ?m_ord } OPTIONAL { ?measure rdfs:label ?m_label }
      OPTIONAL { ?measure pk:status ?m_status } OPTIONAL { ?measure pk:start ?m_start }
      OPTIONAL { ?measure pk:hasObservation ?obs } } }
} GROUP BY ?section ?s_ord ?s_label ?s_status ?s_start ?measure ?m_ord ?m_label ?m_status ?m_start
ORDER BY ?s_ord ?s_start ?m_ord ?m_start
"""

_MEASURE_LINKS = """
SELECT ?measure ?p ?o ?label WHERE {
  GRAPH %(r)s { ?section pk:hasMeasure ?measure . ?measure ?p ?o . ?o rdfs:label ?label .
    FILTER(?p IN (pk:implements, pk:performedBy, pk:basedOn, pk:usesPlatform)) }
} ORDER BY ?measure ?p ?label
"""

_MENTIONS = """
SELECT ?start ?end ?entity ?label (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types) WHERE {
  GRAPH %(r)s { ?m pk:inReport %(r)s ; pk:mentionOf ?entity ; pk:start ?start ; pk:end ?end .
    ?entity a ?type . OPTIONAL { ?entity rdfs:label ?label } }
} GROUP BY ?start ?end ?entity ?label ORDER BY ?start DESC(?end)
"""


def report_view(store: GraphStore, iri: str) -> ReportView:
    """The report `iri`; NotFound when the store holds no such report."""
    r = sparql_iri(iri)
    meta = rows(store, _META % {"r": r})
    if not meta:
        raise NotFound(f"no report <{iri}> in the store")
    text = meta[0].pop("text") or ""
    mentions = [{**m, "cls": main_class(m.pop("types").split())} for m in rows(store, _MENTIONS % {"r": r})]
    return ReportView(iri=iri, meta=meta[0], sections=_sections(store, r), text=text, mentions=mentions,
                      figures=figures_in(store, iri))


def _sections(store: GraphStore, r: str) -> list[dict[str, Any]]:
    """Sections in order, each with its measures and, per measure, the programs/units/laws it names."""
    links: dict[str, list[dict[str, Any]]] = {}
    for row in rows(store, _MEASURE_LINKS % {"r": r}):
        links.setdefault(row["measure"], []).append(
            {"predicate": row["p"], "iri": row["o"], "label": row["label"]})
    sections: dict[str, dict[str, Any]] = {}
    for row in rows(store, _STRUCTURE % {"r": r}):
        section = sections.setdefault(row["section"], {
            "iri": row["section"], "ordinal": row["s_ord"], "label": row["s_label"],
            "status": status_name(row["s_status"]), "start": row["s_start"], "measures": []})
        if row["measure"]:
            section["measures"].append({
                "iri": row["measure"], "ordinal": row["m_ord"], "label": row["m_label"],
                "status": status_name(row["m_status"]), "start": row["m_start"], "figures": row["figures"],
                "links": links.get(row["measure"], [])})
    return list(sections.values())


def figures_in(store: GraphStore, iri: str) -> list[dict[str, Any]]:
    """The figures of one report in text order, with their measure."""
    return [{**f, "bound": status_name(f["bound"]), "change": status_name(f["change"])}
            for f in group_about(rows(store, _FIGURES_IN % {"r": sparql_iri(iri)}))]


_FIGURES_IN = """
SELECT ?obs ?indicator ?indicator_label ?value ?unit ?period ?approximate ?bound ?target ?change ?measure
       ?measure_label ?evidence ?sentence ?start ?about ?about_label WHERE {
  GRAPH %(r)s { ?obs a pk:Observation ; pk:indicator ?indicator ; pk:value ?value .
    OPTIONAL { ?indicator rdfs:label ?indicator_label FILTER(LANG(?indicator_label) = "zh") }
    OPTIONAL { ?obs pk:unit ?unit }
    OPTIONAL { ?obs pk:period ?period } OPTIONAL { ?obs pk:approximate ?approximate }
    OPTIONAL { ?obs pk:bound ?bound } OPTIONAL { ?obs pk:target ?target } OPTIONAL { ?obs pk:changeDirection ?change }
    OPTIONAL { ?measure pk:hasObservation ?obs OPTIONAL { ?measure rdfs:label ?measure_label } }
    OPTIONAL { ?obs pk:evidence ?ev . ?ev pk:text ?evidence ; pk:start ?start
               OPTIONAL { ?ev pk:sentence ?sentence } }
    OPTIONAL { ?obs pk:about ?about OPTIONAL { ?about rdfs:label ?about_label } } }
} ORDER BY ?start ?obs
"""

