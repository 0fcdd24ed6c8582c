"""The store: an rdflib `Dataset` over the oxrdflib "Oxigraph" store, on disk or in memory.

One named graph per report (its IRI is the report's IRI), so a report is replaced or removed alone.
The store's own default graph is kept as the RDF merge of the report graphs, each distinct triple
once, and queries see it as their default graph; `GRAPH ?g` still separates the reports. The analysis
graph (figures computed from the reports, `ANALYSIS_GRAPH`) is not a report and stays out of the merge:
it is read as `GRAPH pkr:analysis { … }`. Oxigraph 0.5
can make the union of the named graphs the default graph itself, but its union repeats a triple once
per graph holding it (oxigraph#1919): counts overcount and joins on shared entities grow with the
square of the number of reports. So every write below changes a named graph and the merge together,
in one transaction; a triple leaves the merge only when no named graph holds it any more.

Two ways in, on purpose:
- `query()` goes through rdflib (a CONSTRUCT answer as an rdflib graph, for the network views). It always
  passes the query *string*: oxrdflib hands strings to Oxigraph but silently falls back to rdflib's
  slow engine for a prepared `Query` object.
- `ox` is the pyoxigraph store itself, for hot paths (the SPARQL endpoint, exports) that should let
  Oxigraph serialise its own answers instead of converting every row to rdflib terms and back. Write
  through the methods here, not `ox`, or the default graph falls out of step with the named graphs.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from policekg.kg.rdf.errors import QueryError, StoreError
from policekg.kg.rdf.formats import RdfFormat
from policekg.kg.rdf.iris import ANALYSIS_GRAPH, PREFIXES, named_graph

if TYPE_CHECKING:
    from typing_extensions import Self

log = logging.getLogger(__name__)

_REPORT_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?g a pk:Report } } ORDER BY ?g"
#: A file beside RocksDB's own holding the store's generation (see `GraphStore.generation`).
GENERATION_FILE = "policekg.generation"
#: A file beside the store naming the `policekg serve` holding it (`{"pid": …, "url": …}`), so that
#: another process finding the store locked can say where to send its writes instead.
SERVICE_FILE = "policekg.service"
#: A file beside the store caching `stats()` for one generation (see `GraphStore.stats`).
STATS_FILE = "policekg.stats.json"
#: A file beside the store holding the N-Quads of the bulk write under way (see `add_new_graphs`).
PENDING_FILE = "policekg.pending.nq"
#: A file beside the store counting the bulk loads since its index files were last merged (`settle`).
LOADS_FILE = "policekg.loads"
#: Bulk loads after which `settle` merges the index files: a few more files barely slow reads, sixteen
#: double the cost of a scan (benchmarks/RESULTS.md), and merging costs time that grows with the store.
COMPACT_AFTER_LOADS = 8
#: Triples written per transaction by `replace_own_graph`.
_OWN_GRAPH_STEP = 50_000
#: Where a replacement waits, written but not yet merged, until the one update that swaps it in.
_STAGING = "urn:policekg:staging"
#: Take out of the merge the triples of graph %(g)s that no other named graph holds.
_UNMERGE = """DELETE { ?s ?p ?o } WHERE { GRAPH %(g)s { ?s ?p ?o }
  FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != %(g)s) } }"""
#: Swap the staged graph in for %(g)s: unmerge the old triples, move, merge the new ones.
_SWAP = _UNMERGE + f""" ;
MOVE SILENT <{_STAGING}> TO %(g)s ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH %(g)s {{ ?s ?p ?o }} }}"""
#: Make the default graph the merge of the report graphs again, whatever wrote to them.
_REMERGE = f"""DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ANALYSIS_GRAPH}>) }} }} ;
INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ANALYSIS_GRAPH}>) }}"""

#: What the write methods take: N-Triples bytes (what ingest's workers hand over), pyoxigraph triples
#: (the Graph Store Protocol) or an rdflib Graph (analysis results, tests).
Triples = bytes | Iterable[ox.Triple] | Graph


class GraphStore:
    """The dataset of all reports. `path=None` keeps it in memory (tests, notebooks)."""

    #: Whether `add_new_graphs` can write a batch of reports in one bulk load.
    bulk_loads = True

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self._ox = _open(self.path, read_only)
        self.read_only = read_only
        self._generation: str | None = None
        if not read_only and self.generation is None:
            self._bump()
        if not read_only and self.path is not None and (self.path / PENDING_FILE).exists():
            self._undo_pending()
        self.dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=False)
        for prefix, iri in PREFIXES.items():
            self.dataset.bind(prefix, iri)

    @property
    def ox(self) -> ox.Store:
        """The underlying pyoxigraph store (for the hot paths; see the module docstring)."""
        return self._ox

    @contextmanager
    def unhurried(self) -> Iterator[GraphStore]:
        """The store for work no reader waits for (the analysis): itself, as no time limit applies to
        queries in this process (a store on a server gives a client with a longer one)."""
        yield self

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

    def replace_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """Put `triples` in the named graph `iri`, replacing what was there, and keep the merge in step.

        One transaction for a new graph; for an existing one the new triples are staged first (a
        graph of their own, which only `GRAPH ?g` can see, until the swap), then one update swaps them
        in. Either way a reader never sees the graph half-written, and a failure leaves the old graph
        (and the merge) as they were.
        """
        self._writable()
        self._bump(iri)
        graph = ox.NamedNode(str(iri))
        ntriples = _ntriples(triples)
        if not self._ox.contains_named_graph(graph):
            self._ox.load(_in_graph_and_merge(ntriples, graph), ox.RdfFormat.N_QUADS)
        else:
            staging = ox.NamedNode(_STAGING)
            self._ox.remove_graph(staging)  # what a crash between the two steps may have left
            self._ox.load(ntriples, ox.RdfFormat.N_TRIPLES, to_graph=staging)
            self._ox.update(_SWAP % {"g": graph})
        log.info("stored %s (%d triples)", iri, ntriples.count(b"\n"))

    def replace_own_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """Replace a graph that is not part of the merge (the analysis results: figures about entities
        that only the analysis states), so no triple of it is checked against, or written to, the
        merge. Only what changed is written: the old triples that are not among the new ones are
        deleted, then the new ones that were not there are added (a recomputation from the same reports
        changes its time stamp only; after a write, the figures that moved), in steps of `_OWN_GRAPH_STEP`
        triples (one transaction holds all it changes in memory: 3.7 GB for the results of 20,000
        reports), so a reader may see the graph partly written meanwhile, as after a kill (and the
        analysis is recomputed whenever it is missing or stale). A store written before the analysis
        left the merge has its copies there deleted with all of the graph."""
        self._writable()
        self._bump(iri)
        graph = ox.NamedNode(str(iri))
        merged = any(self._ox.quads_for_pattern(graph, None, None, ox.DefaultGraph()))
        held = set(self._ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines(keepends=True))
        lines = _ntriples(triples).splitlines(keepends=True)
        kept = set() if merged else held.intersection(lines)
        gone = list(held - kept)
        for start in range(0, len(gone), _OWN_GRAPH_STEP):
            data = b"".join(gone[start:start + _OWN_GRAPH_STEP]).decode()
            self._ox.update(f"DELETE DATA {{ GRAPH {graph} {{ {data} }} {data if merged else ''} }}")
            self._ox.flush()  # RocksDB's memory tables otherwise grow by every step (2 GB at 20,000 reports)
        added = [line for line in lines if line not in kept]
        for start in range(0, len(added), _OWN_GRAPH_STEP):
            self._ox.load(b"".join(added[start:start + _OWN_GRAPH_STEP]), ox.RdfFormat.N_TRIPLES,
                          to_graph=graph)
            self._ox.flush()
        log.info("replaced %s: %d triples kept, %d deleted, %d added", iri, len(kept), len(gone), len(added))

    def add_to_graph(self, iri: URIRef | str, triples: Triples) -> None:
        """Add `triples` to the named graph `iri` (and to the merge), in one transaction."""
        self._writable()
        self._bump(iri)
        self._ox.load(_in_graph_and_merge(_ntriples(triples), ox.NamedNode(str(iri))), ox.RdfFormat.N_QUADS)

    def add_new_graphs(self, graphs: list[tuple[URIRef | str, bytes]]) -> None:
        """Write report graphs the store does not hold yet, with their part of the merge, in one bulk load.

        Oxigraph's bulk loader writes index files directly instead of a transaction: about 2.4 times
        cheaper a quad, and no write-ahead log (benchmarks/RESULTS.md), but no isolation either. So it
        is for a writer no one reads during the write (the command line, which holds the store's lock),
        and it is made all-or-nothing by a journal: the batch's N-Quads are put beside the store first
        and taken away once the load is flushed; a store opened with the journal still there was left
        by a killed write, and opening it takes the batch out again (`_undo_pending`).
        """
        self._writable()
        if not graphs:
            return
        nodes = [ox.NamedNode(str(iri)) for iri, _ in graphs]
        held = [str(n) for n in nodes if self._ox.contains_named_graph(n)]
        if held or len(set(nodes)) < len(nodes):
            raise StoreError(f"add_new_graphs writes new graphs only: {', '.join(held) or 'a graph twice'}")
        self._bump()
        quads = b"".join(_in_graph_and_merge(nt, node) for (_, nt), node in zip(graphs, nodes))
        if self.path is not None:
            write_atomically(self.path / PENDING_FILE, quads)
        self._ox.bulk_load(quads, ox.RdfFormat.N_QUADS)
        self._ox.flush()
        if self.path is not None:
            (self.path / PENDING_FILE).unlink()
            write_atomically(self.path / LOADS_FILE, str(self._loads() + 1))
        log.info("stored %d new graphs in one bulk load", len(graphs))

    def settle(self) -> None:
        """Merge the index files bulk loads leave side by side, once `COMPACT_AFTER_LOADS` of them have
        piled up since the last merge (this run's or earlier runs'): with many, reads that scan many
        reports (the analysis, whole-store pages) cost about three times as much."""
        if self._loads() >= COMPACT_AFTER_LOADS:
            self.compact()

    def compact(self) -> None:
        """Merge the index files now, whatever wrote them."""
        self._writable()
        self._ox.optimize()
        if self.path is not None:
            (self.path / LOADS_FILE).unlink(missing_ok=True)

    def _loads(self) -> int:
        """Bulk loads since the index files were last merged (none counted for a store in memory)."""
        try:
            return int((self.path / LOADS_FILE).read_text(encoding="ascii")) if self.path else 0
        except (FileNotFoundError, ValueError):
            return 0

    def _undo_pending(self) -> None:
        """Take out what a killed `add_new_graphs` may have written: its graphs, and what it added to
        the merge that no other graph holds. Reads only the journal's triples, not the store."""
        journal = self.path / PENDING_FILE
        quads = list(ox.parse(journal.read_bytes(), ox.RdfFormat.N_QUADS))
        graphs = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        log.warning("undoing the interrupted write of %d report graphs", len(graphs))
        self._bump()
        for graph in graphs:
            self._ox.remove_graph(graph)
        for q in quads:
            if isinstance(q.graph_name, ox.DefaultGraph) and not any(
                    not isinstance(held.graph_name, ox.DefaultGraph)
                    for held in self._ox.quads_for_pattern(q.subject, q.predicate, q.object)):
                self._ox.remove(q)
        self._ox.flush()
        journal.unlink()

    def remove_graph(self, iri: URIRef | str) -> bool:
        """Delete one named graph, and from the merge what no other graph holds; True when it existed."""
        self._writable()
        node = ox.NamedNode(str(iri))
        if not self._ox.contains_named_graph(node):
            return False
        self._bump(iri)
        self._ox.update(_UNMERGE % {"g": node} + f" ; DROP GRAPH {node}")
        return True

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update from outside (the endpoint), then rebuild the merge, in one transaction.

        An update may write any graph, so the merge is rebuilt from all of them: a scan of the whole
        store, acceptable for an administrator's write but not for ingest, which uses the methods above.
        """
        self._writable()
        self._bump()
        try:
            self._ox.update(f"{sparql.rstrip().rstrip(';')}\n;\n{_REMERGE}", prefixes=PREFIXES)
        except SyntaxError as err:
            raise QueryError(str(err)) from err

    def remerge(self) -> None:
        """Rebuild the default graph from the named graphs (after `ox.bulk_load` of N-Quads, say)."""
        self._writable()
        self._bump()
        self._ox.update(_REMERGE)

    @property
    def generation(self) -> str | None:
        """A token that changes with every write of a named graph other than the analysis graph.

        What the analysis checks to know whether its results still describe the reports, without
        reading them: one small file beside the store (an attribute for a store in memory), written
        before each write, so a write that fails half-way still makes the results stale. None for a
        store written by an older version and opened read-only.
        """
        if self.path is None:
            return self._generation
        try:
            return (self.path / GENERATION_FILE).read_text(encoding="ascii").strip() or None
        except FileNotFoundError:
            return None

    def _bump(self, iri: URIRef | str | None = None) -> None:
        """A new generation, unless `iri` is the analysis graph (results must not make themselves stale)."""
        if iri is not None and str(iri) == str(ANALYSIS_GRAPH):
            return
        token = uuid.uuid4().hex
        if self.path is None:
            self._generation = token
            return
        write_atomically(self.path / GENERATION_FILE, token)  # readers see the old token or the new one

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only (another process holds it)")

    def announce(self, url: str) -> None:
        """Say beside the store that this process serves it at `url` (see SERVICE_FILE)."""
        if self.path is not None:
            write_atomically(self.path / SERVICE_FILE, json.dumps({"pid": os.getpid(), "url": url}))

    def withdraw(self) -> None:
        """Take back `announce` (the service is stopping)."""
        if self.path is not None:
            (self.path / SERVICE_FILE).unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------------

    def query(self, sparql: str) -> Result:
        """Run a SPARQL query through rdflib (terms come back as rdflib terms) on Oxigraph's engine."""
        try:
            return self.dataset.query(str(sparql))
        except SyntaxError as err:
            raise QueryError(str(err)) from err

    def ox_query(self, sparql: str, *, default_graphs: list[str] | None = None,
                 named_graphs: list[str] | None = None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on Oxigraph directly; the default graph is the merge unless graphs are given."""
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
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
        """Number of distinct triples: the size of the default graph, the merge of every graph."""
        return int(next(iter(self.ox_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)

    def export(self, fmt: RdfFormat, out: IO[bytes], graph: URIRef | None = None) -> None:
        """Write one graph, or the whole dataset, to `out` in `fmt`.

        Quad formats (TriG, N-Quads) keep the named graphs (the merge is derived from them, so it is
        left out); triple formats get the merge.
        """
        if graph is not None:
            self._ox.dump(out, fmt.ox, from_graph=ox.NamedNode(str(graph)), prefixes=PREFIXES)
        elif fmt.quads:
            named = (q for q in self._ox if not isinstance(q.graph_name, ox.DefaultGraph))
            ox.serialize(named, out, fmt.ox, prefixes=PREFIXES)
        else:
            self._ox.dump(out, fmt.ox, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)

    def stats(self) -> dict[str, object]:
        """Triples, reports and entities per class: what `policekg stats` and the home page show.

        Counting scans the whole store, so the answer is counted once per state of the store and kept
        beside it (STATS_FILE), keyed by the generation and the analysis's own stamp (the analysis graph
        is in the merge but does not change the generation); any later reader gets it from there.
        """
        if self.path is None:  # in memory, or a server's store (RemoteStore shares this method)
            return count_stats(self)
        key = self.state()
        cached = self._cached_stats(key)
        if cached is not None:
            return cached
        counted = count_stats(self)
        if self.generation is not None:
            try:
                write_atomically(self.path / STATS_FILE, json.dumps({"key": key, "stats": counted}))
            except OSError as err:  # a read-only directory: count again next time
                log.warning("cannot keep the store's counts beside it: %s", err)
        return counted

    def state(self) -> str:
        """A token for everything the store holds, the analysis included: what a cache of an answer
        computed over the whole store is keyed by ("None/…" for a store of unknown generation)."""
        return f"{self.generation}/{self._analysis_stamp()}"

    def _analysis_stamp(self) -> str:
        """What changes when the analysis graph is rewritten: the digest and the time it records."""
        found = self.ox_query(f"SELECT ?d ?t WHERE {{ GRAPH <{ANALYSIS_GRAPH}> {{ <{ANALYSIS_GRAPH}> "
                              "pk:inputDigest ?d ; prov:generatedAtTime ?t } }")
        return ";".join(f"{s['d'].value}@{s['t'].value}" for s in found)

    def _cached_stats(self, key: str) -> dict[str, object] | None:
        if key.startswith("None/"):
            return None
        try:
            kept = json.loads((self.path / STATS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return kept["stats"] if isinstance(kept, dict) and kept.get("key") == key else None


def count_stats(store: GraphStore) -> dict[str, object]:
    """Triples, reports and entities per class, counted over the whole store (what `stats` keeps)."""
    per_class = {
        s["c"].value.rsplit("#", 1)[-1]: int(s["n"].value)
        for s in store.ox_query(
            "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?c FILTER(STRSTARTS(STR(?c), STR(pk:))) }"
            " GROUP BY ?c ORDER BY ?c")
    }
    return {"triples": len(store), "reports": len(store.report_graphs()), "classes": per_class}

def _ntriples(triples: Triples) -> bytes:
    """Triples as N-Triples, one triple a line (a literal's line breaks are escaped)."""
    if isinstance(triples, bytes):
        return triples
    if isinstance(triples, Graph):
        return triples.serialize(format="nt", encoding="utf-8")
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _in_graph_and_merge(ntriples: bytes, graph: ox.NamedNode) -> bytes:
    """N-Quads putting every triple in `graph` and in the default graph: one load, one transaction."""
    return ntriples.replace(b" .\n", f" {graph} .\n".encode()) + ntriples


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write `text` to `path` so that readers see the old content or the new, never half of it. Each
    write has a scratch file of its own: two writes at once (two requests' threads) must not move each
    other's."""
    scratch = path.with_name(f"{path.name}.{uuid.uuid4().hex}.new")
    scratch.write_bytes(text.encode() if isinstance(text, str) else text)
    os.replace(scratch, path)


def _open(path: Path | None, read_only: bool) -> ox.Store:
    if path is None:
        return ox.Store()
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        if "LOCK" in str(err):
            raise StoreError(_locked(path)) from err
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def service_url(path: Path) -> str | None:
    """The URL of the running `policekg serve` that announced itself beside the store at `path`."""
    try:
        found = json.loads((path / SERVICE_FILE).read_text(encoding="utf-8"))
        os.kill(int(found["pid"]), 0)  # the service is still running (a crashed one leaves its file)
        return str(found["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _locked(path: Path) -> str:
    """One line for a store another process holds: the service and `--server` when one announced itself."""
    url = service_url(path)
    if url is None:
        return (f"the store at {path} is in use by another process (a policekg serve or ingest); wait for "
                "it or stop it, or send the files to a running service with --server URL")
    return (f"the store at {path} is held by the policekg service at {url}: "
            f"add --server {url} to write through it")
