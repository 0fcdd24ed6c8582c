"""Relations: what `relations` reads from the clauses of real reports, each with its evidence."""

from __future__ import annotations

import pytest
from conftest import DATA, small_report

from policekg.extract import Extraction, Extractor
from policekg.extract.model import entity_key, measure_key

ISSUER = entity_key("PoliceUnit", "慈溪市公安局")


def _triples(extraction: Extraction) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in extraction.relations}


@pytest.fixture(scope="module")
def longde(extractor: Extractor) -> Extraction:
    return extractor((DATA / "101_longde_county_2024.txt").read_text(encoding="utf-8"))


def test_every_relation_points_at_known_keys_and_cites_its_clause(
        seed_extraction: Extraction, longde: Extraction) -> None:
    for extraction in (seed_extraction, longde):
        keys = {e.key for e in extraction.entities} | {measure_key(m.ordinal) for m in extraction.measures}
        assert extraction.relations
        for r in extraction.relations:
            assert r.subject in keys and r.object in keys, r
            ev = r.evidence
            assert ev.text and extraction.text[ev.start:ev.end] == ev.text and ev.text in ev.sentence


def test_local_units_are_part_of_the_issuer(seed_extraction: Extraction) -> None:
    triples = _triples(seed_extraction)
    assert (entity_key("PoliceUnit", "周巷派出所", "慈溪市公安局"), "partOf", ISSUER) in triples
    assert not any(s == entity_key("PoliceUnit", "宁波市公安局") for s, p, _ in triples if p == "partOf")


def test_measures_implement_programs_except_the_occasion(seed_extraction: Extraction) -> None:
    triples = _triples(seed_extraction)
    assert (measure_key("4-1"), "implements", "Program:一村一辅警") in triples
    assert (measure_key("3-3"), "implements", "Program:两法衔接") in triples
    assert not any(o == "Program:数字化改革" for _, p, o in triples if p == "implements")  # 以…为契机
    station = entity_key("PoliceUnit", "匡堰派出所", "慈溪市公安局")
    assert (station, "implements", "Program:老励工作室") in triples
    assert (ISSUER, "implements", "Program:法学课堂") in triples


def test_legal_basis_platforms_and_actors(seed_extraction: Extraction) -> None:
    triples = _triples(seed_extraction)
    assert (measure_key("4-3"), "basedOn", "PolicyDocument:不捕不诉与侦查监督磋商解决办法") in triples
    assert not any(p == "basedOn" and o == "Law:反有组织犯罪法" for _, p, o in triples)  # studied, not applied
    assert (measure_key("7-1"), "usesPlatform", "Platform:省政法一体化办案系统") in triples
    assert (measure_key("5-3"), "usesPlatform", "Platform:国家反诈中心APP") in triples
    assert (measure_key("5-3"), "usesPlatform", "Platform:国家反诈中心微信视频号") not in triples  # 被…录用
    assert (measure_key("3-2"), "performedBy", ISSUER) in triples  # 发布市局《…》
    assert (measure_key("2-1"), "performedBy", entity_key("PoliceUnit", "周巷派出所", "慈溪市公安局")) in triples


def test_cooperation_needs_joint_work_not_talk(seed_extraction: Extraction, longde: Extraction) -> None:
    seed = {o for s, p, o in _triples(seed_extraction) if p == "cooperatesWith"}
    assert seed == {"GovernmentBody:中共慈溪市委网信办", "GovernmentBody:慈溪市卫生健康局",
                    "GovernmentBody:慈溪市人民检察院"}  # not 法院 (与…沟通协调)
    evidence = {r.object: r.evidence.text for r in seed_extraction.relations if r.predicate == "cooperatesWith"}
    assert "联合成立" in evidence["GovernmentBody:慈溪市人民检察院"]
    county = {o for s, p, o in _triples(longde) if p == "cooperatesWith"}
    assert county == {"GovernmentBody:隆德县司法局", "GovernmentBody:隆德县市场监督管理局",
                      "GovernmentBody:隆德县人民检察院"}


def test_problems_carry_out_nothing(seed_extraction: Extraction) -> None:
    problems = {measure_key(m.ordinal) for m in seed_extraction.measures if m.status == "Problem"}
    assert problems and not {s for s, _, _ in _triples(seed_extraction)} & problems


def test_a_unit_opening_the_clause_is_the_one_that_cooperates(extractor: Extractor) -> None:
    extraction = extractor((DATA / "104_wencheng_county_2021.txt").read_text(encoding="utf-8"))
    triples = _triples(extraction)
    traffic = entity_key("PoliceUnit", "交警大队", "文成县公安局")
    assert (traffic, "cooperatesWith", "GovernmentBody:文成县教育局") in triples
    assert (entity_key("PoliceUnit", "文成县公安局"), "cooperatesWith", "GovernmentBody:文成县教育局") not in triples
    station = entity_key("PoliceUnit", "大峃中心派出所", "文成县公安局")
    assert (station, "implements", "Program:警调衔接") in triples  # named in the next clause of its sentence


def test_a_news_article_without_measures_credits_the_issuer(extractor: Extractor) -> None:
    extraction = extractor((DATA / "105_linzhou_news_2023.txt").read_text(encoding="utf-8"))
    assert not extraction.measures
    triples = _triples(extraction)
    assert (entity_key("PoliceUnit", "林州市公安局"), "implements", "Program:法律进社区") in triples
    station = entity_key("PoliceUnit", "城关派出所", "林州市公安局")
    assert (station, "cooperatesWith", "GovernmentBody:林州市司法局") in triples


def test_a_station_written_after_a_branch_belongs_to_the_branch(extractor: Extractor) -> None:
    extraction = extractor(small_report("佛山市公安局", "南海区分局桂城派出所联合市司法局设立调解室,桂城派出所民警全程参与。"))
    issuer = entity_key("PoliceUnit", "佛山市公安局")
    branch = entity_key("PoliceUnit", "佛山市公安局南海区分局")  # named as its own reports name it
    station = entity_key("PoliceUnit", "桂城派出所", "佛山市公安局南海区分局")  # the branch's own IRI path
    triples = _triples(extraction)
    assert {(branch, "partOf", issuer), (station, "partOf", branch)} <= triples
    assert (measure_key("1-1"), "performedBy", station) in triples
    assert (measure_key("1-1"), "performedBy", branch) not in triples
    assert {s for s, p, _ in triples if p == "cooperatesWith"} == {station}
    own = extractor(small_report("佛山市公安局南海区分局", "桂城派出所推行调解制度。"))  # the branch's own report
    assert station in {e.key for e in own.entities} and branch in {e.key for e in own.entities}


def test_carrying_out_an_instrument_rests_on_it_but_studying_it_does_not(extractor: Extractor) -> None:
    extraction = extractor(small_report("烟台市公安局", "认真落实《中华人民共和国反有组织犯罪法》,全面贯彻《信访工作条例》要求。",
                                   "组织民警学习贯彻《中华人民共和国数据安全法》,宣传落实《烟台市养犬管理办法》。"))
    based = {(s, o) for s, p, o in _triples(extraction) if p == "basedOn"}
    assert based == {(measure_key("1-1"), "Law:反有组织犯罪法"), (measure_key("1-1"), "Regulation:信访工作条例")}


def test_the_unit_opening_the_sentence_cooperates_and_the_issuer_acts_when_it_founds(extractor: Extractor) -> None:
    extraction = extractor(small_report("东营市公安局", "胜利派出所主动对接,会同市司法局调处矛盾纠纷。",
                                   "市公安局组建执法监督专班,逐案评查。"))
    issuer = entity_key("PoliceUnit", "东营市公安局")
    station = entity_key("PoliceUnit", "胜利派出所", "东营市公安局")
    triples = _triples(extraction)
    assert (station, "cooperatesWith", "GovernmentBody:东营市司法局") in triples
    assert (issuer, "cooperatesWith", "GovernmentBody:东营市司法局") not in triples
    assert (measure_key("1-2"), "performedBy", issuer) in triples


def test_assisting_a_body_or_building_a_linkage_with_it_is_joint_work(extractor: Extractor) -> None:
    extraction = extractor(small_report("滨州市公安局", "配合市纪委监委查处违纪案件。",
                                        "与市人民法院建立诉调衔接机制,与市财政局沟通经费保障。"))
    partners = {o for s, p, o in _triples(extraction) if p == "cooperatesWith"}
    assert partners == {"GovernmentBody:滨州市纪委监委", "GovernmentBody:滨州市人民法院"}


def test_a_units_own_program_is_credited_to_the_unit_not_to_the_measure_promoting_it(extractor: Extractor) -> None:
    extraction = extractor(small_report("日照市公安局", "推广石臼派出所“海岸警语”工作法和“枫桥式”调解经验,深化“警调联动”。",
                                        "深化“港城先锋”机制,推广岚山派出所“港城先锋”做法。"))
    station = entity_key("PoliceUnit", "石臼派出所", "日照市公安局")
    triples = _triples(extraction)
    assert (station, "implements", "Program:海岸警语") in triples
    assert (measure_key("1-1"), "implements", "Program:海岸警语") not in triples
    assert (measure_key("1-1"), "implements", "Program:警调联动") in triples
    assert (measure_key("1-2"), "implements", "Program:港城先锋") in triples  # named alone too: not a brand


def test_a_unit_and_its_brand_opening_the_clause_are_the_measures_work(extractor: Extractor) -> None:
    extraction = extractor(small_report("日照市公安局", "其中,东港派出所“渔港夜话”工作室全年化解纠纷40起。",
                                        "涛雒派出所创建“渔家和事”品牌,化解纠纷12起。"))
    triples = _triples(extraction)
    assert (measure_key("1-1"), "implements", "Program:渔港夜话") in triples
    assert (entity_key("PoliceUnit", "东港派出所", "日照市公安局"), "implements", "Program:渔港夜话") in triples
    assert (measure_key("1-2"), "implements", "Program:渔家和事") in triples


def test_a_unit_after_an_item_number_is_found_and_acts(extractor: Extractor) -> None:
    extraction = extractor(small_report("日照市公安局", "(2)奎山派出所“渔港夜话”工作室化解纠纷8起。3.法制大队开展案件评查。"))
    triples = _triples(extraction)
    assert (measure_key("1-1"), "implements", "Program:渔港夜话") in triples
    assert (measure_key("1-1"), "performedBy", entity_key("PoliceUnit", "法制大队", "日照市公安局")) in triples
    assert {e.name for e in extraction.entities if e.kind == "PoliceUnit"} == {"日照市公安局", "奎山派出所", "法制大队"}


def test_the_bureaus_party_committee_acting_performs_the_measure(extractor: Extractor) -> None:
    extraction = extractor(small_report("日照市公安局", "市局党委班子成员带头讲法治课。", "将法治课纳入市局党委理论学习中心组计划。",
                                        "局党委专题研究执法问题,交通局党委另有安排。"))
    triples = _triples(extraction)
    issuer = entity_key("PoliceUnit", "日照市公安局")
    assert (measure_key("1-1"), "performedBy", issuer) in triples
    assert (measure_key("1-2"), "performedBy", issuer) not in triples
    assert (measure_key("1-3"), "performedBy", issuer) in triples


def test_a_branch_named_without_its_district_suffix_owns_its_station_too(extractor: Extractor) -> None:
    extraction = extractor(small_report("珠海市公安局", "高新分局唐家派出所会同市市场监管局开展整治。"))
    branch = entity_key("PoliceUnit", "珠海市公安局高新分局")
    station = entity_key("PoliceUnit", "唐家派出所", "珠海市公安局高新分局")
    triples = _triples(extraction)
    assert {(branch, "partOf", entity_key("PoliceUnit", "珠海市公安局")), (station, "partOf", branch)} <= triples
    assert (station, "cooperatesWith", "GovernmentBody:珠海市市场监督管理局") in triples


def test_stations_listed_as_the_pilot_act_and_a_list_applied_is_a_basis(extractor: Extractor) -> None:
    extraction = extractor(small_report("永登县公安局", "以城关派出所、红城派出所为试点,推进枫桥式公安派出所创建。",
                                        "全年适用涉企轻微违法行为免罚清单办理案件12起。"))
    triples = _triples(extraction)
    for station in ("城关派出所", "红城派出所"):
        assert (measure_key("1-1"), "performedBy", entity_key("PoliceUnit", station, "永登县公安局")) in triples
    assert (measure_key("1-2"), "basedOn", "PolicyDocument:涉企轻微违法行为免罚清单") in triples


def test_a_units_own_brand_in_corner_brackets_is_the_units(extractor: Extractor) -> None:
    """『』 quote a brand as “” do (the opening marks come from one list)."""
    extraction = extractor(small_report("日照市公安局", "推广石臼派出所『海岸警语』工作法,深化“警调联动”。"))
    station = entity_key("PoliceUnit", "石臼派出所", "日照市公安局")
    triples = _triples(extraction)
    assert (station, "implements", "Program:海岸警语") in triples
    assert (measure_key("1-1"), "implements", "Program:海岸警语") not in triples
