"""`report_metadata`: who issued the report, for which year, when it was published.

Published reports come in two shapes. Most have a header: a title line (慈溪市公安局2022年法治政府
建设工作情况) and a line of page data (发布日期:2023-03-01 信息来源:市公安局). Many copied texts have
no header at all, and then the body's opening sentence names both (2025年,泾源县公安局在县委…).
The header wins over the body, and the caller's overrides (`doc._.overrides`) win over both.

The issuer is found by its shape, not from a list: a run of Chinese characters ending in 公安局 /
公安分局 / 公安厅 / 公安处 with a place before the head (市公安局 alone is an abbreviation and is not
enough). When no issuer or year is found, `doc._.meta` keeps them empty and the pipeline refuses the
text with a message naming what is missing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import doc_paragraphs, state, warn
from policekg.extract.model import ReportMeta
from policekg.extract.patterns import compile_alternation, load_patterns
from policekg.extract.text.blocks import Block
from policekg.extract.text.numbers import chinese_to_int

_CJK_RUN_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,24}$")
_MAX_HEADER_LINES = 10
_MAX_FURNITURE_CHARS = 30
_MAX_TITLE_CHARS = 80


@Language.factory("report_metadata", assigns=["doc._.meta"])
def make_report_metadata(nlp: Language, name: str) -> ReportMetadata:
    return ReportMetadata()


class ReportMetadata:
    """Fills `doc._.meta` with a `ReportMeta` from overrides, the header lines, then the body."""

    def __init__(self) -> None:
        self._rules: dict[str, Any] | None = None

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        """Compile the header and issuer patterns of `schema/patterns/report_metadata.json`."""
        p = load_patterns("report_metadata")
        self._rules = {
            "head": re.compile(compile_alternation(p["issuer_heads"])),
            "branch": re.compile(p["branch_suffix"]),
            "noise": re.compile(f"^(?:{compile_alternation(p['leading_noise'])})+"),
            "full": re.compile(f"^[\u4e00-\u9fff]+?(?:{compile_alternation(p['admin_suffixes'])})"),
            "relative": tuple(p["relative_starts"]),
            "header_key": re.compile(compile_alternation(p["header_keys"])),
            "header_field": re.compile(f"(?:{compile_alternation(p['header_keys'])})\\s*[:：]"),
            "published": re.compile(p["published_label"] + p["date"]),
            "date": re.compile(f"^{p['date']}\\s*日?$"),
            "source_name": re.compile(p["source_name"]),
            "url": re.compile(p["url"]),
            "title_words": tuple(p["title_words"]),
            "year": re.compile(p["year"]),
            "chinese_year": re.compile(p["chinese_year"]),
            "breadcrumb": re.compile(p["breadcrumb"]),
            "sentence_end": re.compile(p["sentence_end"]),
        }

    def __call__(self, doc: Doc) -> Doc:
        if self._rules is None:
            self.initialize()
        header, body = self._split_header(doc_paragraphs(doc))
        title = self._title(header)
        header_text = "\n".join(b.text for b in header)
        overrides = state(doc).overrides
        published = _as_date(overrides.get("published")) or self._published(header_text, body)
        year = overrides.get("year") or self._year(title, body)
        if not year and published:
            year = published.year
            warn(doc, f"metadata: no year in the text; using the publication year {year}")
        meta = ReportMeta(
            issuer=overrides.get("issuer") or self._issuer(title, body),
            year=int(year or 0),
            title=overrides.get("title") or title,
            published=published,
            source_url=overrides.get("source_url") or self._first(self._rules["url"], header_text, 0),
            source_name=self._first(self._rules["source_name"], header_text, 1),
        )
        for missing, what in ((not meta.issuer, "issuing bureau"), (not meta.year, "report year")):
            if missing:
                warn(doc, f"metadata: no {what} found in a title line or the opening text")
        self._warn_if_cut_off(doc, body)
        state(doc).meta = meta
        return doc

    def _split_header(self, blocks: list[Block]) -> tuple[list[Block], list[Block]]:
        """The title and page-data lines at the top, and the body after them.

        Page data is a `key: value` line (发布日期:…, 索引号:…) or a short line of page furniture
        (【打印】【关闭窗口】). A line is the title when it reads like one (short, no full stop) and either
        says what kind of text it is (报告, 情况, …) or is followed by page data, as news titles are.
        """
        n, titled = 0, False
        for i, block in enumerate(blocks[:_MAX_HEADER_LINES]):
            if self._is_page_data(block.text):
                n += 1
            elif not titled and self._looks_like_title(block, blocks[i + 1:i + 2]):
                n, titled = n + 1, True
            else:
                break
        return blocks[:n], blocks[n:]

    def _is_page_data(self, text: str) -> bool:
        return bool(self._rules["header_field"].search(text) or self._rules["breadcrumb"].match(text)
                    or (len(text) <= _MAX_FURNITURE_CHARS and self._rules["header_key"].search(text)))

    def _warn_if_cut_off(self, doc: Doc, body: list[Block]) -> None:
        """Say so when the text stops mid-sentence (a page copied in part): what it held is extracted, the
        rest of the report is not there. The page's furniture after the article (打印本页 关闭窗口) and
        a closing date are skipped; a short last line is a signature, not a cut."""
        date_line = self._rules["date"].match
        lines = [b.text for b in body if not self._is_page_data(b.text) and not date_line(b.text)]
        last = lines[-1].strip() if lines else ""
        if len(last) > _MAX_FURNITURE_CHARS and not self._rules["sentence_end"].search(last):
            warn(doc, f"text: it stops mid-sentence («…{last[-12:]}»); the rest of the report is missing, "
                      "so its later sections, figures and names were not read")

    def _looks_like_title(self, block: Block, following: list[Block]) -> bool:
        text = block.text
        if len(text) > _MAX_TITLE_CHARS or "。" in text:
            return False
        return (any(w in text for w in self._rules["title_words"])
                or any(self._is_page_data(b.text) for b in following))

    def _title(self, header: list[Block]) -> str | None:
        for block in header:
            if not self._is_page_data(block.text):
                return block.text
        return None

    def _issuer(self, title: str | None, body: list[Block]) -> str:
        """The first full issuer name in the title, else in the body (opening paragraphs first)."""
        for text in ([title] if title else []) + [b.text for b in body]:
            found = self.find_issuer(text)
            if found:
                return found
        return ""

    def find_issuer(self, text: str) -> str | None:
        """The first full name of a public-security body in `text` (泾源县公安局, …公安局鄞州分局)."""
        rules = self._rules
        for match in rules["head"].finditer(text):
            before = _CJK_RUN_BEFORE.search(text, 0, match.start())
            if not before:
                continue
            name = rules["noise"].sub("", before.group()) + match.group()
            if name.startswith(rules["relative"]) or not rules["full"].match(name[: -len(match.group())]):
                continue
            branch = rules["branch"].match(text, match.end())
            return name + branch.group() if branch else name
        return None

    def _year(self, title: str | None, body: list[Block]) -> int | None:
        """The report year: the title's, else the first year in the body that is not part of a date."""
        for text in ([title] if title else []) + [b.text for b in body]:
            match = self._rules["year"].search(text)
            if match:
                return int(match.group(1))
            match = self._rules["chinese_year"].search(text)
            if match:
                return chinese_to_int(match.group(1))
        return None

    def _published(self, header_text: str, body: list[Block]) -> date | None:
        """The header's publication date, else a date standing alone on the last line (the signature)."""
        match = self._rules["published"].search(header_text)
        if not match and body:
            match = self._rules["date"].match(body[-1].text)
        if not match:
            return None
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None

    @staticmethod
    def _first(pattern: re.Pattern[str], text: str, group: int) -> str | None:
        match = pattern.search(text)
        return match.group(group) if match else None


def _as_date(value: Any) -> date | None:
    """An override given as a `date` or an ISO string."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
