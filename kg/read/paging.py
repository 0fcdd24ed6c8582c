"""One page of a longer list, and the slice that makes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Page:
    """One page of a longer list: the rows shown and enough to link to the others."""

    items: list[Any]
    page: int
    size: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # more matched than a page-producing query may return

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(items: list[Any], page: int, size: int) -> Page:
    """The `page`-th slice (1-based) of `items`."""
    start = (page - 1) * size
    return Page(items[start:start + size], page, size, len(items))
