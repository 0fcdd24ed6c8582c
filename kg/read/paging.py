"""One page of a longer list, the slice that makes it, and the cursor that names where the next begins.

A list that grows with the collection is read a page at a time, as Datasette does: in a stable order
(`key`: a tuple unique per row), with the total, and a `next` cursor (`?_next=`) naming the last row
shown, so the next page starts right after it even when rows were added or removed meanwhile (an
offset would skip or repeat them). `?page=` still opens a page by its number.
"""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from policekg.kg.rdf.errors import QueryError

#: A row's place in its list's order: plain values (text, numbers), unique per row.
Key = tuple[Any, ...]


class BadCursor(QueryError):
    """A `_next` cursor the list did not give (edited, cut, or from another list): a bad request."""


@dataclass
class Page:
    """One page of a longer list: the rows shown and enough to link to the others."""

    items: list[Any]
    page: int
    size: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False  # more matched than a page-producing query may return
    next: str | None = None  # the cursor of the page after this one, for a list in a stable order
    keyed: bool = False  # in a stable order, paged by cursor: `next` alone says whether more follow

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.next is not None if self.keyed else self.page < self.pages


def encode_cursor(key: Key) -> str:
    """The cursor naming a row by its key: URL-safe base64 of the key as JSON."""
    text = json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> Key:
    """The key a cursor names; BadCursor when it is not one `encode_cursor` wrote."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        key = None
    if not isinstance(key, list) or not all(isinstance(k, (str, int, float)) for k in key):
        raise BadCursor(f"_next={cursor!r} is not a cursor a page of this list gave: follow a page's "
                        "next link, or leave _next out to start from the first page")
    return tuple(key)


def paginate(items: list[Any], page: int, size: int, after: str | None = None,
             key: Callable[[Any], Key] | None = None) -> Page:
    """The `page`-th slice (1-based) of `items`; with `key` (an order, unique per row), the slice of `items`
    in that order after the row the cursor `after` names, when given, and the cursor of the page after it."""
    if key is None:
        if after is not None:
            raise BadCursor("this list is paged by number (?page=), not by a _next cursor")
        start = (page - 1) * size
        return Page(items[start:start + size], page, size, len(items))
    items = sorted(items, key=key)
    keys = [key(item) for item in items]
    start = (page - 1) * size if after is None else _after(keys, decode_cursor(after), after)
    shown = items[start:start + size]
    more = start + size < len(items)
    cursor = encode_cursor(keys[start + size - 1]) if more else None
    return Page(shown, start // size + 1, size, len(items), next=cursor, keyed=True)


def _after(keys: list[Key], last: Key, cursor: str) -> int:
    """Where the rows after `last` begin in `keys` (sorted)."""
    foreign = BadCursor(f"_next={cursor!r} names a row of another list: follow a page's next link")
    if keys and len(last) != len(keys[0]):
        raise foreign
    try:
        return bisect_right(keys, last)
    except TypeError:  # a text where the order has a number, or the other way round
        raise foreign from None
