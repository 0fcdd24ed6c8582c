"""The clause and the sentence around a character offset: the evidence a relation cites.

Relations are read inside one clause (联合市委网信办、市卫生健康局组织开展…), and their evidence is that
clause, with its sentence, so a reader can check every edge of the graph against the report.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from policekg.extract.model import Mention


class Sentences:
    """The sentences `doc.sents` holds, as character bounds read in one go from the token arrays
    (iterating `doc.sents` builds a Python object per token: the slowest part of a long report)."""

    def __init__(self, text: str, starts: list[int]) -> None:
        """`starts`: where each sentence starts, in order, the first at 0 (`doc_state.sentences_of`)."""
        self.text = text
        self._starts = starts
        self._ends = [*self._starts[1:], len(self.text)]
        self._stripped: list[str | None] = [None] * len(starts)  # many mentions share a sentence
        self._last = 0  # the sentence found last: mentions are mostly looked up in text order

    def _index(self, offset: int) -> int:
        i = self._last
        if not self._starts[i] <= offset < self._ends[i]:
            i = self._last = bisect_right(self._starts, offset) - 1 if offset >= self._starts[0] else 0
        return i

    def bounds(self, offset: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `offset`."""
        i = self._index(offset)
        return self._starts[i], self._ends[i]

    def at(self, offset: int) -> str:
        """The sentence holding `offset`, stripped."""
        i = self._index(offset)
        stripped = self._stripped[i]
        if stripped is None:
            stripped = self._stripped[i] = self.text[self._starts[i]:self._ends[i]].strip()
        return stripped


class Clauses:
    """Clause and sentence bounds of one document, found once and looked up by offset."""

    def __init__(self, text: str, sentences: Sentences, clause_end: re.Pattern[str]) -> None:
        """`clause_end` matches a clause's closing mark, inside one group (the whole pattern)."""
        if clause_end.groups != 1:
            raise ValueError(f"the clause end pattern {clause_end.pattern!r} must be one group")
        self.text = text
        # every second piece of the split is a mark: the running lengths around it are where a clause's
        # words end and where the next clause starts (in C; a Match object per clause cost as much as the
        # relation rules that read them)
        edges = list(accumulate(map(len, clause_end.split(self.text))))
        self._starts = [0, *edges[1::2]]
        self._ends = edges[0::2]  # the last clause has no mark: it ends with the text
        self._trimmed: dict[int, tuple[int, int]] = {}  # the relation rules ask about a clause many times
        self.sentences = sentences

    def clause(self, offset: int) -> tuple[int, int]:
        """(start, end) of the clause holding `offset`, without its closing mark or leading spaces."""
        i = bisect_right(self._starts, offset) - 1
        bounds = self._trimmed.get(i)
        if bounds is None:
            bounds = self._trimmed[i] = self._trim(self._starts[i], self._ends[i])
        return bounds

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def evidence(self, start: int, end: int | None = None) -> Mention:
        """The clause(s) from the one holding `start` to the one holding `end`, with the sentence."""
        a, b = self.clause(start)
        if end is not None and end > b:
            b = self.clause(end - 1)[1]
        return Mention(a, b, self.text[a:b], self.sentences.at(start))
