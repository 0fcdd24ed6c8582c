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
from policekg.kg.cli.common import (
    GspUrlOpt,
    ServerOpt,
    StoreOpt,
    TokenOpt,
    UpdateUrlOpt,
    err,
    fail,
    open_store,
    out,
    progress,
    report_ref,
    settings,
)
from policekg.kg.cli.output import table_console

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import URIRef

    from policekg.kg.ingest.batch import BatchResult, Progress


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
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Extract every report and store each as its own named graph.

    Files already stored unchanged are skipped; a changed file replaces its report's graph. A bad file is
    reported and the rest go in; the exit code is 1 when any file failed. With --server the files go to
    that running service, which extracts and stores them (its pages show them at once).
    """
    from policekg.kg.ingest.files import check_overrides, collect_paths, ignored_summary
    from policekg.kg.ingest.progress import LineProgress, TerminalProgress, summary_tables

    given = check_overrides({"issuer": issuer, "year": year}, "--issuer/--year")
    collected = collect_paths(paths)
    if collected.ignored:
        err.print(f"skipped {ignored_summary(collected.ignored)}: not reports", highlight=False, markup=False)
    progress = TerminalProgress(err) if err.is_terminal else LineProgress(sys.stdout, sys.stderr)
    try:
        if server:
            from policekg.kg.cli.remote_ingest import send_files

            result, summary = send_files(server, token or settings(None).update_token, collected.files, given,
                                         force, progress)
            classes = summary["classes"]
        else:
            result, classes = _ingest_here(store, update_url, gsp_url, collected.files, jobs, given, force,
                                           progress)
    finally:
        progress.stop()
    for m in collected.missing:
        result.add(m)
        progress.advance(m)
    for table in summary_tables(result, classes, collected.ignored):
        out.print(table, highlight=False)
    if server and summary.get("note"):
        err.print(summary["note"], highlight=False, markup=False)
    if result.failed:
        raise typer.Exit(1)


def _ingest_here(store: str | None, update_url: str | None, gsp_url: str | None, files: list[Path],
                 jobs: int | None, given: dict, force: bool, progress: Progress) -> tuple[BatchResult, dict]:
    """A local ingest into the store this process opens: what happened, and the store's counts."""
    from policekg.kg.ingest.batch import ingest_batch

    with open_store(store, write=True, update_url=update_url, gsp_url=gsp_url) as db:
        result = ingest_batch(db, files, jobs=jobs, overrides=given, force=force, progress=progress, bulk=True)
        return result, db.stats()["classes"]


ReportOpt = Annotated[str | None, typer.Option(help="Only this report: ISSUER/YEAR (慈溪市公安局/2022) or its IRI")]


def _report_option(text: str | None) -> URIRef | None:
    """The report a `--graph` option names (None without one); one line and exit 1 when it names none."""
    if text is None:
        return None
    try:
        return report_ref(text)
    except ValueError as e:
        fail(str(e))


def remove(
    report: Annotated[str, typer.Argument(help="The report: its IRI, or ISSUER/YEAR (慈溪市公安局/2022)")],
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Delete one report's named graph and nothing else (what other reports say stays); with --server,
    through that running service."""
    iri = _report_option(report)
    if server:
        from policekg.kg.cli.remote_ingest import remove_report

        removed = remove_report(server, token or settings(None).update_token, iri)
        out.print(f"removed <{removed}>", highlight=False)
        return
    from policekg.kg.network.analysis import refresh_analysis
    from policekg.kg.read.overview import keep_overview

    with open_store(store, write=True, update_url=update_url) as db:
        if not db.has_report(iri):  # the analysis or ontology graph is no report
            fail(f"no report graph <{iri}> in the store")
        db.remove_graph(iri)
        refresh_analysis(db)
        keep_overview(db)  # the pages' tables, here once, not by a visitor (as ingest does)
    out.print(f"removed <{iri}>", highlight=False)


def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query (the default graph is the merge of all reports)")],
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
    table_console().print(table, highlight=False)
    out.print(f"{count} rows", highlight=False)


def export(
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, trig, nt, nq, jsonld or xml")] = "trig",
    graph: ReportOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default stdout)")] = None,
    store: StoreOpt = None,
    gsp_url: GspUrlOpt = None,
) -> None:
    """Write the whole dataset, or one report's graph, as RDF. TriG and N-Quads keep the named graphs."""
    from policekg.kg.rdf.formats import rdf_format

    fmt = rdf_format(format)
    iri = _report_option(graph)
    with open_store(store, write=False, gsp_url=gsp_url) as db:
        if iri is not None and not db.has_report(iri):
            fail(f"no report graph <{iri}> in the store")
        target = output.open("wb") if output else sys.stdout.buffer
        try:
            db.export(fmt, target, iri)
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
    graph: ReportOpt = None,
    gsp_url: GspUrlOpt = None,
) -> None:
    """Check every report graph (or one) against the SHACL shapes; exit 1 if any violation is found.

    A bar on a terminal; piped, one line per graph on stderr (`validated`, graph, results)."""
    from policekg.kg.rdf.validate import validate as run_validation

    iri = _report_option(graph)
    with open_store(store, write=False, gsp_url=gsp_url) as db:
        checked = 1 if iri is not None else len(db.report_graphs())
        with progress(checked, "validated") as advance:
            results = run_validation(db, iri, done=lambda g, n: advance(f"<{g}>", f"{n} results"))
    for result in results:
        out.print(str(result), highlight=False, markup=False)
    violations = sum(r.severity == "Violation" for r in results)
    out.print(f"{checked} report graphs checked: {violations} violations, {len(results) - violations} warnings",
              highlight=False)
    if violations:
        raise typer.Exit(1)


def eval_command(
    gold: Annotated[Path, typer.Argument(help="Gold annotation (JSON, the format of tests/data/*.gold.json), or "
                                              "a folder of gold files in either our or the real set's format")],
    report: Annotated[Path | None, typer.Argument(help="The report text the gold annotates (a single gold "
                                                   "file only)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a target is missed (a single gold file only)")] = False,
    details: Annotated[bool, typer.Option(help="List what was missed and what was spurious")] = False,
) -> None:
    """Score the extractor against a gold file (P/R/F1 per entity class, figures, relations, structure), or
    over a folder (every *.gold.json with its .txt: pooled recall and precision per class, lenient and strict)."""
    from policekg.extract.eval import EvalInputError, format_details, format_table, run
    from policekg.extract.eval_folder import format_folder_details, format_folder_table, run_folder

    if gold.is_dir():
        if report is not None or strict:
            fail(f"{gold} is a folder: it is scored alone, without a report or --strict (no targets for a folder)")
        try:
            pooled = run_folder(gold, json_out)
        except EvalInputError as exc:
            fail(str(exc))
        out.print(format_folder_table(pooled), highlight=False, markup=False)
        if details:
            out.print(format_folder_details(pooled), highlight=False, markup=False)
        return
    if report is None:
        fail(f"{gold}: give the report text it annotates as well (or a folder of gold files)")
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
