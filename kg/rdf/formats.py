"""The one table of serialisation formats: short names, media types, file suffixes, Oxigraph formats.

The CLI's `--format`, the API's content negotiation and the export downloads all read it, so adding
a format is adding a row, not another `if` branch.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from policekg.kg.rdf.errors import FormatError


@dataclass(frozen=True)
class RdfFormat:
    """A way to write triples or quads."""

    name: str
    media_type: str
    suffix: str
    ox: ox.RdfFormat
    quads: bool  # keeps named graphs
    #: Other media types clients ask for meaning this format (content negotiation accepts them too).
    also: tuple[str, ...] = ()
    #: Local name of the format's IRI under http://www.w3.org/ns/formats/ (service description).
    w3c: str = ""


@dataclass(frozen=True)
class ResultsFormat:
    """A way to write SELECT / ASK answers."""

    name: str
    media_type: str
    suffix: str
    ox: ox.QueryResultsFormat
    also: tuple[str, ...] = ()
    w3c: str = ""


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("ttl", "text/turtle", "ttl", ox.RdfFormat.TURTLE, False,
              ("application/turtle", "application/x-turtle"), "Turtle"),
    RdfFormat("trig", "application/trig", "trig", ox.RdfFormat.TRIG, True, (), "TriG"),
    RdfFormat("nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, False, ("text/plain",), "N-Triples"),
    RdfFormat("nq", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, True, ("text/x-nquads",), "N-Quads"),
    RdfFormat("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, False, ("application/json",),
              "JSON-LD"),
    RdfFormat("xml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, False, ("application/xml", "text/xml"),
              "RDF_XML"),
)

RESULTS_FORMATS: tuple[ResultsFormat, ...] = (
    ResultsFormat("json", "application/sparql-results+json", "srj", ox.QueryResultsFormat.JSON,
                  ("application/json", "text/javascript", "application/javascript"), "SPARQL_Results_JSON"),
    ResultsFormat("xml", "application/sparql-results+xml", "srx", ox.QueryResultsFormat.XML,
                  ("application/xml", "text/xml"), "SPARQL_Results_XML"),
    ResultsFormat("csv", "text/csv", "csv", ox.QueryResultsFormat.CSV, (), "SPARQL_Results_CSV"),
    ResultsFormat("tsv", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV, (), "SPARQL_Results_TSV"),
)

#: Other names users type for the same formats.
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
            "json-ld": "jsonld", "rdfxml": "xml", "rdf": "xml", "rdf/xml": "xml"}


def rdf_format(name: str) -> RdfFormat:
    """The RDF format called `name` (a short name, an alias or a media type); FormatError if unknown."""
    key = _ALIASES.get(name.lower(), name.lower())
    for fmt in RDF_FORMATS:
        if key in (fmt.name, fmt.media_type, *fmt.also):
            return fmt
    known = ", ".join(f.name for f in RDF_FORMATS)
    raise FormatError(f"unknown RDF format {name!r}; use one of {known}")


def results_format(name: str) -> ResultsFormat:
    """The results format called `name` (short name or media type); FormatError if unknown."""
    key = name.lower()
    for fmt in RESULTS_FORMATS:
        if key in (fmt.name, fmt.media_type, *fmt.also):
            return fmt
    known = ", ".join(f.name for f in RESULTS_FORMATS)
    raise FormatError(f"unknown results format {name!r}; use one of {known}")
