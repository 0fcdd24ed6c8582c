"""Reports copied from a web page (issue 12, bad input): page chrome, list markers, stray spaces, ASCII
quotes and a text cut off mid-sentence. What is there is extracted; what is not is said in a warning.
The pages are written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from policekg.extract import Extraction, Extractor
from policekg.extract.normalize import normalize

PAGE = """首页 > 政务公开 > 法治政府建设 > 工作报告
青禾县公安局2023年法治政府建设工作情况
发布时间:2024-01-15 09:30  来源:青禾县公安局  字号:大 中 小
  • 2023年,我局坚持 依法行政,与县司法局 联合推进"一网通办",在城关派出所设立服务窗口。
  · 全年办理行政案件 120起,同比下降5.2%。
  • 依托 "青禾警民通"APP推送预警信息3000余条,并会同县委政法委推进矛盾纠纷多元化解工作机制
打印本页 关闭窗口
"""


@pytest.fixture(scope="module")
def page(extractor: Extractor) -> Extraction:
    return extractor(PAGE)


def test_page_chrome_is_neither_title_nor_text(page: Extraction) -> None:
    meta = page.meta
    assert (meta.issuer, meta.year) == ("青禾县公安局", 2023)
    assert meta.title == "青禾县公安局2023年法治政府建设工作情况"  # not the breadcrumb above it
    assert meta.published == date(2024, 1, 15) and meta.source_name == "青禾县公安局"


def test_names_read_whole_across_layout_spaces_and_ascii_quotes(page: Extraction) -> None:
    names = {(e.kind, e.name) for e in page.entities}
    assert {("PoliceUnit", "城关派出所"), ("Program", "一网通办"), ("Platform", "青禾警民通")} <= names
    assert any(kind == "GovernmentBody" and name.endswith("县司法局") for kind, name in names)
    for e in page.entities:  # every offset still points at the normalised text
        assert all(page.text[m.start:m.end] == m.text for m in e.mentions)


def test_list_markers_join_no_indicator(page: Extraction) -> None:
    figures = {(float(o.value), o.unit): o.indicator_text for o in page.observations}
    assert {(120.0, "起"), (5.2, "%"), (3000.0, "条")} <= set(figures)
    assert not [t for t in figures.values() if any(mark in t for mark in "•·") or " " in t]


def test_a_text_cut_off_mid_sentence_says_so(page: Extraction, extractor: Extractor) -> None:
    cut = [w for w in page.warnings if "mid-sentence" in w]
    assert len(cut) == 1 and "工作机制" in cut[0]
    whole = PAGE.replace("工作机制\n", "工作机制。\n\n青禾县公安局\n2024年1月10日\n")
    assert not [w for w in extractor(whole).warnings if "mid-sentence" in w]


@pytest.mark.parametrize(("raw", "expected"), [
    ("坚持 依法行政,推进 “一网通办”。", "坚持依法行政,推进“一网通办”。"),
    ("  • 全年办理案件120起,同比下降。", "    全年办理案件120起,同比下降。"),
    ("信息名称 青禾县公安局工作报告", "信息名称 青禾县公安局工作报告"),  # a field line keeps its spaces
    ("约翰·史密斯 来访,座谈。", "约翰·史密斯来访,座谈。"),  # a middle dot inside a line is no list marker
])
def test_normalize_drops_layout_spaces_and_list_markers(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
