"""Errors raised where a report cannot be turned into an extraction."""


class ExtractionError(ValueError):
    """The text cannot yield a report: empty, unreadable, or without an issuer or a year."""
