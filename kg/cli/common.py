"""What every command shares: the consoles, the `--store` option, opening the store, failing in one line.

Imports stay light here (typer, rich): `policekg --help` loads this and the command modules, and no
command may pay for another's libraries.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from policekg.kg.config import Settings

if TYPE_CHECKING:
    from rdflib import URIRef

    from policekg.kg.rdf.remote import RemoteStore
    from policekg.kg.rdf.store import GraphStore

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOpt = Annotated[str | None, typer.Option(
    "--store", help="Store directory, or a SPARQL server's query endpoint (http://…) [env POLICEKG_STORE; "
                    "default ./policekg-data]")]
UpdateUrlOpt = Annotated[str | None, typer.Option(
    "--update-url",
    help="The server's SPARQL Update endpoint when not the query endpoint [env POLICEKG_UPDATE_URL]")]
GspUrlOpt = Annotated[str | None, typer.Option(
    "--gsp-url", help="The server's Graph Store Protocol endpoint [env POLICEKG_GSP_URL]")]
ServerOpt = Annotated[str | None, typer.Option(
    "--server", help="A running `policekg serve` (http://host:port/) to send the write to: it is its store's "
                     "one writer")]
TokenOpt = Annotated[str | None, typer.Option(
    "--token", help="The service's update token, with --server [env POLICEKG_UPDATE_TOKEN]")]

#: Our error types, by module: a command's error of one of them is one line and exit code 1. By name,
#: so the CLI need not import every module to recognise its errors (an error of a module never
#: imported cannot have been raised).
USER_ERRORS: dict[str, tuple[str, ...]] = {
    "policekg.kg.rdf.errors": ("QueryError", "StoreError", "FormatError"),
    "policekg.extract.errors": ("ExtractionError",),
    "policekg.kg.ingest.loaders": ("LoadError",),
}


def settings(store: str | None, update_url: str | None = None, gsp_url: str | None = None) -> Settings:
    """The settings of this run: the environment's, with the options given winning."""
    from policekg.kg.config import is_url

    found = Settings()
    if store is not None:
        found.store_url = store if is_url(store) else None
        found.store_path = None if is_url(store) else Path(store)
    found.update_url = update_url or found.update_url
    found.gsp_url = gsp_url or found.gsp_url
    return found


def open_store(store: str | None, *, write: bool, update_url: str | None = None,
               gsp_url: str | None = None) -> GraphStore | RemoteStore:
    """The store for a command: a directory (readers fall back to read-only when a server holds the
    lock) or a SPARQL server."""
    from policekg.kg.rdf.open import open_store as open_settings

    return open_settings(settings(store, update_url, gsp_url), write=write)


def fail(message: str) -> None:
    """Stop the command with `error: message` on stderr and exit code 1."""
    err.print(Text.assemble(("error:", "red"), " ", message), highlight=False)
    raise typer.Exit(1)


@contextmanager
def progress(total: int, verb: str) -> Iterator[Callable[[str, str], None]]:
    """`advance(item, note)` for a long run over `total` items: a bar on a terminal (stderr), one
    tab-separated line per item (`verb`, item, note) on stderr when piped, so stdout stays the answer."""
    if not err.is_terminal:
        yield lambda item, note: print(verb, item, note, sep="\t", file=sys.stderr, flush=True)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(verb), BarColumn(bar_width=20), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(verb, total=total)
        yield lambda item, note: bar.advance(task)


def report_ref(text: str) -> URIRef:
    """A report named on the command line: its IRI (`https://…/report/慈溪市公安局/2022`, `pkr:report/…`)
    or `ISSUER/YEAR`; ValueError when it is neither."""
    from rdflib import URIRef

    from policekg.kg.rdf.iris import PKR, report_iri

    if text.startswith(("http://", "https://")):
        return URIRef(text)
    if text.startswith("pkr:"):
        return URIRef(str(PKR) + text[len("pkr:"):])
    issuer, _, year = text.rstrip("/").rpartition("/")
    if not issuer or not year.isdigit():
        raise ValueError(f"{text!r} is neither a report IRI nor ISSUER/YEAR (like 慈溪市公安局/2022)")
    return report_iri(issuer, int(year))


def is_user_error(exc: BaseException) -> bool:
    """Whether `exc` is one of our error types (see USER_ERRORS), not a bug."""
    for module, names in USER_ERRORS.items():
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(exc, tuple(getattr(loaded, name) for name in names)):
            return True
    return False


def run(app: typer.Typer) -> None:
    """Run `app` as the `policekg` process: our errors become one line and exit code 1."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except Exception as exc:
        if not is_user_error(exc):
            raise
        err.print(f"error: {exc}", highlight=False, markup=False)
        sys.exit(1)
