"""Who may write: nobody, unless the server was started with an update token and the request carries it."""

from __future__ import annotations

import hmac

from fastapi import Request

from policekg.api.errors import Refused
from policekg.kg.config import Settings


def require_update_token(request: Request, settings: Settings) -> None:
    """Refuse (403) unless writes are enabled and `Authorization: Bearer <token>` matches, compared in
    constant time so the answer's timing does not leak the token."""
    if not settings.update_token:
        raise Refused("this server is read-only; start it with --update-token (or POLICEKG_UPDATE_TOKEN) "
                      "to allow SPARQL Update and Graph Store writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                              settings.update_token.encode()):
        raise Refused("writes need the header 'Authorization: Bearer <token>' "
                      "with this server's update token")
