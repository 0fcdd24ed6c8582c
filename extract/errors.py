"""Errors raised where a report cannot be turned into an extraction."""


class ExtractionError(ValueError):
    """The text cannot yield a report: empty, unreadable, or without an issuer or a year."""


class PatternFileError(ValueError):
    """A rule file in `schema/patterns/` does not match its schema (`extract.pattern_schema`): raised
    when the pipeline starts, naming the file and the key."""
