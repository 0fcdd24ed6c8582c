"""Paragraphs and clauses with their offsets: the units the structure and metadata rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]+")
_CLAUSE_END = re.compile(r"[,，。;；:：!！?？]")


@dataclass(frozen=True)
class Block:
    """A stretch of the normalised text: `text == full_text[start:end]`."""

    start: int
    end: int
    text: str

    def sub(self, start: int, end: int) -> "Block":
        """The part of this block between two offsets relative to its own text, stripped of spaces."""
        piece = self.text[start:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        return Block(self.start + start + lead, self.start + start + lead + len(piece), piece)


def paragraphs(text: str) -> list[Block]:
    """Every non-blank line, stripped, with its offsets (reports put one paragraph on a line)."""
    blocks = []
    for match in _LINE.finditer(text):
        block = Block(match.start(), match.end(), match.group()).sub(0, match.end() - match.start())
        if block.text:
            blocks.append(block)
    return blocks


def clauses(text: str) -> list[str]:
    """The clauses of a sentence, split at Chinese and ASCII commas, stops and semicolons."""
    return [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
