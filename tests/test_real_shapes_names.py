"""Shapes of units, bodies and platforms that published reports use and our own golds rarely did (issue 12):
each test is a short text written for it, in the genre, never a real report's words."""

from __future__ import annotations

import pytest
from conftest import small_report

from policekg.extract import Extraction, Extractor


def _kinds(extraction: Extraction) -> dict[str, str]:
    """Every name and alias found, with its class."""
    return {n: e.kind for e in extraction.entities for n in {e.name, *e.aliases}}


def _names(extractor: Extractor, issuer: str, text: str) -> dict[str, str]:
    return _kinds(extractor(small_report(issuer, text)))


@pytest.mark.parametrize("text", [
    "全力保障派出所开展夜间巡逻。",
    "因地制宜制作派出所宣传展板。",
    "始终坚持分局党委统一领导。",
    "局长办公会议专题研究分局执法工作。",
    "党委会集中研究分局队伍建设。",
    "副局长王某兼任办公室主任。",
    "领导小组下设办公室,负责日常工作。",
    "有效支撑派出所基础工作。",
    "将线索推送至城南派出所处理。",
])
def test_the_verb_before_a_head_word_is_not_part_of_the_name(extractor: Extractor, text: str) -> None:
    """A verb or title before 派出所/分局/办公室 ends the text before the name; what is left is a bare head
    (a class or the issuer itself), which names nothing new."""
    names = _names(extractor, "青禾县公安局", text)
    glued = {n for n in names if n.endswith(("派出所", "分局", "办公室")) and n not in ("城南派出所",)}
    assert not glued, glued
    if "城南派出所" in text:
        assert names.get("城南派出所") == "PoliceUnit"


def test_leading_groups_committees_and_their_offices_are_no_units(extractor: Extractor) -> None:
    text = ("调整法治建设工作领导小组,领导小组办公室设在法制大队;县局执法监督管理委员会按月研判,"
            "配合县禁毒工作领导小组开展排查。")
    names = _names(extractor, "青禾县公安局", text)
    assert names.get("法制大队") == "PoliceUnit"
    assert not {n for n in names if n.endswith(("领导小组", "领导小组办公室", "管理委员会"))}, names


def test_short_centers_of_a_bureau_are_its_units(extractor: Extractor) -> None:
    """情指中心, 侦查中心 and 基础管控中心 are named after what they do, like 执法办案管理中心."""
    names = _names(extractor, "青禾市公安局", "推进情指中心、侦查中心、基础管控中心实体化运行。")
    assert {names.get(n) for n in ("情指中心", "侦查中心", "基础管控中心")} == {"PoliceUnit"}


def test_an_office_the_bureau_sets_up_is_its_unit_a_joint_one_is_not(extractor: Extractor) -> None:
    text = "成立涉企服务办公室,与县检察院联合设立侦查监督与协作配合办公室。"
    names = _names(extractor, "青禾县公安局", text)
    assert names.get("涉企服务办公室") == "PoliceUnit"
    assert names.get("侦查监督与协作配合办公室") == "GovernmentBody"


def test_a_counted_center_is_a_class_not_a_body(extractor: Extractor) -> None:
    names = _names(extractor, "青禾市公安局", "全市9个政务服务中心设立公安窗口,市政务服务中心实现一窗通办。")
    assert not {n for n in names if n == "政务服务中心"}
    assert any(n.endswith("政务服务中心") and n != "政务服务中心" for n in names)


def test_central_offices_as_issuers_but_not_inside_words(extractor: Extractor) -> None:
    """中办/国办 issue documents; 集中办理 and 全国办理 hold the same characters and name nobody."""
    text = "根据中办、国办印发的《关于加强法治建设的意见》,推行集中办理和全国办理。"
    names = _names(extractor, "青禾县公安局", text)
    assert names.get("中办") == "GovernmentBody" and names.get("国办") == "GovernmentBody"
    assert not {n for n in names if n in ("中办理", "国办理") or n.endswith("办理")}
    names = _names(extractor, "青禾县公安局", "刑事案件集中办案率达到九成,户籍业务实现全国办理。")
    assert "中办" not in names and "国办" not in names


def test_a_bare_bureau_of_justice_among_partners_and_universities(extractor: Extractor) -> None:
    text = ("会同县委政法委和司法局推进调解,邀请西川大学法学院、东岭理工大学专家授课,"
            "组织大学生志愿者和老年大学学员。")
    names = _names(extractor, "青禾县公安局", text)
    assert any(n.endswith("司法局") and names[n] == "GovernmentBody" for n in names)
    assert names.get("西川大学法学院") == "GovernmentBody" and names.get("东岭理工大学") == "GovernmentBody"
    assert not {n for n in names if n.endswith(("大学生", "老年大学"))}


def test_channels_named_bare_and_models_are_platforms(extractor: Extractor) -> None:
    text = ("依托公安内网和微信公众号推送学法资料,在大厅布设户政自助一体机,运用综合“一体机”办理证件,"
            "研发“清风”涉诈资金预警模型,引入AI大模型技术。")
    names = _names(extractor, "青禾县公安局", text)
    platforms = ("微信公众号", "户政自助一体机", "一体机", "涉诈资金预警模型")
    assert {names.get(n) for n in platforms} == {"Platform"}
    assert not {n for n in names if n.endswith("大模型") or n.startswith(("布设", "引入"))}, names


def test_a_quoted_brand_before_a_descriptor_leaves_the_descriptor_as_the_name(extractor: Extractor) -> None:
    """“X”+ descriptor + head: the descriptor names the platform and the brand is no program; a brand with
    a bare head (“青禾通”APP) stays the name; a brand and another platform joined by 和 are two."""
    text = ("上线“雏鹰”青少年违法犯罪预警管控平台,推广“青禾通”APP,用好“平安码”和大数据流调平台,"
            "建成“线上+线下”融合学习平台。")
    extraction = extractor(small_report("青禾县公安局", text))
    names = _kinds(extraction)
    assert names.get("青少年违法犯罪预警管控平台") == "Platform"
    assert names.get("融合学习平台") == "Platform" and names.get("大数据流调平台") == "Platform"
    assert names.get("青禾通") == "Platform"
    assert not {n for n in names if n in ("雏鹰", "线上+线下") or n.startswith("和")}, names


def test_use_before_the_head_word_is_part_of_the_name(extractor: Extractor) -> None:
    names = _names(extractor, "青禾县公安局", "建成智慧执法应用平台,应用执法办案系统办理案件。")
    assert names.get("智慧执法应用平台") == "Platform" and names.get("执法办案系统") == "Platform"


def test_the_issuer_named_in_full_only_inside_a_document_title(extractor: Extractor) -> None:
    """No title line; the body says 市公安局 and 我局, and the full name is only in 《…实施方案》."""
    text = ("2023年,市公安局坚持以法治思想为指导,在省公安厅指导下,我局制定《青禾市公安局营商环境提升行动"
            "实施方案》,推行首问负责制。")
    extraction = extractor(text)
    assert (extraction.meta.issuer, extraction.meta.year) == ("青禾市公安局", 2023)
    issuer = next(e for e in extraction.entities if e.name == "青禾市公安局")
    assert {"市公安局", "我局"} <= {m.text for m in issuer.mentions}


def test_the_issuer_without_its_city_is_the_issuer(extractor: Extractor) -> None:
    """天津市滨海新区公安局 writes itself 滨海新区公安局: one unit, not a second one."""
    text = "天津市滨海新区公安局2024年法治政府建设工作情况\n\n2024年,滨海新区公安局坚持依法行政。"
    units = [e for e in extractor(text).entities if e.kind == "PoliceUnit"]
    assert [u.name for u in units] == ["天津市滨海新区公安局"]


def test_a_long_platform_name_may_open_with_a_class_word(extractor: Extractor) -> None:
    text = "建成禁毒“青鸟”基层毒情研判应用平台,部分民警运用执法办案信息系统,基层平台运行平稳。"
    names = _names(extractor, "青禾县公安局", text)
    assert names.get("基层毒情研判应用平台") == "Platform" and names.get("执法办案信息系统") == "Platform"
    assert "基层平台" not in names and not {n for n in names if n.startswith("部分")}


def test_a_rule_of_law_office_named_in_full(extractor: Extractor) -> None:
    names = _names(extractor, "青禾县公安局", "配合依法治县办公室开展督察。")
    assert names.get("依法治县办公室") == "GovernmentBody" or any(
        n.endswith("依法治县办公室") and k == "GovernmentBody" for n, k in names.items())


def test_a_body_named_only_as_a_titles_author_is_no_body(extractor: Extractor) -> None:
    text = "落实《中共青禾县委全面依法治县委员会2023年工作要点》,配合县委政法委开展督察。"
    names = _names(extractor, "青禾县公安局", text)
    assert any(n.endswith("县委政法委") for n in names)
    assert not {n for n in names if n.endswith("委员会")}, names


def test_national_channels_and_a_government_website(extractor: Extractor) -> None:
    text = "通过学习强国、公安内网专栏组织学法,在县人民政府网站公开执法信息。"
    names = _names(extractor, "青禾县公安局", text)
    assert names.get("学习强国") == "Platform" and names.get("公安内网") == "Platform"
    assert any(n.endswith("人民政府网站") and k == "Platform" for n, k in names.items()), names
