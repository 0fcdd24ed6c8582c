"""The gold files are the yardstick the extractor is held to, so they must be right themselves.

A gold string the normalised report does not contain can never be matched: the extractor would be
blamed for a typo in the gold. So every surface form, observation text, relation text, title and
not-program must occur verbatim in the report as `normalize` leaves it; every figure must be one the
text states; every ordinal and reference must resolve. The bad-input fixtures are checked to still be
what the bad-input tests rely on them being.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from policekg.extract.normalize import normalize

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parent.parent / "kg" / "sample"
GOLD_FILES = sorted([*DATA.glob("*.gold.json"), *DATA.glob("blind/*.gold.json")])

ENTITY_TYPES = {"PoliceUnit", "GovernmentBody", "Program", "LegalInstrument", "Platform", "Place"}
LEGAL_SUBTYPES = {"Law", "Regulation", "PolicyDocument"}
STATUSES = {"Done", "Problem", "Planned"}
#: predicate → (allowed subject types, allowed object types); "measure" stands for a measure key.
RELATION_TYPES: dict[str, tuple[set[str], set[str]]] = {
    "partOf": ({"PoliceUnit"}, {"PoliceUnit"}),
    "implements": ({"measure", "PoliceUnit"}, {"Program"}),
    "performedBy": ({"measure", "Program"}, {"PoliceUnit"}),
    "basedOn": ({"measure", "Program"}, {"LegalInstrument"}),
    "usesPlatform": ({"measure"}, {"Platform"}),
    "cooperatesWith": ({"PoliceUnit"}, {"PoliceUnit", "GovernmentBody"}),
    "locatedIn": ({"PoliceUnit", "GovernmentBody"}, {"Place"}),
}
#: Multipliers a Chinese figure may carry (250万 → 2500000).
SCALES = (Decimal(1), Decimal(10_000), Decimal(100_000_000))


def _ids(paths: list[Path]) -> list[str]:
    return [p.name.removesuffix(".gold.json") for p in paths]


@cache
def load(gold_path: Path) -> tuple[dict[str, Any], str]:
    """The gold annotation and its report's normalised text (beside it, or the bundled seed)."""
    stem = gold_path.name.removesuffix(".gold.json")
    text_path = next(p for p in (gold_path.parent / f"{stem}.txt", SAMPLE / f"{stem}.txt") if p.exists())
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return gold, normalize(text_path.read_text(encoding="utf-8"))


def _measure_ordinals(gold: dict[str, Any]) -> set[str]:
    return {m["ordinal"] for s in gold["sections"] for m in s["measures"]}


def _entity_types(gold: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["type"] for e in gold["entities"]}


def test_every_gold_file_has_its_report() -> None:
    assert len(GOLD_FILES) >= 6, "the seed gold and the corpus gold files are expected in tests/data"
    for path in GOLD_FILES:
        load(path)  # raises StopIteration when no report text is found


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_gold_has_the_seed_format(path: Path) -> None:
    gold, _ = load(path)
    assert set(gold) == {"issuer", "year", "published", "sections", "entities", "observations",
                         "relations", "not_programs", "other_titles"}
    assert isinstance(gold["year"], int) and 1990 < gold["year"] < 2100
    if gold["published"] is not None:
        date.fromisoformat(gold["published"])
    for ent in gold["entities"]:
        assert ent["type"] in ENTITY_TYPES, ent
        assert (ent.get("subtype") in LEGAL_SUBTYPES) == (ent["type"] == "LegalInstrument"), ent
        assert ent["surface"] and len(set(ent["surface"])) == len(ent["surface"]), ent
    for obs in gold["observations"]:
        assert set(obs) == {"indicator", "value", "unit", "approximate", "measure", "text"}, obs
        assert isinstance(obs["value"], (int, float)) and not isinstance(obs["value"], bool), obs
        assert isinstance(obs["approximate"], bool) and obs["unit"] and obs["indicator"], obs
    for rel in gold["relations"]:
        assert set(rel) == {"s", "p", "o", "text"} and rel["p"] in RELATION_TYPES, rel


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_gold_strings_occur_verbatim_in_the_normalised_report(path: Path) -> None:
    gold, text = load(path)
    strings = [s for e in gold["entities"] for s in e["surface"]]
    strings += [o["text"] for o in gold["observations"]] + [r["text"] for r in gold["relations"]]
    strings += [s["title"] for s in gold["sections"]]
    strings += [m["title"] for s in gold["sections"] for m in s["measures"]]
    strings += gold["not_programs"] + gold["other_titles"] + [gold["issuer"]]
    missing = [s for s in strings if s not in text]
    assert not missing, f"not in the normalised text of {path.name}: {missing}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_observation_values_are_stated_in_their_text(path: Path) -> None:
    gold, _ = load(path)
    for obs in gold["observations"]:
        stated = {Decimal(n) * k for n in re.findall(r"\d+(?:\.\d+)?", obs["text"]) for k in SCALES}
        assert Decimal(str(obs["value"])) in stated, obs


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_section_and_measure_ordinals_are_consecutive(path: Path) -> None:
    gold, _ = load(path)
    for i, section in enumerate(gold["sections"], start=1):
        assert section["ordinal"] == str(i) and section["status"] in STATUSES, section["title"]
        assert [m["ordinal"] for m in section["measures"]] == [
            f"{i}-{j}" for j in range(1, len(section["measures"]) + 1)
        ], section["title"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_references_resolve_to_measures_and_entities_of_the_right_type(path: Path) -> None:
    gold, _ = load(path)
    measures, types = _measure_ordinals(gold), _entity_types(gold)
    assert len(types) == len(gold["entities"]), "an entity name is annotated twice"
    assert types.get(gold["issuer"]) == "PoliceUnit"
    for obs in gold["observations"]:
        assert obs["measure"] is None or obs["measure"] in measures, obs
    for rel in gold["relations"]:
        subjects, objects = RELATION_TYPES[rel["p"]]
        s = rel["s"]
        s_type = "measure" if s.startswith("measure:") and s.removeprefix("measure:") in measures else types.get(s)
        assert s_type in subjects, rel
        assert types.get(rel["o"]) in objects, rel


@pytest.mark.parametrize("path", GOLD_FILES, ids=_ids(GOLD_FILES))
def test_not_programs_are_not_annotated_as_programs(path: Path) -> None:
    gold, _ = load(path)
    program_names = {s for e in gold["entities"] if e["type"] == "Program" for s in [e["name"], *e["surface"]]}
    assert not program_names & set(gold["not_programs"])


def test_bad_input_fixtures_are_still_bad() -> None:
    """The bad-input tests rely on these files failing in exactly one way each."""
    bad = DATA / "bad"
    assert (bad / "empty.txt").read_bytes() == b""
    with pytest.raises(UnicodeDecodeError):
        (bad / "binary.bin").read_bytes().decode("utf-8")
    traditional = (bad / "traditional_chars.txt").read_text(encoding="utf-8")
    assert "縣公安局" in traditional and "县" not in traditional
    anonymous = normalize((bad / "no_issuer_no_year.txt").read_text(encoding="utf-8"))
    assert not re.search(r"(19|20)\d\d年|公安局|公安分局|公安厅", anonymous)
