"""`policekg eval`: the scorer itself, and the extractor held to its targets on every gold file we have."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, SEED_GOLD, run_policekg, small_report

from policekg.extract import Extraction, Extractor
from policekg.extract.eval import TARGETS, EvalInputError, EvalResult, evaluate, extract_for
from policekg.extract.eval_folder import GoldFile, gold_files, max_matching, read_gold_file, score_file
from policekg.extract.model import (
    Entity,
    Measure,
    Mention,
    Observation,
    Relation,
    ReportMeta,
    Section,
    measure_key,
)

CORPUS = sorted(p for p in DATA.glob("*.gold.json")
                if p != SEED_GOLD and p.with_name(p.name.replace(".gold.json", ".txt")).exists())


def _mention() -> Mention:
    return Mention(0, 1, "x", "x")


def test_scorer_counts_matches_by_surface_form_key_and_structure() -> None:
    gold = {
        "issuer": "甲县公安局", "year": 2022,
        "sections": [{"ordinal": "1", "title": "加强领导", "status": "Done",
                      "measures": [{"ordinal": "1-1", "title": "健全制度"}, {"ordinal": "1-2", "title": "强化培训"}]}],
        "entities": [{"type": "PoliceUnit", "name": "甲县公安局", "surface": ["县局"]},
                     {"type": "PoliceUnit", "name": "城关派出所", "surface": ["城关派出所"]},
                     {"type": "LegalInstrument", "subtype": "Law", "name": "网络安全法", "surface": []}],
        "observations": [{"indicator": "办结矛盾纠纷", "value": 822, "unit": "起", "measure": "1-1"},
                         {"indicator": "培训民警", "value": 25.5, "unit": "%", "measure": "1-2"}],
        "relations": [{"s": "城关派出所", "p": "partOf", "o": "甲县公安局"},
                      {"s": "measure:1-1", "p": "basedOn", "o": "网络安全法"}],
    }
    unit = Entity("PoliceUnit", "甲县公安局", aliases={"县局"})
    station = Entity("PoliceUnit", "城关派出所", parent="甲县公安局")
    law = Entity("Law", "网络安全法")
    extraction = Extraction(
        text="x", meta=ReportMeta("甲县公安局", 2022), sha256="",
        sections=[Section("1", "加强领导", "Done", 0, 1, [Measure("1-1", "健全制度", "Done", 0, 1),
                                                      Measure("1-2", "强化学习", "Done", 0, 1)])],
        entities=[unit, station, law, Entity("Program", "清零")],
        observations=[Observation(Decimal(822), "起", "共办结各类矛盾纠纷", "", "2022", _mention(), measure="1-1"),
                      Observation(Decimal("25.50"), "%", "其他", "", "2022", _mention(), measure="1-2"),
                      Observation(Decimal(3), "次", "会议", "", "2022", _mention(), measure="1-2")],
        relations=[Relation(station.key, "partOf", unit.key, _mention()),
                   Relation(measure_key("1-1"), "basedOn", law.key, _mention()),
                   Relation(measure_key("1-2"), "basedOn", law.key, _mention())],
    )
    result = evaluate(gold, extraction)
    rows = {s.name: (s.tp, s.fp, s.fn) for s in result.scores}
    assert rows["entities/PoliceUnit"] == (2, 0, 0)
    assert rows["entities/LegalInstrument"] == (1, 0, 0)
    assert rows["entities/Program"] == (0, 1, 0)
    assert rows["observations"] == (2, 1, 0)
    assert rows["relations"] == (2, 1, 0)
    assert rows["structure"] == (2, 1, 1)  # 强化学习 ≠ 强化培训: not exact
    assert result.indicator_agreement == 0.5  # 办结矛盾纠纷 agrees, 其他 ≠ 培训民警
    assert result.score("relations").f1 == pytest.approx(0.8)
    assert not result.passed and result.metadata == {"issuer": True, "year": True}


@pytest.fixture(scope="module")
def seed_result(seed_extraction: Extraction) -> EvalResult:
    return evaluate(json.loads(SEED_GOLD.read_text(encoding="utf-8")), seed_extraction, "seed")


@pytest.mark.parametrize("row", sorted(TARGETS))
def test_seed_meets_target(seed_result: EvalResult, row: str) -> None:
    score = seed_result.score(row)
    assert score.f1 >= TARGETS[row], f"{row}: F1 {score.f1:.3f}; missed {score.missed[:10]}, " \
                                     f"spurious {score.spurious[:10]}"


def test_seed_metadata_is_right(seed_result: EvalResult) -> None:
    assert seed_result.metadata == {"issuer": True, "year": True, "published": True}


@pytest.fixture(scope="module")
def corpus_results(extractor: Extractor) -> dict[str, EvalResult]:
    results = {}
    for gold_path in CORPUS:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        results[gold_path.name] = evaluate(gold, extract_for(extractor, text, gold), gold_path.name)
    return results


@pytest.mark.parametrize("row", sorted(TARGETS))
@pytest.mark.parametrize("gold_path", CORPUS, ids=lambda p: p.name.split(".")[0])
def test_corpus_report_meets_target(corpus_results: dict[str, EvalResult], gold_path: Path, row: str) -> None:
    result = corpus_results[gold_path.name]
    score = result.score(row)
    assert result.metadata["issuer"] and result.metadata["year"]
    assert score.f1 >= TARGETS[row], f"{row}: F1 {score.f1:.3f}; missed {score.missed[:10]}, " \
                                     f"spurious {score.spurious[:10]}"


def test_eval_command_prints_the_table_and_writes_json(tmp_path: Path, seed_result: EvalResult) -> None:
    out = tmp_path / "scores.json"
    report = DATA.parent.parent / "kg" / "sample" / "000_01c10ac9e2f52e48.txt"
    proc = subprocess.run([sys.executable, "-m", "policekg.api", "eval", str(SEED_GOLD), str(report),
                           "--json", str(out), "--details"], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "observations" in proc.stdout and "structure" in proc.stdout
    for score in seed_result.scores:  # --details lists every miss
        assert all(item in proc.stdout for item in score.missed[:30])
    scores = {row["name"]: row for row in json.loads(out.read_text(encoding="utf-8"))["scores"]}
    assert scores["structure"]["f1"] == seed_result.score("structure").f1
    assert scores["observations"]["tp"] == seed_result.score("observations").tp


def test_eval_command_rejects_a_broken_gold_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gold.json"
    bad.write_text("{not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "policekg.api", "eval", str(bad), str(bad)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1 and "not a JSON gold file" in proc.stderr


# -- scoring over a folder (policekg eval FOLDER) -------------------------------------------------

def _write_gold(folder: Path, stem: str, gold: dict, text: str = "") -> None:
    (folder / f"{stem}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    if text:
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")


def _found(kind: str, name: str, *written: str, parent: str | None = None) -> Entity:
    return Entity(kind, name, parent=parent, mentions=[Mention(0, len(w), w, w) for w in written or (name,)])


def _real_gold(tmp_path: Path, **lists: list) -> GoldFile:
    _write_gold(tmp_path, "r", {"issuer": "广州市公安局海珠区分局", "year": 2024, **lists}, "x")
    return read_gold_file(tmp_path / "r.gold.json")


def test_real_format_matches_leniently_and_strictly_after_dropping_quotes(tmp_path: Path) -> None:
    gold = _real_gold(tmp_path, programs=["八五", "行政复议体制改革", "四个意识"],
                      platforms=["执法办案系统"], laws=["行政处罚法"],
                      metrics=[{"indicator": "挽回损失", "value": 2500, "unit": "万元", "approx": True, "text": "…"}])
    extraction = Extraction(
        text="x", meta=ReportMeta("广州市公安局海珠区分局", 2024), sha256="",
        entities=[_found("Program", "八五普法", "“八五”普法"), _found("Program", "行政复议体制改革"),
                  _found("Program", "关键少数"), _found("Platform", "法律法规及执法办案系统"),
                  _found("Regulation", "行政处罚法", "《中华人民共和国行政处罚法》"), _found("Place", "海珠区")],
        observations=[Observation(Decimal(25_000_000), "元", "挽回损失", "", "2024", _mention(), approximate=True)])
    score = score_file(gold, extraction)
    counts = {key: (t.gold, t.found, t.tp) for key, t in score.tallies.items()}
    assert counts["Program", "lenient"] == (3, 3, 2) and counts["Program", "strict"] == (3, 3, 1)
    assert counts["Platform", "lenient"] == (1, 1, 1) and counts["Platform", "strict"] == (1, 1, 0)
    assert counts["LegalInstrument", "strict"] == (1, 1, 1)  # a Regulation counts among the laws
    assert "Place" not in {cls for cls, _ in score.tallies}  # the real set marks no places
    assert score.tallies["Program", "lenient"].missed == ["四个意识"]
    assert score.tallies["Program", "lenient"].spurious == ["关键少数"]
    assert sorted(score.loose) == ["八五普法 ~ 八五", "法律法规及执法办案系统 ~ 执法办案系统"]
    assert (score.figures.tp, score.figures.found) == (1, 1)  # 2500 万元 = 25000000 元
    assert score.issuer_ok and score.year_ok


def test_equal_names_pair_first_and_one_found_name_takes_one_gold_name(tmp_path: Path) -> None:
    gold = _real_gold(tmp_path, units=["广州市公安局海珠区分局", "市公安局", "情指中心"])
    parent = _found("PoliceUnit", "广州市公安局", "市公安局")
    issuer = _found("PoliceUnit", "广州市公安局海珠区分局")
    extraction = Extraction(text="x", meta=ReportMeta("广州市公安局海珠区分局", 2024), sha256="",
                            entities=[issuer, parent])
    score = score_file(gold, extraction)
    assert score.loose == []  # not 广州市公安局 ~ the 分局 and the 分局 ~ 市公安局
    assert score.tallies["PoliceUnit", "lenient"].missed == ["情指中心"]
    assert max_matching([[0, 1], [0]]) == {0: 1, 1: 0}  # greedy would pair only one


def test_our_format_scores_surface_forms_and_places(tmp_path: Path) -> None:
    _write_gold(tmp_path, "o", {"issuer": "甲县公安局", "year": 2023, "sections": [],
                                "entities": [{"type": "Place", "name": "甲县", "surface": []},
                                             {"type": "PoliceUnit", "name": "甲县公安局", "surface": ["县局"]}],
                                "observations": [{"indicator": "x", "value": 126000000, "unit": "元"}]}, "x")
    gold = read_gold_file(tmp_path / "o.gold.json")
    extraction = Extraction(text="x", meta=ReportMeta("甲县公安局", 2023), sha256="",
                            entities=[_found("PoliceUnit", "甲县公安局", "县局")],
                            observations=[Observation(Decimal("1.26"), "亿元", "x", "", "2023", _mention())])
    score = score_file(gold, extraction)
    assert gold.fmt == "ours" and score.tallies["Place", "strict"].missed == ["甲县"]
    assert score.tallies["PoliceUnit", "strict"].tp == 1 and score.figures.tp == 1


def test_a_gold_file_in_neither_format_is_named(tmp_path: Path) -> None:
    _write_gold(tmp_path, "n", {"people": []}, "x")
    with pytest.raises(EvalInputError, match="neither format"):
        read_gold_file(tmp_path / "n.gold.json")
    with pytest.raises(EvalInputError, match="no \\*.gold.json"):
        gold_files(tmp_path / "nothing")


def test_eval_command_pools_a_folder_and_lists_misses(tmp_path: Path) -> None:
    text = small_report("甲县公安局", "依据《中华人民共和国行政处罚法》,城关派出所全年办结矛盾纠纷822起。")
    _write_gold(tmp_path, "01", {"issuer": "甲县公安局", "year": 2023, "units": ["甲县公安局", "城关派出所"],
                                 "laws": ["中华人民共和国行政处罚法"], "programs": ["警调衔接"],
                                 "metrics": [{"indicator": "办结矛盾纠纷", "value": 822, "unit": "起",
                                              "approx": False, "text": "办结矛盾纠纷822起"}]}, text)
    _write_gold(tmp_path, "02", {"issuer": "乙县公安局", "year": 2023, "units": ["乙县公安局"]})  # no text
    proc = run_policekg("eval", str(tmp_path), "--details", "--json", str(tmp_path / "out.json"))
    assert "evaluation of 1 gold files" in proc.stdout and "02.gold.json: skipped" in proc.stdout
    assert "Program missed (1): 警调衔接" in proc.stdout
    pooled = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert pooled["pooled"]["PoliceUnit"]["strict"]["recall"] == 1.0
    assert pooled["pooled"]["entities"]["lenient"]["tp"] == 3 and pooled["figures"]["tp"] == 1
    refused = run_policekg("eval", str(tmp_path), str(tmp_path / "01.txt"), check=False)
    assert refused.returncode == 1 and "is a folder" in refused.stderr
