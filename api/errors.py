"""The API's error types and the one place that turns every error into a status code and a message.

Routes raise these (or the store's QueryError / FormatError) where the problem is known. Anything
else is a bug in our code: logged with its traceback, answered 500 with no detail for the client.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from policekg.kg.rdf.errors import FormatError, QueryError, RemoteError, StoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the client can act on; `status` is its HTTP status code."""

    status = 500


class BadRequest(ApiError):
    status = 400


class Refused(ApiError):
    """Forbidden here: writes without the token, SERVICE / LOAD without permission."""

    status = 403


class NotFound(ApiError):
    status = 404


class NotAcceptable(ApiError):
    """None of the formats the client accepts can carry this answer."""

    status = 406


class UnsupportedMediaType(ApiError):
    """A request body in a content type we do not read."""

    status = 415


class Unavailable(ApiError):
    """The query ran over its time limit (and was stopped), or no worker was free in time."""

    status = 503


class QueryFailed(ApiError):
    """A query worker died or failed for a reason of ours; logged where it happened."""

    status = 500


#: Tags of the routes a person reads (pages, graph views): their errors come as a page too, drawn by the
#: renderer `pages.include` leaves in `app.state.render_error`; every other route answers in plain text.
PAGE_TAGS = frozenset({"pages", "graph"})


def _text(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={"X-Content-Type-Options": "nosniff"})


def _answer(request: Request, status: int, message: str) -> Response:
    """The error in the form the route's readers take: a page for a page, plain text for a protocol."""
    route = request.scope.get("route")
    render = getattr(request.app.state, "render_error", None)
    if render is not None and PAGE_TAGS.intersection(getattr(route, "tags", ())):
        return render(request, status, message)
    return _text(status, message)


async def _api_error(request: Request, err: ApiError) -> Response:
    if err.status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, err)
    return _answer(request, err.status, str(err))


async def _client_error(request: Request, err: Exception) -> Response:
    return _answer(request, 400, str(err))


async def _store_error(request: Request, err: StoreError) -> PlainTextResponse:
    log.error("%s %s: %s", request.method, request.url.path, err)
    return _text(500, "the store could not be used; the server log says why")


async def _remote_error(request: Request, err: RemoteError) -> Response:
    """The SPARQL server behind the store is down (503) or failed (502): the client may retry later."""
    log.warning("%s %s: %s", request.method, request.url.path, err)
    return _answer(request, err.status, str(err))


async def _bug(request: Request, err: Exception) -> PlainTextResponse:
    log.exception("%s %s failed", request.method, request.url.path, exc_info=err)
    return _text(500, "internal error (logged on the server)")


def install(app: FastAPI) -> None:
    """Register the handlers on `app`: ours by status, the store's parse/format errors as 400."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(QueryError, _client_error)
    app.add_exception_handler(FormatError, _client_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(RemoteError, _remote_error)
    app.add_exception_handler(Exception, _bug)
