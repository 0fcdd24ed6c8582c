"""The vocabulary table: every entity class, relation and status, once, for every layer to derive from.

It mirrors `ontology.ttl` (a test holds the two together). The extractor reads the kinds and families,
`kg/` the IRI segments and classes, the pages the names, colours, shapes and tints. Adding a class is
one row here, its class in the ontology and shapes, and the rules that find it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityClass:
    """One class of named thing, with how every layer writes and draws it."""

    name: str  # the ontology's local name: pk:PoliceUnit
    segment: str  # the IRI path segment: https://w3id.org/policekg/id/unit/…
    family: str  # names of one family compete for the same characters (extract.overlaps)
    zh: str
    en: str
    colour: str  # node colour in graphs
    shape: str  # vis-network node shape
    tint: str  # background of badges and highlighted mentions
    parent: str | None = None  # its pk: superclass (rdfs:subClassOf), scored and drawn as the parent
    own_group: bool = False  # pages list it as its own class, apart from its parent (提法 beside 工作机制)
    extracted: bool = True  # the extractor finds it as a name (Indicator and LegalInstrument are not)
    searchable: bool = True  # /search lists it
    local: bool = False  # an instance may belong to a bureau (its IRI carries the bureau)


ENTITY_CLASSES: tuple[EntityClass, ...] = (
    EntityClass("PoliceUnit", "unit", "org", "公安机关", "Police units", "#1f5fbf", "dot", "#cfe2ff", local=True),
    EntityClass("GovernmentBody", "body", "org", "其他机关", "Government bodies", "#7b4fb0", "diamond", "#e2d9f3"),
    EntityClass("Program", "program", "program", "工作机制", "Programs", "#e0661b", "triangle", "#ffe5b4"),
    EntityClass("Formulation", "program", "program", "提法", "Formulations", "#b5451b", "triangle", "#ffe5b4",
                parent="Program", own_group=True),
    EntityClass("Law", "law", "legal", "法律", "Laws", "#2e8b57", "square", "#d1f0e0", parent="LegalInstrument"),
    EntityClass("Regulation", "law", "legal", "法规", "Regulations", "#2e8b57", "square", "#d1f0e0",
                parent="LegalInstrument"),
    EntityClass("PolicyDocument", "law", "legal", "规范性文件", "Policy documents", "#2e8b57", "square", "#d1f0e0",
                parent="LegalInstrument"),
    EntityClass("LegalInstrument", "law", "legal", "法律文件", "Legal instruments", "#2e8b57", "square", "#d1f0e0",
                extracted=False),
    EntityClass("Platform", "platform", "platform", "平台", "Platforms", "#c9a100", "star", "#ffd6e7"),
    EntityClass("Place", "place", "place", "地点", "Places", "#7a7a7a", "triangleDown", "#e8e8e8"),
    EntityClass("Indicator", "indicator", "indicator", "指标", "Indicators", "#b8860b", "hexagon", "#fff3b0",
                extracted=False),
    EntityClass("CanonicalIndicator", "indicator", "indicator", "规范指标", "Canonical indicators", "#b8860b",
                "hexagon", "#fff3b0", parent="Indicator", extracted=False, searchable=False),
)
BY_NAME: dict[str, EntityClass] = {c.name: c for c in ENTITY_CLASSES}

#: The kinds the extractor names (`Entity.kind`), in the order it lists them.
EXTRACTED_KINDS: tuple[str, ...] = tuple(c.name for c in ENTITY_CLASSES if c.extracted)
#: The program and its subclass the formulation (四个意识), named and scored as programs.
PROGRAM_KINDS: tuple[str, ...] = tuple(c.name for c in ENTITY_CLASSES if "Program" in (c.name, c.parent))
#: The legal subclasses, which share an IRI segment and are grouped as LegalInstrument.
LEGAL_KINDS: tuple[str, ...] = tuple(c.name for c in ENTITY_CLASSES if c.parent == "LegalInstrument")
#: Classes as pages group them: a subclass appears under its parent unless it is its own group.
GROUPED_CLASSES: tuple[str, ...] = tuple(c.name for c in ENTITY_CLASSES if c.parent is None or c.own_group)
#: Subclass → the class pages list it under (a law with the legal instruments); own groups are absent.
PAGE_PARENT: dict[str, str] = {c.name: c.parent for c in ENTITY_CLASSES if c.parent and not c.own_group}
#: IRI segment → the class a page or a filter means by it (`law` means every legal instrument).
SEGMENT_CLASS: dict[str, str] = {c.segment: c.name for c in ENTITY_CLASSES if c.parent is None}


@dataclass(frozen=True)
class ReportPart:
    """Something that exists only inside one report, shown on pages beside the entity classes."""

    name: str
    zh: str
    en: str
    searchable: bool = False


REPORT_PARTS: tuple[ReportPart, ...] = (
    ReportPart("Report", "报告", "Reports", searchable=True),
    ReportPart("Section", "部分", "Sections"),
    ReportPart("Measure", "举措", "Measures", searchable=True),
    ReportPart("Observation", "数据", "Figures"),
    ReportPart("Mention", "提及", "Mentions"),
)
PART_TINT = "#eef1f7"


@dataclass(frozen=True)
class RelationKind:
    """A relation the extractor states between two things, with how pages word it."""

    name: str  # pk:implements
    zh: str
    en: str


RELATIONS: tuple[RelationKind, ...] = (
    RelationKind("partOf", "隶属", "part of"),
    RelationKind("implements", "实施", "implements"),
    RelationKind("performedBy", "承办", "performed by"),
    RelationKind("basedOn", "依据", "based on"),
    RelationKind("usesPlatform", "使用平台", "uses platform"),
    RelationKind("cooperatesWith", "协作", "cooperates with"),
    RelationKind("locatedIn", "位于", "located in"),
)
RELATION_NAMES: tuple[str, ...] = tuple(r.name for r in RELATIONS)


@dataclass(frozen=True)
class StatusKind:
    """What a measure says of its work: done, a problem, or planned."""

    name: str
    zh: str
    en: str
    tint: str
    ink: str


STATUSES: tuple[StatusKind, ...] = (
    StatusKind("Done", "已完成", "done", "#dcf2e1", "#1e5e2e"),
    StatusKind("Problem", "问题", "problem", "#fbe0e0", "#8a1c1c"),
    StatusKind("Planned", "计划", "planned", "#e1e9fb", "#1f3f8a"),
)
STATUS_NAMES: tuple[str, ...] = tuple(s.name for s in STATUSES)


@dataclass(frozen=True)
class Value:
    """One individual of a closed value set (a figure's bound, an indicator's quantity kind)."""

    name: str
    zh: str
    en: str
    sign: str = ""  # how a page marks it beside a figure (≥ 30)


#: Value set (its ontology class) → its individuals, as pages show them.
VALUE_SETS: dict[str, tuple[Value, ...]] = {
    "Bound": (Value("Exact", "确数", "exact"), Value("AtLeast", "至少", "at least", "≥"),
              Value("About", "约数", "about", "≈"), Value("AtMost", "至多", "at most", "≤")),
    "QuantityKind": (Value("Count", "数量", "count"), Value("Rate", "比率", "rate"),
                     Value("Amount", "金额", "amount"), Value("Duration", "时长", "duration")),
    "ChangeDirection": (Value("Increase", "上升", "increase", "↑"), Value("Decrease", "下降", "decrease", "↓")),
}


#: Classes of what the analysis writes about the whole collection (`kg.network.tallies`), not read from a
#: report: the years whose counts it keeps.
ANALYSIS_CLASSES: tuple[str, ...] = ("Year",)


def tints_css() -> str:
    """The CSS that tints badges and highlighted mentions, one rule per class and status."""
    rules = [f".{c.name} {{ --c: {c.tint}; }}" for c in ENTITY_CLASSES]
    rules += [f".{p.name} {{ --c: {PART_TINT}; }}" for p in REPORT_PARTS]
    rules += [f".status.{s.name} {{ background: {s.tint}; color: {s.ink}; }}" for s in STATUSES]
    return "\n".join(rules) + "\n"
