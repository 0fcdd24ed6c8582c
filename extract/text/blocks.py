"""Paragraphs and clauses with their offsets: the units the structure and metadata rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policekg.extract.text.marks import CLAUSE_END

_LINE = re.compile(r"[^\s][^\n]*")  # from a line's first visible character to its end



@dataclass(frozen=True)
class Block:
    """A stretch of the normalised text: `text == full_text[start:end]`."""

    start: int
    end: int
    text: str

    def sub(self, start: int, end: int) -> Block:
        """The part of this block between two offsets relative to its own text, stripped of spaces."""
        piece = self.text[start:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        return Block(self.start + start + lead, self.start + start + lead + len(piece), piece)


def paragraphs(text: str) -> list[Block]:
    """Every non-blank line, stripped, with its offsets (reports put one paragraph on a line)."""
    blocks = []
    for match in _LINE.finditer(text):
        line = match.group().rstrip()
        blocks.append(Block(match.start(), match.start() + len(line), line))
    return blocks


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, split at Chinese and ASCII commas, stops and semicolons."""
    return [c.strip() for c in CLAUSE_END.split(text) if c.strip()]
