"""Report files in the forms they are published in, turned into report text.

Reports come as plain text (UTF-8, often GB18030/GBK from older sites), web pages saved from a
government site, PDFs and Word files, and their names often lie (`.htm` that is a PDF, `.txt` in
GBK, no extension at all). So the format is decided by the bytes — magic numbers first, then a
sniff of the decoded text — and never by the extension. Every loader returns text in the shape the
extractor reads best: one paragraph per line, the title and the page-data line (发布日期… 信息来源…)
on top, as a report copied from its web page looks.

Each format is read by a maintained library (charset-normalizer, trafilatura, pdfminer.six,
python-docx); what is ours is only the glue and the reflow of PDF lines into paragraphs.
A file that cannot be read raises `LoadError` with a reason a user can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from policekg.extract.metadata.page_header import page_header

#: Bytes looked at to decide a format.
_SNIFF = 4096
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(?:html|head|body|meta|title|div|p)[\s>/]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
#: Most bytes an archive (.docx) may unpack to: a report's text is a few MB at most.
MAX_UNPACKED_BYTES = 256 * 2**20
#: Most invalid UTF-8 sequences a UTF-8 file may hold and still be read as UTF-8 (with U+FFFD).
_MAX_BAD_BYTES = 64
_NEWLINE = b"\n"
#: GB2312 and GBK texts often hold characters only their superset GB18030 decodes.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc-cn"}
_CJK_BETWEEN_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])")
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|——|--|\s-\s|－)\s*")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:\d+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)[-—–\s]*$")


class LoadError(ValueError):
    """A file that yields no report text: unknown format, corrupt, encrypted, scanned, empty."""


@dataclass
class LoadedText:
    """The text of one report file, what it was, and the metadata the file itself carries.

    `meta` holds only what the file states outside the text (a page's canonical URL and title, its
    publication date); it is passed to the extractor as overrides.
    """

    text: str
    format: str  # "text", "html", "pdf" or "docx"
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: What the reader had to mend (bytes that were not UTF-8, where), for the user to check.
    warnings: list[str] = field(default_factory=list)


def load(path: Path) -> LoadedText:
    """The report text of a file, whatever its format; `LoadError` when there is none."""
    return load_bytes(read_file(path))


def read_file(path: Path) -> bytes:
    """The file's bytes; `LoadError` saying why when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise LoadError(f"cannot read the file: {err.strerror or err}") from err


def load_bytes(data: bytes) -> LoadedText:
    """The report text of a file's contents (format detected from the bytes)."""
    if not data.strip():
        raise LoadError("the file is empty")
    kind = sniff_binary(data)
    if kind == "pdf":
        return LoadedText(_pdf_text(data), "pdf")
    if kind == "docx":
        return LoadedText(_docx_text(data), "docx")
    text, encoding, mended = decode_text(data)
    if looks_like_html(text):
        return _html(data, text, encoding)
    return LoadedText(text, "text", encoding, warnings=mended)


def sniff_binary(data: bytes) -> str | None:
    """"pdf" or "docx" by magic number, None for anything that may be text; LoadError for other binaries."""
    head = data[:_SNIFF]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise LoadError("a ZIP archive that is not a Word .docx document")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise LoadError("a legacy Word/Excel (OLE .doc/.xls) file: save it as .docx or PDF")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise LoadError("an image or compressed archive, not a report")
    return None


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Text, its encoding and what had to be mended: UTF-8 (with or without BOM) when it decodes, or
    decodes but for a few bad bytes (read as U+FFFD, with a warning saying where), else what
    charset-normalizer finds."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), "utf-16", []
    if b"\x00" in data[:_SNIFF]:
        raise LoadError("binary data (NUL bytes), not text, HTML, PDF or .docx")
    mended = _mended_utf8(data.removeprefix(b"\xef\xbb\xbf"))
    if mended is not None:
        return mended[0], "utf-8", mended[1]
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise LoadError("not text in any known encoding (binary data?)")
    encoding = "gb18030" if best.encoding.replace("_", "-") in _GB_FAMILY else best.encoding
    return _decode(data, encoding), encoding, []


def _mended_utf8(data: bytes) -> tuple[str, list[str]] | None:
    """UTF-8 text with each invalid sequence read as U+FFFD and a warning naming them, or None when
    there are more than a few (one per thousand bytes, at least 4, at most 64): another encoding."""
    allowed = min(_MAX_BAD_BYTES, max(4, len(data) // 1000))
    parts: list[str] = []
    bad: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            if len(bad) == allowed:
                return None
            parts += [data[pos:pos + err.start].decode("utf-8"), "\ufffd"]
            bad.append(pos + err.start)
            pos += err.end
    if not bad:
        return parts[0], []
    where = ", ".join(f"line {data.count(_NEWLINE, 0, at) + 1} (byte {at})" for at in bad)
    return "".join(parts), [f"{len(bad)} byte sequence(s) are not UTF-8 and were read as \ufffd: {where}"]


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as err:
        raise LoadError(f"cannot decode the text as {encoding}: {err}") from err


def looks_like_html(text: str) -> bool:
    """An HTML page: starts like one, or has several HTML tags near the top."""
    head = text[:_SNIFF].lstrip("\ufeff")
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


# -- HTML ----------------------------------------------------------------------------------------

def _html(data: bytes, text: str, encoding: str) -> LoadedText:
    """Main text of a saved web page, with the title and page-data line put back on top.

    Navigation, breadcrumb, share boxes and footers are dropped by trafilatura; the page data
    (发布日期, 信息来源) sits outside the article body, so it is found in the page's full text and
    written as the line under the title, where the extractor reads it in plain-text reports.
    """
    import trafilatura

    declared = _declared_charset(data)
    if declared and declared != encoding:
        try:  # the page's own declaration beats a guess, unless the bytes say it lies
            text, encoding = data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True,
                                      deduplicate=False)
    body = (doc.text or "").strip() if doc is not None else ""
    if not body:
        raise LoadError("an HTML page with no main text (a navigation or index page?)")
    title = _page_title(doc.title or "")
    page_data = _page_data(trafilatura.html2txt(text) or "")
    lines = [line for line in (title, page_data.line) if line]
    body_lines = [line for line in body.splitlines() if line.strip() and line.strip() not in lines]
    meta: dict[str, Any] = {"title": title, "source_url": doc.url or None,
                            "published": page_data.published or _iso_date(doc.date)}
    return LoadedText("\n".join(lines + body_lines), "html", encoding,
                      {k: v for k, v in meta.items() if v is not None})


def _page_title(title: str) -> str | None:
    """The article's title: a page's <title> often carries the site's name (…情况_慈溪市人民政府,
    市公安局 - …), and the report's own title is the longest part."""
    parts = [part.strip() for part in _TITLE_SEPARATORS.split(title) if part.strip()]
    return max(parts, key=len) if parts else None


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return "gb18030" if name in _GB_FAMILY else name if _known_codec(name) else None


def _known_codec(name: str) -> bool:
    import codecs

    try:
        codecs.lookup(name)
        return True
    except LookupError:
        return False


@dataclass
class _PageData:
    line: str | None
    published: date | None


def _page_data(page_text: str) -> _PageData:
    """The page's publication date and source (信息来源) as one header line, read as the extractor
    reads a text's header (`extract.page_header`)."""
    header = page_header(page_text)
    parts = []
    if header.published:
        parts.append(f"发布日期:{header.published.isoformat()}")
    if header.source:
        parts.append(f"信息来源:{header.source}")
    return _PageData(" ".join(parts) or None, header.published)


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# -- PDF -----------------------------------------------------------------------------------------

def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF, its wrapped lines joined back into paragraphs."""
    from pdfminer.high_level import extract_pages
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        lines = [line for page in extract_pages(io.BytesIO(data)) for line in _page_lines(page)]
    except (PDFSyntaxError, PSException) as err:
        raise LoadError(f"a corrupt PDF ({type(err).__name__}: {err})") from err
    except Exception as err:  # pdfminer raises bare errors of many kinds on broken files
        if type(err).__module__.startswith("pdfminer"):
            raise LoadError(f"a PDF pdfminer cannot read ({type(err).__name__}: {err})") from err
        raise
    if not lines:
        raise LoadError("a PDF without a text layer (a scan?): run OCR on it first")
    return _reflow(lines)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    height: float


def _page_lines(page: Any) -> list[_Line]:
    from pdfminer.layout import LTTextContainer, LTTextLine

    lines = []
    for box in page:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if isinstance(line, LTTextLine):
                text = _CJK_BETWEEN_SPACE.sub("", line.get_text().strip())
                if text and not _PAGE_NUMBER.match(text):
                    lines.append(_Line(text, line.x0, line.x1, line.y1, line.height))
    return lines


def _reflow(lines: list[_Line]) -> str:
    """The lines of all pages joined into paragraphs. A line opens a paragraph when it is indented or
    centred, when
    before stopped short of the right margin, or after a gap wider than the line spacing; otherwise it
    continues the line before, on the same page or the last line of the page before (Chinese wraps
    anywhere, so the lines join without a space)."""
    left, right = _margins(lines)
    paragraphs: list[str] = []
    prev: _Line | None = None
    for line in lines:
        size = line.height or 10.0
        starts = (prev is None or line.x0 > left + 0.8 * size or prev.x1 < right - 2.5 * size
                  or 2.2 * size < prev.top - line.top)
        if starts:
            paragraphs.append(line.text)
        else:
            paragraphs[-1] += line.text
        prev = line
    return "\n".join(paragraphs)


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """Where the body text's lines start and end: the commonest left edge and a high quantile of right
    edges (a title, a wide table row or an overfull line must not move the margin)."""
    lefts = Counter(round(line.x0) for line in lines)
    rights = sorted(line.x1 for line in lines)
    return float(lefts.most_common(1)[0][0]), rights[int(0.8 * (len(rights) - 1))]


# -- Word ----------------------------------------------------------------------------------------

def _check_unpacked_size(data: bytes) -> None:
    """Refuse an archive that would unpack to more than `MAX_UNPACKED_BYTES` (a zip bomb). The sizes
    its directory declares bound what Python's zipfile will inflate, so summing them is enough."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as err:
        raise LoadError(f"a corrupt .docx (ZIP: {err})") from err
    if total > MAX_UNPACKED_BYTES:
        raise LoadError(f"a .docx that unpacks to {total / 2**20:.0f} MB, more than the "
                        f"{MAX_UNPACKED_BYTES // 2**20} MB a report may (a zip bomb?)")


def _docx_text(data: bytes) -> str:
    """The paragraphs and table rows of a .docx, in document order."""
    import docx
    from docx.table import Table

    _check_unpacked_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:  # python-docx lets zip/XML errors of a broken file through as-is
        raise LoadError(f"a .docx python-docx cannot open ({type(err).__name__}: {err})") from err
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += ["\t".join(cell.text.strip() for cell in row.cells) for row in block.rows]
        else:
            lines.append(block.text.strip())
    return "\n".join(line for line in lines if line.strip())

