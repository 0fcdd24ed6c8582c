"""Text normalisation: the one text every offset in an extraction refers to.

Reports arrive with full-width digits and punctuation (２０２２年，（一）), a byte-order mark, Windows
line ends, ideographic spaces. The rules only want to know one spelling of each, so every character is
folded with Unicode NFKC *one character at a time* and kept only when it stays one character: the text
keeps its length, and an offset counted in a viewer that shows the raw file is still (nearly) right.
The exceptions are deliberate: a BOM and zero-width characters are dropped, CRLF / CR become LF, and the
enclosed numerals ㈠ ⑴ ① expand (㈠ → (一)) because they are how some reports number their sections.
Text copied from a web page brings two more: a space between two Chinese characters in a line of prose
(坚持 依法行政) is layout, never a word break Chinese writes, and is dropped so names and indicators read
whole; a list marker opening a line (•, ·, ●) becomes a space, so it joins no name and no indicator.

Traditional characters are NOT converted to simplified ones (NFKC does not, and a conversion table
would change names); compatibility ideographs (U+F900…) do fold to their unified form.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that carry nothing and only break matching.
_DROP = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
#: Enclosed and parenthesised numerals: expanded even though NFKC makes them longer.
_EXPAND_RANGES = ((0x2460, 0x24FF), (0x3200, 0x325F))
#: NFKC would turn these into several characters we do not want (… → ..., ‥ → ..).
_KEEP = frozenset("…‥")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
#: Spaces of a page's layout inside Chinese text (after NFKC: the ideographic space is a space by then).
_SPACE_IN_CHINESE = re.compile(r'([\u4e00-\u9fff“”《》、,。]) +(?=[\u4e00-\u9fff“”《》"])')
#: A line of prose: one with a comma or a stop (a page's field line, 信息名称 XX公安局, keeps its spaces).
_PROSE_LINE = re.compile(r"(?m)^[^\n]*?[,。;][^\n]*")
#: A web page's list marker at the start of a line.
_LIST_MARKER = re.compile(r"(?m)^([ \t]*)[•·●◆▪■◇►▶](?=[ \t]*\S)")


def _expands(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _EXPAND_RANGES)


class _FoldTable(dict):
    """A `str.translate` table filled on first sight of each character (no 65 536-entry start-up)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch)
        if ch in _DROP:
            result = ""
        elif ch in _KEEP or folded == ch:
            result = ch
        elif len(folded) == 1 or _expands(ch):
            result = folded
        else:
            result = ch
        self[code] = result
        return result


_TABLE = _FoldTable()


def _foldable_class() -> str:
    """A regex class of every character `_TABLE` may change: those NFKC changes, the dropped ones, and
    (rare, left to the table) everything outside the Basic Multilingual Plane."""
    bmp = [chr(c) for c in range(0x10000)
           if not 0xD800 <= c <= 0xDFFF and not unicodedata.is_normalized("NFKC", chr(c))]
    return "[" + "".join(re.escape(ch) for ch in [*bmp, *_DROP]) + "\U00010000-\U0010FFFF]"


#: Built once at import: scanning for the few characters to fold is faster than translating every character.
_FOLDABLE = re.compile(_foldable_class())


def normalize(text: str) -> str:
    """The normalised report text: NFKC per character, LF line ends, no BOM or zero-width characters.

    A report folds a hundred characters or more (every ，：（）) but only a dozen distinct ones: each
    distinct one is replaced throughout in one `str.replace`, rather than each occurrence by a
    Python callback. A folded character is NFKC already, so no replacement makes another."""
    text = _LINE_ENDS.sub("\n", text)
    for ch in set(_FOLDABLE.findall(text)):
        text = text.replace(ch, _TABLE[ord(ch)])
    text = _LIST_MARKER.sub(r"\1 ", text)
    return _PROSE_LINE.sub(_close_spaces, text)


def _close_spaces(line: re.Match[str]) -> str:
    return _SPACE_IN_CHINESE.sub(r"\1", line.group())
