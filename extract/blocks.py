"""Paragraphs and clauses with their offsets: the units the structure and metadata rules read."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_LINE = re.compile(r"[^\s][^\n]*")  # from a line's first visible character to its end
#: What ends a sentence in a normalised report: stops (NFKC keeps 。 and folds ！？； to ASCII) and line ends,
#: with the closing quotes and spaces that follow them.
SENTENCE_END = re.compile(r"[。!?;\n][”’\"」』)]*\s*")
_CLAUSE_END = re.compile(r"[,，。;；:：!！?？]")


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
    return [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]


def doc_text(doc: Doc) -> str:
    """The Doc's text, computed once per Doc and kept in `doc.user_data`.

    spaCy rebuilds `Doc.text` from every token on each access (0.7 s for a 300 000-character report
    with one token per character), so components read it through here.
    """
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def doc_paragraphs(doc: Doc) -> list[Block]:
    """The Doc's paragraphs (see `paragraphs`), split once per Doc for every component that reads them."""
    blocks = doc.user_data.get("paragraphs")
    if blocks is None:
        blocks = doc.user_data["paragraphs"] = paragraphs(doc_text(doc))
    return blocks


def sentence_ends(doc: Doc) -> list[int]:
    """Offsets where the Doc's sentences end (the next one starts there), found once per Doc."""
    ends = doc.user_data.get("sentence_ends")
    if ends is None:
        ends = doc.user_data["sentence_ends"] = [m.end() for m in SENTENCE_END.finditer(doc_text(doc))]
    return ends


def warn(doc: Doc, message: str) -> None:
    """Add a note for the user to the Doc's warnings (created here when the Doc came from `nlp(text)`)."""
    if doc.user_data.get("warnings") is None:
        doc.user_data["warnings"] = []
    doc.user_data["warnings"].append(message)
