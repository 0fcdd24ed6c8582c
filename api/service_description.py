"""The SPARQL 1.1 Service Description of /sparql: what RDF clients get from a GET without a query.

Built from the same tables the endpoint uses (kg.formats), so it cannot drift from what is served.
"""

from __future__ import annotations

import pyoxigraph as ox

from policekg.kg.config import Settings
from policekg.kg.rdf.formats import RDF_FORMATS, RESULTS_FORMATS
from policekg.kg.rdf.iris import PREFIXES, SD

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_FORMATS = "http://www.w3.org/ns/formats/"


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(SD) + name)


def service_description(endpoint: str, graphs: list[str], settings: Settings) -> list[ox.Triple]:
    """Triples describing the endpoint at `endpoint` over a dataset of the named `graphs` (IRIs)."""
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    update = settings.update_token is not None
    triples = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")) if settings.allow_remote else None,
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")) if update else None,
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, _RDF_TYPE, _sd("Graph")),
    ]
    for fmt in (*RESULTS_FORMATS, *RDF_FORMATS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(_FORMATS + fmt.w3c)))
    for graph in graphs:
        named = ox.BlankNode()
        triples += [ox.Triple(dataset, _sd("namedGraph"), named),
                    ox.Triple(named, _RDF_TYPE, _sd("NamedGraph")),
                    ox.Triple(named, _sd("name"), ox.NamedNode(graph))]
    return [t for t in triples if t is not None]
