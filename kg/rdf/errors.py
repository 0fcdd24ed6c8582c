"""Errors of the store side, raised where the problem is known and turned into messages at the edges."""


class StoreError(RuntimeError):
    """The store cannot be opened or written (locked by another process, unreadable directory)."""


class QueryError(ValueError):
    """A SPARQL query or update is malformed; the message is the parser's, with its position."""


class FormatError(ValueError):
    """A serialisation format nobody knows (`--format foo`, `?format=foo`)."""
