"""`policekg`, whole: the commands of `kg.cli` and `serve`, which starts this web layer.

The command line sits on top of every layer; this module composes it, so nothing in `kg/` imports
the web layer. `serve` loads uvicorn, the app and (for an empty store) spaCy only when it runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from policekg.kg.cli.commands import make_app
from policekg.kg.cli.common import GspUrlOpt, StoreOpt, UpdateUrlOpt, open_store, out, run, settings


def serve(
    store: StoreOpt = None,
    host: Annotated[str | None, typer.Option(help="Interface to listen on [default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default 8000]")] = None,
    update_token: Annotated[str | None, typer.Option(
        help="Allow SPARQL Update and Graph Store writes with 'Authorization: Bearer <token>' "
             "[env POLICEKG_UPDATE_TOKEN; default: read-only]")] = None,
    update_url: UpdateUrlOpt = None,
    gsp_url: GspUrlOpt = None,
) -> None:
    """Serve the SPARQL endpoint and the pages; an empty store first gets the bundled sample report."""
    from policekg.api import serving
    from policekg.api.app import create_app
    from policekg.extract import Extractor
    from policekg.kg.ingest.report import ingest_file
    from policekg.kg.rdf.store import GraphStore
    from policekg.kg.sample import SAMPLE_REPORT

    config = settings(store, update_url, gsp_url)
    config.host = host or config.host
    config.port = port or config.port
    config.update_token = update_token or config.update_token
    db = open_store(store, write=True, update_url=update_url, gsp_url=gsp_url)
    if not db.report_graphs():
        stored = ingest_file(db, Extractor(), SAMPLE_REPORT)
        out.print(f"empty store: ingested the sample report → <{stored.graph}>", highlight=False)
    where = config.store_url or config.store_path
    url = f"http://{_reachable(config.host)}:{config.port}/"
    out.print(f"serving {where} on {url}", highlight=False)
    on_disk = isinstance(db, GraphStore)  # a store on disk says who holds its lock; a server's store has none
    if on_disk:
        db.announce(url)
        db.close()  # the service's writer process opens it again: the one process that writes it
    try:
        serving.run(create_app(db.path if on_disk else db, config), config)
    finally:
        if on_disk:
            db.withdraw()


def _reachable(host: str) -> str:
    """The host to name in a URL for a server listening on `host` (all interfaces: this machine)."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


app = make_app()
app.command()(serve)


def main() -> None:
    """The `policekg` entry point."""
    run(app)
