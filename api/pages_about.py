"""The about page: what the graph is made from, and how well the extraction does on real reports."""

from __future__ import annotations

from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.accuracy import ACCURACY
from policekg.api.rendering import PAGE_TYPES, Document, respond, wanted


async def about(request: Request) -> Response:
    """The numbers every page with extracted data cites, with what they mean (JSON twin: the numbers)."""
    fmt = wanted(request, None, PAGE_TYPES)
    return await respond(request, fmt, Document("about.html", {"a": ACCURACY}, ACCURACY))
