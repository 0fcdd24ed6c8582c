"""The pipeline's shape: components declare what they read and write, keep nothing of a report, and
leave everything on the Doc in one typed state."""

from __future__ import annotations

import spacy
from conftest import small_report
from policekg.extract import Extractor
from policekg.extract.doc_state import STATE_KEY, DocState
from policekg.extract.pipeline import COMPONENTS

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
