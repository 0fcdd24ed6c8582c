"""`report_structure`: the report's numbered sections and measures, and its problems and plans.

A typical report: 一、 sections with (一) measures (the year's work, status Done), then a paragraph on
the shortcomings (…还存在一些问题和不足。一方面,…;…) and one on next year (2023年,我局将…) followed by
一是…五是 items. The problems and the plans become sections of their own (status Problem / Planned),
numbered after the others. Reports vary: some number with 1. / (1), some put 四、存在的问题 and
五、下一步工作计划 among the numbered sections (their status then comes from the heading's words), some
enumerate inside one paragraph. The numbering style of the sections is whichever top style numbers at
least two paragraphs; measures use the next style found inside a section. A section without items
becomes one measure of its own, so that every figure can still hang on a measure.

Writes `doc._.sections`; offsets are the paragraph spans in the normalised text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import doc_paragraphs, state, warn
from policekg.extract.model import Measure, Section
from policekg.extract.patterns import load_patterns
from policekg.extract.structure.numbering import Numbering, Style
from policekg.extract.text.blocks import Block, clauses

_MIN_TOP_HEADINGS = 2
_SIGNATURE_CHARS = 20  # a signature line: the bureau's name or a date
_CUE_SENTENCE_STOP = re.compile(r"[。:]")  # a cue sentence ends at its 。 or at the : before a list


@Language.factory("report_structure", requires=["doc._.meta"], assigns=["doc._.sections"])
def make_report_structure(nlp: Language, name: str) -> ReportStructure:
    return ReportStructure()


class ReportStructure:
    """Finds sections and measures in paragraph numbering and in problem / plan cue sentences."""

    def __init__(self) -> None:
        self._numbering: Numbering | None = None
        self._cues: dict[str, Any] = {}

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        """Compile `schema/patterns/report_structure.json`."""
        p = load_patterns("report_structure")
        self._numbering = Numbering(p)
        self._cues = {key: re.compile(p[key]) for key in (
            "problem_cue", "problem_title", "problem_heading", "plan_cue", "plan_heading",
            "plan_title_skip", "plan_title_verbs", "plan_title_noise", "closing_line", "boxed_label")}
        self._cues["default_problem_title"] = p["default_problem_title"]
        self._cues["default_plan_title"] = p["default_plan_title"]

    def __call__(self, doc: Doc) -> Doc:
        if self._numbering is None:
            self.initialize()
        meta = state(doc).meta
        year = meta.year if meta and meta.year else None
        blocks = self._without_closing(doc_paragraphs(doc))
        styles = [self._numbering.style_of(b.text) for b in blocks]
        sections, heads = self._numbered_sections(blocks, styles, 1)
        sections = self._cut_tail(sections, blocks, styles, heads, year)
        state(doc).sections = sections
        if not sections:
            warn(doc, "structure: no numbered sections (一、/(一)/1.), problems or plans recognised")
        for status, part in (("Problem", "problems (存在的问题…)"), ("Planned", "plans (下一步…)")):
            if sections and not any(m.status == status for s in sections for m in s.measures):
                warn(doc, f"structure: no {part} part recognised")
        return doc

    # -- numbered sections -------------------------------------------------------------------------

    def _numbered_sections(self, blocks: list[Block], styles: list[Style | None],
                           first_ordinal: int) -> tuple[list[Section], list[int]]:
        """Sections opened by the top numbering style, and the indexes of their headings.

        Paragraphs before the first heading may be numbered in a lower style of their own (1. 2. 3.
        before 四、存在的问题): they are read the same way first, so no numbered part is lost.
        """
        top = self._top_style(styles)
        if top is None:
            return [], []
        heads = [i for i, s in enumerate(styles) if s is top]
        before, before_heads = self._numbered_sections(blocks[: heads[0]], styles[: heads[0]], first_ordinal)
        first_ordinal += len(before)
        spans = list(zip(heads, heads[1:] + [len(blocks)]))
        if top.wraps:
            sections, part_heads = self._parts(blocks, styles, spans, first_ordinal)
            return before + sections, before_heads + part_heads
        sections = before + [self._numbered(n, blocks[a:b], styles[a:b], top) for n, (a, b) in enumerate(spans, first_ordinal)]
        return sections, before_heads + heads

    def _parts(self, blocks: list[Block], styles: list[Style | None], spans: list[tuple[int, int]],
               first_ordinal: int) -> tuple[list[Section], list[int]]:
        """A report cut into parts (第一部分 …): a part holding sections in the report's main section
        style (一、) gives those sections, a part without (第二部分 不足: 1. 2.) is a section itself."""
        main = min((s.rank for s in styles if s and s.top and not s.wraps), default=None)
        sections: list[Section] = []
        heads: list[int] = []
        for a, b in spans:
            ordinal = first_ordinal + len(sections)
            inner = self._top_style(styles[a + 1:b])
            if main is not None and inner is not None and inner.rank == main:
                found, found_heads = self._numbered_sections(blocks[a + 1:b], styles[a + 1:b], ordinal)
                sections += found
                heads += [a + 1 + h for h in found_heads]
            else:
                sections.append(self._numbered(ordinal, blocks[a:b], styles[a:b], styles[a]))
                heads.append(a)
        return sections, heads

    def _top_style(self, styles: list[Style | None]) -> Style | None:
        """The highest style numbering two paragraphs, or one paragraph that lower-style items follow."""
        counts = Counter(s.name for s in styles if s is not None)
        for style in self._numbering.styles:
            if not style.top or not counts[style.name]:
                continue
            if counts[style.name] >= _MIN_TOP_HEADINGS:
                return style
            first = next(i for i, s in enumerate(styles) if s is style)
            below = [s for s in styles[first + 1:] if s and s.top and s.rank > style.rank]
            if len(below) >= _MIN_TOP_HEADINGS:
                return style
        return None

    def _numbered(self, ordinal: int, blocks: list[Block], styles: list[Style | None], top: Style) -> Section:
        head = blocks[0]
        title = self._numbering.title(head.text[self._numbering.strip_marker(head.text, top):])
        status = self._heading_status(title)
        return self._section(ordinal, title, status, blocks, blocks[1:], styles[1:], top.rank)

    def _heading_status(self, title: str) -> str:
        if self._cues["problem_heading"].search(title):
            return "Problem"
        if self._cues["plan_heading"].search(title):
            return "Planned"
        return "Done"

    def _item_status(self, title: str, section_status: str) -> str:
        """In a part on both problems and plans (存在的问题及下一步打算), each item says which it is."""
        status = self._heading_status(title)
        return section_status if status == "Done" else status

    def _section(self, ordinal: int, title: str, status: str, span: list[Block], body: list[Block],
                 styles: list[Style | None], below_rank: int) -> Section:
        """A section over `span` whose measures are the items found in `body`."""
        items = self._items(body, styles, below_rank, split_semicolons=status == "Problem")
        if not items:
            items = [(title, Block(span[0].start, span[-1].end, ""))]
        both = bool(self._cues["problem_heading"].search(title) and self._cues["plan_heading"].search(title))
        measures = [Measure(f"{ordinal}-{k}", t, self._item_status(t, status) if both else status, b.start, b.end)
                    for k, (t, b) in enumerate(items, 1)]
        return Section(str(ordinal), title, status, span[0].start, span[-1].end, measures)

    def _items(self, blocks: list[Block], styles: list[Style | None], below_rank: int,
               split_semicolons: bool) -> list[tuple[str, Block]]:
        """Items numbered by paragraph (the highest style below the section's), else inside paragraphs.

        An unnumbered paragraph continues the item before it, unless it opens with a boxed label
        (【主要执法数据】…): such a box sums up the section and is no part of its last item, nor is
        what follows it before the next item.
        """
        ranks = [s.rank for s in styles if s and s.rank > below_rank]
        items: list[tuple[str, Block]] = []
        if ranks:
            sub = self._numbering.styles[min(ranks)]
            boxed = False
            for block, style in zip(blocks, styles):
                if style is sub:
                    items.append((self._item_title(block.text, style), block))
                    boxed = False
                elif items:
                    boxed = boxed or bool(self._cues["boxed_label"].match(block.text))
                    if not boxed:
                        items[-1] = (items[-1][0], Block(items[-1][1].start, block.end, ""))
        if len(items) > 1:
            return items
        inline = self._paragraph_items(blocks, split_semicolons)
        return inline if len(inline) > 1 else items

    def _paragraph_items(self, blocks: list[Block], split_semicolons: bool) -> list[tuple[str, Block]]:
        """The items of a part not numbered by paragraph: those enumerated inside the paragraphs that
        enumerate (open with 一是…, or hold two markers), else the paragraphs themselves, each opened by
        its lead sentence (坚持高位推动,压实法治建设主体责任。…); a problems part is also cut at its
        semicolons. A paragraph without markers after an enumerated one is a closing remark
        (针对以上问题,我局将…), not one more item."""
        marked = [b for b in blocks if self._numbering.inline.match(b.text)
                  or len(self._numbering.inline.findall(b.text)) > 1]
        if marked or split_semicolons:
            inline = [i for b in marked or blocks for i in self._numbering.inline_items(b, split_semicolons)]
            return [(self._item_title(i.text, None), i) for i in inline]
        return [(self._numbering.title(b.text), b) for b in blocks]

    def _item_title(self, text: str, style: Style | None) -> str:
        if style is None:
            match = self._numbering.inline.match(text)
            return self._numbering.title(text[match.end() if match else 0:], first_clause=True)
        return self._numbering.title(text[self._numbering.strip_marker(text, style):])

    # -- problems and plans after the numbered sections --------------------------------------------

    def _cut_tail(self, sections: list[Section], blocks: list[Block], styles: list[Style | None],
                  heads: list[int], year: int | None) -> list[Section]:
        """Split the problems / plans paragraphs off the last numbered section into sections of their own."""
        if sections and sections[-1].status == "Planned":
            return sections
        first = heads[-1] + 1 if heads else 0
        tail = [(i, kind) for i in range(first, len(blocks)) if styles[i] is None
                for kind in [self._tail_kind(blocks[i], year)] if kind]
        if sections and sections[-1].status == "Problem":
            tail = [(i, kind) for i, kind in tail if kind == "Planned"]
        if tail and tail[-1][1] == "Planned" and self._closing_remark(blocks[tail[-1][0]:], tail):
            tail = tail[:-1]
        if not tail:
            return sections
        start = tail[0][0]
        if sections:
            last = sections[-1]
            sections[-1] = self._numbered(int(last.ordinal), blocks[heads[-1]:start], styles[heads[-1]:start],
                                          self._numbering.style_of(blocks[heads[-1]].text))
        return sections + self._tail_sections(len(sections) + 1, blocks, styles, tail)

    def _closing_remark(self, rest: list[Block], tail: list[tuple[int, str]]) -> bool:
        """A last paragraph that only promises to go on (2024年,市局将继续…,为…提供保障。): one sentence,
        no items, nothing after it but the signature, and no plans part opened before it."""
        last, kinds = rest[0], [kind for _, kind in tail]
        return kinds.count("Planned") == 1 and last.text.count("。") <= 1 \
            and not self._numbering.inline.search(last.text) \
            and all(len(b.text) <= _SIGNATURE_CHARS and "。" not in b.text for b in rest[1:])

    def _tail_kind(self, block: Block, year: int | None) -> str | None:
        """"Planned" or "Problem" when the paragraph's first sentence opens that part of a report."""
        first = block.text.split("。", 1)[0]
        plan = self._cues["plan_cue"].search(first)
        problem = bool(self._cues["problem_cue"].search(first))
        next_year = plan and (not plan.group("year") or year is None or int(plan.group("year")) > year)
        if next_year and not (year is None and problem):
            return "Planned"
        return "Problem" if problem else None

    def _tail_sections(self, ordinal: int, blocks: list[Block], styles: list[Style | None],
                       tail: list[tuple[int, str]]) -> list[Section]:
        """One section per run of tail paragraphs of the same kind, each opened by its cue paragraph."""
        opens = [(i, kind) for n, (i, kind) in enumerate(tail) if n == 0 or kind != tail[n - 1][1]]
        result = []
        for n, (i, kind) in enumerate(opens):
            end = opens[n + 1][0] if n + 1 < len(opens) else len(blocks)
            result.append(self._tail_section(ordinal + n, kind, blocks[i:end], styles[i:end]))
        return result

    def _tail_section(self, ordinal: int, kind: str, blocks: list[Block],
                      styles: list[Style | None]) -> Section:
        cue = blocks[0]
        end = self._cue_sentence_end(cue.text, kind)
        first, rest = cue.text[:end], cue.sub(end + 1, len(cue.text))
        # a cue that only announces what follows (下步,我们将重点做好以下工作:) is no item of its own
        body = [rest] + blocks[1:] if rest.text else blocks[1:] or [cue.sub(0, len(cue.text))]
        body_styles = [self._numbering.style_of(b.text) for b in body]
        title = self._problem_title(first) if kind == "Problem" else self._plan_title(first)
        return self._section(ordinal, title, kind, blocks, body, body_styles, -1)

    def _cue_sentence_end(self, text: str, kind: str) -> int:
        """Where the sentence that opens a problems / plans part ends (its 。 or the : before a list)."""
        cue = self._cues["problem_cue" if kind == "Problem" else "plan_cue"].search(text)
        stop = _CUE_SENTENCE_STOP.search(text, cue.end() if cue else 0)
        return stop.start() if stop else len(text)

    def _problem_title(self, sentence: str) -> str:
        match = self._cues["problem_title"].search(sentence)
        return match.group(1) if match and match.group(1) else self._cues["default_problem_title"]

    def _plan_title(self, sentence: str) -> str:
        """The clause of the plan sentence that says what will be done (持之以恒抓好…工作)."""
        for clause in clauses(sentence):
            if self._cues["plan_title_skip"].search(clause) or not self._cues["plan_title_verbs"].search(clause):
                continue
            title = self._cues["plan_title_noise"].sub("", clause)
            if title:
                return title
        return self._cues["default_plan_title"]

    def _without_closing(self, blocks: list[Block]) -> list[Block]:
        """The paragraphs without the closing date and signature lines."""
        while blocks and self._cues["closing_line"].match(blocks[-1].text):
            blocks = blocks[:-1]
        return blocks
