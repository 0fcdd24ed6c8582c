"""The pipeline's shape: components declare what they read and write, keep nothing of a report, leave
everything on the Doc in one typed state, and start only from rule files that match their schema."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from typing import Any

import pytest
import spacy
from conftest import small_report

from policekg.extract import Extractor, patterns
from policekg.extract.doc_state import STATE_KEY, DocState
from policekg.extract.errors import PatternFileError
from policekg.extract.names.programs import ANCHOR_RULES, WINDOW_RULES, Site, after_place
from policekg.extract.pattern_schema import SCHEMAS, ProgramPattern
from policekg.extract.patterns import check_rules, load_rules
from policekg.extract.pipeline import COMPONENTS, build_nlp

REPORT = small_report("慈溪市公安局", "周巷派出所联合市司法局开展“法律进社区”活动3场。")


def test_every_component_finds_what_it_requires_before_it(extractor: Extractor) -> None:
    analysis = extractor.nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in COMPONENTS}
    assert all(analysis["summary"][name]["assigns"] for name in COMPONENTS)


def test_a_component_placed_before_what_it_reads_is_reported() -> None:
    nlp = spacy.blank("zh")
    for name in ("sentences", "report_metadata", "relations", "report_structure", "entity_rules"):
        nlp.add_pipe(name)
    problems = nlp.analyze_pipes()["problems"]
    assert set(problems["relations"]) == {"doc._.issuer_context", "doc._.entities", "doc._.sections"}
    assert problems["entity_rules"] == []


def test_components_keep_nothing_of_a_report(extractor: Extractor, seed_text: str) -> None:
    """Every attribute of every component is the same object after reading two reports as before."""
    before = {name: dict(vars(proc)) for name, proc in extractor.nlp.pipeline}
    extractor(seed_text)
    extractor(REPORT)
    after = {name: dict(vars(proc)) for name, proc in extractor.nlp.pipeline}
    assert {n: sorted(a) for n, a in after.items()} == {n: sorted(b) for n, b in before.items()}
    for name, attributes in before.items():
        assert all(after[name][key] is value for key, value in attributes.items()), name


def test_a_doc_carries_one_typed_state(extractor: Extractor) -> None:
    doc = extractor.nlp(REPORT)
    assert list(doc.user_data) == [STATE_KEY] and isinstance(doc.user_data[STATE_KEY], DocState)
    found = doc.user_data[STATE_KEY]
    assert doc._.meta is found.meta and found.meta.issuer == "慈溪市公安局"
    assert doc._.issuer_context.issuer == "慈溪市公安局"
    assert {e.name for e in doc._.entities} >= {"周巷派出所", "法律进社区"}
    assert doc._.relations and doc._.observations and doc._.sections


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_rule_file_matches_its_schema(name: str) -> None:
    assert isinstance(load_rules(name), SCHEMAS[name])


def _rules_with(name: str, change: Callable[[dict[str, Any]], None],
                read: Callable[[str], dict[str, Any]] = patterns._read) -> dict[str, Any]:
    data = copy.deepcopy(read(name))
    change(data)
    return data


@pytest.mark.parametrize(("name", "change", "message"), [
    ("entity_rules", lambda d: d.update(unti_heads=d.pop("unit_heads")),
     "entity_rules.json: unknown key 'unti_heads' (did you mean 'unit_heads'?)"),
    ("relations", lambda d: d.pop("occasion_re"), "relations.json: missing key(s) 'occasion_re'"),
    ("relations", lambda d: d.update(list_joiners="、"), "list_joiners: expected a list of str"),
    ("observations", lambda d: d.update(unit_cue_chars="4"), "unit_cue_chars: expected int"),
    ("entity_rules", lambda d: d["program_patterns"][0].update(reachh=3),
     "program_patterns[0]: unknown key 'reachh' (did you mean 'reach'?)"),
    ("entity_rules", lambda d: d["program_patterns"][0].update(re="x"), "needs exactly one of 're' and 'anchor_re'"),
    ("report_structure", lambda d: d["heading_styles"][1].pop("top"), "heading_styles[1]: missing key(s) 'top'"),
])
def test_a_rule_file_that_does_not_match_its_schema_is_named(
        name: str, change: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(PatternFileError, match=re.escape(message)):
        check_rules(name, _rules_with(name, change))


def test_a_mistyped_rule_key_stops_the_pipeline_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    read = patterns._read
    monkeypatch.setattr(patterns, "_read", lambda name: _rules_with(
        name, lambda d: d.update(clause_end_ree="x"), read) if name == "relations" else read(name))
    patterns.load_rules.cache_clear()
    patterns.load_patterns.cache_clear()
    try:
        with pytest.raises(PatternFileError, match=re.escape("relations.json: unknown key 'clause_end_ree'")):
            build_nlp()
    finally:
        patterns.load_rules.cache_clear()
        patterns.load_patterns.cache_clear()


def test_every_program_pattern_option_has_a_named_rule() -> None:
    """An option added to `ProgramPattern` without a rule in the tables would be read by nothing."""
    read_by_shapes = {"name", "re", "anchor_re", "requires", "reach", "before", "window", "kind", "min_body",
                      "max_body", "bad_bodies", "body_re", "drop_head"}
    ruled = {option for option, _ in (*WINDOW_RULES, *ANCHOR_RULES)}
    assert {f.name for f in dataclasses.fields(ProgramPattern)} - read_by_shapes == ruled


def test_a_program_shape_rule_reads_one_option(extractor: Extractor) -> None:
    """`after_place`: 浦江经验 is named after its county (a county without its 县), 办理经验 after nothing."""
    shapes = extractor.nlp.get_pipe("entity_rules").program_shapes
    (experience, regex), = [(p, r) for p, r in shapes.patterns if p.name == "experience"]
    for text, start in (("推广浦江经验。", 2), ("总结办理经验。", -1)):
        site = Site(text, regex.search(text), {})
        assert after_place(shapes, experience, site, 0) == start
