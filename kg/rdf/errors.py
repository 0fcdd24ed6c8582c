"""Errors of the store side, raised where the problem is known and turned into messages at the edges."""


class StoreError(RuntimeError):
    """The store cannot be opened or written (locked by another process, unreadable directory)."""


class QueryError(ValueError):
    """A SPARQL query or update is malformed; the message is the parser's, with its position."""


class FormatError(ValueError):
    """A serialisation format nobody knows (`--format foo`, `?format=foo`)."""


class RemoteError(StoreError):
    """A SPARQL server used as the store failed: `status` is what the web layer answers (502 for an
    error or a broken answer from the server, 503 when it cannot be reached or ran over the time limit)."""

    status = 502


class RemoteUnavailable(RemoteError):
    """The SPARQL server cannot be reached, or the query ran over its time limit there."""

    status = 503


class RemoteUnreachable(RemoteUnavailable):
    """No connection to the SPARQL server: nothing was sent."""
