"""Finding a name wherever the text writes it, quote marks inside it or not (办案“一件事” is 办案一件事).

A report quotes a program once and then writes it plainly, or quotes only part of it. Rather than a
regex per name with an optional mark between every two characters (compiled for every new name of
every report), the text is searched once without its marks, and each hit is mapped back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate

from policekg.extract.text.marks import DOUBLE_QUOTES

#: The marks a name may carry inside it.
_MARK = re.compile(f"[{DOUBLE_QUOTES}]")


class UnquotedText:
    """One text, searchable as if it had no quote marks; offsets come back in the original text."""

    def __init__(self, text: str) -> None:
        pieces = _MARK.split(text)  # in C, and no Match object per mark
        self.text = "".join(pieces) if len(pieces) > 1 else text
        # where each mark would sit in the text without marks: after the pieces before it
        self._shifts = list(accumulate(map(len, pieces[:-1])))

    def find_all(self, name: str) -> Iterator[tuple[int, int]]:
        """(start, end) in the original text of each occurrence of `name` (itself without marks), left
        to right, not overlapping; the span starts at its first character and ends after its last."""
        pos = self.text.find(name)
        while pos >= 0:
            end = pos + len(name)
            yield self._original(pos), self._original(end - 1) + 1
            pos = self.text.find(name, end)

    def _original(self, pos: int) -> int:
        return pos + bisect_right(self._shifts, pos)
