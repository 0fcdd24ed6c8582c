"""A SPARQL 1.1 server as the store: the same public interface as `GraphStore`, over the standard protocols.

Any server that speaks the SPARQL 1.1 Protocol and Update will do (tested on Oxigraph server and Virtuoso);
nothing here names an engine. Three graphs of our own sit beside the report graphs on the server:

- every report (and the analysis) is a named graph, as in the embedded store;
- `MERGE_GRAPH` holds the reports' RDF merge, each distinct triple once (the analysis stays out, as in
  the embedded store: it is read as `GRAPH pkr:analysis`), and is the default graph of every
  query we send. The servers' own default graphs cannot stand in for it: Virtuoso's is every graph on
  the server (other datasets included) with a triple repeated once per graph holding it, Oxigraph's is
  a graph of its own (its `--union-default-graph` repeats triples too, oxigraph#1919), and `FROM` with
  several graphs repeats them on both. Every write changes a report graph and the merge in ONE update
  request. Oxigraph runs it as one transaction; Virtuoso 7.2 keeps the operations that ran before one
  failed. So when a write that reached the server fails, the graph is taken out (and the merge pruned):
  a report is wholly in or wholly out, whatever the server;
- `CATALOGUE_GRAPH` lists our named graphs (`<g> a sd:NamedGraph`), written in the same request. A
  query that names graphs by variable (`GRAPH ?g`) gets exactly these as its named graphs
  (`named-graph-uri`): the protocol leaves the named graphs empty when only a default graph is given
  (Oxigraph) or takes every graph on the server (Virtuoso), and neither is the dataset the embedded
  store answers over. Graphs a query names by IRI (`GRAPH <g>`) join them: Virtuoso 7.2 takes
  `GRAPH <g>` of a graph not among the named graphs for an empty pattern, which matches once (an ASK of
  a report that is not there is true). A query that names every graph it reads by IRI (a report's page)
  gets those alone: the same answer, without reading the catalogue and sending every report's IRI.

A query's text is parsed here first (by Oxigraph, on an empty store), so a malformed query gets the
same message, with its position, as on the embedded store, and the answer's kind picks what to ask for.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result

from policekg.kg.rdf.errors import QueryError, RemoteError, RemoteUnreachable
from policekg.kg.rdf.formats import RdfFormat
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PK, PREFIXES, SD, named_graph
from policekg.kg.rdf.sparql_client import Endpoints, SparqlClient, broken_answer
from policekg.kg.rdf.store import GraphStore, count_stats

log = logging.getLogger(__name__)

MERGE_GRAPH = "urn:policekg:merge"
CATALOGUE_GRAPH = "urn:policekg:graphs"
GENERATION = "urn:policekg:generation"
_NAMED = f"<{SD}NamedGraph>"
_M, _C = f"<{MERGE_GRAPH}>", f"<{CATALOGUE_GRAPH}>"

#: Take out of the merge the triples of graph %(g)s that no other of our graphs holds.
_UNMERGE = f"""DELETE {{ GRAPH {_M} {{ ?s ?p ?o }} }} WHERE {{ GRAPH %(g)s {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH {_C} {{ ?other a {_NAMED} }} GRAPH ?other {{ ?s ?p ?o }}
                      FILTER (?other != %(g)s) }} }}"""
#: Add graph %(g)s to the merge and to the catalogue.
_MERGE_IN = f"""INSERT {{ GRAPH {_M} {{ ?s ?p ?o }} }} WHERE {{ GRAPH %(g)s {{ ?s ?p ?o }} }} ;
INSERT DATA {{ GRAPH {_C} {{ %(g)s a {_NAMED} }} }}"""
#: Put %(body)s (N-Triples) in graph %(g)s in place of what was there, the merge kept in step.
_REPLACE = (
    _UNMERGE + " ;\nDROP SILENT GRAPH %(g)s ;\nINSERT DATA { GRAPH %(g)s { %(body)s } } ;\n" + _MERGE_IN
)
_ADD = "INSERT DATA { GRAPH %(g)s { %(body)s } } ;\n" + _MERGE_IN
#: Put %(body)s in graph %(g)s, catalogued but not merged (the analysis); a copy merged before goes.
_REPLACE_OWN = _UNMERGE + f""" ;
DROP SILENT GRAPH %(g)s ;
INSERT DATA {{ GRAPH %(g)s {{ %(body)s }} }} ;
INSERT DATA {{ GRAPH {_C} {{ %(g)s a {_NAMED} }} }}"""
_REMOVE = _UNMERGE + f" ;\nDROP SILENT GRAPH %(g)s ;\nDELETE DATA {{ GRAPH {_C} {{ %(g)s a {_NAMED} }} }}"
#: Catalogue every graph that holds its own report (one an update from outside has just written).
_CATALOGUE_REPORTS = f"""INSERT {{ GRAPH {_C} {{ ?g a {_NAMED} }} }} WHERE {{ GRAPH ?g {{ ?g a <{PK.Report}> }} }}"""
#: Make the merge the merge of the catalogued graphs again, whatever wrote to them.
_REMERGE = f"""DROP SILENT GRAPH {_M} ;
INSERT {{ GRAPH {_M} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {_C} {{ ?g a {_NAMED} FILTER (?g != <{ANALYSIS_GRAPH}>) }}
  GRAPH ?g {{ ?s ?p ?o }} }}"""
#: After a failed write: graph %(g)s out, and out of the merge whatever no catalogued graph holds.
_TAKE_OUT = f"""DROP SILENT GRAPH %(g)s ;
DELETE DATA {{ GRAPH {_C} {{ %(g)s a {_NAMED} }} }} ;
DELETE {{ GRAPH {_M} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {_M} {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH {_C} {{ ?g a {_NAMED} FILTER (?g != <{ANALYSIS_GRAPH}>) }} GRAPH ?g {{ ?s ?p ?o }} }} }}"""
#: A new generation token %(token)s (see `RemoteStore.generation`), kept in the catalogue graph.
_BUMP = f"""DELETE WHERE {{ GRAPH {_C} {{ {_C} <{GENERATION}> ?token }} }} ;
INSERT DATA {{ GRAPH {_C} {{ {_C} <{GENERATION}> "%(token)s" }} }} ;
"""
_GENERATION = f"SELECT ?token WHERE {{ GRAPH {_C} {{ {_C} <{GENERATION}> ?token }} }}"
_CATALOGUE = f"SELECT ?g WHERE {{ GRAPH {_C} {{ ?g a {_NAMED} }} }} ORDER BY ?g"

#: What the query endpoint is asked for, by the kind of answer (N-Triples: every server writes it).
_ACCEPT = {
    "graph": "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8",
    "results": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
}
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}
_NAMES_GRAPHS = re.compile(r"\bGRAPH\b", re.IGNORECASE)
#: A graph named by IRI or prefixed name after GRAPH.
_GRAPH_IRI = re.compile(r"\bGRAPH\s*(?:<([^>\s]*)>|([A-Za-z][\w.-]*)?:([^\s{]*))", re.IGNORECASE)
_HAS_DATASET = re.compile(r"\bFROM\s+(?:NAMED\s+)?(?:<|[A-Za-z][\w.-]*:|:)", re.IGNORECASE)
#: In a query's text, what is not its syntax: IRIs (kept: a '#' inside one starts no comment), then
#: strings and comments, whose words ("from", "graph") must not be taken for keywords.
_IRI_STRING_COMMENT = re.compile(
    r"""<[^<>"{}|^`\\\s]*>|"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}"""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*"""
)
_PROLOGUE = "".join(f"PREFIX {p}: <{iri}> " for p, iri in PREFIXES.items())

#: What the write methods take, as `GraphStore`'s: N-Triples bytes, pyoxigraph triples or an rdflib Graph.
Triples = bytes | Iterable[ox.Triple] | Graph


class RemoteStore:
    """The dataset of all reports, on a SPARQL server. Never read-only: the server arbitrates writers."""

    path = None
    read_only = False
    #: No bulk load a client could undo: every report goes in one atomic request of its own.
    bulk_loads = False

    def __init__(self, endpoints: Endpoints, *, query_timeout: float, write_timeout: float = 300.0) -> None:
        self.endpoints = endpoints
        self.write_timeout = write_timeout
        self._client = SparqlClient(endpoints, query_timeout=query_timeout, write_timeout=write_timeout)
        self._ox = _OxFacade(self)
        self._stats: tuple[str, dict[str, object]] | None = None  # (state, counts): see `stats`

    @contextmanager
    def unhurried(self) -> Iterator[RemoteStore]:
        """The same store for work no reader waits for (the analysis's scans of every report), its queries
        given as long as a write: a page's time limit stops them once the store holds thousands of reports.
        A client of its own, so the pages' queries meanwhile keep their limit."""
        with RemoteStore(self.endpoints, query_timeout=self.write_timeout,
                         write_timeout=self.write_timeout) as store:
            yield store

    @property
    def ox(self) -> _OxFacade:
        """The few pyoxigraph `Store` methods callers use on `GraphStore.ox`, answered by the server."""
        return self._ox

    def close(self) -> None:
        """Close the connections (every write is already committed by its own request)."""
        self._client.close()

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoints.query})"

    # -- writing: one update request each ------------------------------------------------------

    def replace_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """Put `triples` in the named graph `iri` in place of what was there, the merge kept in step."""
        body = _ntriples(triples)
        self._write(iri, _REPLACE % {"g": _node(iri), "body": body.decode()})
        log.info("stored %s (%d triples)", iri, body.count(b"\n"))

    def replace_own_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """The analysis results: one atomic replace, as every graph on a server, kept out of the merge
        (a query reads it by name, `GRAPH pkr:analysis`)."""
        self._write(iri, _REPLACE_OWN % {"g": _node(iri), "body": _ntriples(triples).decode()})

    def add_to_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """Add `triples` to the named graph `iri` (and to the merge)."""
        self._write(iri, _ADD % {"g": _node(iri), "body": _ntriples(triples).decode()})

    def remove_graph(self, iri: URIRef | str) -> bool:
        """Delete one named graph, and from the merge what no other graph holds; True when it existed."""
        if not self._ox.contains_named_graph(ox.NamedNode(str(iri))):
            return False
        self._write(iri, _REMOVE % {"g": _node(iri)})
        return True

    def _write(self, iri: URIRef | str, update: str) -> None:
        """Send one write; when it reached the server and failed, take graph `iri` out (see the module
        docstring) and say so, or say that it may be partly written when even that fails."""
        if str(iri) != str(ANALYSIS_GRAPH):  # results must not make themselves stale
            update = _BUMP % {"token": uuid.uuid4().hex} + update
        try:
            self._client.update(update)
        except RemoteUnreachable:
            raise  # nothing was sent
        except RemoteError as err:
            try:
                self._client.update(_TAKE_OUT % {"g": _node(iri)})
            except RemoteError as again:
                raise RemoteError(
                    f"{err}; <{iri}> may be partly written ({again}): write it again, "
                    "or remove it, once the server works"
                ) from err
            raise type(err)(f"{err}; <{iri}> was taken out of the store, write it again") from err

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update, then catalogue the report graphs it wrote and rebuild the merge from the
        catalogued graphs, in one request: a report graph it creates is listed and merged like one ingested.

        Its WHERE clauses read the server's own default graph: name graphs with GRAPH / WITH.
        """
        bump = _BUMP % {"token": uuid.uuid4().hex}
        self._client.update(
            f"{_PROLOGUE}\n{bump}{sparql.rstrip().rstrip(';')}\n;\n{_CATALOGUE_REPORTS} ;\n{_REMERGE}"
        )

    def remerge(self) -> None:
        """Rebuild the merge from the catalogued graphs."""
        self._client.update(_BUMP % {"token": uuid.uuid4().hex} + _REMERGE)

    @property
    def generation(self) -> str | None:
        """A token that changes with every write of a graph other than the analysis graph, written in
        the same request, before the write: what the analysis checks to know whether its results are
        stale (as `GraphStore.generation`, issue 14). None before the first write."""
        found = [row["token"].value for row in self.ox_query(_GENERATION, named_graphs=[CATALOGUE_GRAPH])]
        return found[0] if found else None

    # -- reading -------------------------------------------------------------------------------

    def ox_query(
        self, sparql: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the server; the answer as pyoxigraph gives it for the embedded store."""
        kind = _kind(sparql)
        content_type, body = self._client.query(
            f"{_PROLOGUE}\n{sparql}", _ACCEPT[kind], self._dataset(sparql, default_graphs, named_graphs)
        )
        try:
            if kind == "graph":
                return _as_query_triples(ox.parse(body, _GRAPHS.get(content_type, ox.RdfFormat.N_TRIPLES)))
            fmt = _RESULTS.get(content_type, ox.QueryResultsFormat.JSON)
            answer = ox.parse_query_results(body, fmt)
            if isinstance(answer, ox.QuerySolutions):  # read once to the end: rows are parsed lazily, and
                for _ in answer:  # an answer cut off by the server's time limit (Oxigraph) shows only there
                    pass
                answer = ox.parse_query_results(body, fmt)
            return answer
        except (SyntaxError, ValueError) as err:
            raise broken_answer(self.endpoints.query, body, err) from err

    def query(self, sparql: str) -> Result:
        """The answer as rdflib gives it (rdflib terms), like `GraphStore.query`."""
        answer = self.ox_query(sparql)
        if isinstance(answer, ox.QueryTriples):
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(
                data=ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES), format="nt"
            )
            return result
        return Result.parse(io.BytesIO(answer.serialize(format=ox.QueryResultsFormat.JSON)), format="json")

    def _dataset(
        self, sparql: str, default: list[str] | None, named: list[str] | None
    ) -> dict[str, list[str]]:
        """The protocol's dataset parameters: the merge (or the graphs asked for) and our named graphs.

        A query with its own FROM / FROM NAMED keeps them (the protocol's parameters would override them).
        """
        syntax = _syntax(sparql)
        if not default and not named and _HAS_DATASET.search(syntax):
            return {}
        dataset = {"default-graph-uri": list(default or [MERGE_GRAPH])}
        if named or _NAMES_GRAPHS.search(syntax):
            by_iri, only_these = _graphs_named(syntax)
            if not only_these:  # a GRAPH ?g: our graphs, whichever they are now
                by_iri |= set(self.catalogue())
            dataset["named-graph-uri"] = list(named or sorted(by_iri))
        return dataset

    def catalogue(self) -> list[str]:
        """The IRIs of our named graphs (reports and analysis; the merge holds the reports only), sorted."""
        _, body = self._client.query(_CATALOGUE, _ACCEPT["results"], {})
        return [row["g"].value for row in ox.parse_query_results(body, ox.QueryResultsFormat.JSON)]

    __enter__ = GraphStore.__enter__
    __exit__ = GraphStore.__exit__
    report_graphs = GraphStore.report_graphs
    has_report = GraphStore.has_report
    state = GraphStore.state
    _analysis_stamp = GraphStore._analysis_stamp

    def stats(self) -> dict[str, object]:
        """Triples, reports and entities per class, as `GraphStore.stats`, counted once per state of the
        store: the generation (kept on the server, renewed by each write policekg makes) and the analysis's
        stamp cost two small queries where counting scans the whole merge. A write to the server that
        does not go through policekg leaves the generation, and so these counts, as they were."""
        key = self.state()
        kept = self._stats
        if kept is None or kept[0] != key or key.startswith("None/"):
            kept = self._stats = (key, count_stats(self))
        return kept[1]

    def graph(self, iri: URIRef) -> Graph:
        """A copy of one named graph as an in-memory rdflib Graph (for validation and analysis)."""
        return named_graph(iri).parse(
            data=self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri))), format="nt"
        )

    def __len__(self) -> int:
        """Number of distinct triples: the size of the merge."""
        return int(next(iter(self.ox_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)

    def export(self, fmt: RdfFormat, out: IO[bytes], graph: URIRef | None = None) -> None:
        """Write one graph, or the whole dataset, to `out` in `fmt`, as `GraphStore.export` does.

        Quad formats (TriG, N-Quads) get our named graphs one after the other; triple formats the merge.
        """
        if graph is not None:
            triples: Iterable = self._graph_triples(str(graph))
        elif fmt.quads:
            triples = (
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                for g in self.catalogue()
                for t in self._graph_triples(g)
            )
        else:
            triples = self._graph_triples(MERGE_GRAPH)
        ox.serialize(triples, out, fmt.ox, prefixes=PREFIXES)

    def _graph_triples(self, iri: str) -> Iterator[ox.Triple]:
        data = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        return (q.triple for q in ox.parse(data, ox.RdfFormat.N_TRIPLES))


class _OxFacade:
    """What callers use of `GraphStore.ox` (a pyoxigraph Store), for a store on a server."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def flush(self) -> None:
        """Nothing to do: each write was committed by the server when its request returned."""

    def contains_named_graph(self, node: ox.NamedNode) -> bool:
        ask = f"ASK {{ GRAPH {_C} {{ {node} a {_NAMED} }} }}"
        return bool(self._store.ox_query(ask, named_graphs=[CATALOGUE_GRAPH]))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (ox.NamedNode(g) for g in self._store.catalogue())

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to their named graphs, one update request a graph (the Graph Store's POST)."""
        by_graph: dict[str, list[ox.Triple]] = {}
        for quad in quads:
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        for graph, triples in by_graph.items():
            self._store.add_to_graph(graph, triples)

    def update(self, sparql: str, *, prefixes: dict[str, str] | None = None) -> None:
        """A SPARQL Update from the endpoint, the merge rebuilt after it (our prefixes are always known)."""
        self._store.update(sparql)

    def dump(
        self,
        output: IO[bytes] | None = None,
        format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES,
        *,
        from_graph: ox.NamedNode,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None:
        """One graph in `format` (read through the Graph Store endpoint when there is one)."""
        client = self._store._client
        if client.endpoints.gsp:
            content_type, body = client.get_graph(from_graph.value, _ACCEPT["graph"])
            parsed = ox.parse(body, _GRAPHS.get(content_type, ox.RdfFormat.N_TRIPLES))
            triples: Iterable = (q.triple for q in parsed)
        else:
            construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {from_graph} {{ ?s ?p ?o }} }}"
            triples = self._store.ox_query(construct, named_graphs=[from_graph.value])
        return ox.serialize(triples, output, format, prefixes=prefixes)


def _node(iri: URIRef | str) -> str:
    """`<iri>`, checked: nothing but an IRI gets into an update's text."""
    return str(ox.NamedNode(str(iri)))


def _ntriples(triples: Triples) -> bytes:
    """Triples as N-Triples (valid inside INSERT DATA: SPARQL's triple syntax holds N-Triples)."""
    if isinstance(triples, bytes):
        return triples
    if isinstance(triples, Graph):
        return triples.serialize(format="nt", encoding="utf-8")
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


_PARSER = ox.Store()  # empty, never written: parsing a query on it costs nothing


def _kind(sparql: str) -> str:
    """ "graph" for CONSTRUCT / DESCRIBE, "results" for SELECT / ASK; QueryError when malformed."""
    try:
        answer = _PARSER.query(sparql, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(str(err)) from err
    return "graph" if isinstance(answer, ox.QueryTriples) else "results"


def _syntax(sparql: str) -> str:
    """The query's text with its strings and comments blanked out (its IRIs kept)."""
    return _IRI_STRING_COMMENT.sub(lambda m: m[0] if m[0].startswith("<") else " ", sparql)


def _graphs_named(sparql: str) -> tuple[set[str], bool]:
    """The IRIs of the graphs a query names after GRAPH (prefixed names expanded with our prefixes), and
    whether these are all the graphs it reads: every GRAPH names one (no GRAPH ?g, no prefix of its own)."""
    found, resolved = set(), 0
    for iri, prefix, local in _GRAPH_IRI.findall(sparql):
        if iri or (prefix or "") in PREFIXES:
            found.add(iri or PREFIXES[prefix] + re.sub(r"\\(.)", r"\1", local))  # pkr:a\/b is pkr:a/b
            ours = bool(iri) or not re.search(rf"\bPREFIX\s+{re.escape(prefix)}:", sparql, re.IGNORECASE)
            resolved += ours  # a prefix the query declares itself may mean another namespace
    return found, resolved == len(_NAMES_GRAPHS.findall(sparql))


def _as_query_triples(quads: Iterable[ox.Quad]) -> ox.QueryTriples:
    """Parsed triples as the `QueryTriples` the embedded store answers a CONSTRUCT with."""
    held = ox.Store()
    held.extend(quads)
    return held.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
