"""The ontology defines the whole vocabulary, and the SHACL shapes catch what breaks the contract.

Shapes are tested on a small hand-built report graph that follows TRIPLES.md: it must conform, and each
single defect planted in a copy of it must be reported, with the focus node and path that locate it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyshacl
import pytest
from conftest import DATA, run_policekg
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from policekg.kg.rdf.iris import PK, entity_iri, report_iri, report_of_part, report_part_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.rdf.validate import Violation, ontology_graph, shapes_graph, validate, validate_graph
from policekg.kg.sample import SAMPLE_REPORT

#: Every pk: term of /work/shared/design/ontology.md (classes and properties tables) and of the extra
#: terms TRIPLES.md adds. Kept as a list here because the design file lives outside the repository.
ONTOLOGY_MD_CLASSES = [
    "Report", "Section", "Measure", "PoliceUnit", "GovernmentBody", "Program", "LegalInstrument", "Law",
    "Regulation", "PolicyDocument", "Platform", "Place", "Observation", "Indicator", "Mention",
]
ONTOLOGY_MD_PROPERTIES = [
    "year", "sourceURL", "sha256", "hasSection", "hasMeasure", "ordinal", "status", "performedBy",
    "implements", "basedOn", "usesPlatform", "cooperatesWith", "partOf", "locatedIn", "hasObservation",
    "indicator", "value", "unit", "approximate", "period", "about", "mentionOf", "inReport", "start", "end",
    "text", "sentence", "mentionedIn",
]
TRIPLES_MD_PROPERTIES = ["fullText", "sourceName", "evidence", "pagerank", "betweenness", "degree", "community"]
STATUSES = ["Done", "Planned", "Problem"]

TEXT = "一、推进枫桥经验。甲县公安局依据反诈法共办结纠纷12起。"
ISSUER = "甲县公安局"
R = report_iri(ISSUER, 2023)
UNIT = entity_iri("PoliceUnit", ISSUER)
PROGRAM = entity_iri("Program", "枫桥经验")
LAW = entity_iri("Law", "反诈法")
INDICATOR = entity_iri("Indicator", "办结纠纷")
SECTION = report_part_iri(R, "section", "1")
MEASURE = report_part_iri(R, "measure", "1-1")
OBS = report_part_iri(R, "observation", "1")
STATEMENT = report_part_iri(R, "relation", "1")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return ontology_graph()


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _int(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


def _mention(g: Graph, surface: str, entity: URIRef | None = None) -> URIRef:
    start = TEXT.index(surface)
    end = start + len(surface)
    n = report_part_iri(R, "mention", f"{start}-{end}")
    for p, o in [(RDF.type, PK.Mention), (PK.inReport, R), (PK.start, _int(start)), (PK.end, _int(end)),
                 (PK.text, _zh(surface)), (PK.sentence, _zh(TEXT))]:
        g.add((n, p, o))
    if entity is not None:
        g.add((n, PK.mentionOf, entity))
    return n


def good_report() -> Graph:
    """A tiny report graph laid out exactly as TRIPLES.md says the lead maps an extraction."""
    g = Graph(identifier=R)
    title = _zh(f"{ISSUER}2023年法治政府建设工作情况")
    for p, o in [(RDF.type, PK.Report), (RDFS.label, title), (DCTERMS.title, title), (PK.year, _int(2023)),
                 (DCTERMS.issued, Literal("2024-02-01", datatype=XSD.date)), (DCTERMS.publisher, UNIT),
                 (PK.sha256, Literal("0123456789abcdef" * 4)), (PK.fullText, _zh(TEXT)),
                 (PK.hasSection, SECTION)]:
        g.add((R, p, o))
    for node, cls, label, ordinal, start, end in [(SECTION, PK.Section, "推进枫桥经验", 1, 0, len(TEXT)),
                                                  (MEASURE, PK.Measure, "推进枫桥经验", 1, 2, len(TEXT))]:
        for p, o in [(RDF.type, cls), (RDFS.label, _zh(label)), (PK.ordinal, _int(ordinal)),
                     (PK.status, PK.Done), (PK.start, _int(start)), (PK.end, _int(end)), (PK.inReport, R)]:
            g.add((node, p, o))
    g.add((SECTION, PK.hasMeasure, MEASURE))
    for iri, classes, name in [(UNIT, [PK.PoliceUnit], ISSUER), (PROGRAM, [PK.Program], "枫桥经验"),
                               (LAW, [PK.Law, PK.LegalInstrument], "反诈法")]:
        for cls in classes:
            g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, _zh(name)))
        g.add((iri, PK.mentionedIn, R))
        _mention(g, name, iri)
    g.add((INDICATOR, RDF.type, PK.Indicator))
    g.add((INDICATOR, RDFS.label, _zh("办结纠纷")))
    g.add((INDICATOR, PK.unit, Literal("起")))
    for p, o in [(RDF.type, PK.Observation), (PK.indicator, INDICATOR),
                 (PK.value, Literal(Decimal(12), datatype=XSD.decimal)), (PK.unit, Literal("起")),
                 (PK.approximate, Literal(False)), (PK.period, Literal("2023", datatype=XSD.gYear)),
                 (PK.evidence, _mention(g, "共办结纠纷12起")), (PK.inReport, R), (PK.about, UNIT)]:
        g.add((OBS, p, o))
    g.add((MEASURE, PK.hasObservation, OBS))
    g.add((MEASURE, PK.basedOn, LAW))
    g.add((UNIT, PK.implements, PROGRAM))
    for p, o in [(RDF.type, RDF.Statement), (RDF.subject, UNIT), (RDF.predicate, PK.implements),
                 (RDF.object, PROGRAM), (PK.evidence, _mention(g, "推进枫桥经验")), (PK.inReport, R)]:
        g.add((STATEMENT, p, o))
    return g


def _with(changes: list[tuple], removals: list[tuple] = ()) -> Graph:
    g = good_report()
    for triple in removals:
        g.remove(triple)
    for triple in changes:
        g.add(triple)
    return g


def _errors(g: Graph) -> list[Violation]:
    return [v for v in validate_graph(g) if v.severity == "Violation"]


# -- the ontology ------------------------------------------------------------------------------------

def test_ontology_defines_every_term_of_the_contract(ontology: Graph) -> None:
    for name in ONTOLOGY_MD_CLASSES + ["Status"]:
        assert (PK[name], RDF.type, OWL.Class) in ontology, name
    for name in ONTOLOGY_MD_PROPERTIES + TRIPLES_MD_PROPERTIES:
        types = set(ontology.objects(PK[name], RDF.type))
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
    for name in STATUSES:
        assert (PK[name], RDF.type, PK.Status) in ontology, name


def test_every_term_has_a_chinese_and_an_english_label(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PK))}
    assert len(terms) >= len(ONTOLOGY_MD_CLASSES + ONTOLOGY_MD_PROPERTIES + TRIPLES_MD_PROPERTIES)
    for term in terms:
        langs = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        assert any(c.language == "en" for c in ontology.objects(term, RDFS.comment)), term


def test_ontology_is_aligned_with_the_standard_vocabularies(ontology: Graph) -> None:
    org, prov, skos = (URIRef("http://www.w3.org/ns/org#"), URIRef("http://www.w3.org/ns/prov#"),
                       URIRef("http://www.w3.org/2004/02/skos/core#"))
    expected = [
        (PK.PoliceUnit, RDFS.subClassOf, URIRef(org + "OrganizationalUnit")),
        (PK.GovernmentBody, RDFS.subClassOf, URIRef(org + "Organization")),
        (PK.Program, RDFS.subClassOf, URIRef(skos + "Concept")),
        (PK.Indicator, RDFS.subClassOf, URIRef(skos + "Concept")),
        (PK.Measure, RDFS.subClassOf, URIRef(prov + "Activity")),
        (PK.Report, RDFS.subClassOf, URIRef(prov + "Entity")),
        (PK.Mention, RDFS.subClassOf, URIRef(prov + "Entity")),
        (PK.partOf, RDFS.subPropertyOf, URIRef(org + "subOrganizationOf")),
        (PK.partOf, RDF.type, OWL.TransitiveProperty),
        (PK.cooperatesWith, RDF.type, OWL.SymmetricProperty),
    ] + [(PK[c], RDFS.subClassOf, PK.LegalInstrument) for c in ("Law", "Regulation", "PolicyDocument")]
    for triple in expected:
        assert triple in ontology, triple


@pytest.mark.parametrize("prop, rng", [
    ("implements", PK.Program), ("basedOn", PK.LegalInstrument), ("usesPlatform", PK.Platform),
    ("partOf", PK.PoliceUnit), ("performedBy", PK.PoliceUnit), ("locatedIn", PK.Place),
    ("hasSection", PK.Section), ("hasMeasure", PK.Measure), ("hasObservation", PK.Observation),
    ("indicator", PK.Indicator), ("status", PK.Status), ("inReport", PK.Report), ("evidence", PK.Mention),
    ("value", XSD.decimal), ("approximate", XSD.boolean), ("year", XSD.integer), ("ordinal", XSD.integer),
    ("start", XSD.integer), ("end", XSD.integer), ("degree", XSD.integer), ("pagerank", XSD.decimal),
])
def test_properties_have_the_ranges_of_the_contract(ontology: Graph, prop: str, rng: URIRef) -> None:
    assert set(ontology.objects(PK[prop], RDFS.range)) == {rng}


def test_symmetric_property_has_the_same_domain_and_range(ontology: Graph) -> None:
    """Otherwise a reasoner would turn every body a bureau cooperates with into a police unit."""
    for p in ontology.subjects(RDF.type, OWL.SymmetricProperty):
        assert set(ontology.objects(p, RDFS.domain)) == set(ontology.objects(p, RDFS.range)), p


# -- the shapes --------------------------------------------------------------------------------------

def test_shapes_are_well_formed_shacl() -> None:
    """pyshacl checks the shapes graph against SHACL's own shapes (SHACL-SHACL) before using it."""
    conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    assert conforms, text


def test_good_report_conforms() -> None:
    assert validate_graph(good_report()) == []


def _assert_caught(g: Graph, focus: URIRef, path: URIRef | None, words: str) -> None:
    errors = _errors(g)
    hits = [v for v in errors if v.focus == focus and v.path == path and words in v.message]
    assert hits, f"no violation at {focus} {path} mentioning {words!r}; got {[str(v) for v in errors]}"


def test_report_without_title_is_caught() -> None:
    g = _with([], [(R, DCTERMS.title, None)])
    _assert_caught(g, R, DCTERMS.title, "exactly one non-empty dcterms:title")


@pytest.mark.parametrize("triple, path", [
    ((R, PK.year, Literal("2023")), PK.year),
    ((R, DCTERMS.publisher, PROGRAM), DCTERMS.publisher),
    ((R, DCTERMS.issued, Literal("2024-03-01", datatype=XSD.date)), DCTERMS.issued),
    ((R, PK.sha256, Literal("not-a-digest")), PK.sha256),
], ids=["second-year-as-string", "publisher-not-a-unit", "two-issued-dates", "bad-digest"])
def test_report_metadata_defects_are_caught(triple: tuple, path: URIRef) -> None:
    _assert_caught(_with([triple]), R, path, "")


def test_mention_with_start_not_before_end_is_caught() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(mention, PK.start, _int(8))], [(mention, PK.start, None)])
    _assert_caught(g, mention, PK.start, "less than its pk:end")


def test_mention_past_the_end_of_the_text_is_caught() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(mention, PK.end, _int(len(TEXT) + 5))], [(mention, PK.end, None)])
    _assert_caught(g, mention, PK.end, f"({len(TEXT)} characters)")


def test_mention_whose_text_is_not_at_its_offsets_is_caught() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(mention, PK.text, _zh("一村一辅警"))], [(mention, PK.text, None)])
    _assert_caught(g, mention, PK.text, "which reads '枫桥经验'")


def test_observation_with_a_string_value_is_caught() -> None:
    g = _with([(OBS, PK.value, Literal("十二"))], [(OBS, PK.value, None)])
    _assert_caught(g, OBS, PK.value, "xsd:decimal")


@pytest.mark.parametrize("removed, path", [
    (PK.unit, PK.unit), (PK.indicator, PK.indicator), (PK.evidence, PK.evidence), (PK.period, PK.period),
])
def test_observation_missing_a_part_is_caught(removed: URIRef, path: URIRef) -> None:
    _assert_caught(_with([], [(OBS, removed, None)]), OBS, path, "exactly one")


def test_observation_period_must_be_a_year_or_a_date() -> None:
    g = _with([(OBS, PK.period, Literal("2023年"))], [(OBS, PK.period, None)])
    _assert_caught(g, OBS, PK.period, "xsd:gYear or an xsd:date")


def test_measure_with_unknown_status_is_caught() -> None:
    g = _with([(MEASURE, PK.status, PK.Ongoing)], [(MEASURE, PK.status, None)])
    _assert_caught(g, MEASURE, PK.status, "pk:Done, pk:Planned or pk:Problem")


def test_entity_needs_one_chinese_label_per_language() -> None:
    _assert_caught(_with([(PROGRAM, RDFS.label, _zh("枫桥"))]), PROGRAM, RDFS.label, "Chinese (@zh)")
    english_only = _with([(PROGRAM, RDFS.label, Literal("Fengqiao", lang="en"))], [(PROGRAM, RDFS.label, None)])
    _assert_caught(english_only, PROGRAM, RDFS.label, "Chinese (@zh)")


def test_relation_to_an_object_of_the_wrong_class_is_caught() -> None:
    g = _with([(UNIT, PK.implements, LAW), (MEASURE, PK.basedOn, PROGRAM)])
    _assert_caught(g, UNIT, PK.implements, "must be a pk:Program")
    _assert_caught(g, MEASURE, PK.basedOn, "must be a pk:LegalInstrument")


def test_subclass_of_legal_instrument_counts_without_the_explicit_type() -> None:
    """Subclass reasoning comes from the ontology mixed in, not from a second rdf:type triple."""
    assert _errors(_with([], [(LAW, RDF.type, PK.LegalInstrument)])) == []


def test_reified_relation_must_be_asserted() -> None:
    g = _with([], [(UNIT, PK.implements, PROGRAM)])
    _assert_caught(g, STATEMENT, None, "not asserted")


def test_sentence_without_its_mention_is_a_warning_only() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(mention, PK.sentence, _zh("无关的句子。"))], [(mention, PK.sentence, None)])
    results = validate_graph(g)
    assert [(v.focus, v.path, v.severity) for v in results] == [(mention, PK.sentence, "Warning")]


def test_mention_text_that_is_no_name_of_its_entity_is_a_warning_only() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(PROGRAM, RDFS.label, _zh("枫桥式工作法"))], [(PROGRAM, RDFS.label, None)])
    assert [(v.focus, v.path, v.severity) for v in validate_graph(g)] == [(mention, PK.text, "Warning")]
    g.add((PROGRAM, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), _zh("枫桥经验")))
    assert validate_graph(g) == []


def test_violation_reads_as_one_line_naming_where_and_what() -> None:
    mention = report_part_iri(R, "mention", "4-8")
    g = _with([(mention, PK.start, _int(8))], [(mention, PK.start, None)])
    line = str(next(v for v in _errors(g) if v.path == PK.start))
    assert line.startswith("Violation: ") and "pk:start" in line and str(mention) in line and str(R) in line


# -- real data and the command line ------------------------------------------------------------------

def test_seed_report_as_ingested_conforms(seed_extraction) -> None:
    """The lead's real-data check: the seed, extracted and mapped to triples, keeps the contract."""
    graph = report_graph(seed_extraction)
    assert len(graph) > 100
    assert [str(v) for v in validate_graph(graph)] == []


def _moved(g: Graph, iri: URIRef) -> Graph:
    """The same report under another report IRI (its parts move with it)."""
    def move(term):
        return URIRef(str(term).replace(str(R), str(iri), 1)) if str(term).startswith(str(R)) else term
    moved = Graph(identifier=iri)
    for s, p, o in g:
        moved.add((move(s), p, move(o)))
    return moved


def test_seed_mention_moved_off_its_text_is_caught(seed_extraction) -> None:
    """The offsets check works on real Chinese text: shift one real mention by a character."""
    graph = report_graph(seed_extraction)
    mention = next(graph.subjects(RDF.type, PK.Mention))
    start, end = (graph.value(mention, p).toPython() for p in (PK.start, PK.end))
    graph.set((mention, PK.start, _int(start + 1)))
    graph.set((mention, PK.end, _int(end + 1)))
    actual = seed_extraction.text[start + 1:end + 1]
    _assert_caught(graph, mention, PK.text, f"which reads '{actual}'")


def test_validate_command_passes_on_the_seed_store(seed_store_path: Path) -> None:
    proc = run_policekg("validate", "--store", str(seed_store_path), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 report graphs checked: 0 violations" in proc.stdout


def test_validate_command_reports_each_violation_with_its_graph(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "store")
    mention = report_part_iri(R, "mention", "4-8")
    store.replace_graph(R, _with([(mention, PK.start, _int(8))], [(mention, PK.start, None)]))
    other_iri = report_iri("乙县公安局", 2023)
    store.replace_graph(other_iri, _moved(good_report(), other_iri))
    assert {v.graph for v in validate(store)} == {R}
    assert validate(store, other_iri) == []
    store.close()

    proc = run_policekg("validate", "--store", str(tmp_path / "store"), check=False)
    assert proc.returncode == 1
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("Violation:"))
    assert str(mention) in line and "pk:start" in line and "less than its pk:end" in line and str(R) in line
    assert "2 report graphs checked: 2 violations" in proc.stdout  # start ≥ end, and so text ≠ slice


def test_validate_command_names_an_unknown_graph(seed_store_path: Path) -> None:
    proc = run_policekg("validate", "--store", str(seed_store_path), "--graph", "https://example.org/none", check=False)
    assert proc.returncode == 1
    assert "no report graph <https://example.org/none>" in proc.stderr


def test_every_term_the_data_uses_is_defined_in_the_ontology(tmp_path: Path, ontology: Graph) -> None:
    """What `policekg ingest` writes (report graphs, analysis graph) uses only terms the ontology defines."""
    store = tmp_path / "store"
    run_policekg("ingest", "--store", str(store), "--jobs", "1", str(SAMPLE_REPORT),
                 str(DATA / "101_longde_county_2024.txt"))
    with GraphStore(store) as db:
        used = {row[0] for row in db.query(
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } FILTER(STRSTARTS(STR(?t), STR(pk:))) }")}
    defined = set(ontology.subjects())
    assert used and used - defined == set()


def test_a_report_part_names_its_report() -> None:
    """A figure's report is read off its IRI (the pages of an indicator that most reports measure do
    so for tens of thousands of figures): it must survive an issuer with a slash or a kind's name in it."""
    tricky = report_iri("observation/甲/乙市公安局", 2023)
    assert report_of_part(str(report_part_iri(tricky, "observation", "7")), "observation") == str(tricky)
    assert report_of_part(str(OBS), "observation") == str(R)
    assert report_of_part(str(MEASURE), "observation") is None
    assert report_of_part(str(PROGRAM) + "/observation/1", "observation") is None
