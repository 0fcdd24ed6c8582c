"""How reports number their parts: paragraph numbering styles, inline enumerations, item titles.

The rules are data (`schema/patterns/report_structure.json`); this module compiles them once and
answers the three questions the structure component asks of a paragraph: which numbering style opens
it, where the items enumerated inside it start, and what the title of a numbered part is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policekg.extract.text.blocks import Block


@dataclass(frozen=True)
class Style:
    """A paragraph numbering style (一、 / (一) / 1. / 一是 …); `top` styles may number sections, a
    `wraps` style numbers parts that may hold sections of their own (第一部分 … 一、 … 二、)."""

    name: str
    rank: int
    marker: re.Pattern[str]
    top: bool
    wraps: bool = False


class Numbering:
    """The compiled numbering rules."""

    def __init__(self, patterns: dict[str, Any]) -> None:
        numerals = patterns["numerals"]

        def expand(regex: str) -> re.Pattern[str]:
            return re.compile(regex.replace("[N]", f"[{numerals}]"))

        self.styles = [Style(s["name"], rank, expand(s["marker"]), s["top"], s.get("wraps", False))
                       for rank, s in enumerate(patterns["heading_styles"])]
        # one pass per paragraph: the styles as alternatives, in rank order, each in a group of its own
        self._any_style = re.compile("|".join(f"(?P<s{st.rank}>{st.marker.pattern.removeprefix('^')})"
                                              for st in self.styles))
        self.inline = expand(patterns["inline_markers"])
        self.title_end = re.compile(patterns["title_end"])
        self.max_title = int(patterns["max_title_chars"])

    def style_of(self, text: str) -> Style | None:
        """The numbering style that opens this paragraph, if any."""
        match = self._any_style.match(text)
        return self.styles[int(match.lastgroup[1:])] if match else None

    def strip_marker(self, text: str, style: Style | None) -> int:
        """How many characters the numbering marker of this paragraph takes."""
        match = style.marker.match(text) if style else None
        return match.end() if match else 0

    def inline_items(self, block: Block, split_semicolons: bool) -> list[Block]:
        """The items enumerated inside one block (一是…;二是… / 一方面,…;…).

        With `split_semicolons`, a lone item (or a block without markers) is split at its semicolons:
        reports often open only the first item with 一方面 and separate the rest by ';'.
        """
        starts = [m.start() for m in self.inline.finditer(block.text)]
        bounds = list(zip(starts, starts[1:] + [len(block.text)]))
        items = [block.sub(a, b) for a, b in bounds]
        if split_semicolons and len(items) <= 1:
            base = items[0] if items else block
            cuts = [0] + [m.end() for m in re.finditer(r";", base.text)]
            items = [base.sub(a, b) for a, b in zip(cuts, cuts[1:] + [len(base.text)])]
        return [i for i in (_trim_end(i) for i in items) if i.text]

    def title(self, text: str, first_clause: bool = False) -> str:
        """A part's title: the text up to its first full stop, cut at a comma if still too long.

        Items enumerated inside a paragraph (一是…,…;二是…) are titled by their first clause only.
        """
        match = self.title_end.search(text)
        title = text[: match.start()] if match else text
        limit = self.max_title if match else 2 * self.max_title  # a heading line of its own may be long
        if (first_clause or len(title) > limit) and "," in title:
            title = title[: title.index(",")]
        return title.strip(" ,、:;。】")  # 【一、…】: a heading in brackets


def _trim_end(block: Block) -> Block:
    """Drop the separator a split leaves at an item's end (一是…; → 一是…)."""
    kept = block.text.rstrip(" ;,")
    return Block(block.start, block.start + len(kept), kept)
