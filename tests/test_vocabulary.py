"""`schema/vocabulary.py` against `schema/ontology.ttl`: every class, relation and status the table
names exists in the ontology, as what the table says it is, and the ontology has no class or status
the table leaves out."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from policekg.schema import ONTOLOGY
from policekg.schema.vocabulary import (
    ANALYSIS_CLASSES,
    ENTITY_CLASSES,
    RELATIONS,
    REPORT_PARTS,
    STATUSES,
    VALUE_SETS,
)

PK = Namespace("https://w3id.org/policekg/ontology#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _pk_parents(ontology: Graph, name: str) -> set[str]:
    return {str(o)[len(PK):] for o in ontology.objects(PK[name], RDFS.subClassOf) if str(o).startswith(str(PK))}


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: c.name)
def test_every_entity_class_is_an_ontology_class_under_its_parent(ontology: Graph, cls) -> None:
    assert (PK[cls.name], RDF.type, OWL.Class) in ontology, f"pk:{cls.name} is not an owl:Class"
    assert _pk_parents(ontology, cls.name) == ({cls.parent} if cls.parent else set()), \
        f"pk:{cls.name} should be a subclass of {cls.parent or 'no pk: class'}"


@pytest.mark.parametrize("part", REPORT_PARTS, ids=lambda p: p.name)
def test_every_report_part_is_an_ontology_class(ontology: Graph, part) -> None:
    assert (PK[part.name], RDF.type, OWL.Class) in ontology


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: r.name)
def test_every_relation_is_an_object_property(ontology: Graph, relation) -> None:
    assert (PK[relation.name], RDF.type, OWL.ObjectProperty) in ontology


@pytest.mark.parametrize("status", STATUSES, ids=lambda s: s.name)
def test_every_status_is_a_status_individual(ontology: Graph, status) -> None:
    assert (PK[status.name], RDF.type, PK.Status) in ontology


def test_the_table_leaves_out_no_class_and_no_status_of_the_ontology(ontology: Graph) -> None:
    classes = {str(c)[len(PK):] for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(PK))}
    listed = {c.name for c in ENTITY_CLASSES} | {p.name for p in REPORT_PARTS} | {"Status", *VALUE_SETS, *ANALYSIS_CLASSES}
    assert classes == listed
    statuses = {str(s)[len(PK):] for s in ontology.subjects(RDF.type, PK.Status)}
    assert statuses == {s.name for s in STATUSES}
    for value_set, values in VALUE_SETS.items():
        individuals = {str(v)[len(PK):] for v in ontology.subjects(RDF.type, PK[value_set])}
        assert individuals == {v.name for v in values}, value_set

