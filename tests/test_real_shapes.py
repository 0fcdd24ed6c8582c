"""The shapes real reports name programs and laws in (issue 12), each on a short text written for the test.

The real development set (../shared/corpus/real) is scored by `policekg eval`; these texts are ours and
only mimic its shapes: unquoted programs by their head word, numbered formulations, quoted lists and
codes, one node for spellings that differ in dashes or a bracketed insertion, and laws inside events.
"""

from __future__ import annotations

import pytest
from conftest import small_report
from rdflib import RDF, RDFS, Literal

from policekg.extract import Extraction, Extractor
from policekg.extract.names.quotes import QuoteClassifier, find_quotes
from policekg.extract.patterns import load_patterns
from policekg.kg.rdf.iris import PK
from policekg.kg.rdf.triples import report_graph


def _kinds(extraction: Extraction) -> dict[str, str]:
    return {e.name: e.kind for e in extraction.entities}


def _programs(extractor: Extractor, text: str, issuer: str = "某某县公安局") -> set[str]:
    return {n for n, k in _kinds(extractor(small_report(issuer, text))).items() if k == "Program"}


def _quote_kinds(text: str) -> dict[str, str | None]:
    rules = load_patterns("entity_rules")
    quotes = find_quotes(text, rules["quote_pairs"], rules["ascii_quote"])
    return dict(zip((q.text for q in quotes), QuoteClassifier(rules).classify(text, quotes)))


def test_numbered_formulations_are_found_but_outcomes_people_and_periods_are_not() -> None:
    text = ("坚持“三个一”牵引,落实“两提速三减少”,做到“五个到位”,树立“三个优先”理念,实现“三降两升”,"
            "邀请“两代表一委员”,“十五五”期间,整治涉诈“两卡”,打造“三室联动”品牌")
    assert _quote_kinds(text) == {"三个一": "Formulation", "两提速三减少": "Formulation",
                                  "五个到位": "Formulation", "三个优先": "Formulation", "三降两升": None,
                                  "两代表一委员": None, "十五五": None, "两卡": None, "三室联动": "Program"}


def test_a_committees_code_is_a_program_but_a_hotline_is_not() -> None:
    text = "贯彻市委“2468”具体部署,落实“357”工作,拨打“12345”热线,开展“110”宣传日活动"
    assert _quote_kinds(text) == {"2468": "Program", "357": "Program", "12345": None, "110": None}


def test_quoted_lists_are_programs_unless_they_exhort_report_outcomes_or_qualify_a_noun() -> None:
    text = ("开展“访万户、解民忧、暖人心”活动,确保“事事有回应,件件有落实”,提醒群众“不转账、不汇款”,"
            "实现“刑事案件零发生、安全事故零发生”,设置“办不好”投诉窗口,开设“5×8小时”便民警务站,"
            "发挥“排头兵”作用,打造“学法讲堂篇”")
    assert _quote_kinds(text) == {"访万户、解民忧、暖人心": "Program", "事事有回应,件件有落实": "Program",
                                  "不转账、不汇款": None, "刑事案件零发生、安全事故零发生": None,
                                  "办不好": None, "5×8小时": None, "排头兵": None, "学法讲堂篇": None}


@pytest.mark.parametrize(("text", "program"), [
    ("组织全体民警参加执法资格等级考试,12人通过高级执法资格考试。", "执法资格等级考试"),
    ("鼓励民警报考国家统一法律职业资格考试。", "法律职业资格考试"),
    ("将案件质量纳入执法质量考评。", "执法质量考评"),
    ("扎实推进道路运输领域突出问题专项整治。", "道路运输领域突出问题专项整治"),
    ("每月举办青山警务大讲堂,落实周三集中学习日制度。", "青山警务大讲堂"),
    ("每月举办青山警务大讲堂,落实周三集中学习日制度。", "周三集中学习日"),
    ("健全打击治理跨境赌博工作联席会议制度。", "打击治理跨境赌博工作联席会议"),
    ("推动出入境证件办理服务改革落地。", "出入境证件办理服务改革"),
    ("开展商标权保护行动。", "商标权保护"),
])
def test_unquoted_programs_are_found_by_their_head_word(extractor: Extractor, text: str, program: str) -> None:
    assert program in _programs(extractor, text)


def test_a_count_or_a_generic_verb_before_the_head_names_no_program(extractor: Extractor) -> None:
    programs = _programs(extractor, "召开联席会议3次,开展三个专项整治,深化改革,持续推进专项整治。")
    assert not {p for p in programs if p.endswith(("联席会议", "专项整治", "改革"))}


def test_spellings_that_differ_in_dashes_or_an_insertion_are_one_node(extractor: Extractor) -> None:
    first = _kinds(extractor(small_report("某某县公安局", "贯彻《法治政府建设实施纲要(2021—2025年)》,推行一村(社区)一辅警。")))
    second = _kinds(extractor(small_report("某某市公安局", "贯彻《法治政府建设实施纲要(2021-2025)》,推行“一村一辅警”。")))
    assert first.get("法治政府建设实施纲要(2021-2025年)") == second.get("法治政府建设实施纲要(2021-2025年)") \
        == "PolicyDocument"
    assert first.get("一村一辅警") == second.get("一村一辅警") == "Program"


def test_a_different_period_stays_another_document(extractor: Extractor) -> None:
    names = _kinds(extractor(small_report("某某县公安局", "对照《某某规划(2016—2020年)》和《某某规划(2021—2025年)》。")))
    assert {"某某规划(2016-2020年)", "某某规划(2021-2025年)"} <= set(names)


def test_a_safe_place_campaign_names_a_place_and_a_direction_pair_names_no_linkage(extractor: Extractor) -> None:
    programs = _programs(extractor, "推进平安海曙建设和平安小区建设,做到上下贯通、左右衔接,深化警调衔接。", "宁波市公安局")
    assert "平安海曙建设" in programs and "警调衔接" in programs
    assert not {p for p in programs if "小区" in p or "左右" in p}


def test_a_program_named_inside_a_groups_name_is_no_mention_of_it(extractor: Extractor) -> None:
    programs = _programs(extractor, "成立执法质量考评领导小组。")
    assert "执法质量考评" not in programs
    assert "执法质量考评" in _programs(extractor, "成立执法质量考评领导小组,开展执法质量考评。")


def test_task_tables_named_rules_and_a_bureaus_yearly_opinions_are_policy_documents(extractor: Extractor) -> None:
    text = ("印发《某某县落实〈某某市法治建设规划(2021-2025年)〉任务分工表》和《夜间预约服务制》,"
            "制定某某县公安局2024年度深化执法监督实施意见。")
    names = _kinds(extractor(small_report("某某县公安局", text)))
    assert names.get("某某县落实〈某某市法治建设规划(2021-2025年)〉任务分工表") == "PolicyDocument"
    assert names.get("夜间预约服务制") == "PolicyDocument"
    assert any(n.endswith("深化执法监督实施意见") and k == "PolicyDocument" for n, k in names.items())


def test_formulations_are_their_own_class_and_a_kind_of_program(extractor: Extractor) -> None:
    text = "增强“四个意识”,落实“第一议题”制度,坚持“三个到位”,推行“一村一辅警”。"
    names = _kinds(extractor(small_report("某某县公安局", text)))
    assert names["四个意识"] == names["第一议题"] == names["三个到位"] == "Formulation"
    assert names["一村一辅警"] == "Program"


def test_a_formulation_is_typed_a_program_too_in_the_graph(extractor: Extractor) -> None:
    graph = report_graph(extractor(small_report("某某县公安局", "增强“四个意识”。")))
    node = graph.value(predicate=RDFS.label, object=Literal("四个意识", lang="zh"))
    assert {PK.Formulation, PK.Program} <= set(graph.objects(node, RDF.type))
