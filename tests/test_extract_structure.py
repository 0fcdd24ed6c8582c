"""Normalisation, report metadata and report structure, on the seed and on reports written in other styles."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from conftest import SEED_GOLD

from policekg.extract import Extraction, ExtractionError, Extractor
from policekg.extract.normalize import normalize

ARABIC_REPORT = """泾源县公安局2023年法治政府建设年度报告

2023年,县公安局坚持以习近平法治思想为指导,扎实推进法治公安建设。

1.加强组织领导。成立法治建设领导小组,召开专题会议12次。
2.规范执法行为。全年办理行政案件356起。

三、存在的问题
一是执法能力不足;二是信息化水平不高。

四、下一步工作计划
(一)加强队伍建设。组织培训。
(二)深化改革。推进“一网通办”。

泾源县公安局
2024年1月10日
"""

NO_TITLE_INLINE = ("２０２２年，某某区公安分局在区委区政府领导下推进法治建设。\r\n"
                   "全年组织学习１５次，办理案件３２０起。\r\n"
                   "但也存在一些不足：执法规范化水平有待提高；队伍能力有待加强。\r\n"
                   "下一步，我局将继续推进法治公安建设，首先，加强学习；其次，强化监督。\r\n")


def _shape(extraction: Extraction) -> list[tuple]:
    return [(s.ordinal, s.title, s.status, [(m.ordinal, m.title, m.status) for m in s.measures])
            for s in extraction.sections]


def test_normalize_folds_full_width_and_keeps_length_and_traditional_characters() -> None:
    raw = "\ufeff２０２２年，（一）臺灣警察：９５％\r\n下一段"
    text = normalize(raw)
    assert text == "2022年,(一)臺灣警察:95%\n下一段"
    assert len(text) == len(raw) - 2  # only the BOM and the CR go
    assert normalize("㈠①") == "(一)1"


def test_seed_structure_is_exactly_the_gold(seed_extraction: Extraction) -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    expected = [(s["ordinal"], s["title"], s["status"],
                 [(m["ordinal"], m["title"], s["status"]) for m in s["measures"]]) for s in gold["sections"]]
    assert _shape(seed_extraction) == expected
    assert len(seed_extraction.measures) == 28
    assert not [w for w in seed_extraction.warnings if w.startswith("structure")]


def test_seed_offsets_point_at_the_paragraphs(seed_extraction: Extraction) -> None:
    text = seed_extraction.text
    sections = seed_extraction.sections
    assert text[sections[0].start:].startswith("一、坚持党的全面领导")
    assert text[sections[0].measures[1].start:].startswith("(二)统筹推进法治政府建设工作。")
    assert text[sections[7].measures[1].start:].startswith("执法监督管理有待进一步精细精准")
    assert text[sections[8].measures[4].start:sections[8].measures[4].end].endswith("不断提高数字化应用水平。")
    for before, after in pairwise(sections):
        assert before.end < after.start
    for section in sections:
        for m in section.measures:
            assert section.start <= m.start < m.end <= section.end
    assert "2023年2月28日" not in text[sections[-1].start:sections[-1].end]


def test_seed_metadata_comes_from_the_header(seed_extraction: Extraction) -> None:
    meta = seed_extraction.meta
    assert (meta.issuer, meta.year, meta.published) == ("慈溪市公安局", 2022, date(2023, 3, 1))
    assert meta.title == "慈溪市公安局2022年法治政府建设工作情况"
    assert meta.source_name == "市公安局"


def test_metadata_from_the_body_when_there_is_no_header(extractor: Extractor) -> None:
    meta = extractor("2025年,泾源县公安局在县委的坚强领导下,全面推进法治公安建设。").meta
    assert (meta.issuer, meta.year, meta.title) == ("泾源县公安局", 2025, None)


def test_metadata_reads_a_branch_bureau_and_a_chinese_date_header(extractor: Extractor) -> None:
    meta = extractor("上海市公安局浦东分局2021年法治政府建设情况\n发布时间：2022年1月5日 来源：浦东分局\n"
                     "原文链接:https://www.example.gov.cn/art/1.html\n正文。").meta
    assert (meta.issuer, meta.year, meta.published, meta.source_name, meta.source_url) == (
        "上海市公安局浦东分局", 2021, date(2022, 1, 5), "浦东分局", "https://www.example.gov.cn/art/1.html")


def test_overrides_win_over_the_text(extractor: Extractor, seed_text: str) -> None:
    meta = extractor(seed_text, issuer="某某市公安局", year=2021, published="2022-02-02").meta
    assert (meta.issuer, meta.year, meta.published) == ("某某市公安局", 2021, date(2022, 2, 2))


@pytest.mark.parametrize("text, reason", [
    ("2022年,市公安局全面推进法治建设。", "issuing bureau"),
    ("泾源县公安局全面推进法治建设。", "report year"),
    ("  \n ", "empty"),
])
def test_missing_issuer_or_year_is_a_clear_error(extractor: Extractor, text: str, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extractor(text)


def test_arabic_numbering_and_numbered_problem_and_plan_sections(extractor: Extractor) -> None:
    extraction = extractor(ARABIC_REPORT)
    assert _shape(extraction) == [
        ("1", "加强组织领导", "Done", [("1-1", "加强组织领导", "Done")]),
        ("2", "规范执法行为", "Done", [("2-1", "规范执法行为", "Done")]),
        ("3", "存在的问题", "Problem", [("3-1", "执法能力不足", "Problem"), ("3-2", "信息化水平不高", "Problem")]),
        ("4", "下一步工作计划", "Planned", [("4-1", "加强队伍建设", "Planned"), ("4-2", "深化改革", "Planned")]),
    ]
    assert "2024年1月10日" not in extraction.text[extraction.sections[-1].start:extraction.sections[-1].end]


def test_problems_and_plans_enumerated_inside_one_paragraph(extractor: Extractor) -> None:
    extraction = extractor(NO_TITLE_INLINE)
    assert extraction.meta.issuer == "某某区公安分局" and extraction.meta.year == 2022
    assert _shape(extraction) == [
        ("1", "不足", "Problem", [("1-1", "执法规范化水平有待提高", "Problem"), ("1-2", "队伍能力有待加强", "Problem")]),
        ("2", "继续推进法治公安建设", "Planned", [("2-1", "加强学习", "Planned"), ("2-2", "强化监督", "Planned")]),
    ]
    plan_item = extraction.sections[1].measures[0]
    assert extraction.text[plan_item.start:plan_item.end] == "首先,加强学习"


def test_text_without_structure_warns_and_still_extracts(extractor: Extractor) -> None:
    news = "新华社北京3月5日电 今天上午,十四届全国人大一次会议在人民大会堂开幕。代表们表示,将认真贯彻落实。"
    extraction = extractor(news, issuer="某某县公安局", year=2023)
    assert extraction.sections == []
    assert any("structure" in w for w in extraction.warnings)


def test_traditional_characters_are_read_as_written(extractor: Extractor) -> None:
    text = "臺北縣公安局2022年法治工作報告\n一、加強組織領導\n(一)健全制度。召開會議10次。\n二、規範執法\n(一)執法監督。辦理案件120件。\n"
    extraction = extractor(text)
    assert extraction.meta.issuer == "臺北縣公安局"
    assert [(s.title, [m.title for m in s.measures]) for s in extraction.sections] == [
        ("加強組織領導", ["健全制度"]), ("規範執法", ["執法監督"])]
    assert "structure: no problems (存在的问题…) part recognised" in extraction.warnings


@pytest.mark.parametrize("text", ["", "  a", "a ", "a  b\n\nc", "慈溪 市\n\n公安局 ab12.5%(一)", "\n\nx\n", "x\u3000y \u00a0 z",
                                  "𠀀 字\t 😀 a"])
def test_char_tokenizer_builds_the_same_doc_as_spacys_zh_tokenizer(text: str) -> None:
    import spacy

    from policekg.extract.text.char_tokenizer import CharTokenizer

    nlp = spacy.blank("zh")
    assert [t.text_with_ws for t in CharTokenizer(nlp.vocab)(text)] == [t.text_with_ws for t in nlp.make_doc(text)]


def test_heading_lines_are_sentences_of_their_own(seed_extraction: Extraction, extractor: Extractor) -> None:
    doc = extractor.nlp(seed_extraction.text[:400])
    sentences = [s.text.strip() for s in doc.sents]
    assert "一、坚持党的全面领导,夯实法治建设基础" in sentences
    assert "(一)深入学习贯彻习近平法治思想。" in sentences


def test_a_long_report_without_sentence_ends_is_read_in_one_piece(extractor: Extractor) -> None:
    """Two megabytes of one line: no crash, no spaCy length limit, the one figure found."""
    text = "数字" * 1000 + "办理案件12件" + "字" * 2_000_000
    extraction = extractor(text, issuer="某某县公安局", year=2022)
    assert [(o.value, o.unit) for o in extraction.observations] == [(Decimal(12), "件")]
    assert any("structure" in w for w in extraction.warnings)


def test_a_part_on_problems_and_plans_gives_each_item_its_own_status(extractor: Extractor) -> None:
    text = ("某某县公安局2022年法治政府建设情况\n一、工作开展情况\n(一)加强领导。召开会议3次。\n(二)规范执法。办理案件9件。\n"
            "二、存在的问题及下一步打算\n(一)存在的问题。执法能力不足。\n(二)下一步工作计划。加强培训。\n")
    sections = extractor(text).sections
    assert [(s.title, s.status) for s in sections] == [("工作开展情况", "Done"), ("存在的问题及下一步打算", "Problem")]
    assert [(m.title, m.status) for m in sections[1].measures] == [("存在的问题", "Problem"), ("下一步工作计划", "Planned")]


def test_the_four_part_outline_of_the_national_template(extractor: Extractor) -> None:
    """主要举措和成效 / 第一责任人职责 / 存在的不足和原因 / 主要安排: the outline many bureaus follow."""
    text = (
        "某某县公安局2022年度法治政府建设情况报告\n2022年,某某县公安局坚持以习近平法治思想为指导。\n"
        "一、2022年推进法治政府建设的主要举措和成效\n(一)坚持党的领导。召开会议4次。\n(二)深化执法规范化建设。办结率97.7%。\n"
        "二、2022年度党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况\n讲授法治课2次。\n"
        "三、2022年推进法治政府建设存在的不足和原因\n一是执法理念有待更新。二是执法监督有待加强。\n"
        "四、2023年推进法治政府建设的主要安排\n1.加强执法队伍建设。组织培训10期。\n2.深化执法监督。\n")
    sections = extractor(text).sections
    assert [(s.title, s.status, len(s.measures)) for s in sections] == [
        ("2022年推进法治政府建设的主要举措和成效", "Done", 2),
        ("2022年度党政主要负责人履行推进法治建设第一责任人职责,加强法治政府建设的有关情况", "Done", 1),
        ("2022年推进法治政府建设存在的不足和原因", "Problem", 2),
        ("2023年推进法治政府建设的主要安排", "Planned", 2),
    ]
    assert [m.title for m in sections[2].measures] == ["执法理念有待更新", "执法监督有待加强"]


def test_closing_formula_and_signature_stay_out_of_the_last_measure(extractor: Extractor) -> None:
    text = ("某某县公安局2022年法治政府建设情况\n一、工作\n(一)加强领导。召开会议3次。\n(二)规范执法。办理案件9件。\n"
            "展望2023年,我局将持续深化法治公安建设:一是加强培训;二是强化监督。\n特此报告。\n某某县公安局\n2023年1月5日\n")
    extraction = extractor(text)
    last = extraction.sections[-1]
    assert (last.title, last.status, [m.title for m in last.measures]) == (
        "持续深化法治公安建设", "Planned", ["加强培训", "强化监督"])
    assert extraction.text[last.start:last.end].endswith("二是强化监督。")


def test_a_boxed_data_paragraph_is_no_part_of_the_last_measure(extractor: Extractor) -> None:
    text = ("某某县公安局2022年法治政府建设情况\n一、规范执法\n(一)加强监督。开展评查2次。\n(二)规范管理。入库财物90件。\n"
            "【执法数据】办理行政案件:320起;办理刑事案件:85起。\n二、服务群众\n(一)优化服务。办理证件300件。\n"
            "(二)加强宣传。开展宣传5场。\n")
    extraction = extractor(text)
    last = extraction.sections[0].measures[-1]
    assert extraction.text[last.start:last.end] == "(二)规范管理。入库财物90件。"
    measures = {str(o.value): o.measure for o in extraction.observations}
    assert [measures[v] for v in ("90", "320", "85", "300")] == ["1-2", None, None, "2-1"]


def test_a_closing_remark_after_enumerated_problems_is_no_problem(extractor: Extractor) -> None:
    text = ("某某县公安局2022年法治政府建设情况\n一、工作开展情况\n(一)加强领导。召开会议3次。\n(二)规范执法。办理案件9件。\n"
            "二、存在的问题\n一是执法能力有待提升,培训不够。二是信息化水平不高。\n对此,我局将逐项整改,切实加以解决。\n"
            "三、下一步工作计划\n(一)加强培训。\n(二)强化监督。\n")
    sections = extractor(text).sections
    assert [(m.title, m.status) for m in sections[1].measures] == [
        ("执法能力有待提升", "Problem"), ("信息化水平不高", "Problem")]


def test_a_one_sentence_closing_promise_is_no_plans_part(extractor: Extractor) -> None:
    """2024年,市局将继续…提供保障。 closes the report; a plans part has items or more to say."""
    text = ("某某市公安局2023年法治政府建设情况\n一、工作\n(一)加强领导。召开会议3次。\n(二)规范执法。办理案件9件。\n"
            "2024年,某某市公安局将继续以习近平法治思想为指引,为建设更高水平的法治某某提供坚强保障。\n某某市公安局\n2024年3月8日\n")
    sections = extractor(text).sections
    assert [(s.title, s.status) for s in sections] == [("工作", "Done")]

def test_a_report_in_parts_keeps_the_sections_of_its_first_part(extractor: Extractor) -> None:
    """第一部分 holds 一、二、 sections; 第二部分 (the shortfalls) and 第三部分 (the plans) hold only 1. 2.
    items: those parts are sections of their own."""
    text = ("某某州公安局2021年法治政府建设情况\n第一部分 主要工作\n一、强化法治引领\n1.健全领导体制。召开会议3次。\n"
            "2.抓实学法。组织学法6次。\n二、规范执法\n1.健全制度。出台制度4项。\n2.强化监督。评查案件90件。\n"
            "第二部分 存在的不足\n1.执法质量仍有短板。\n2.法治人才相对缺乏。\n第三部分 2022年工作安排\n"
            "1.深化法治建设。\n2.提升执法质量。\n")
    sections = extractor(text).sections
    assert [(s.ordinal, s.title, s.status, len(s.measures)) for s in sections] == [
        ("1", "强化法治引领", "Done", 2), ("2", "规范执法", "Done", 2), ("3", "存在的不足", "Problem", 2),
        ("4", "2022年工作安排", "Planned", 2)]

def test_paragraphs_opened_by_a_lead_sentence_are_the_measures(extractor: Extractor) -> None:
    """Sections whose paragraphs carry no numbers: each paragraph is a measure titled by its lead sentence
    (a marker met once inside one, 首先, enumerates nothing); 【一、…】 headings are sections."""
    text = ("某某市公安局关于2019年法治政府建设工作情况的报告\n一、加强组织领导\n"
            "坚持高位推动,压实主体责任。市局党委召开会议6次,首先明确责任分工。\n"
            "坚持学法用法,提升法治素养。组织学法12次。\n"
            "【二、规范执法行为】\n一是严格法制审核。审核案件300件。\n二是强化执法监督。评查案卷90卷。\n")
    sections = extractor(text).sections
    assert [(s.title, [m.title for m in s.measures]) for s in sections] == [
        ("加强组织领导", ["坚持高位推动,压实主体责任", "坚持学法用法,提升法治素养"]),
        ("规范执法行为", ["严格法制审核", "强化执法监督"])]

def test_a_plans_cue_that_only_announces_its_items_is_no_item(extractor: Extractor) -> None:
    text = ("某某市公安局2019年法治政府建设工作情况\n一、工作\n(一)加强领导。召开会议3次。\n(二)规范执法。办理案件9件。\n"
            "下步,我们将重点做好以下工作:\n一是持续深化扫黑除恶专项斗争。\n二是深入推进执法规范化建设。\n")
    plans = extractor(text).sections[-1]
    assert (plans.status, [m.title for m in plans.measures]) == ("Planned", ["持续深化扫黑除恶专项斗争", "深入推进执法规范化建设"])

def test_metadata_under_a_government_site_header(extractor: Extractor) -> None:
    """Page data before the title (索引号, 发布机构, 生成日期, 【打印】) is not the title, the date is read."""
    text = ("索引号:11330282002944375A/2023-12345\n发布机构:某某市公安局\n生成日期:2023-03-01\n【字体:大 中 小】【打印】\n"
            "某某市公安局2022年法治政府建设工作情况\n2022年,市公安局不断提升公安工作法治化水平。\n")
    meta = extractor(text).meta
    assert (meta.issuer, meta.year, meta.title, meta.published) == (
        "某某市公安局", 2022, "某某市公安局2022年法治政府建设工作情况", date(2023, 3, 1))
