"""Legal instruments: 《titles》 and names before a legal head word (法, 条例, 办法, 规定…), each kind by
its head (`legal_heads`).

A finder of `entity_rules` (its class is mixed into `EntityRules`, which compiles the rules they share).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from policekg.extract.names.name_window import NameWindow
from policekg.extract.names.overlaps import Candidate

_LAST_PARENS = re.compile(r"\([^()]*\)$")


class LegalFinders:
    """The `legal` family's finders (Law, Regulation, PolicyDocument)."""

    # compiled once by `EntityRules.initialize` and shared by every family's finders
    rules: dict[str, Any]  # schema/patterns/entity_rules.json
    re: dict[str, Any]  # its regexes, compiled
    words: dict[str, tuple[str, ...]]  # its word lists, as tuples
    window: NameWindow
    legal_heads: dict[str, str]  # head word → the kind it names

    def _legal(self, text: str) -> Iterator[Candidate]:
        for m in self.re["title_re"].finditer(text):
            if self.re["book_title_re"].search(m.group("title")):
                continue  # a book or study material
            head = self.re["legal_head"].search(_LAST_PARENS.sub("", m.group("title")))
            kind = self.legal_heads[head.group()] if head else None  # the longest head ends the title
            if kind:
                yield Candidate(m.start("title"), m.end("title"), kind, "pattern", quoted=True)
        for m in self.re["regulation_anchor_re"].finditer(text):
            start = self._after_listed_law(text, self.window.start(text, m.start()), m.start())
            if m.start() - start >= 3:
                yield Candidate(start, m.end(), "Regulation", "pattern")

    def _after_listed_law(self, text: str, start: int, head_start: int) -> int:
        """Where a regulation's name starts when a law is listed before it (依据禁毒法和甘肃省禁毒条例:
        two names): after the last 和/与/及 whose left side ends with a legal head word."""
        for i in range(head_start - 1, start, -1):
            if text[i] in self.rules["conjunctions"] and self.re["legal_head"].search(text, start, i):
                return i + 1
        return start
