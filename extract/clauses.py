"""The clause and the sentence around a character offset: the evidence a relation cites.

Relations are read inside one clause (联合市委网信办、市卫生健康局组织开展…), and their evidence is that
clause, with its sentence, so a reader can check every edge of the graph against the report.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc

from policekg.extract.model import Mention


class Clauses:
    """Clause and sentence bounds of one document, found once and looked up by offset."""

    def __init__(self, doc: Doc, clause_end: re.Pattern[str]) -> None:
        self.text = doc.text
        ends = [m.end() for m in clause_end.finditer(self.text)]
        self._starts = [0, *ends]
        self._ends = [*ends, len(self.text)]
        self._sent_starts = [s.start_char for s in doc.sents]
        self._sent_ends = [s.end_char for s in doc.sents]

    def clause(self, offset: int) -> tuple[int, int]:
        """(start, end) of the clause holding `offset`, without its closing punctuation."""
        i = bisect_right(self._starts, offset) - 1
        start, end = self._starts[i], self._ends[i]
        if end > start and self.text[end - 1] in ",;。:!?\n":
            end -= 1
        while start < end and self.text[start].isspace():
            start += 1
        return start, end

    def sentence(self, offset: int) -> str:
        i = bisect_right(self._sent_starts, offset) - 1
        if i < 0:
            return ""
        return self.text[self._sent_starts[i]:self._sent_ends[i]].strip()

    def evidence(self, start: int, end: int | None = None) -> Mention:
        """The clause(s) from the one holding `start` to the one holding `end`, with the sentence."""
        a, b = self.clause(start)
        if end is not None and end > b:
            b = self.clause(end - 1)[1]
        return Mention(a, b, self.text[a:b], self.sentence(start))
