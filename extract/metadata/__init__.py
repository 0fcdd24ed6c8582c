"""Metadata: the issuer, year, title, publication date and source of a report (`report_metadata`)."""
