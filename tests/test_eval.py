"""`policekg eval`: the scorer itself, and the extractor held to its targets on every gold file we have."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, SEED_GOLD
from policekg.extract import Extraction, Extractor
from policekg.extract.eval import TARGETS, EvalResult, evaluate, extract_for
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
