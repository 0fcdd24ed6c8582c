"""The API's one error family, and the table that gives kg's own errors their HTTP status.

Routes raise these where the problem is known; each class carries its status. kg/ raises its own
errors (it knows nothing of HTTP): `KG_ERRORS` says what each means to a client. The one handler that
turns any of them into an answer (a page, JSON or plain text) is `api.app.answer_error`. Anything
else is a bug in our code: logged with its traceback, answered 500 with no detail for the client.
"""

from __future__ import annotations

from dataclasses import dataclass

from policekg.kg.rdf.errors import FormatError, QueryError, RemoteError, RemoteUnavailable, StoreError
from policekg.kg.read.sparql import NotFound as NoSuchThing


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


class TooLarge(ApiError):
    """An answer bigger than this server draws (a graph over `Settings.graph_max_nodes`)."""

    status = 413


class UnsupportedMediaType(ApiError):
    """A request body in a content type we do not read."""

    status = 415


class Unavailable(ApiError):
    """The query ran over its time limit (and was stopped), or no worker was free in time."""

    status = 503


class BadGateway(ApiError):
    """A remote SPARQL service (SERVICE, when allowed) failed or could not be reached."""

    status = 502


class QueryFailed(ApiError):
    """A query worker died or failed for a reason of ours; logged where it happened."""

    status = 500


@dataclass(frozen=True)
class Meaning:
    """What an error of kg/ means to a client: a status, and the message it reads.

    `public` replaces the error's own message when that message is for the server log only (a store
    failure names paths and locks): such errors are ours, logged, and answered in plain text.
    """

    status: int
    public: str | None = None


#: kg's errors → what they mean to a client (the first row the error is an instance of).
KG_ERRORS: dict[type[Exception], Meaning] = {
    QueryError: Meaning(400),  # a malformed query or update: the parser's message, with its position
    FormatError: Meaning(400),  # a format nobody knows
    NoSuchThing: Meaning(404),  # a page of something the graph does not hold
    RemoteUnavailable: Meaning(503),  # the SPARQL server behind the store is down or ran over its limit
    RemoteError: Meaning(502),  # it answered an error or a broken answer
    StoreError: Meaning(500, "the store could not be used; the server log says why"),
}
BUG = Meaning(500, "internal error (logged on the server)")


def meaning(err: Exception) -> Meaning:
    """The status and message of any error: ours by its class, kg's by the table, the rest a bug."""
    if isinstance(err, ApiError):
        return Meaning(err.status)
    return next((m for cls, m in KG_ERRORS.items() if isinstance(err, cls)), BUG)
