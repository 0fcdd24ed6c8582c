"""The about page: what the graph is made from, how well the extraction does on real reports, and the
limits this service stops a request at (read from its settings, so the page says what is enforced)."""

from __future__ import annotations

from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.accuracy import ACCURACY
from policekg.api.deps import get_settings
from policekg.api.rendering import PAGE_TYPES, Document, respond, wanted
from policekg.kg.config import Settings


def limits(settings: Settings) -> dict[str, str]:
    """What the about page's table of limits shows, by setting."""
    return {"query_timeout": f"{settings.query_timeout:g}", "update_timeout": f"{settings.update_timeout:g}",
            "worker_memory_mb": str(settings.worker_memory_mb),
            "max_body_bytes": str(settings.max_body_bytes),
            "max_depth": str(settings.max_depth), "row_limit": str(settings.row_limit)}


async def about(request: Request) -> Response:
    """The numbers every page with extracted data cites, with what they mean, and the service's limits
    (JSON twin: the numbers)."""
    fmt = wanted(request, None, PAGE_TYPES)
    context = {"a": ACCURACY, "limits": limits(get_settings(request))}
    return await respond(request, fmt, Document("about.html", context, ACCURACY))
