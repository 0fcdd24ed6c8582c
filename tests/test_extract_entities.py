"""Entities: what `entity_rules` finds and how `resolve_names` names it, on real reports and alone."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA, SEED_GOLD, small_report

from policekg.extract import Extraction, Extractor
from policekg.extract.model import Entity, Mention
from policekg.extract.names.abbreviations import Abbreviations
from policekg.extract.names.aliases import fold_aliases
from policekg.extract.names.issuer_context import issuer_context
from policekg.extract.names.lexicon import gazetteer, national_entries
from policekg.extract.names.overlaps import Candidate, resolve_overlaps
from policekg.extract.names.quotes import QuoteClassifier, find_quotes
from policekg.extract.names.unquoted import UnquotedText
from policekg.extract.patterns import finditer_near, load_patterns

WUHOU = DATA / "102_wuhou_district_2023"


@pytest.fixture(scope="module")
def wuhou(extractor: Extractor) -> Extraction:
    return extractor(WUHOU.with_suffix(".txt").read_text(encoding="utf-8"))


def _by_name(extraction: Extraction) -> dict[str, Entity]:
    return {e.name: e for e in extraction.entities}


def test_issuer_abbreviations_are_one_entity_named_after_the_issuer(seed_extraction: Extraction) -> None:
    issuer = _by_name(seed_extraction)["慈溪市公安局"]
    assert issuer.kind == "PoliceUnit" and issuer.parent is None
    assert {"市局", "市公安局", "我局"} <= issuer.aliases
    assert "市公安局" not in _by_name(seed_extraction)


def test_bodies_named_by_level_take_the_issuers_place(seed_extraction: Extraction, wuhou: Extraction) -> None:
    seed, district = _by_name(seed_extraction), _by_name(wuhou)
    assert "市检察院" in seed["慈溪市人民检察院"].aliases
    assert "市委网信办" in seed["中共慈溪市委网信办"].aliases
    assert "宁波市检察院" in seed["宁波市人民检察院"].aliases
    assert "省厅" in seed["浙江省公安厅"].aliases
    assert "区法院" in district["成都市武侯区人民法院"].aliases
    assert "区委" in district["中共成都市武侯区委"].aliases
    assert "市公安局" in district["成都市公安局"].aliases  # for a 分局, 市公安局 is its parent bureau
    assert {"分局", "武侯区分局"} <= district["成都市公安局武侯区分局"].aliases


def test_local_units_hang_under_the_issuer(seed_extraction: Extraction) -> None:
    station = _by_name(seed_extraction)["观海卫中心派出所"]
    assert station.parent == "慈溪市公安局"
    assert station.key == "PoliceUnit:慈溪市公安局/观海卫中心派出所"
    assert _by_name(seed_extraction)["宁波市公安局"].parent is None


def test_longest_match_wins(seed_extraction: Extraction) -> None:
    text = seed_extraction.text
    law = _by_name(seed_extraction)["网络安全法"]
    assert all(text[m.end] != "治" for m in law.mentions)  # 网络安全法治教育 is no mention of the law
    assert "市公安局" not in {m.text for e in seed_extraction.entities for m in e.mentions
                             if text[m.start - 2:m.start] == "宁波"}


def test_programs_get_one_canonical_name_and_quoted_words_are_not_programs(
        seed_extraction: Extraction, wuhou: Extraction) -> None:
    for extraction, gold_path in ((seed_extraction, SEED_GOLD), (wuhou, WUHOU.with_suffix(".gold.json"))):
        programs = {e.name for e in extraction.entities if e.kind == "Program"}
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert not programs & set(gold["not_programs"])
    seed = _by_name(seed_extraction)
    assert "“一村一辅警”" not in seed and seed["一村一辅警"].kind == "Program"
    assert {"三项制度", "八个多跨制度", "枫桥经验", "警调衔接"} <= set(seed)
    assert {"无证件(证明)办事", "无证件(证明)办事之城", "无证办"} <= seed["无证件办事"].aliases


def test_platforms_and_legal_instruments(seed_extraction: Extraction) -> None:
    seed = _by_name(seed_extraction)
    assert seed["浙里办"].kind == "Platform" and seed["国家反诈中心APP"].kind == "Platform"
    assert {"共享平台", "共享核查平台"} <= seed["宁波电子证明共享核查平台"].aliases
    assert "慈溪市政务办微信公众号" in seed
    assert seed["信访工作条例"].kind == "Regulation"
    assert seed["宁波市公安行政执法领域适用首违不罚实施办法(试行)"].kind == "PolicyDocument"
    assert "听“老板”的话也被骗" not in seed and "习近平法治思想学习纲要" not in seed


def test_every_mention_points_at_its_text_and_sentence(seed_extraction: Extraction, wuhou: Extraction) -> None:
    for extraction in (seed_extraction, wuhou):
        for entity in extraction.entities:
            assert entity.mentions, entity.key
            for m in entity.mentions:
                assert extraction.text[m.start:m.end] == m.text
                assert m.text in m.sentence and m.text in entity.aliases


def test_another_province_resolves_from_its_own_issuer(extractor: Extractor) -> None:
    text = ("2021年,我县公安工作在县委、县政府和省厅的领导下推进。(一)深化警调衔接。会同县司法局在"
            "城关派出所设立调解室,依托“渝快办”平台办理业务,落实《中华人民共和国治安管理处罚法》。")
    extraction = extractor(text, issuer="巫山县公安局", year=2021)
    names = _by_name(extraction)
    assert names["重庆市公安厅"].aliases == {"省厅"}  # 巫山县 lies in 重庆市 (gazetteer), never hard-coded
    assert names["巫山县司法局"].kind == "GovernmentBody"
    assert names["城关派出所"].parent == "巫山县公安局"
    assert names["巫山县"].aliases == {"我县"}
    assert names["治安管理处罚法"].kind == "Law" and names["渝快办"].kind == "Platform"


# -- the pure parts, alone ----------------------------------------------------------------------


def test_overlaps_keep_the_longest_within_a_family_and_nest_across_families() -> None:
    bureau = Candidate(0, 6, "PoliceUnit", "pattern")
    alias = Candidate(2, 6, "PoliceUnit", "pattern")
    place = Candidate(0, 3, "Place", "lexicon", "宁波市")
    nested_program = Candidate(1, 4, "Program", "pattern")
    quoted_program = Candidate(1, 4, "Program", "quote", quoted=True)
    assert resolve_overlaps([alias, bureau, place, nested_program]) == [place, bureau]
    assert quoted_program in resolve_overlaps([bureau, quoted_program])


def _quote_kinds(text: str) -> dict[str, str | None]:
    """What the quote classifier calls each quoted phrase of `text`."""
    rules = load_patterns("entity_rules")
    quotes = find_quotes(text, rules["quote_pairs"], rules["ascii_quote"])
    return dict(zip((q.text for q in quotes), QuoteClassifier(rules).classify(text, quotes)))


def test_quote_classifier_reads_the_phrase_and_what_follows() -> None:
    text = ("推行“一村一辅警”工作机制,“清零”隐患,“涉疫”类案件,实现“双下降”,“甬商”“慈商”品牌,"
            "2022年“12·4”国家宪法日,推广“浙里办”APP,接入\"天府通办\"和\"蓉易办\"平台,“净网”专项行动,“一站式”办案,"
            "增强“四个意识”,落实“两个维护”,“八个多跨制度”")
    kinds = _quote_kinds(text)
    assert kinds == {"一村一辅警": "Program", "清零": None, "涉疫": None, "双下降": None, "甬商": None,
                     "慈商": None, "12·4": None, "浙里办": "Platform", "天府通办": "Platform",
                     "蓉易办": "Platform", "净网": "Program", "一站式": None, "四个意识": "Formulation",
                     "两个维护": "Formulation",
                     "八个多跨制度": "Program"}


def test_abbreviations_follow_the_issuers_level() -> None:
    ctx = issuer_context("隆德县公安局", gazetteer())
    abbr = Abbreviations(ctx, gazetteer())
    assert (ctx.prefecture, ctx.province) == ("固原市", "宁夏回族自治区")
    assert abbr.police("县局") == ("隆德县公安局", None)
    assert abbr.police("市局") == ("固原市公安局", None)
    assert abbr.police("省厅") == ("宁夏回族自治区公安厅", None)
    assert abbr.body("县政协") == "政协隆德县委员会"
    assert abbr.body("人大常委会") == "隆德县人民代表大会常务委员会"
    assert abbr.body("县委政法委") == "中共隆德县委政法委"


def test_folding_merges_abbreviations_but_not_sibling_units() -> None:
    def unit(name: str) -> Entity:
        return Entity("PoliceUnit", name, parent="某县公安局", aliases={name}, mentions=[Mention(0, 1, "x", "x")])

    folded = {e.name: e.aliases for e in fold_aliases(
        [unit("执法办案管理中心"), unit("执法办案管理分中心"), unit("办案中心"), unit("执法办案管理(分)中心"),
         unit("执法办案管理主中心"), unit("执法办案管理标准化主中心")])}
    assert folded == {"执法办案管理中心": {"执法办案管理中心", "办案中心", "执法办案管理(分)中心"},
                      "执法办案管理分中心": {"执法办案管理分中心"},
                      "执法办案管理主中心": {"执法办案管理主中心", "执法办案管理标准化主中心"}}


def test_national_lexicon_holds_no_local_names() -> None:
    names = {s for e in national_entries() for s in e.spellings}
    assert not names & {"老励工作室", "平安慈溪", "周巷派出所", "一村一辅警", "阿拉警察", "武侯警察讲堂"}


def test_traditional_script_is_reported_not_guessed(extractor: Extractor) -> None:
    extraction = extractor((DATA / "bad" / "traditional_chars.txt").read_text(encoding="utf-8"))
    assert any("traditional characters" in w for w in extraction.warnings)
    seed_like = extractor("慈溪市公安局2022年法治政府建设工作情况\n\n2022年,市局推行“一村一辅警”工作机制。")
    assert not any("traditional" in w for w in seed_like.warnings)


def test_markup_in_quotes_names_no_program(extractor: Extractor) -> None:
    extraction = extractor((DATA / "hostile" / "report_with_markup.txt").read_text(encoding="utf-8"))
    programs = {e.name for e in extraction.entities if e.kind == "Program"}
    assert programs == {"一村一辅警"}


def test_a_branch_named_without_its_district_suffix(extractor: Extractor) -> None:
    text = ("南京市公安局玄武分局2023年法治政府建设工作报告\n\n2023年,玄武分局在区委和市公安局领导下工作。"
            "(一)优化服务。会同区市场监管局开展“净网2023”专项行动,孝陵卫派出所打造“老王调解室”品牌。")
    names = _by_name(extractor(text))
    assert {"玄武分局"} <= names["南京市公安局玄武分局"].aliases
    assert "区委" in names["中共南京市玄武区委"].aliases
    assert "市公安局" in names["南京市公安局"].aliases
    assert "区市场监管局" in names["南京市玄武区市场监督管理局"].aliases  # one node whatever the spelling
    assert names["净网"].kind == "Program"  # this year's edition of one campaign
    assert names["老王调解室"].kind == "Program"
    assert names["孝陵卫派出所"].parent == "南京市公安局玄武分局"


def test_departments_accounts_and_joined_platforms(extractor: Extractor) -> None:
    text = ("临安县公安局2021年法治政府建设情况\n\n一、主要工作\n\n一是强化监督。县公安局指挥中心整合110接处警系统和"
            "视频监控平台。看守所、户政科落实制度。二是便民服务。依托公安部“互联网+可信身份认证平台”和微信公众号"
            "“平安临安”办理业务,实现辖区“零发案”,做到“两降一升”。")
    names = _by_name(extractor(text))
    assert {"110接处警系统", "视频监控平台", "互联网+可信身份认证平台"} <= set(names)
    assert names["平安临安"].kind == "Platform"
    assert names["看守所"].parent == names["户政科"].parent == "临安县公安局"
    assert not {"零发案", "两降一升"} & set(names)


def test_abbreviations_without_a_known_place_are_kept_and_reported(extractor: Extractor) -> None:
    extraction = extractor("2022年,市局联合市检察院和省厅开展工作。", issuer="某某公安局", year=2022)
    assert {"市局", "市检察院", "省厅"} <= set(_by_name(extraction))
    assert any("市检察院" in w and "某某公安局" in w for w in extraction.warnings)


def test_a_provincial_department_reports_on_itself(extractor: Extractor) -> None:
    text = ("广东省公安厅2022年法治政府建设年度报告\n\n2022年,省公安厅在省委、省政府和公安部的领导下推进工作。\n\n"
            "一、推进服务\n\n(一)推进便民服务。在“粤省事”“粤商通”上线服务事项,推广“粤居码”应用。"
            "省厅法制总队指导广州市公安局开展执法监督。")
    names = _by_name(extractor(text))
    assert {"省公安厅", "省厅"} <= names["广东省公安厅"].aliases
    assert names["中共广东省委"].kind == "GovernmentBody"
    assert {names[n].kind for n in ("粤省事", "粤商通", "粤居码")} == {"Platform"}
    assert names["法制总队"].parent == "广东省公安厅" and names["广州市公安局"].parent is None


def test_the_joint_discipline_commission_is_one_body(extractor: Extractor) -> None:
    names = _by_name(extractor(small_report("南宁市公安局青秀分局", "配合区纪委监委查处违纪问题,市纪委监委派员督导。")))
    assert names["南宁市青秀区纪委监委"].kind == names["南宁市纪委监委"].kind == "GovernmentBody"
    assert not {"南宁市青秀区纪委", "南宁市纪委"} & set(names)


def test_departments_named_by_several_fields(extractor: Extractor) -> None:
    text = "会同区农业农村和水利局开展整治,市数字政务服务管理局窗口前移,区人力资源和社会保障局大楼启用,超市管理办无关。"
    names = _by_name(extractor(small_report("肇庆市公安局端州分局", text)))
    assert {"肇庆市端州区农业农村和水利局", "肇庆市数字政务服务管理局", "肇庆市端州区人力资源和社会保障局"} <= set(names)
    assert not any(n.endswith("管理办") for n in names)  # generic words alone name no department


def test_program_shapes_keep_their_qualifier_and_need_a_place_before_experience(extractor: Extractor) -> None:
    text = ("深化警检双向衔接,总结信访接待室经验和处置经验,推广浦江经验,推进反向衔接。")
    programs = {e.name for e in extractor(small_report("湛江市公安局", text)).entities if e.kind == "Program"}
    assert programs == {"警检双向衔接", "浦江经验"}


def test_numbered_legal_education_plans_and_national_programs(extractor: Extractor) -> None:
    text = "总结“六五”普法成效,回顾五五普法,深化智慧警务,推行“不见面审批”,开展“不打、不骂、不体罚”教育。"
    programs = {e.name for e in extractor(small_report("潍坊市公安局", text)).entities if e.kind == "Program"}
    assert programs == {"六五普法", "五五普法", "智慧警务", "不见面审批"}


def test_accounts_and_apps_used_as_tools_are_platforms_not_programs() -> None:
    text = ("运营“潍城警事”头条号和“鸢都警方”微博,借助“警企通”上传材料,依托“警格连心”机制走访群众,"
            "通过“e路护航”预约办理。")
    kinds = _quote_kinds(text)
    assert kinds == {"潍城警事": "Platform", "鸢都警方": "Platform", "警企通": "Platform", "警格连心": "Program",
                     "e路护航": "Platform"}


def test_slogan_lists_are_programs_but_named_days_and_people_are_not() -> None:
    text = ("倡导“快受理、快审核、快办结”,开展“法治宣传日”和“中国人民警察节”活动,“护苗护学”专项行动,“宪法宣传周”,"
            "评选“办案能手”")
    kinds = _quote_kinds(text)
    assert kinds == {"快受理、快审核、快办结": "Program", "法治宣传日": None, "中国人民警察节": None,
                     "护苗护学": "Program", "宪法宣传周": "Program", "办案能手": None}


def test_counted_or_merely_described_units_name_a_class(extractor: Extractor) -> None:
    text = "在车站增设流动警务站,设置临时执勤点,组建便民服务中队3支,中心城区建成治安卡口警务站6个,新港警务站投入使用。"
    units = {e.name for e in extractor(small_report("烟台市公安局", text)).entities if e.kind == "PoliceUnit"}
    assert units == {"烟台市公安局", "新港警务站"}


def test_streets_squares_and_scenic_areas_are_places_but_kinds_of_them_are_not(extractor: Extractor) -> None:
    text = "在泉城广场、芙蓉街步行街和千佛山景区开展巡逻,民警穿行大街小巷,守护旅游景区和城市广场。"
    places = {e.name for e in extractor(small_report("济南市公安局", text)).entities if e.kind == "Place"}
    assert {"泉城广场", "芙蓉街步行街", "千佛山景区"} <= places
    assert not {p for p in places if p.endswith(("小巷", "大街", "旅游景区", "城市广场"))}


def test_a_law_named_inside_an_event_or_a_book_is_no_citation_of_it(extractor: Extractor) -> None:
    text = ("组织民警参加宪法宣誓,承办全省禁毒法宣传月,开展“宪法进万家”和“法润鸢都”主题宣传月活动,"
            "在国家宪法日举办“宪法与潍坊”展览,发放《道路交通安全法释义与实务》,依据道路交通安全法查处违法。")
    names = _by_name(extractor(small_report("潍坊市公安局", text)))
    assert [m.text for m in names["宪法"].mentions] == ["宪法"]  # the oath; not the day, the fair or the show
    assert "禁毒法" not in names and names["禁毒法宣传月"].kind == "Program"
    assert [m.text for m in names["道路交通安全法"].mentions] == ["道路交通安全法"]  # not inside the book
    assert "主题宣传月" not in names and not any("释义" in n for n in names)


def test_a_district_body_in_a_sentence_about_a_branch_is_the_branchs_district(extractor: Extractor) -> None:
    text = "荔湾区分局联合区市场监督管理局整治市场秩序。区市场监督管理局另有部署。"
    names = _by_name(extractor(small_report("广州市公安局", text)))
    assert names["广州市荔湾区市场监督管理局"].mentions[0].text == "区市场监督管理局"
    assert len(names["区市场监督管理局"].mentions) == 1  # elsewhere the city's report cannot tell which district


def test_a_chain_of_quoted_platforms_before_one_head_is_several_platforms(extractor: Extractor) -> None:
    text = "依托“鲁通码”“爱山东”平台和“山东通”系统办理业务。"
    platforms = {e.name for e in extractor(small_report("临沂市公安局", text)).entities if e.kind == "Platform"}
    assert platforms == {"鲁通码", "爱山东", "山东通"}


def test_a_quoted_account_is_named_by_its_quoted_part(extractor: Extractor) -> None:
    text = "运营“警务姑苏”视频号和“平安吴中”微信公众号,开通“苏警通”小程序。"
    names = _by_name(extractor(small_report("苏州市公安局", text)))
    assert {n for n, e in names.items() if e.kind == "Platform"} == {"警务姑苏", "平安吴中", "苏警通"}
    assert {m.text for m in names["平安吴中"].mentions} == {"“平安吴中”微信公众号"}


def test_a_conjunction_after_a_head_word_joins_two_names(extractor: Extractor) -> None:
    text = "借助“法治常州”视频号及国家反诈中心APP宣传,升级案件管理中心与涉案财物管理系统,行政执法和刑事司法衔接平台上线。"
    names = _by_name(extractor(small_report("常州市公安局", text)))
    assert names["国家反诈中心"].kind == "GovernmentBody" and "案件管理中心" in names
    assert {"法治常州", "国家反诈中心APP", "涉案财物管理系统", "行政执法和刑事司法衔接平台"} <= set(names)
    assert not any("和" in n or "与" in n or "及" in n for n in names if not n.startswith("行政执法和"))


def test_the_rule_of_law_commission_office_is_named_whole(extractor: Extractor) -> None:
    text = "按照县委全面依法治县委员会办公室部署自查,向全面依法治县委员会报送台账。"
    names = _by_name(extractor(small_report("凤冈县公安局", text)))
    bodies = {n for n, e in names.items() if e.kind == "GovernmentBody"}
    assert {"中共凤冈县委全面依法治县委员会办公室", "全面依法治县委员会"} <= bodies
    assert not any(n.startswith("治县") for n in names)


def test_units_named_for_every_county_or_district_are_a_class(extractor: Extractor) -> None:
    text = "督促各县区公安局整改,组织各市县公安分局和全市派出所自查,县区公安局上报台账,桥西派出所通报。"
    units = {e.name for e in extractor(small_report("邢台市公安局", text)).entities if e.kind == "PoliceUnit"}
    assert units == {"邢台市公安局", "桥西派出所"}


def test_unquoted_campaigns_outreach_and_penalty_lists(extractor: Extractor) -> None:
    text = ("部署春季道路交通秩序集中整治行动和禁毒宣传进校园活动,组织开展专项行动,健全侦查监督与协作配合机制,"
            "出台市场主体轻微违法行为免罚清单,落实普法责任清单,完善工作机制,重拳打击行动持续。")
    names = _by_name(extractor(small_report("绵阳市公安局", text)))
    programs = {n for n, e in names.items() if e.kind == "Program"}
    # the head 行动 is not part of the name (“断卡”行动 → 断卡); not 重拳打击行动
    assert programs == {"春季道路交通秩序集中整治", "禁毒宣传进校园", "侦查监督与协作配合机制"}
    assert {n for n, e in names.items() if e.kind == "PolicyDocument"} == {"市场主体轻微违法行为免罚清单"}


def test_a_body_named_right_before_an_office_is_its_owner(extractor: Extractor) -> None:
    text = "会同区检察院侦查监督与协作配合办公室研判案件。"
    names = _by_name(extractor(small_report("绵阳市公安局涪城区分局", text)))
    assert names["侦查监督与协作配合办公室"].kind == names["绵阳市涪城区人民检察院"].kind == "GovernmentBody"


def test_finditer_near_finds_what_finditer_finds() -> None:
    """Trying only the starts near the required word loses no match and adds none, with several
    occurrences, overlapping candidates, a word inside a match and one near no match."""
    regex = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,4}\+[\u4e00-\u9fff]{2,4})(?=工作|模式|机制)")
    text = "推进互联网+政务服务工作,中心+派出所+社区模式;+号;打造“警务+网格”机制,再到警务+网格+调解机制。"
    assert [m.span() for m in finditer_near(regex, text, "+", 4)] == [m.span() for m in regex.finditer(text)]
    assert len(list(regex.finditer(text))) >= 3


def test_plain_style_programs_without_quotes(extractor: Extractor) -> None:
    """A county report that quotes nothing: campaigns lose their head 专项行动/行动 (a duration stays),
    one-X-one-Y names of any length, and police-and-partner mechanisms (警X联Y)."""
    text = ("扎实开展冬季治安清查整治行动,深入推进打击跨境赌博专项行动,全面推行执法规范化建设三年行动。"
            "在全县推行一村一法律顾问制度,实现一校一警全覆盖,完善警医联动机制,推进警银联防。")
    programs = {n for n, e in _by_name(extractor(small_report("永登县公安局", text))).items() if e.kind == "Program"}
    assert {"冬季治安清查整治", "打击跨境赌博", "执法规范化建设三年行动", "一村一法律顾问", "一校一警",
            "警医联动", "警银联防"} <= programs
    assert not {p for p in programs if p.endswith("专项行动")}


def test_units_named_inside_units_and_no_leading_groups(extractor: Extractor) -> None:
    """交警大队车管中队 is two units, the second part of the first; a 警务室 under its station; a leading
    group, its office and the bureau's own committee are no unit (the real set leaves them out), whoever
    owns them."""
    text = ("交警大队车管中队推行预约服务,城关派出所东街社区警务室开展走访。成立网络安全工作领导小组,"
            "领导小组下设办公室,配合县扫黑除恶专项斗争领导小组开展督导,局执法监督管理委员会每月开会。")
    extraction = extractor(small_report("永登县公安局", text))
    units = {e.name: e for e in extraction.entities if e.kind == "PoliceUnit"}
    assert {"交警大队", "车管中队", "城关派出所", "东街社区警务室"} <= set(units)
    assert units["车管中队"].parent == "永登县公安局"
    parts = {(r.subject, r.object) for r in extraction.relations if r.predicate == "partOf"}
    assert (units["车管中队"].key, units["交警大队"].key) in parts
    assert (units["东街社区警务室"].key, units["城关派出所"].key) in parts
    named = {e.name for e in extraction.entities}
    assert not {n for n in named if n.endswith(("领导小组", "办公室", "委员会"))}, named


def test_courts_tribunals_street_offices_and_two_bodies_in_a_row(extractor: Extractor) -> None:
    text = "会同甘肃省高级人民法院、红城人民法庭、城关街道办事处和县司法局城关司法所开展联合调解。"
    bodies = {e.name for e in extractor(small_report("永登县公安局", text)).entities if e.kind == "GovernmentBody"}
    assert {"甘肃省高级人民法院", "红城人民法庭", "城关街道办事处", "城关司法所"} <= bodies
    assert not {b for b in bodies if "司法局城关" in b}


def test_laws_listed_together_and_unquoted_bureau_plans(extractor: Extractor) -> None:
    text = ("依据禁毒法和甘肃省禁毒条例开展整治,严格执行户口登记条例,"
            "制定永登县公安局2023年法治建设工作要点和考核办法。")
    legal = {e.name: e.kind for e in extractor(small_report("永登县公安局", text)).entities
             if e.kind in ("Law", "Regulation", "PolicyDocument")}
    assert legal == {"禁毒法": "Law", "甘肃省禁毒条例": "Regulation", "户口登记条例": "Regulation",
                     "永登县公安局2023年法治建设工作要点": "PolicyDocument"}


def test_websites_and_unquoted_accounts_are_platforms_named_by_their_account(extractor: Extractor) -> None:
    text = "通过永登县人民政府网站和永登公安微信公众号公开执法信息,依托兰州网上办事大厅办理业务。"
    platforms = {e.name: e for e in extractor(small_report("永登县公安局", text)).entities if e.kind == "Platform"}
    assert {"永登县人民政府网站", "永登公安", "兰州网上办事大厅"} <= set(platforms)
    assert "永登公安微信公众号" in platforms["永登公安"].aliases


def test_periods_service_slogans_and_honours_in_quotes_are_not_programs(extractor: Extractor) -> None:
    text = ("“十四五”期间,推动政务服务事项“掌上办”“就近办”,推行“无证办”,城关派出所被命名为“全省公安机关执法示范单位”,"
            "深化警调对接。")
    programs = {n for n, e in _by_name(extractor(small_report("永登县公安局", text))).items() if e.kind == "Program"}
    assert not programs & {"十四五", "掌上办", "就近办", "全省公安机关执法示范单位"}
    assert {"警调对接"} <= programs and any("无证办" in p for p in programs)


def test_unquoted_text_maps_hits_back_across_quote_marks() -> None:
    text = "推行办案“一件事”改革,办案一件事覆盖全市,\"办案一件事\"再提速。"
    hits = list(UnquotedText(text).find_all("办案一件事"))
    assert [text[a:b] for a, b in hits] == ["办案“一件事", "办案一件事", "办案一件事"]


def test_an_account_is_no_abbreviation_and_a_branchs_station_names_its_branch(extractor: Extractor) -> None:
    text = ("依托甘肃省公共安全视频图像信息共享平台,通过“甘肃公安”微信公众号发布信息,推进政法跨部门大数据办案平台建设。"
            "兰州市公安局城关分局东岗派出所打造“老马调解室”,市级各部门共享数据。")
    extraction = extractor(small_report("甘肃省公安厅", text))
    by_name = _by_name(extraction)
    assert {"甘肃公安", "甘肃省公共安全视频图像信息共享平台", "政法跨部门大数据办案平台"} <= set(by_name)
    assert by_name["东岗派出所"].parent == "兰州市公安局城关分局"
    assert "兰州市公安局城关分局" in by_name


def test_a_fourth_blind_sets_patterns(extractor: Extractor) -> None:
    """Campaigns named with 行动, an autonomous region's department, a WeChat mini program, a known app
    with a generic head, a class of stations, and a conjunction right after a verb."""
    text = ("深入开展清源断流行动和断卡行动,对接自治区公安厅执法质量智能评查系统,开发“玉林公安”微信小程序,"
            "接入智桂通平台,在每个派出所配备法制员,实现与县局执法办案管理中心视频联网。")
    names = _by_name(extractor(small_report("容县公安局", text)))
    assert {"清源断流", "断卡"} <= {n for n, e in names.items() if e.kind == "Program"}
    assert names["广西壮族自治区公安厅"].kind == "PoliceUnit"
    assert {"玉林公安", "自治区公安厅执法质量智能评查系统", "智桂通"} <= {n for n, e in names.items() if e.kind == "Platform"}
    units = {n for n, e in names.items() if e.kind == "PoliceUnit"}
    assert "执法办案管理中心" in units and not {u for u in units if u.startswith(("每个", "与"))}


def test_rooms_branded_with_a_familiar_name_are_programs_kinds_of_room_are_not(extractor: Extractor) -> None:
    text = "城关派出所老马说事调解室化解纠纷,红城派出所设立兰姐调解室,各派出所均建成人民调解室和矛盾纠纷调解室。"
    programs = {n for n, e in _by_name(extractor(small_report("永登县公安局", text))).items() if e.kind == "Program"}
    assert {"老马说事调解室", "兰姐调解室"} <= programs
    assert not programs & {"人民调解室", "矛盾纠纷调解室"}


def test_banners_leagues_and_autonomous_prefectures_name_their_bodies(extractor: Extractor) -> None:
    """旗 is a county's level word, 州 and 盟 a prefecture's: 旗局, 旗委, 州中级人民法院 and 盟公安局 resolve
    like 县局, 县委, 市中级人民法院 and 市公安局; a 州 that ends a city's name (温州市) is no level."""
    banner = _by_name(extractor(small_report(
        "科尔沁右翼前旗公安局", "旗局联合旗人民法院、旗司法局,在旗委领导下,会同温州市公安局,走访额尔敦苏木。")))
    assert "科尔沁右翼前旗公安局" in banner and "温州市公安局" in banner
    assert {"科尔沁右翼前旗人民法院", "科尔沁右翼前旗司法局", "中共科尔沁右翼前旗委"} <= set(banner)
    assert banner["额尔敦苏木"].kind == "Place"
    prefecture = _by_name(extractor(small_report("甘孜藏族自治州公安局", "州局会同州中级人民法院、州人民检察院开展调解。")))
    assert {"甘孜藏族自治州中级人民法院", "甘孜藏族自治州人民检察院"} <= set(prefecture)


def test_township_classes_and_the_issuers_own_platforms(extractor: Extractor) -> None:
    """偏远乡镇派出所 and 苏木镇派出所 are classes; 市局门户网站 is the issuer's (one node per city),
    省厅执法办案系统 the province's."""
    text = "少数偏远乡镇派出所警力不足,苏木镇派出所着力解决用房问题。通过市局门户网站公开信息,依托省厅执法办案系统办案。"
    extraction = extractor(small_report("梧州市公安局", text))
    names = _by_name(extraction)
    assert not {n for n, e in names.items() if e.kind == "PoliceUnit" and n.endswith("派出所")}
    assert {"梧州市公安局门户网站", "省厅执法办案系统"} <= {n for n, e in names.items() if e.kind == "Platform"}


def test_special_courts_township_centres_and_phone_apps(extractor: Extractor) -> None:
    text = ("会同柳州铁路运输法院、县社会治安综合治理中心开展调解,依托交管12123手机APP和“平和公安”微信视频号发布信息,"
            "嫌疑人进入办案中心后,任一车站派出所均可受理。")
    names = _by_name(extractor(small_report("平和县公安局", text)))
    assert names["柳州铁路运输法院"].kind == "GovernmentBody"
    assert names["平和县社会治安综合治理中心"].kind == "GovernmentBody"
    assert {"交管12123", "平和公安"} <= {n for n, e in names.items() if e.kind == "Platform"}
    assert not {n for n in names if n.startswith(("进入", "任一"))}


def test_amendments_a_bare_bureau_owner_and_national_practices(extractor: Extractor) -> None:
    text = "认真学习《中华人民共和国刑法修正案(十一)》,局法治建设工作领导小组推行证明事项告知承诺制,开展警营开放日活动。"
    names = _by_name(extractor(small_report("寿光市公安局", text)))
    assert names["刑法修正案(十一)"].kind == "Law" and "刑法" not in names
    assert not {n for n in names if n.endswith("领导小组")}
    assert {"告知承诺制", "警营开放日"} <= {n for n, e in names.items() if e.kind == "Program"}
