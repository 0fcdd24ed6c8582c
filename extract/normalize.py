"""PLACEHOLDER: replaced by the extraction work (issue 2)."""

import unicodedata


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text.lstrip("\ufeff")).replace("\r\n", "\n")
