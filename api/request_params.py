"""Reading what a request names: an IRI parameter and the body's content type, checked the same way
by the SPARQL protocol and the Graph Store Protocol."""

from __future__ import annotations

import pyoxigraph as ox
from starlette.requests import Request

from policekg.api.errors import BadRequest


def absolute_iri(name: str, value: str) -> str:
    """`value` when it is an absolute IRI; 400 naming the parameter otherwise."""
    try:
        return ox.NamedNode(value).value
    except ValueError as err:
        raise BadRequest(f"{name} {value!r} is not an absolute IRI: {err}") from err


def content_type(request: Request) -> str:
    """The body's media type, without parameters, lower case ('' when the request names none)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()
