"""`policekg`: the command-line tool. A thin layer: every command parses options, calls `kg/`, prints.

Errors of our own types become one clear line on stderr and a non-zero exit code, here and nowhere
else; a traceback means a bug.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from policekg.extract import ExtractionError, Extractor
from policekg.kg.config import Settings
from policekg.kg.errors import FormatError, QueryError, StoreError
from policekg.kg.formats import rdf_format, results_format
from policekg.kg.analysis import refresh_analysis
from policekg.kg.batch import ingest_batch
from policekg.kg.ingest import SAMPLE_REPORT, check_overrides, collect_paths, ingest_file, report_ref
from policekg.kg.loaders import LoadError
from policekg.kg.progress import LineProgress, TerminalProgress, summary_tables
from policekg.kg.store import GraphStore

app = typer.Typer(help="policekg: a knowledge graph of police rule-of-law reports.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOpt = Annotated[Optional[Path], typer.Option("--store", help="Store directory [env POLICEKG_STORE; "
                                                                   "default ./policekg-data]")]


def _settings(store: Path | None) -> Settings:
    settings = Settings()
    if store is not None:
        settings.store_path = store
    return settings


def open_store(store: Path | None, *, write: bool) -> GraphStore:
    """The store for a command; readers fall back to read-only when a server holds the lock."""
    path = _settings(store).store_path
    try:
        return GraphStore(path)
    except StoreError:
        if write or path is None or not path.exists():
            raise
        return GraphStore(path, read_only=True)


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Report files, folders (searched recursively) or glob patterns: "
                                                     "text (UTF-8, GB18030), saved web pages, PDF, .docx")],
    store: StoreOpt = None,
    issuer: Annotated[Optional[str], typer.Option(help="Issuing bureau of every file (a <file>.json sidecar "
                                                       "wins; without either, the text says)")] = None,
    year: Annotated[Optional[int], typer.Option(help="Report year of every file (likewise)")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1,
                                                help="Extraction processes (default: one per core)")] = None,
    force: Annotated[bool, typer.Option(help="Re-extract files stored unchanged (after an upgrade)")] = False,
) -> None:
    """Extract every report and store each as its own named graph.

    Files already stored unchanged are skipped; a changed file replaces its report's graph. A bad file is
    reported and the rest go in; the exit code is 1 when any file failed.
    """
    given = check_overrides({"issuer": issuer, "year": year}, "--issuer/--year")
    files, missing = collect_paths(paths)
    with open_store(store, write=True) as db:
        progress = TerminalProgress(err) if err.is_terminal else LineProgress(sys.stdout, sys.stderr)
        try:
            result = ingest_batch(db, files, jobs=jobs, overrides=given, force=force, progress=progress)
        finally:
            progress.stop()
        for m in missing:
            result.add(m)
            progress.advance(m)
        for table in summary_tables(result, db.stats()["classes"]):
            out.print(table, highlight=False)
    if result.failed:
        raise typer.Exit(1)


@app.command()
def remove(
    report: Annotated[str, typer.Argument(help="The report: its IRI, or ISSUER/YEAR (慈溪市公安局/2022)")],
    store: StoreOpt = None,
) -> None:
    """Delete one report's named graph and nothing else (what other reports say stays)."""
    try:
        iri = report_ref(report)
    except ValueError as e:
        fail(str(e))
    with open_store(store, write=True) as db:
        if not db.has_report(iri):  # the analysis or ontology graph is no report
            fail(f"no report graph <{iri}> in the store")
        db.remove_graph(iri)
        refresh_analysis(db)
    out.print(f"removed <{iri}>", highlight=False)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query (the default graph is the merge of all reports)")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or tsv")] = "table",
) -> None:
    """Run a SPARQL query and print the answer."""
    with open_store(store, write=False) as db:
        result = db.ox_query(sparql)
        if format == "table":
            _print_table(result)
        elif isinstance(result, ox.QueryTriples):
            sys.stdout.buffer.write(result.serialize(format=rdf_format(format).ox))
        else:
            sys.stdout.buffer.write(result.serialize(format=results_format(format).ox))


def _cell(term: ox.NamedNode | ox.Literal | ox.BlankNode | None, width: int = 120) -> str:
    """One table cell: the term's value on one line, long texts cut with an ellipsis."""
    if term is None:
        return ""
    text = " ".join(term.value.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_table(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> None:
    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
        return
    if isinstance(result, ox.QueryTriples):
        columns, rows = ["subject", "predicate", "object"], ([t.subject, t.predicate, t.object] for t in result)
    else:
        columns = [v.value for v in result.variables]
        rows = ([sol[v] for v in columns] for sol in result)
    table = Table(*columns)
    count = 0
    for row in rows:
        table.add_row(*(_cell(t) for t in row))
        count += 1
    out.print(table, highlight=False)
    out.print(f"{count} rows", highlight=False)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, trig, nt, nq, jsonld or xml")] = "trig",
    graph: Annotated[Optional[str], typer.Option(help="Only this report graph (its IRI)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default stdout)")] = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole dataset, or one report's graph, as RDF. TriG and N-Quads keep the named graphs."""
    from rdflib import URIRef

    fmt = rdf_format(format)
    with open_store(store, write=False) as db:
        if graph is not None and not db.has_report(graph):
            fail(f"no report graph <{graph}> in the store")
        target = output.open("wb") if output else sys.stdout.buffer
        try:
            db.export(fmt, target, URIRef(graph) if graph else None)
        finally:
            if output:
                target.close()


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Triples, reports and entities per class."""
    with open_store(store, write=False) as db:
        summary = db.stats()
    table = Table("what", "count")
    table.add_row("triples", str(summary["triples"]))
    table.add_row("reports", str(summary["reports"]))
    for cls, n in summary["classes"].items():
        table.add_row(f"pk:{cls}", str(n))
    out.print(table, highlight=False)


@app.command()
def validate(
    store: StoreOpt = None,
    graph: Annotated[Optional[str], typer.Option(help="Only this report graph (its IRI)")] = None,
) -> None:
    """Check every report graph (or one) against the SHACL shapes; exit 1 if any violation is found."""
    from rdflib import URIRef

    from policekg.kg.validate import validate as run_validation  # pyshacl loads slowly: only here

    with open_store(store, write=False) as db:
        results = run_validation(db, URIRef(graph) if graph else None)
        checked = 1 if graph else len(db.report_graphs())
    for result in results:
        out.print(str(result), highlight=False, markup=False)
    violations = sum(r.severity == "Violation" for r in results)
    out.print(f"{checked} report graphs checked: {violations} violations, {len(results) - violations} warnings",
              highlight=False)
    if violations:
        raise typer.Exit(1)


@app.command("eval")
def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold annotation (JSON, the format of tests/data/*.gold.json)")],
    report: Annotated[Path, typer.Argument(help="The report text the gold annotates")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON here")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a target is missed")] = False,
    details: Annotated[bool, typer.Option(help="List what was missed and what was spurious")] = False,
) -> None:
    """Score the extractor against a gold file: P/R/F1 per entity class, figures, relations, structure."""
    from policekg.extract.eval import EvalInputError, format_details, format_table, run

    for path in (gold, report):
        if not path.is_file():
            fail(f"{path}: no such file")
    try:
        result = run(gold, report, json_out)
    except EvalInputError as exc:
        fail(str(exc))
    out.print(format_table(result), highlight=False, markup=False)
    if details:
        out.print(format_details(result), highlight=False, markup=False)
    if strict and not result.passed:
        raise typer.Exit(1)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[Optional[str], typer.Option(help="Interface to listen on [default 127.0.0.1]")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port [default 8000]")] = None,
    update_token: Annotated[Optional[str], typer.Option(
        help="Allow SPARQL Update and Graph Store writes with 'Authorization: Bearer <token>' "
             "[env POLICEKG_UPDATE_TOKEN; default: read-only]")] = None,
) -> None:
    """Serve the SPARQL endpoint and the pages; an empty store first gets the bundled sample report."""
    import uvicorn

    from policekg.api.app import create_app

    settings = _settings(store)
    settings.host = host or settings.host
    settings.port = port or settings.port
    settings.update_token = update_token or settings.update_token
    db = open_store(store, write=True)
    if not db.report_graphs():
        stored = ingest_file(db, Extractor(), SAMPLE_REPORT)
        out.print(f"empty store: ingested the sample report → <{stored.graph}>", highlight=False)
    out.print(f"serving {settings.store_path} on http://{settings.host}:{settings.port}/", highlight=False)
    uvicorn.run(create_app(db, settings), host=settings.host, port=settings.port, log_level="info")


from policekg.kg.cli_analyze import analyze  # noqa: E402  (a command group of its own module)

app.add_typer(analyze, name="analyze")


def main() -> None:
    """Entry point: our errors become one line and exit code 1."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except (QueryError, StoreError, ExtractionError, FormatError, LoadError) as e:
        err.print(f"error: {e}", highlight=False, markup=False)
        sys.exit(1)
