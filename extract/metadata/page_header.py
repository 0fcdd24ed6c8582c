"""What a report's web page states around the article: its publication date and its source (信息来源).

Public so that the loaders of `kg/` read page data with the same patterns the `report_metadata`
component reads a text's header with, without opening the extractor's pattern files themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policekg.extract.patterns import load_patterns


@dataclass(frozen=True)
class PageHeader:
    """The first publication date and source a page's text states (None when it states none)."""

    published: date | None
    source: str | None


def page_header(text: str) -> PageHeader:
    """The publication date (发布日期…) and source (信息来源…) the first time `text` states each."""
    p = load_patterns("report_metadata")
    published = re.search(p["published_label"] + p["date"], text)
    source = re.search(p["source_name"], text)
    return PageHeader(_as_date(published.groups()) if published else None, source.group(1) if source else None)


def _as_date(parts: tuple[str, ...]) -> date | None:
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (ValueError, IndexError):
        return None
