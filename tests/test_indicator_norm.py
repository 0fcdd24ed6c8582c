"""The indicator model (issue 13): one canonical indicator per quantity, and the rest of a figure's phrase
in its own field. Phrases here are written for these tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import DATA
from rdflib import RDF, RDFS, SKOS, Literal, URIRef
from test_schema import OBS, _errors, _with

from policekg.extract.figures.indicator_norm import canonical, is_fragment, lexicon, read_indicator
from policekg.kg.rdf.iris import PK

ROOT = Path(__file__).resolve().parent.parent
LEXICON = json.loads((ROOT / "schema" / "lexicon" / "indicators.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("phrase", ["全年调处矛盾纠纷", "共调解各类民间纠纷", "化解矛盾纠纷", "排查化解矛盾纠纷",
                                    "办结纠纷", "成功调解矛盾纠纷"])
def test_synonym_verbs_are_one_indicator(phrase: str) -> None:
    reading = read_indicator(phrase, "起")
    assert reading.key == "disputes_resolved"
    assert reading.label == "化解矛盾纠纷"


def test_place_agent_qualifier_and_program_leave_the_indicator() -> None:
    r = read_indicator("全县公安机关累计通过警调衔接成功调处矛盾纠纷", "起")
    assert r.key == "disputes_resolved/警调衔接"
    assert r.indicator.broader == "disputes_resolved"
    assert (r.place, r.qualifiers, r.about) == (("全县",), ("累计",), ("警调衔接",))
    assert r.label == "警调衔接化解矛盾纠纷"
    assert canonical(r.key) == r.indicator


def test_a_program_head_word_is_not_part_of_the_derived_indicator() -> None:
    assert read_indicator("依托“三调联动”机制化解纠纷", "件").key == "disputes_resolved/三调联动"


def test_a_unit_is_what_the_figure_is_about_not_a_narrower_indicator() -> None:
    r = read_indicator("城关派出所化解矛盾纠纷", "起")
    assert (r.key, r.about) == ("disputes_resolved", ("城关派出所",))
    r = read_indicator("通过社区警务室调解纠纷", "起")
    assert (r.key, r.about) == ("disputes_resolved", ("社区警务室",))


def test_a_case_type_is_an_area_of_the_indicator() -> None:
    r = read_indicator("涉毒案件抓获犯罪嫌疑人", "名")
    assert (r.key, r.area, r.about) == ("suspects_caught", "涉毒案件", ())


def test_a_narrower_entry_wins_over_its_broader_one() -> None:
    r = read_indicator("破获电信网络诈骗案件", "起")
    assert r.key == "fraud_cases_solved"
    assert canonical(r.indicator.broader).en == "Cases solved"
    assert read_indicator("破获盗窃电动车案件", "起").key == "cases_solved"


@pytest.mark.parametrize(("unit", "key"), [("期", "training_sessions"), ("场次", "training_sessions"),
                                           ("人次", "trainees"), ("名", "trainees")])
def test_training_sessions_and_trainees_are_told_by_the_unit(unit: str, key: str) -> None:
    assert read_indicator("组织开展执法办案培训", unit).key == key


@pytest.mark.parametrize(("phrase", "unit", "key"), [
    ("为辖区企业挽回损失", "元", "losses_recovered_for_enterprises"),
    ("依法返还被害人财物价值", "万元", "money_recovered"),
    ("追赃挽损", "元", "money_recovered"),
])
def test_money_returned_is_an_amount(phrase: str, unit: str, key: str) -> None:
    r = read_indicator(phrase, unit)
    assert r.key == key
    assert r.indicator.measure == "amount"


def test_a_change_is_a_change_of_its_base_indicator() -> None:
    r = read_indicator("电信网络诈骗案件发案数同比下降", "%")
    assert r.key == "fraud_cases_reported|down"
    assert (r.change.direction, r.change.basis) == ("down", "同比")
    assert r.label == "电信网络诈骗发案数"


def test_a_bare_change_takes_its_base_from_the_clause_before() -> None:
    sentence = "全年受理行政复议案件12件,同比下降20%。"
    r = read_indicator("全年受理行政复议案件12件,同比下降", "%", figure="20%", sentence=sentence)
    assert r.key == "administrative_reconsiderations|down"


def test_a_change_with_no_base_is_unnamed_never_called_by_its_change_word() -> None:
    r = read_indicator("下降", "%")
    assert (r.indicator, r.label, r.change.direction) == (None, None, "down")


def test_points_are_a_change_of_a_rate_only() -> None:
    assert read_indicator("破获刑事案件同比上升", "个百分点").key is None
    assert read_indicator("刑事案件破案率同比提高", "个百分点").key == "clearance_rate|up"
    assert read_indicator("行政诉讼败诉案件较上年减少", "件").key == "lawsuits_lost|down"


@pytest.mark.parametrize(("before", "figure", "after", "bound"), [
    ("挽回经济损失", "300余万元", "", "at_least"),
    ("覆盖群众", "2万多人次", "", "at_least"),
    ("网办率达", "95%以上", "", "at_least"),
    ("网办率达", "95%", "以上", "at_least"),
    ("受众超过", "300万人次", "", "at_least"),
    ("发放资料", "约3000份", "", "about"),
    ("走访群众近", "800户", "", "about"),
    ("用时", "3天", "左右", "about"),
    ("纠错率", "不到3%", "", "at_most"),
    ("纠错率控制在", "5%", "以下", "at_most"),
    ("调解成功率达", "98.5%", "", "exact"),
])
def test_bounds(before: str, figure: str, after: str, bound: str) -> None:
    assert read_indicator(before, "%", figure=figure, after=after).bound == bound


def test_targets_are_kept_apart_from_results() -> None:
    assert read_indicator("力争全年网办率达到", "%").target
    assert read_indicator("矛盾纠纷调解成功率", "%", planned=True).target
    assert not read_indicator("矛盾纠纷调解成功率", "%").target


def test_an_unrecognised_phrase_is_kept_as_written() -> None:
    r = read_indicator("全年办理出入境证件", "本")
    assert (r.indicator, r.label, r.period) == (None, "办理出入境证件", ("全年",))


def test_a_fragment_is_named_by_the_clause_before_it() -> None:
    sentence = "清理规范性文件40件,其中修改6件、废止3件。"
    assert read_indicator("其中修改", "件", sentence=sentence).key == "normative_documents_revised"
    r = read_indicator("主办", "件", sentence="收到政协提案30件,主办8件。")
    assert r.indicator is None and not is_fragment(r.label)


@pytest.mark.parametrize("phrase", ["和", "县", "下降", "占比", "其中", "修改", "推进不力的", None])
def test_fragments(phrase: str | None) -> None:
    assert is_fragment(phrase)


# -- the lexicon -------------------------------------------------------------------------------------

def test_every_verb_and_object_group_is_used_and_every_broader_exists() -> None:
    entries = LEXICON["indicators"]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert {e["verb"] for e in entries if "verb" in e} == set(LEXICON["verbs"])
    assert {e["object"] for e in entries if "object" in e} == set(LEXICON["objects"])
    assert {e["broader"] for e in entries if "broader" in e} <= set(ids)
    assert {e["measure"] for e in entries} <= set(LEXICON["measures"])
    assert all(e["zh"] and e["en"] for e in entries)


def test_the_ten_most_reported_quantities_are_in_the_lexicon() -> None:
    ten = {"disputes_resolved", "cases_solved", "suspects_caught", "administrative_cases",
           "administrative_reconsiderations", "administrative_lawsuits", "handled_online", "fraud_cases_solved",
           "money_recovered", "training_sessions"}
    assert ten <= set(lexicon().by_id)


def test_indicator_gold_names_only_lexicon_indicators_and_covers_every_test_figure() -> None:
    gold = json.loads((DATA / "indicator_gold.json").read_text(encoding="utf-8"))
    for key, ids in ((k, v) for k, v in gold.items() if not k.startswith("_")):
        for value in ids:
            if value is not None:
                canonical(value.split("|")[0])  # raises KeyError for an id the lexicon lacks
        if key.startswith("tests/"):
            name = key.removeprefix("tests/")
            path = next(DATA.glob(f"{name}_*.gold.json"), None) or next((DATA / "blind").glob(f"{name}_*.gold.json"))
            assert len(json.loads(path.read_text(encoding="utf-8"))["observations"]) == len(ids), key


def test_normaliser_against_the_indicator_gold_of_the_test_reports() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import indicator_accuracy

    scores = indicator_accuracy.score(details=False)["tests"]
    assert scores["fragment"] == 0
    assert scores["right"] >= 0.95
    assert scores["precision"] >= 0.95


# -- the shapes --------------------------------------------------------------------------------------

CANONICAL = URIRef("https://w3id.org/policekg/id/indicator/disputes_resolved")


def _canonical_observation(extra: list[tuple] = ()) -> list[tuple]:
    return [(CANONICAL, RDF.type, PK.CanonicalIndicator), (CANONICAL, RDF.type, PK.Indicator),
            (CANONICAL, RDFS.label, Literal("化解矛盾纠纷", lang="zh")),
            (CANONICAL, RDFS.label, Literal("Disputes resolved", lang="en")),
            (CANONICAL, PK.quantityKind, PK.Count), (OBS, PK.bound, PK.AtLeast), (OBS, PK.target, Literal(False)),
            (OBS, PK.changeDirection, PK.Decrease), (OBS, PK.changeBasis, Literal("同比", lang="zh")),
            (OBS, PK.scope, Literal("全县", lang="zh")), (OBS, PK.qualifier, Literal("累计", lang="zh")), *extra]


def test_an_observation_with_the_indicator_model_conforms() -> None:
    assert _errors(_with(_canonical_observation())) == []


@pytest.mark.parametrize(("extra", "removed", "path"), [
    ([(OBS, PK.bound, PK.Done)], (OBS, PK.bound, PK.AtLeast), PK.bound),
    ([(OBS, PK.changeDirection, PK.Exact)], (OBS, PK.changeDirection, PK.Decrease), PK.changeDirection),
    ([(CANONICAL, SKOS.broader, OBS)], None, SKOS.broader),
    ([], (CANONICAL, RDFS.label, Literal("Disputes resolved", lang="en")), RDFS.label),
    ([], (CANONICAL, PK.quantityKind, PK.Count), PK.quantityKind),
])
def test_indicator_model_defects_are_caught(extra: list[tuple], removed: tuple | None, path: URIRef) -> None:
    triples = [t for t in _canonical_observation(extra) if t != removed]
    errors = _errors(_with(triples))
    assert any(v.path == path for v in errors), errors
