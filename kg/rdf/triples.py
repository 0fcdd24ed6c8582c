"""An `Extraction` as RDF: the one place that decides which triples a report produces.

Every triple of a report goes into the report's own named graph, entities included, so the graph
stands alone: it can be replaced or removed without touching another report, and the merge of all
graphs is what queries see. Relations are asserted directly (`s pk:implements o`) and also reified
as an `rdf:Statement` carrying the evidence sentence, so every edge can say why it exists.

The triples are pyoxigraph terms, built straight for the store: an rdflib Graph in between cost more
than the extraction itself. `report_graph` gives the same triples as an rdflib Graph for the few
callers that want one.
"""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from policekg.extract.figures.indicator_norm import Indicator, canonical
from policekg.extract.model import Extraction, Mention, Observation
from policekg.kg.rdf.iris import PK, entity_iri, indicator_iri, named_graph, report_iri, report_part_iri
from policekg.schema.vocabulary import BY_NAME

#: Every predicate and class the builder writes, made once (`P.label`, `P.Report`, …).
_TERMS = {
    **{name: f"{PK}{name}" for name in (
        "Report", "PoliceUnit", "LegalInstrument", "Mention", "Section", "Measure", "Observation",
        "Indicator", "CanonicalIndicator",
        "year", "mentionedIn", "sourceURL", "sourceName", "sha256", "fullText", "mentionOf", "inReport",
        "start", "end", "text", "sentence", "hasSection", "hasMeasure", "ordinal", "status", "indicator",
        "value", "unit", "approximate", "period", "evidence", "about", "hasObservation", "sourceSha256",
        "quantityKind", "bound", "target", "changeDirection", "changeBasis", "scope", "qualifier", "area")},
    **{name: str(RDF[name]) for name in ("type", "Statement", "subject", "predicate", "object")},
    "label": str(RDFS.label),
    "altLabel": str(SKOS.altLabel), "broader": str(SKOS.broader),
    "title": str(DCTERMS.title), "publisher": str(DCTERMS.publisher),
    "issued": str(DCTERMS.issued),
}
_DT = {name: ox.NamedNode(str(XSD[name]))
       for name in ("integer", "decimal", "date", "gYear", "anyURI", "boolean")}


class _Terms:
    """Attribute access to the nodes of `_TERMS` (`P.label`), each a pyoxigraph NamedNode."""

    def __init__(self, iris: dict[str, str]) -> None:
        self.__dict__.update({name: ox.NamedNode(iri) for name, iri in iris.items()})

    def __getattr__(self, name: str) -> ox.NamedNode:  # a relation or status named by the extraction
        node = ox.NamedNode(f"{PK}{name}")
        setattr(self, name, node)
        return node


P = _Terms(_TERMS)


def _ozh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _oint(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_DT["integer"])


def _obool(flag: bool) -> ox.Literal:
    return ox.Literal("true" if flag else "false", datatype=_DT["boolean"])


#: The extraction's bound and change words → the ontology's individuals.
_BOUNDS = {"exact": "Exact", "at_least": "AtLeast", "about": "About", "at_most": "AtMost"}
_DIRECTIONS = {"up": "Increase", "down": "Decrease"}


def _node(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


class ReportTriples:
    """Builds the triples of one report as pyoxigraph terms; `build()` returns them, each once, in order."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.iri = report_iri(ex.meta.issuer, ex.meta.year)
        self.r = _node(self.iri)
        self.out: dict[ox.Triple, None] = {}
        self.keys: dict[str, ox.NamedNode] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.out[ox.Triple(s, p, o)] = None

    def build(self) -> list[ox.Triple]:
        self._report()
        self._entities()
        self._structure()
        self._observations()
        self._relations()
        return list(self.out)

    def _report(self) -> None:
        m, add, r = self.ex.meta, self.add, self.r
        title = _ozh(m.title or f"{m.issuer}{m.year}年法治政府建设工作情况")
        add(r, P.type, P.Report)
        add(r, P.label, title)
        add(r, P.title, title)
        add(r, P.year, _oint(m.year))
        issuer = _node(entity_iri("PoliceUnit", m.issuer))
        add(r, P.publisher, issuer)
        add(issuer, P.type, P.PoliceUnit)
        add(issuer, P.label, _ozh(m.issuer))
        add(issuer, P.mentionedIn, r)
        if isinstance(m.published, date):
            add(r, P.issued, ox.Literal(m.published.isoformat(), datatype=_DT["date"]))
        if m.source_url:
            add(r, P.sourceURL, ox.Literal(m.source_url, datatype=_DT["anyURI"]))
        if m.source_name:
            add(r, P.sourceName, _ozh(m.source_name))
        add(r, P.sha256, ox.Literal(self.ex.sha256))
        add(r, P.fullText, _ozh(self.ex.text))

    def _entities(self) -> None:
        add = self.add
        for ent in self.ex.entities:
            e = _node(entity_iri(ent.kind, ent.name, ent.parent))
            self.keys[ent.key] = e
            add(e, P.type, getattr(P, ent.kind))
            if parent := BY_NAME[ent.kind].parent:
                add(e, P.type, getattr(P, parent))  # a law is a legal instrument, a formulation a program
            add(e, P.label, _ozh(ent.name))
            for alias in sorted(ent.aliases - {ent.name}):
                add(e, P.altLabel, _ozh(alias))
            add(e, P.mentionedIn, self.r)
            for mention in ent.mentions:
                add(self._mention(mention), P.mentionOf, e)

    def _mention(self, mention: Mention) -> ox.NamedNode:
        """The Mention node for a span of text (shared by entity mentions and evidence)."""
        n = _node(report_part_iri(self.iri, "mention", f"{mention.start}-{mention.end}"))
        add = self.add
        add(n, P.type, P.Mention)
        add(n, P.inReport, self.r)
        add(n, P.start, _oint(mention.start))
        add(n, P.end, _oint(mention.end))
        add(n, P.text, _ozh(mention.text))
        add(n, P.sentence, _ozh(mention.sentence))
        return n

    def _structure(self) -> None:
        for section in self.ex.sections:
            s = _node(report_part_iri(self.iri, "section", section.ordinal))
            self.add(self.r, P.hasSection, s)
            self._part(s, P.Section, section.title, section.ordinal, section.status, section.start,
                       section.end)
            for measure in section.measures:
                m = _node(report_part_iri(self.iri, "measure", measure.ordinal))
                self.keys[f"measure:{measure.ordinal}"] = m
                self.add(s, P.hasMeasure, m)
                self._part(m, P.Measure, measure.title, measure.ordinal.rsplit("-", 1)[-1],
                           measure.status, measure.start, measure.end)

    def _part(self, node: ox.NamedNode, cls: ox.NamedNode, title: str, ordinal: str, status: str, start: int,
              end: int) -> None:
        add = self.add
        add(node, P.type, cls)
        add(node, P.label, _ozh(title))
        add(node, P.ordinal, _oint(int(ordinal)))
        add(node, P.status, getattr(P, status))
        add(node, P.start, _oint(start))
        add(node, P.end, _oint(end))
        add(node, P.inReport, self.r)

    def _observations(self) -> None:
        add, r = self.add, self.r
        for i, obs in enumerate(self.ex.observations, start=1):
            o = _node(report_part_iri(self.iri, "observation", str(i)))
            ind = self._indicator(obs)
            unit = ox.Literal(obs.unit)
            add(o, P.type, P.Observation)
            add(o, P.indicator, ind)
            add(o, P.value, ox.Literal(format(obs.value, "f"), datatype=_DT["decimal"]))  # never 1E+3
            add(o, P.unit, unit)
            add(o, P.approximate, _obool(obs.approximate))
            add(o, P.bound, getattr(P, _BOUNDS[obs.bound]))
            add(o, P.target, _obool(obs.target))
            if obs.change:
                add(o, P.changeDirection, getattr(P, _DIRECTIONS[obs.change]))
            if obs.change_basis:
                add(o, P.changeBasis, _ozh(obs.change_basis))
            words = ((P.scope, obs.scope), (P.qualifier, obs.qualifiers), (P.area, (obs.area,)))
            for prop, word in ((prop, w) for prop, ws in words for w in ws if w):
                add(o, prop, _ozh(word))
            period_type = _DT["gYear"] if len(obs.period) == 4 else _DT["date"]
            add(o, P.period, ox.Literal(obs.period, datatype=period_type))
            add(o, P.evidence, self._mention(obs.mention))
            add(o, P.inReport, r)
            for key in obs.about:
                if key in self.keys:
                    add(o, P.about, self.keys[key])
            if obs.measure and f"measure:{obs.measure}" in self.keys:
                add(self.keys[f"measure:{obs.measure}"], P.hasObservation, o)
            add(ind, P.unit, unit)
            if obs.indicator_text != obs.label:
                add(ind, P.altLabel, _ozh(obs.indicator_text))

    def _indicator(self, obs: Observation) -> ox.NamedNode:
        """The figure's indicator node: a canonical one with its headings, quantity kind and broader
        indicator, or the phrase as written (a pk:Indicator only)."""
        if not obs.canonical:
            ind = _node(entity_iri("Indicator", obs.indicator))
            self.add(ind, P.type, P.Indicator)
            self.add(ind, P.label, _ozh(obs.label))
            return ind
        return self._canonical(canonical(obs.indicator))

    def _canonical(self, found: Indicator) -> ox.NamedNode:
        """A canonical indicator with its Chinese and English headings, its quantity kind and, described
        the same way, the broader indicator it is a narrower kind of."""
        ind = ox.NamedNode(indicator_iri(found.id))
        for t in (P.Indicator, P.CanonicalIndicator):
            self.add(ind, P.type, t)
        self.add(ind, P.label, _ozh(found.zh))
        self.add(ind, P.label, ox.Literal(found.en, language="en"))
        self.add(ind, P.quantityKind, getattr(P, found.measure.capitalize()))
        if found.broader:
            self.add(ind, P.broader, self._canonical(canonical(found.broader)))
        return ind

    def _relations(self) -> None:
        add, r = self.add, self.r
        for i, rel in enumerate(self.ex.relations, start=1):
            s, o = self.keys.get(rel.subject), self.keys.get(rel.object)
            if s is None or o is None:
                continue
            p = getattr(P, rel.predicate)
            add(s, p, o)
            st = _node(report_part_iri(self.iri, "relation", str(i)))
            add(st, P.type, P.Statement)
            add(st, P.subject, s)
            add(st, P.predicate, p)
            add(st, P.object, o)
            add(st, P.evidence, self._mention(rel.evidence))
            add(st, P.inReport, r)


def report_triples(ex: Extraction) -> list[ox.Triple]:
    """The triples of one report's named graph (its IRI is `report_iri(issuer, year)`), each once."""
    return ReportTriples(ex).build()


def report_graph(ex: Extraction) -> Graph:
    """The same triples as an rdflib Graph named by the report IRI (validation, tests, notebooks)."""
    graph = named_graph(report_iri(ex.meta.issuer, ex.meta.year))
    return graph.parse(data=ox.serialize(report_triples(ex), format=ox.RdfFormat.N_TRIPLES), format="nt")
