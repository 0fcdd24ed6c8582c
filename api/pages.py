"""The browsing pages, mounted together: home, reports, search, resources (`/id/…`), reports, compare.

`include(app)` adds their routers and leaves the page renderer for errors where `errors` finds it: an
error on a page (or a graph view) comes as an error page, or JSON when JSON was asked for.
"""

from __future__ import annotations

from fastapi import FastAPI

from policekg.api import pages_compare, pages_entity, pages_home, pages_report, pages_search
from policekg.api.rendering import error_response


def include(app: FastAPI) -> None:
    """Mount every page router on `app`."""
    for module in (pages_home, pages_search, pages_entity, pages_report, pages_compare):
        app.include_router(module.router)

    app.state.render_error = error_response
