"""Running one SPARQL query on the store and writing its answer with Oxigraph's own serialisers.

Pure of HTTP and of processes: the query workers call `execute` in their own process, and the
in-memory fallback calls it in a thread. What it needs travels in a `Job` (picklable), what it
produces comes back as an `Answer` (bytes plus how to label them).

The row cap: Oxigraph cannot serialise "the first N solutions" of a result, and its result objects
cannot be built from Python. So a SELECT's solutions are read up to the cap and written as SPARQL TSV
(whose cells are exactly the terms' N-Triples form), which Oxigraph parses back into a result it
serialises in the requested format. CONSTRUCT triples need no detour: `pyoxigraph.serialize` takes
any iterable of triples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from policekg.kg.rdf.formats import RDF_FORMATS, RESULTS_FORMATS, RdfFormat, ResultsFormat
from policekg.kg.rdf.iris import PREFIXES
from policekg.kg.rdf.store import GraphStore


@dataclass(frozen=True)
class Job:
    """A query and everything its answer depends on; formats are short names from kg.formats."""

    sparql: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    #: Acceptable formats, best first, for SELECT/ASK answers and for CONSTRUCT/DESCRIBE answers.
    results_formats: tuple[str, ...] = ("json",)
    rdf_formats: tuple[str, ...] = ("ttl",)
    row_limit: int = 100_000


class TheStore:
    """Stands, in a PageJob's arguments, for the store of whoever runs the job (a worker's own view)."""


@dataclass(frozen=True)
class PageJob:
    """A page's computation, `fn(*args, **kwargs)`, sent to a worker so that it can be stopped at the
    time limit; `fn` must be a module-level function and the arguments picklable."""

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def run(self, store: GraphStore) -> Any:
        return self.fn(*(store if isinstance(a, TheStore) else a for a in self.args), **self.kwargs)


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False
    #: "solutions", "boolean", "graph" or "update" (checked, nothing to send).
    kind: str = "solutions"


@dataclass
class Unacceptable(Exception):
    """The client accepts no format that can carry this kind of answer."""

    kind: str
    offers: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"a {self.kind} answer can be written as {', '.join(self.offers)}; "
                "the request accepts none of these")


def execute(store: GraphStore, job: Job) -> Answer:
    """Run `job` on `store`; QueryError for a malformed query, Unacceptable when no format fits."""
    result = store.ox_query(job.sparql, default_graphs=list(job.default_graphs),
                            named_graphs=list(job.named_graphs))
    if isinstance(result, ox.QueryTriples):
        return _graph_answer(result, _pick(job.rdf_formats, RDF_FORMATS, "graph"), job.row_limit)
    fmt = _pick(job.results_formats, RESULTS_FORMATS, "boolean" if isinstance(result, ox.QueryBoolean)
                else "solutions")
    if isinstance(result, ox.QueryBoolean):
        return Answer(result.serialize(format=fmt.ox), fmt.media_type, kind="boolean")
    return _solutions_answer(result, fmt, job.row_limit)


def _pick(names: tuple[str, ...], table: tuple, kind: str):  # -> RdfFormat | ResultsFormat
    by_name = {f.name: f for f in table}
    for name in names:
        if name in by_name:
            return by_name[name]
    raise Unacceptable(kind, [f.media_type for f in table])


class _Capped(Iterator):
    """The first `limit` items of `items`; `truncated` tells whether there were more."""

    def __init__(self, items: Iterable, limit: int) -> None:
        self._items = iter(items)
        self._left = limit
        self.truncated = False

    def __next__(self):
        item = next(self._items)
        if self._left == 0:
            self.truncated = True
            raise StopIteration
        self._left -= 1
        return item


def _graph_answer(triples: ox.QueryTriples, fmt: RdfFormat, limit: int) -> Answer:
    capped = _Capped(triples, limit)
    body = ox.serialize(capped, format=fmt.ox, prefixes=PREFIXES)
    return Answer(body, fmt.media_type, capped.truncated, "graph")


def _solutions_answer(solutions: ox.QuerySolutions, fmt: ResultsFormat, limit: int) -> Answer:
    names = [v.value for v in solutions.variables]
    lines = ["\t".join("?" + n for n in names)]
    capped = _Capped(solutions, limit)
    for row in capped:
        lines.append("\t".join("" if (t := row[n]) is None else str(t) for n in names))
    tsv = ("\n".join(lines) + "\n").encode()
    body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=fmt.ox)
    return Answer(body, fmt.media_type, capped.truncated)
