"""One token per character, in linear time: the blank `zh` tokenizer's output without its cost.

spaCy's Chinese tokenizer in character mode aligns its characters to the text with
`util.get_words_and_spaces`, which slices the rest of the text once per character: quadratic (see
benchmarks/RESULTS.md). This tokenizer builds the very same `Doc` (a token per
non-space character, one following space folded into it, any other whitespace run a token of its own)
from one pass over the whitespace runs.

The words reach `Doc` as string-store hashes, not strings: for a string `Doc` hashes it and checks the
string store twice, per character. The hashes of the
characters are looked up all at once in a table indexed by code point (the Basic Multilingual Plane,
filled as characters are first seen), so no Python code runs per character.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.vocab import Vocab

_WHITESPACE = re.compile(r"\s+")
_BMP = 0x10000


class _Orths(dict):
    """Token text → its hash in the vocabulary's string store, added to the store on first sight."""

    def __init__(self, strings: StringStore) -> None:
        super().__init__()
        self._strings = strings

    def __missing__(self, word: str) -> int:
        orth = self[word] = self._strings.add(word)
        return orth


class CharTokenizer:
    """Callable `text → Doc`, a drop-in `nlp.tokenizer` for a blank `zh` pipeline."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._orth = _Orths(vocab.strings).__getitem__
        self._bmp_orths = np.zeros(_BMP, dtype=np.uint64)  # code point → hash; 0: not seen yet

    def __call__(self, text: str) -> Doc:
        orths = self._char_orths(text).tolist()  # one conversion; the runs below slice the list
        words: list[int] = []
        followed_by_space: list[int] = []
        done = 0
        for run in _WHITESPACE.finditer(text):
            start, end = run.span()
            words.extend(orths[done:start])  # characters: a token each
            if start and text[start] == " ":  # one space after a character is that token's trailing space
                followed_by_space.append(len(words) - 1)
                start += 1
            if start < end:
                words.append(self._orth(text[start:end]))
            done = end
        words.extend(orths[done:])
        spaces = [False] * len(words)
        for i in followed_by_space:
            spaces[i] = True
        return Doc(self.vocab, words=words, spaces=spaces)

    def _char_orths(self, text: str) -> np.ndarray:
        """The hash of every character of `text`, as an array."""
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if codes.size and codes.max() >= _BMP:  # rare: read those texts character by character
            return np.fromiter(map(self._orth, text), dtype=np.uint64, count=len(text))
        orths = self._bmp_orths[codes]
        unseen = codes[orths == 0]
        if unseen.size:
            for code in np.unique(unseen).tolist():
                self._bmp_orths[code] = self._orth(chr(code))
            orths = self._bmp_orths[codes]
        return orths
