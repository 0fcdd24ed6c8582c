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

    from policekg.kg.rdf.store import GraphStore

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store directory [env POLICEKG_STORE; "
                                                                   "default ./policekg-data]")]

#: Our error types, by module: a command's error of one of them is one line and exit code 1. By name,
#: so the CLI need not import every module to recognise its errors (an error of a module never
#: imported cannot have been raised).
USER_ERRORS: dict[str, tuple[str, ...]] = {
    "policekg.kg.rdf.errors": ("QueryError", "StoreError", "FormatError"),
    "policekg.extract.errors": ("ExtractionError",),
    "policekg.kg.ingest.loaders": ("LoadError",),
}


def settings(store: Path | None) -> Settings:
    """The settings of this run: the environment's, with `--store` winning."""
    found = Settings()
    if store is not None:
        found.store_path = store
    return found


def open_store(store: Path | None, *, write: bool) -> GraphStore:
    """The store for a command; readers fall back to read-only when a server holds the lock."""
    from policekg.kg.rdf.errors import StoreError
    from policekg.kg.rdf.store import GraphStore

    path = settings(store).store_path
    try:
        return GraphStore(path)
    except StoreError:
        if write or path is None or not path.exists():
            raise
        return GraphStore(path, read_only=True)


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
