"""Every IRI the graph mints, in one place: the identity rules of the graph.

Instance IRIs are readable: `pkr:{kind}/{canonical name}`, local units under their bureau
(`pkr:unit/慈溪市公安局/周巷派出所`), report-local things under the report
(`pkr:report/慈溪市公安局/2022/measure/4-1`). Names are percent-encoded only where IRI syntax
forbids a character (or where `/`, `#`, `?` would change the IRI's structure).
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from rdflib import Graph, Namespace, URIRef

from policekg.schema.vocabulary import ENTITY_CLASSES

PK = Namespace("https://w3id.org/policekg/ontology#")
PKR = Namespace("https://w3id.org/policekg/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: The graph that holds analysis results (centrality, communities), apart from any report.
ANALYSIS_GRAPH = URIRef(PKR + "analysis")

#: Entity class → its IRI path segment (the legal classes share `law`).
KIND_SEGMENT: dict[str, str] = {c.name: c.segment for c in ENTITY_CLASSES}

PREFIXES: dict[str, str] = {
    "pk": str(PK),
    "pkr": str(PKR),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": str(ORG),
}


def named_graph(identifier: URIRef) -> Graph:
    """An empty rdflib Graph named `identifier`, our prefixes bound so its Turtle reads `pk:` / `pkr:`."""
    g = Graph(identifier=identifier)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


# Characters IRIs forbid (RFC 3987) plus the ones that would split a name into path parts.
_UNSAFE = ' <>"{}|\\^`/#?%'


def segment(name: str) -> str:
    """A name as one IRI path segment: Chinese stays readable, structure characters are escaped."""
    return "".join(quote(c, safe="") if c in _UNSAFE or ord(c) < 0x20 else c for c in name)


def unsegment(seg: str) -> str:
    """The name a path segment was made from."""
    return unquote(seg)


def entity_iri(kind: str, name: str, parent: str | None = None) -> URIRef:
    """`pkr:unit/慈溪市公安局/周巷派出所`, `pkr:program/枫桥经验`, `pkr:law/反有组织犯罪法`."""
    path = f"{segment(parent)}/{segment(name)}" if parent else segment(name)
    return URIRef(f"{PKR}{KIND_SEGMENT[kind]}/{path}")


def indicator_iri(indicator_id: str) -> str:
    """A canonical indicator's IRI: `pkr:indicator/disputes_resolved`, and a narrower one derived through
    a program one level down (`pkr:indicator/disputes_resolved/警调衔接`)."""
    return f"{PKR}{KIND_SEGMENT['Indicator']}/" + "/".join(segment(part) for part in indicator_id.split("/"))


def report_iri(issuer: str, year: int) -> URIRef:
    """The report's IRI, which is also the IRI of the named graph holding its triples."""
    return URIRef(f"{PKR}report/{segment(issuer)}/{year}")


def report_part_iri(report: URIRef, kind: str, local: str) -> URIRef:
    """Something that exists only inside one report: `…/measure/4-1`, `…/mention/1203-1209`."""
    return URIRef(f"{report}/{kind}/{segment(local)}")


def report_of_part(iri: str, kind: str) -> str | None:
    """The report a `report_part_iri` of `kind` hangs under (None for an IRI not made that way): a
    figure's report without a lookup per figure."""
    report, found, _ = iri.rpartition(f"/{kind}/")
    return report if found and report.startswith(f"{PKR}report/") else None


def local_path(iri: str) -> str | None:
    """The part of an instance IRI after `pkr:` (`program/枫桥经验`), or None for other IRIs."""
    return iri[len(PKR):] if iri.startswith(str(PKR)) else None
