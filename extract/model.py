"""The extraction result: plain data, the only thing `extract/` hands to `kg/`.

These classes are the contract between the two halves of the project. `extract/` fills them from a
spaCy `Doc`; `kg/` turns them into triples. Keeping them free of spaCy and RDF types is what lets
either side change without the other noticing.

Offsets (`start`, `end`) are character offsets into `Extraction.text`, the *normalised* report text
(see `extract.normalize`), end exclusive, exactly as Python slices them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from policekg.schema import vocabulary

#: The kinds an `Entity` may have: the vocabulary's extracted classes, in its order.
ENTITY_KINDS: tuple[str, ...] = vocabulary.EXTRACTED_KINDS
#: The legal ones (Law, Regulation, PolicyDocument), grouped as LegalInstrument.
LEGAL_KINDS: tuple[str, ...] = vocabulary.LEGAL_KINDS
PROGRAM_KINDS: tuple[str, ...] = vocabulary.PROGRAM_KINDS
Status = Literal["Done", "Problem", "Planned"]
RelationName = Literal["partOf", "implements", "performedBy", "basedOn", "usesPlatform", "cooperatesWith",
                       "locatedIn"]


@dataclass(slots=True)
class Mention:
    """One occurrence of a name (or a figure) in the text, with the sentence around it.

    Made once per mention, figure and relation's evidence (tens of thousands a megabyte), so a plain
    slotted class: a frozen dataclass sets each field through `object.__setattr__`.
    """

    start: int
    end: int
    text: str
    sentence: str


@dataclass
class Entity:
    """A thing the report names, under its canonical name in the issuer's context.

    `key` is unique within one extraction and is how relations and observations point at it.
    `parent` is the canonical name of the bureau a local unit belongs to (a 派出所 of 慈溪市公安局):
    it becomes part of the IRI, because there are hundreds of 城关派出所.
    """

    kind: str
    name: str
    parent: str | None = None
    aliases: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    def __post_init__(self) -> None:
        # read some 120 times per report (relations, figures, alias folding); kind, name and parent are
        # never changed once the entity is made (a plain attribute: functools.cached_property takes a lock)
        self.key: str = entity_key(self.kind, self.name, self.parent)


def entity_key(kind: str, name: str, parent: str | None = None) -> str:
    """The in-extraction identifier of an entity (`PoliceUnit:慈溪市公安局/周巷派出所`)."""
    return f"{kind}:{parent}/{name}" if parent else f"{kind}:{name}"


def measure_key(ordinal: str) -> str:
    """The in-extraction identifier of a measure (`measure:4-1`), as the gold files write it."""
    return f"measure:{ordinal}"


@dataclass
class Measure:
    """One action item: a (一) heading with its paragraph, a problem, or a 一是… plan item."""

    ordinal: str  # "4-1": section 4, measure 1
    title: str
    status: str  # Status
    start: int
    end: int


@dataclass
class Section:
    """A numbered part of the report (一、…), or the problems / plans part that follows them."""

    ordinal: str  # "4"
    title: str
    status: str  # Status
    start: int
    end: int
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Observation:
    """One reported figure (2022年共办结矛盾纠纷822起).

    `indicator` names what is counted, the same in every report: the canonical indicator's id
    (`disputes_resolved`, `disputes_resolved/警调衔接`) when `canonical`, else the phrase as written,
    never a fragment (下降, 和). `label` is its column heading; `indicator_text` is what this report wrote.
    `period` is a year ("2022") or a date ("2022-12-20"). `measure` is the ordinal of the measure whose
    paragraph holds the figure; `about` holds entity keys the figure counts. `bound` is exact, at_least,
    about or at_most (`approximate` is bound != exact); `target` marks a figure in a plan; `change` is
    up or down when the figure is a change of its indicator (`change_basis`: 同比, 较上年). `scope` (全旗),
    `qualifiers` (累计, 全年) and `area` (涉网案件) are the words that narrow it, as written.
    """

    value: Decimal
    unit: str
    indicator: str
    indicator_text: str
    period: str
    mention: Mention
    approximate: bool = False
    measure: str | None = None
    about: list[str] = field(default_factory=list)
    label: str = ""
    canonical: bool = False
    bound: str = "exact"
    target: bool = False
    change: str | None = None
    change_basis: str = ""
    scope: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    area: str | None = None


@dataclass
class Relation:
    """A relation stated in the text; subject and object are entity or measure keys."""

    subject: str
    predicate: str  # RelationName
    object: str
    evidence: Mention


@dataclass
class ReportMeta:
    """What identifies a report: its issuer and year are required, the rest is best effort."""

    issuer: str
    year: int
    title: str | None = None
    published: date | None = None
    source_url: str | None = None
    source_name: str | None = None  # 信息来源


@dataclass
class Extraction:
    """Everything found in one report."""

    text: str
    meta: ReportMeta
    sha256: str
    sections: list[Section] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def measures(self) -> list[Measure]:
        return [m for s in self.sections for m in s.measures]
