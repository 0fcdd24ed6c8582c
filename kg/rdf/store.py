"""The store: an rdflib `Dataset` over the oxrdflib "Oxigraph" store, on disk or in memory.

One named graph per report (its IRI is the report's IRI), so a report is replaced or removed alone.
Queries see the union of all graphs as their default graph; `GRAPH ?g` still separates them.

Two ways in, on purpose:
- `query()` goes through rdflib (a CONSTRUCT answer as an rdflib graph, for the network views). It always
  passes the query *string*: oxrdflib hands strings to Oxigraph but silently falls back to rdflib's
  slow engine for a prepared `Query` object.
- `ox` is the pyoxigraph store itself, for hot paths (the SPARQL endpoint, exports) that should let
  Oxigraph serialise its own answers instead of converting every row to rdflib terms and back.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from policekg.kg.rdf.errors import QueryError, StoreError
from policekg.kg.rdf.formats import RdfFormat
from policekg.kg.rdf.iris import PREFIXES, named_graph

if TYPE_CHECKING:
    from typing_extensions import Self

log = logging.getLogger(__name__)

_REPORT_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?g a pk:Report } } ORDER BY ?g"


class GraphStore:
    """The dataset of all reports. `path=None` keeps it in memory (tests, notebooks)."""

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._ox = _open(self.path, read_only)
        self.read_only = read_only
        self.dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=True)
        for prefix, iri in PREFIXES.items():
            self.dataset.bind(prefix, iri)

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store (for the hot paths; see the module docstring)."""
        return self._ox

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the directory lock so another process may open the store (idempotent)."""
        if not hasattr(self, "_ox"):
            return
        if self.path is not None and not self.read_only:
            self._ox.flush()
        self.dataset.close()  # drops oxrdflib's reference to the pyoxigraph store
        del self._ox  # and ours: RocksDB closes (and unlocks) when the last reference goes
        self.dataset = None  # type: ignore[assignment]

    # -- writing -------------------------------------------------------------------------------

    def replace_graph(self, iri: URIRef, graph: Graph) -> None:
        """Put `graph` in the named graph `iri`, replacing what was there, in one transaction.

        Oxigraph runs one SPARQL update atomically, so a reader never sees the graph half-written
        and a failure leaves the old graph in place.
        """
        self._writable()
        body = graph.serialize(format="nt")
        self._ox.update(f"DROP SILENT GRAPH <{iri}> ; INSERT DATA {{ GRAPH <{iri}> {{ {body} }} }}")
        log.info("stored %s (%d triples)", iri, len(graph))

    def remove_graph(self, iri: URIRef) -> bool:
        """Delete one named graph; True when it existed."""
        self._writable()
        node = ox.NamedNode(str(iri))
        if not self._ox.contains_named_graph(node):
            return False
        self._ox.remove_graph(node)
        return True

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only (another process holds it)")

    # -- reading -------------------------------------------------------------------------------

    def query(self, sparql: str) -> Result:
        """Run a SPARQL query through rdflib (terms come back as rdflib terms) on Oxigraph's engine."""
        try:
            return self.dataset.query(str(sparql))
        except SyntaxError as err:
            raise QueryError(str(err)) from err

    def ox_query(self, sparql: str, *, default_graphs: list[str] | None = None,
                 named_graphs: list[str] | None = None,
                 union: bool = True) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on Oxigraph directly. Graphs given here are the dataset (as the SPARQL protocol's
        parameters are); else the default graph is the union, unless `union=False` because the query
        names its own dataset (FROM / FROM NAMED), which Oxigraph then honours."""
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif union and not named_graphs:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._ox.query(sparql, **kwargs)
        except SyntaxError as err:
            raise QueryError(str(err)) from err

    def report_graphs(self) -> list[URIRef]:
        """The IRIs of all report graphs, sorted."""
        return [URIRef(s["g"].value) for s in self.ox_query(_REPORT_GRAPHS)]

    def has_report(self, iri: str) -> bool:
        """Whether `iri` names a report graph (not the analysis or ontology graph; False for no IRI)."""
        try:
            node = str(ox.NamedNode(str(iri)))  # written back as <…>, checked: nothing else can get in
        except ValueError:
            return False
        return bool(self.ox_query(f"ASK {{ GRAPH {node} {{ {node} a pk:Report }} }}"))

    def graph(self, iri: URIRef) -> Graph:
        """A copy of one named graph as an in-memory rdflib Graph (for validation and analysis)."""
        g = named_graph(iri)
        data = self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(iri)))
        g.parse(data=data, format="nt")
        return g

    def __len__(self) -> int:
        """Number of quads in the whole dataset."""
        return len(self._ox)

    def export(self, fmt: RdfFormat, out: IO[bytes], graph: URIRef | None = None) -> None:
        """Write one graph, or the whole dataset, to `out` in `fmt`.

        Quad formats (TriG, N-Quads) keep the named graphs; triple formats get the union.
        """
        if graph is not None:
            self._ox.dump(out, fmt.ox, from_graph=ox.NamedNode(str(graph)), prefixes=PREFIXES)
        elif fmt.quads:
            self._ox.dump(out, fmt.ox, prefixes=PREFIXES)
        else:
            triples = self.ox_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            ox.serialize(triples, out, fmt.ox, prefixes=PREFIXES)

    def stats(self) -> dict[str, object]:
        """Triples, reports and entities per class: what `policekg stats` and the home page show."""
        per_class = {
            s["c"].value.rsplit("#", 1)[-1]: int(s["n"].value)
            for s in self.ox_query(
                "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c FILTER(STRSTARTS(STR(?c), STR(pk:))) }"
                " GROUP BY ?c ORDER BY ?c")
        }
        return {"triples": len(self), "reports": len(self.report_graphs()), "classes": per_class}


def _open(path: Path | None, read_only: bool) -> ox.Store:
    if path is None:
        return ox.Store()
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        raise StoreError(f"cannot open the store at {path}: {err}") from err
