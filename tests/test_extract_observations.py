"""Reported figures: values, units, approximation, periods, measures, indicators and what is NOT a figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policekg.extract import Extraction, Extractor
from policekg.extract.model import Entity, Mention, Observation, ReportMeta

SHORT_REPORT = """某某县公安局2023年法治政府建设情况
一、加强执法培训
(一)抓实学法。全年办结各类矛盾纠纷1,203起,共开展培训十二次,组织学习三十余次,覆盖民警近500人。
落实“三项制度”,推进办案“一件事”改革,开展第一课,完成4.0版系统升级,历时3个月。
(二)强化监督。参考率、通过率均达100%,执法资格考试通过人数不少于20人,挽回损失1.26亿元。
"""


def _by_text(extraction: Extraction) -> dict[str, Observation]:
    return {o.mention.text: o for o in extraction.observations}


def _find(extraction: Extraction, value: str, unit: str) -> list[Observation]:
    return [o for o in extraction.observations if o.value == Decimal(value) and o.unit == unit]


def test_seed_values_multipliers_and_approximation(seed_extraction: Extraction) -> None:
    (total,) = _find(seed_extraction, "2500000", "件")
    assert (total.indicator, total.measure, total.approximate) == ("办理政务服务事项", "2-1", False)
    assert _find(seed_extraction, "259000", "件")[0].indicator == "政务服务2.0平台收件"
    (money,) = _find(seed_extraction, "22000000", "元")
    assert money.approximate and money.measure == "5-2"
    assert _find(seed_extraction, "10", "次")[0].approximate  # 学习10余次
    (share,) = _find(seed_extraction, "95", "%")
    assert share.approximate and share.mention.text.endswith("95%以上")
    assert _find(seed_extraction, "99.23", "%")[0].indicator == "移动办案深度应用率"


def test_seed_indicator_strips_time_and_counting_words(seed_extraction: Extraction) -> None:
    (disputes,) = _find(seed_extraction, "822", "起")
    assert (disputes.indicator, disputes.indicator_text) == ("disputes_resolved", "2022年共办结矛盾纠纷")
    assert disputes.canonical and disputes.label == "化解矛盾纠纷"
    assert disputes.measure == "4-1" and disputes.period == "2022"
    assert seed_extraction.text[disputes.mention.start:disputes.mention.end] == disputes.mention.text
    assert "822起" in disputes.mention.sentence


def test_seed_period_from_a_cutoff_date(seed_extraction: Extraction) -> None:
    (claimed,) = _find(seed_extraction, "764", "个")
    assert claimed.period == "2022-12-20"  # 截至2022年12月20日
    assert _find(seed_extraction, "21", "个")[0].period == "2022-12-20"  # 截至12月20日, report year


def test_a_planned_figure_is_for_next_year(extractor: Extractor) -> None:
    text = ("某某县公安局2023年法治政府建设情况\n一、工作情况\n(一)执法。办理案件9件。\n(二)监督。开展检查3次。\n"
            "二、2024年工作打算\n(一)加强培训。力争培训民警不少于200人。\n(二)深化监督。\n")
    periods = {(str(o.value), o.period, o.measure) for o in extractor(text).observations}
    assert periods == {("9", "2023", "1-1"), ("3", "2023", "1-2"), ("200", "2024", "2-1")}


def test_seed_one_figure_for_each_listed_item(seed_extraction: Extraction) -> None:
    tens = [o.indicator for o in _find(seed_extraction, "10", "份")]
    assert tens == ["隐患告知书", "整改通知书"]  # 隐患告知书和整改通知书各10份


def test_seed_counts_no_dates_versions_or_names(seed_extraction: Extraction) -> None:
    spans = [o.mention.text for o in seed_extraction.observations]
    assert not any(s in text for text in spans for s in ("三项制度", "八个多跨", "二十大", "12·4"))
    assert not _find(seed_extraction, "2", "%") and not _find(seed_extraction, "0", "件")
    assert all(o.measure for o in seed_extraction.observations)
    assert len(seed_extraction.observations) == 78


def test_chinese_numerals_thousands_and_listed_rates(extractor: Extractor) -> None:
    extraction = extractor(SHORT_REPORT)
    found = {(str(o.value), o.unit, o.bound, o.indicator) for o in extraction.observations}
    assert found == {
        ("1203", "起", "exact", "disputes_resolved"),
        ("12", "次", "exact", "training_sessions"),
        ("30", "次", "at_least", "组织学习"),  # 三十余次
        ("500", "人", "about", "覆盖民警"),  # 近500人
        ("100", "%", "exact", "参考率"),
        ("100", "%", "exact", "通过率"),
        ("20", "人", "at_least", "officers_passed_enforcement_exam"),  # 不少于20人
        ("126000000", "元", "exact", "money_recovered"),
    }
    assert all(o.approximate == (o.bound != "exact") for o in extraction.observations)
    assert {o.measure for o in extraction.observations} == {"1-1", "1-2"}
    assert {o.period for o in extraction.observations} == {"2023"}


def test_about_names_the_entities_in_the_figure_clause(extractor: Extractor) -> None:
    """`about` comes from the entities resolve_names put on the doc: run the component on such a doc."""
    text = "匡堰派出所通过警调衔接调处矛盾纠纷86件,慈溪市共有窗口3个。"
    doc = extractor.nlp.make_doc(text)
    doc._.meta, doc._.sections, doc._.warnings = ReportMeta("慈溪市公安局", 2022), [], []
    doc._.entities = [
        Entity("PoliceUnit", "匡堰派出所", "慈溪市公安局", mentions=[Mention(0, 5, "匡堰派出所", text)]),
        Entity("Program", "警调衔接", mentions=[Mention(7, 11, "警调衔接", text)]),
        Entity("Program", "警调", mentions=[Mention(7, 9, "警调", text)]),  # inside a longer name: not counted
        Entity("Place", "慈溪市", mentions=[Mention(22, 25, "慈溪市", text)]),
    ]
    observations = extractor.nlp.get_pipe("observations")(doc)._.observations
    assert [o.about for o in observations] == [["PoliceUnit:慈溪市公安局/匡堰派出所", "Program:警调衔接"], []]


def test_a_figure_opening_the_text_is_found(extractor: Extractor) -> None:
    extraction = extractor("12起案件全部办结。", issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit, o.indicator) for o in extraction.observations] == [("12", "起", "案件全部办结")]


def test_percentage_points_and_visit_counts_keep_their_compound_unit(extractor: Extractor) -> None:
    extraction = extractor("案件办结率提高5.2个百分点,检查企业30户次。", issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [("5.2", "个百分点"), ("30", "户次")]


def test_scores_and_hours_are_figures(extractor: Extractor) -> None:
    extraction = extractor("执法资格考试平均得分86.5分,刑事案件平均审核时长减少2.5小时,申请在24小时内答复。",
                           issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [("86.5", "分"), ("2.5", "小时"), ("24", "小时")]
    extraction = extractor("考核合格率提高4百分点。", issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [("4", "百分点")]  # not 4百 + 分


def test_compound_units_win_over_their_first_character(extractor: Extractor) -> None:
    """个工作日, 轮次, 大类 are units of their own (the longest spelling wins); 册 counts printed copies."""
    extraction = extractor("户籍业务办理时限由10个工作日压缩至3个工作日,全年开展执法检查3轮次,"
                           "梳理治安、交管等6大类事项,发放宣传手册2万册。", issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [
        ("10", "个工作日"), ("3", "个工作日"), ("3", "轮次"), ("6", "大类"), ("20000", "册")]


def test_minutes_trips_lessons_and_quarters_are_counted(extractor: Extractor) -> None:
    extraction = extractor("临时身份证明办理时间由15分钟缩短至2分钟,值乘列车2.6万趟次,推送微课86节,连续4个季度考评第一。",
                           issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [
        ("15", "分钟"), ("2", "分钟"), ("26000", "趟次"), ("86", "节"), ("4", "个季度")]


def test_aspects_have_one_unit_with_or_without_the_classifier(extractor: Extractor) -> None:
    extraction = extractor("围绕队伍、制度、保障等4个方面提出整改措施,明确巡逻防控等3方面职责。",
                           issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.unit) for o in extraction.observations] == [("4", "方面"), ("3", "方面")]


def test_labelled_figures_and_their_breakdown_in_parentheses(extractor: Extractor) -> None:
    """A data list (label:figure;…) is indicated by its labels; a figure in parentheses after another one
    breaks that one down and carries its indicator (信访:12件(办结11件 → 信访办结). A label that is only a
    fragment (信访 alone: two letters) names no figure of its own, but still carries its breakdown."""
    extraction = extractor("【执法数据】办理行政案件:320起;办理刑事案件:85起(同比上升4.5%);"
                           "信访:12件(办结11件、转办1件)。", issuer="某某县公安局", year=2022)
    assert [(str(o.value), o.indicator) for o in extraction.observations] == [
        ("320", "administrative_cases"), ("85", "办理刑事案件"), ("4.5", "办理刑事案件"),
        ("11", "信访办结"), ("1", "信访转办")]
    assert [o.change for o in extraction.observations] == [None, None, "up", None, None]


@pytest.mark.parametrize("text", [
    "2022年12月20日召开会议。", "第3条规定。", "政务服务2.0平台上线。", "推行“八个多跨制度”。",
    "印发《服务保障民营经济十条措施》。", "用时3个月完成。", "落实三项制度。", "每十万人发案率下降。",
    "开设7×24小时网上服务,窗口24小时值守。", "3分局民警到场,快速响应。", "③组织新录用民警参加培训。",
])
def test_things_that_are_not_figures(extractor: Extractor, text: str) -> None:
    assert extractor(text, issuer="某某县公安局", year=2022).observations == []


@pytest.mark.parametrize("numeral, value", [
    ("十二", 12), ("三百零五", 305), ("一万二千", 12000), ("万", 10000), ("一亿五千万", 150_000_000), ("二〇二二", 2022),
])
def test_chinese_numerals(numeral: str, value: int) -> None:
    from policekg.extract.text.numbers import chinese_to_int

    assert chinese_to_int(numeral) == value


#: A report written for these tests: a program in the phrase, bounds, a change and a target.
INDICATOR_REPORT = ("某某县公安局2023年法治政府建设情况\n一、工作情况\n(一)化解纠纷。全县累计通过警调衔接成功调处矛盾纠纷"
                    "1200余起,破获电信网络诈骗案件300起,同比下降12%,为群众挽回经济损失不到500万元,"
                    "培训民警近800人次。\n二、2024年工作打算\n(一)深化执法。力争行政复议案件办结率达到95%以上。\n")


def test_a_figure_gets_its_canonical_indicator_and_the_rest_of_its_phrase_goes_elsewhere(
        extractor: Extractor) -> None:
    """全县累计通过警调衔接成功调处矛盾纠纷1200余起: disputes resolved through 警调衔接 (narrower), at least
    1200, the place and 累计 as scope and qualifier, and the program it is about."""
    (disputes,) = _find(extractor(INDICATOR_REPORT), "1200", "起")
    assert (disputes.indicator, disputes.canonical, disputes.bound) == ("disputes_resolved/警调衔接", True, "at_least")
    assert (disputes.scope, disputes.qualifiers, disputes.about) == (("全县",), ("累计",), ["Program:警调衔接"])
    assert disputes.approximate and not disputes.target


def test_a_change_is_a_change_of_its_base_indicator_never_an_indicator_called_decline(
        extractor: Extractor) -> None:
    (decline,) = _find(extractor(INDICATOR_REPORT), "12", "%")
    assert (decline.change, decline.change_basis, decline.canonical) == ("down", "同比", True)
    assert decline.indicator == "fraud_cases_solved" and decline.indicator_text == "同比下降"


def test_bounds_at_most_and_about_and_a_target_in_a_plan(extractor: Extractor) -> None:
    extraction = extractor(INDICATOR_REPORT)
    (money,) = _find(extraction, "5000000", "元")
    (trained,) = _find(extraction, "800", "人次")
    (rate,) = _find(extraction, "95", "%")
    assert (money.indicator, money.bound, money.target) == ("money_recovered", "at_most", False)
    assert (trained.bound, trained.approximate) == ("about", True)
    assert (rate.bound, rate.target, rate.period) == ("at_least", True, "2024")
    assert not any(o.target for o in extraction.observations if o.measure == "1-1")


def test_no_figure_is_named_by_a_fragment(extractor: Extractor) -> None:
    """A bare 同比上升 after a figure, or 和 before one, is never what a figure counts."""
    text = "某某县公安局2023年工作\n一、执法\n(一)办案。受理治安案件和刑事案件共100起,同比上升5%,下降3起。\n"
    labels = {o.label for o in extractor(text).observations}
    assert labels and not labels & {"同比上升", "上升", "下降", "和", "共"}
