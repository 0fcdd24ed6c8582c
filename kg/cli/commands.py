"""The commands over `kg/`: ingest, remove, query, export, stats, validate, eval and the `analyze` group.

A thin layer: every command parses options, calls `kg/`, prints. Each imports what it needs when it
runs (spaCy, networkx, pyshacl, rdflib are slow to load), so `policekg --help` loads none of them.
Errors of our own types become one clear line on stderr and a non-zero exit code (`common.run`); a
traceback means a bug. The `serve` command sits above the web layer and is added by `api.cli`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from policekg.kg.cli.analyze import analyze
from policekg.kg.cli.common import GspUrlOpt, StoreOpt, UpdateUrlOpt, err, fail, open_store, out, report_ref

if TYPE_CHECKING:
    import pyoxigraph as ox


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Report files, folders (searched recursively) or glob patterns: "
                                                     "text (UTF-8, GB18030), saved web pages, PDF, .docx")],
    store: StoreOpt = None,
    issuer: Annotated[str | None, typer.Option(help="Issuing bureau of every file (a <file>.json sidecar "
                                                   "wins; without either, the text says)")] = None,
    year: Annotated[int | None, typer.Option(help="Report year of every file (likewise)")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                             help="Extraction processes (default: one per core)")] = None,
    force: Annotated[bool, typer.Option(help="Re-extract files stored unchanged (after an upgrade)")] = False,
    update_url: UpdateUrlOpt = None,
    gsp_url: GspUrlOpt = None,
) -> None:
    """Extract every report and store each as its own named graph.

    Files already stored unchanged are skipped; a changed file replaces its report's graph. A bad file is
    reported and the rest go in; the exit code is 1 when any file failed.
    """
    from policekg.kg.ingest.batch import ingest_batch
    from policekg.kg.ingest.files import check_overrides, collect_paths
    from policekg.kg.ingest.progress import LineProgress, TerminalProgress, summary_tables

    given = check_overrides({"issuer": issuer, "year": year}, "--issuer/--year")
    files, missing = collect_paths(paths)
    with open_store(store, write=True, update_url=update_url, gsp_url=gsp_url) as db:
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


def remove(
    report: Annotated[str, typer.Argument(help="The report: its IRI, or ISSUER/YEAR (慈溪市公安局/2022)")],
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
) -> None:
    """Delete one report's named graph and nothing else (what other reports say stays)."""
    from policekg.kg.network.analysis import refresh_analysis

    try:
        iri = report_ref(report)
    except ValueError as e:
        fail(str(e))
    with open_store(store, write=True, update_url=update_url) as db:
        if not db.has_report(iri):  # the analysis or ontology graph is no report
            fail(f"no report graph <{iri}> in the store")
        db.remove_graph(iri)
        refresh_analysis(db)
    out.print(f"removed <{iri}>", highlight=False)


def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query (the default graph is the union of all reports)")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or tsv")] = "table",
) -> None:
    """Run a SPARQL query and print the answer."""
    import pyoxigraph as ox

    from policekg.kg.rdf.formats import rdf_format, results_format

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
    import pyoxigraph as ox

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


def export(
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, trig, nt, nq, jsonld or xml")] = "trig",
    graph: Annotated[str | None, typer.Option(help="Only this report graph (its IRI)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout)")] = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole dataset, or one report's graph, as RDF. TriG and N-Quads keep the named graphs."""
    from rdflib import URIRef

    from policekg.kg.rdf.formats import rdf_format

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


def validate(
    store: StoreOpt = None,
    graph: Annotated[str | None, typer.Option(help="Only this report graph (its IRI)")] = None,
) -> None:
    """Check every report graph (or one) against the SHACL shapes; exit 1 if any violation is found."""
    from rdflib import URIRef

    from policekg.kg.rdf.validate import validate as run_validation

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


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold annotation (JSON, the format of tests/data/*.gold.json)")],
    report: Annotated[Path, typer.Argument(help="The report text the gold annotates")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here")] = None,
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


def make_app() -> typer.Typer:
    """The `policekg` command with every command of this layer (the caller may add more)."""
    app = typer.Typer(help="policekg: a knowledge graph of police rule-of-law reports.", no_args_is_help=True,
                      pretty_exceptions_enable=False)
    for command in (ingest, remove, query, export, stats, validate):
        app.command()(command)
    app.command("eval")(eval_command)
    app.add_typer(analyze, name="analyze")
    return app
