"""The browsing pages, mounted together: home, reports, search, resources (`/id/…`), reports, compare.

`include(app)` adds their routers and the one handler that turns a `PageError` into an error page
(or JSON, when JSON was asked for).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api import pages_compare, pages_entity, pages_home, pages_report, pages_search
from policekg.api.rendering import PageError, error_response


def include(app: FastAPI) -> None:
    """Mount every page router on `app`."""
    for module in (pages_home, pages_search, pages_entity, pages_report, pages_compare):
        app.include_router(module.router)

    @app.exception_handler(PageError)
    async def page_error(request: Request, err: PageError) -> Response:
        return error_response(request, err)
