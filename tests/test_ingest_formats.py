"""Report files in every published form give back the report's text: the seed saved as GB18030, as a
government web page with its navigation chrome, as a typeset PDF and as a .docx (all generated here
from the seed), judged by content and not by name; broken files are refused with a reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from ingest_fixtures import (
    SEED,
    SEED_URL,
    split_header,
    write_binary,
    write_corrupt_pdf,
    write_docx,
    write_gb18030,
    write_html,
    write_pdf,
)

from policekg.kg.ingest.files import read_sidecar
from policekg.kg.ingest.loaders import LoadError, load
from policekg.kg.ingest.source_key import source_key

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("formats")


def test_gb18030_text_is_detected_and_decoded(seed: str, folder: Path) -> None:
    loaded = load(write_gb18030(seed, folder / "seed.txt"))
    assert (loaded.format, loaded.encoding) == ("text", "gb18030")
    assert loaded.text == seed


def test_utf8_with_bom_loses_only_the_bom(seed: str, folder: Path) -> None:
    path = folder / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + seed.encode("utf-8"))
    assert load(path).text == seed


def test_html_page_gives_the_article_and_its_page_data_without_chrome(seed: str, folder: Path) -> None:
    loaded = load(write_html(seed, folder / "seed.html"))
    title, _, body = split_header(seed)
    got = lines(loaded.text)
    assert loaded.format == "html"
    assert got[0] == title
    assert got[1] == "发布日期:2023-03-01 信息来源:市公安局"
    assert got[2:] == body
    for chrome in ("首页", "政务公开", "当前位置", "浏览次数", "分享到", "相关链接", "版权所有", "网站地图",
                   "打印本页", "_hmt"):
        assert chrome not in loaded.text, chrome
    assert loaded.meta == {"title": title, "source_url": SEED_URL, "published": date(2023, 3, 1)}


def test_html_without_a_heading_takes_its_title_from_the_page_title_minus_the_site(seed: str, folder: Path) -> None:
    page = write_html(seed, folder / "no_h1.html")
    page.write_text(page.read_text(encoding="utf-8").replace('<h1 class="title">', '<div class="title">')
                    .replace("</h1>", "</div>"), encoding="utf-8")
    loaded = load(page)
    assert loaded.meta["title"] == split_header(seed)[0]  # not "…情况_慈溪市人民政府"
    assert lines(loaded.text)[0] == split_header(seed)[0]


def test_html_declared_as_gbk_is_decoded_by_its_declaration(seed: str, folder: Path) -> None:
    loaded = load(write_html(seed, folder / "seed_gbk.htm", charset="gbk"))
    assert loaded.encoding == "gb18030"
    assert lines(loaded.text)[2:] == split_header(seed)[2]


def test_html_whose_declaration_lies_is_read_in_its_real_encoding(seed: str, folder: Path) -> None:
    page = write_html(seed, folder / "lying.html", charset="gbk")
    page.write_bytes(page.read_bytes().replace(b"charset=gbk", b"charset=utf-8"))
    loaded = load(page)
    assert loaded.encoding == "gb18030"
    assert lines(loaded.text)[2:] == split_header(seed)[2]


@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs Debian fonts-wqy-microhei to typeset the PDF")
def test_pdf_text_layer_comes_back_as_the_report_paragraphs(seed: str, folder: Path) -> None:
    path = write_pdf(seed, folder / "seed.pdf", font=CJK_FONT)
    loaded = load(path)
    assert loaded.format == "pdf"
    assert lines(loaded.text) == lines(seed)  # wrapped lines and page breaks joined back, nothing lost


def test_docx_paragraphs_come_back_in_order(seed: str, folder: Path) -> None:
    loaded = load(write_docx(seed, folder / "seed.docx"))
    assert loaded.format == "docx"
    assert lines(loaded.text) == lines(seed)


def test_format_is_decided_by_content_not_by_extension(seed: str, folder: Path) -> None:
    assert load(write_docx(seed, folder / "really_a_docx.pdf")).format == "docx"
    assert load(write_html(seed, folder / "really_a_page.txt")).format == "html"
    assert load(write_gb18030(seed, folder / "really_text.html")).format == "text"


@pytest.mark.parametrize(("make", "reason"), [
    (write_corrupt_pdf, "corrupt PDF"),
    (write_binary, "binary data"),
    (lambda p: (p.write_bytes(b" \n\t\n"), p)[1], "empty"),
    (lambda p: (p.write_bytes(b"PK\x03\x04" + bytes(60)), p)[1], "ZIP archive that is not"),
    (lambda p: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), p)[1], "legacy Word"),
])
def test_unreadable_files_are_refused_with_a_reason(folder: Path, make, reason: str) -> None:
    path = make(folder / "bad.bin")
    with pytest.raises(LoadError, match=reason):
        load(path)


def test_pdf_without_text_layer_asks_for_ocr(folder: Path) -> None:
    from reportlab.pdfgen import canvas

    path = folder / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(100, 100, 300, 400, fill=1)  # a picture, no text
    page.save()
    with pytest.raises(LoadError, match="without a text layer.*OCR"):
        load(path)


def test_sidecar_metadata_is_checked_and_part_of_the_source_key(folder: Path) -> None:
    report = folder / "plain.txt"
    report.write_text("正文", encoding="utf-8")
    sidecar = folder / "plain.txt.json"
    sidecar.write_text(json.dumps({"issuer": "泾源县公安局", "year": 2025}), encoding="utf-8")
    given = read_sidecar(report)
    assert given == {"issuer": "泾源县公安局", "year": 2025}
    assert source_key(report.read_bytes(), given) != source_key(report.read_bytes(), {})
    for bad, message in (({"issuer": "x", "yaer": 2025}, "unknown keys yaer"), ({"year": "2025"}, "year must be"),
                         ({"published": "2023/3/1"}, "published must be a date"), ([1], "JSON object")):
        sidecar.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(LoadError, match=message):
            read_sidecar(report)


@pytest.mark.parametrize("fmt", ["gb18030", "html", "pdf", "docx"])
def test_every_format_extracts_to_what_the_plain_text_gives(seed: str, folder: Path, extractor, seed_extraction,
                                                            fmt: str) -> None:
    """The loaders' text is as good as the original for the extractor: same entities, figures, structure."""
    if fmt == "pdf" and not CJK_FONT.exists():
        pytest.skip("needs Debian fonts-wqy-microhei to typeset the PDF")
    writers = {"gb18030": write_gb18030, "html": write_html, "docx": write_docx,
               "pdf": lambda text, path: write_pdf(text, path, font=CJK_FONT)}
    loaded = load(writers[fmt](seed, folder / f"same.{fmt}"))
    got = extractor(loaded.text, **loaded.meta)
    assert {(e.kind, e.name, e.parent) for e in got.entities} == {
        (e.kind, e.name, e.parent) for e in seed_extraction.entities}
    assert [(o.indicator, o.value, o.unit) for o in got.observations] == [
        (o.indicator, o.value, o.unit) for o in seed_extraction.observations]
    assert [(s.title, len(s.measures)) for s in got.sections] == [
        (s.title, len(s.measures)) for s in seed_extraction.sections]
    expected_url = SEED_URL if fmt == "html" else None
    assert (got.meta.issuer, got.meta.year, got.meta.published, got.meta.source_name, got.meta.source_url) == (
        "慈溪市公安局", 2022, date(2023, 3, 1), "市公安局", expected_url)
