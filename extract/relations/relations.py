"""`relations`: the relations the text states between measures, units, programs, laws and platforms.

Each relation is read inside one clause and keeps that clause as its evidence:

- partOf: every local unit (an entity whose parent is the issuer) → the issuer; a 分局 issuer → its
  city bureau.
- implements: a measure → every program its paragraph names (unless named as the occasion, 以…为契机);
  a unit → a program it names directly (市局“法学课堂”) or as the subject of the clause
  (簇桥派出所组织“反诈进社区”宣传活动, 玉林派出所被命名为“枫桥式公安派出所”).
- performedBy: a measure → the issuer's own unit that acts in it: the subject of a clause, the
  publisher of a document (市局《…》), the unit whose officers act (法制大队民警…), the exemplar
  (以城关派出所为试点).
- basedOn: a measure → a legal instrument after 根据/依据/按照/执行… in the same clause.
- usesPlatform: a measure → every platform its paragraph names (not one acting on us: 被…录用).
- cooperatesWith: the issuer → a body after 联合/会同, or after 与 with a word of joint work.

Measures of the problems part (status Problem) carry out nothing, so only structure relations and
cooperation are read there. The word lists are data: `schema/patterns/relations.json`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from operator import itemgetter
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import doc_text, sentences_of, state
from policekg.extract.model import LEGAL_KINDS, Entity, Measure, Relation, Section, entity_key, measure_key
from policekg.extract.names.issuer_context import IssuerContext
from policekg.extract.patterns import compile_alternation, load_patterns
from policekg.extract.text.clauses import Clauses
from policekg.extract.text.marks import OPENING_QUOTES

_START = itemgetter(1)  # Occurrence.start


class Occurrence(NamedTuple):
    """One mention of an entity, by position, with the entity's key and kind read once."""

    entity: Entity
    start: int
    end: int
    key: str
    kind: str


def _occurrences(entities: list[Entity]) -> list[Occurrence]:
    """Every mention of every entity, in text order."""
    new = tuple.__new__  # what Occurrence(...) calls, without its Python-level __new__ per mention
    found = [new(Occurrence, (e, m.start, m.end, e.key, e.kind)) for e in entities for m in e.mentions]
    found.sort(key=_START)
    return found


class Stated(NamedTuple):
    """A relation found at a place in the text; its evidence is read only for the first statement of
    each (subject, predicate, object), the one kept."""

    subject: str
    predicate: str
    object: str
    start: int
    end: int | None = None


@Language.factory(
    "relations",
    requires=["doc._.issuer_context", "doc._.entities", "doc._.sections", "token.is_sent_start"],
    assigns=["doc._.relations"],
)
def make_relations(nlp: Language, name: str) -> Relations:
    return Relations()


class Relations:
    """Fills `doc._.relations` from `doc._.entities`, `doc._.sections` and the text."""

    def __init__(self) -> None:
        self.rules: dict[str, Any] = {}

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        r = self.rules = load_patterns("relations")
        self.clause_end = re.compile(f"({r['clause_end_re']})")  # one group: `Clauses` splits on it
        self.occasion = re.compile(r["occasion_re"])
        self.markers = re.compile(f"(?:{r['item_number_re']})?(?:{compile_alternation(r['clause_start_markers'])})?")
        self.based_on = re.compile(compile_alternation(r["based_on_triggers"]))
        self.coop_words = re.compile(compile_alternation(r["cooperation_words"]))
        self.party_subject = re.compile(r["party_subject_re"])
        self.exemplar_end = re.compile(r["exemplar_end_re"])
        # the word lists read with startswith/endswith, as the tuples those take (made once, not per mention)
        self.joiners = tuple(r["list_joiners"])
        self.studied = tuple(r["based_on_studied"])
        self.actor_followers = tuple(r["publisher_followers"] + r["officer_followers"])
        self.not_subject_followers = tuple(r["subject_excluded_followers"])
        self.issuer_subject_followers = tuple(r["issuer_subject_followers"])

    def __call__(self, doc: Doc) -> Doc:
        found = state(doc)
        ctx = found.issuer_context
        found.relations = [] if ctx is None else _Reading(self, doc, ctx, found.entities).relations(found.sections)
        return doc


class _Reading:
    """One document read for relations: what the rules look up in it, found once per document (the
    component itself keeps only the compiled rules, so it holds nothing of a report after reading it)."""

    def __init__(self, rules: Relations, doc: Doc, ctx: IssuerContext, entities: list[Entity]) -> None:
        self.r = rules
        self.entities = entities
        self._doc_text = doc_text(doc)
        self._clauses = Clauses(self._doc_text, sentences_of(doc), rules.clause_end)
        self._issuer = entity_key("PoliceUnit", ctx.issuer)
        self._ctx = ctx
        occurrences = _occurrences(entities)
        self._occurrences = occurrences
        self._own_units = {e.key for e in entities if self._is_own_unit(e)}
        self._occasions: dict[int, list[tuple[int, int]]] = {}
        self._starts = [o.start for o in occurrences]
        self._units_by_start = {o.start: o for o in reversed(occurrences) if o.kind == "PoliceUnit"}
        self._units_by_end = {o.end: o for o in occurrences if o.kind == "PoliceUnit"}

    def relations(self, sections: list[Section]) -> list[Relation]:
        """Every relation stated, each once, with the evidence of its first statement."""
        occurrences, entities = self._occurrences, self.entities
        measures = sorted((m for s in sections for m in s.measures), key=lambda m: m.start)
        found: dict[tuple[str, str, str], Stated] = {}
        by_units = list(self._unit_programs(occurrences))
        unmeasured = [] if measures else list(self._issuer_programs(occurrences, {r.object for r in by_units}))
        for rel in [*self._part_of(entities, self._ctx.parent_bureau), *self._by_measure(occurrences, measures),
                    *by_units, *unmeasured, *self._cooperation(occurrences)]:
            found.setdefault(rel[:3], rel)
        return [Relation(s, p, o, self._clauses.evidence(start, end)) for s, p, o, start, end in found.values()]

    # -- helpers --------------------------------------------------------------------------------------

    def _is_own_unit(self, e: Entity) -> bool:
        return e.kind == "PoliceUnit" and (e.parent is not None or e.key == self._issuer or self._is_branch(e))

    def _is_branch(self, e: Entity) -> bool:
        """宜昌市公安局西陵区分局 in 宜昌市公安局's report: a branch of the issuer, named in full."""
        return e.kind == "PoliceUnit" and e.parent is None and self._ctx.is_branch(e.name)

    def _between(self, lo: int, hi: int) -> list[Occurrence]:
        """The occurrences starting in [lo, hi), found by bisection (reports can be long)."""
        return self._occurrences[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]

    def _owns_next(self, o: Occurrence) -> bool:
        """Whether a unit is written right after `o` (新会区分局会城派出所): `o` then only says whose the
        unit is; the unit after it is the one that acts."""
        i = bisect_left(self._starts, o.end)
        return i < len(self._starts) and self._starts[i] == o.end and self._occurrences[i].kind == "PoliceUnit"

    def _clause_text_before(self, o: Occurrence) -> str:
        start, _ = self._clauses.clause(o.start)
        return self._doc_text[start:o.start]

    def _at_clause_start(self, o: Occurrence) -> bool:
        """Whether `o` opens its clause, alone or in a list of units (簇桥派出所、红牌楼派出所组织…)."""
        start, _ = self._clauses.clause(o.start)
        cursor = self.r.markers.match(self._doc_text, start).end()
        joiners = self.r.joiners
        for p in self._between(cursor, o.start):
            if p.kind != "PoliceUnit":
                continue
            if p.start != cursor:
                return False
            cursor = p.end + (self._doc_text[p.end:p.end + 1] in joiners)
        return cursor == o.start

    # -- partOf ---------------------------------------------------------------------------------------

    def _part_of(self, entities: list[Entity], parent_bureau: str | None) -> Iterator[Stated]:
        """A local unit is part of its parent (its station of a branch: part of 江门市公安局新会区分局), or
        of the local unit it is first written after (交警大队车管中队, 城关派出所东街社区警务室);
        a branch of the issuer is part of the issuer; the issuer of a 分局 is part of its city bureau."""
        units = [e for e in entities if e.kind == "PoliceUnit" and e.mentions]
        keys = {e.name: e.key for e in units}
        local_ends = {m.end: e for e in units if e.parent for m in e.mentions}
        for e in units:
            if e.parent:
                owner = local_ends.get(e.mentions[0].start)  # 交警大队|车管中队: written after its own unit
                parent = owner.key if owner is not None and owner is not e else \
                    keys.get(e.parent, entity_key("PoliceUnit", e.parent))
                yield Stated(e.key, "partOf", parent, e.mentions[0].start)
            elif self._is_branch(e):
                yield Stated(e.key, "partOf", self._issuer, e.mentions[0].start)
        issuer = next((e for e in units if e.parent is None and e.name == self._ctx.issuer), None)
        if parent_bureau and issuer and parent_bureau in keys:
            yield Stated(self._issuer, "partOf", keys[parent_bureau], issuer.mentions[0].start)

    # -- measure relations ------------------------------------------------------------------------

    def _by_measure(self, occurrences: list[Occurrence], measures: list[Measure]) -> Iterator[Stated]:
        starts = [m.start for m in measures]
        keys = [measure_key(m.ordinal) for m in measures]
        brands = self._brands(occurrences)
        for o in occurrences:
            kind = o.kind
            if kind in ("Place", "GovernmentBody"):
                continue  # what a measure neither carries out, uses, rests on nor is performed by
            i = bisect_right(starts, o.start) - 1
            if i < 0 or o.start >= measures[i].end or measures[i].status == "Problem":
                continue
            measure = keys[i]
            if kind == "Program" and o.key not in brands and not self._as_occasion(o):
                yield Stated(measure, "implements", o.key, o.start)
            elif kind == "Platform" and not self._passive(o) and not self._as_occasion(o):
                yield Stated(measure, "usesPlatform", o.key, o.start)
            elif kind in LEGAL_KINDS and self._rests_on(o):
                yield Stated(measure, "basedOn", o.key, o.start)
            elif o.key in self._own_units and self._performs(o):
                yield Stated(measure, "performedBy", o.key, o.start)

    def _rests_on(self, o: Occurrence) -> bool:
        """根据/依据/严格落实/深入贯彻《…》: a trigger earlier in the clause, not one of studying (学习贯彻)."""
        before = self._clause_text_before(o)
        studied = self.r.studied
        return any(not before[:m.start()].endswith(studied) for m in self.r.based_on.finditer(before))

    def _as_occasion(self, o: Occurrence) -> bool:
        start, end = self._clauses.clause(o.start)
        spans = self._occasions.get(start)
        if spans is None:  # a clause names several things
            spans = self._occasions[start] = [m.span() for m in self.r.occasion.finditer(self._doc_text, start, end)]
        for a, b in spans:
            if a <= o.start and o.end <= b:
                return True
        return False

    def _brands(self, occurrences: list[Occurrence]) -> set[str]:
        """The programs the report only ever names as a unit's own (匡堰派出所“老励工作室”): the unit
        implements them, a measure promoting them does not carry them out itself. A program also named
        alone (推行“警律联调”…, 推广玉林派出所“警律联调”经验) is the measure's too."""
        owned: dict[str, bool] = {}
        for o in occurrences:
            if o.kind == "Program":
                owned[o.key] = owned.get(o.key, True) and self._owned_by_unit(o)
        return {key for key, only in owned.items() if only}

    def _owned_by_unit(self, o: Occurrence) -> bool:
        """Whether the program `o` is written right after a unit, in quotes, inside its clause (推广匡堰
        派出所“老励工作室”); a unit and its brand opening the clause (湄江派出所“老杨工作室”调解纠纷…) are
        what the measure reports, as 湄江派出所打造“老杨工作室” would be."""
        if o.start == 0 or self._doc_text[o.start - 1] not in OPENING_QUOTES:
            return False
        i = bisect_left(self._starts, o.start - 12)
        return any(p.end == o.start - 1 and p.kind == "PoliceUnit"
                   and not self._at_clause_start(p)
                   for p in self._occurrences[i:bisect_left(self._starts, o.start)])

    def _passive(self, o: Occurrence) -> bool:
        return self.r.rules["passive_marker"] in self._clause_text_before(o)

    def _performs(self, o: Occurrence) -> bool:
        text = self._doc_text
        if self._owns_next(o):
            return False
        after = text[o.end:o.end + 4]
        if after.startswith(self.r.actor_followers):
            return True
        if self._is_exemplar(o):
            return True
        if self.r.party_subject.match(text, o.end):  # 县局党委书记、局长切实履行…: the bureau's leadership acts
            return self._at_clause_start(o)
        end = self._list_end(o)
        predicate = text[end:end + 4]
        if predicate.startswith(self.r.not_subject_followers) or not predicate or predicate[0] in ",;。:":
            return False
        if o.key == self._issuer and not after.startswith(self.r.issuer_subject_followers):
            return False
        return self._at_clause_start(o)

    def _is_exemplar(self, o: Occurrence) -> bool:
        """以城关派出所、红城派出所为试点: `o` is in the list of units between 以 and 为试点 (the measure's
        example, so it acts in the measure)."""
        text, joiner = self._doc_text, self.r.rules["exemplar_joiner"]
        start, end = o.start, o.end
        while text[start - 1:start] == joiner and (previous := self._units_by_end.get(start - 1)) is not None:
            start = previous.start
        while text[end:end + 1] == joiner and (following := self._units_by_start.get(end + 1)) is not None:
            end = following.end
        return text[start - 1:start] == self.r.rules["exemplar_lead"] and self.r.exemplar_end.match(text, end) is not None

    def _list_end(self, o: Occurrence) -> int:
        """Where the run of units that `o` starts or belongs to ends (西陵区分局、夷陵区分局执法办案管理中心
        被…: what follows the whole run is the predicate)."""
        end = o.end
        following = self._occurrences
        for i in range(bisect_left(self._starts, o.end), len(following)):  # no copy of the rest of the list
            p = following[i]
            if p.kind != "PoliceUnit":
                continue
            gap = self._doc_text[end:p.start]
            if gap and gap not in self.r.joiners:
                break
            end = p.end
        return end

    # -- units and programs -----------------------------------------------------------------------

    def _unit_programs(self, occurrences: list[Occurrence]) -> Iterator[Stated]:
        """A unit implements a program it names directly (市局“法学课堂”), or one named in the sentence
        it is the subject of (大峃中心派出所派驻调解员2名,全年通过警调衔接化解纠纷…)."""
        quotes = OPENING_QUOTES
        adjacent = ("", *quotes)  # a program written right after the unit, or after an opening quote
        for o in occurrences:
            if o.kind != "PoliceUnit" or self._owns_next(o):
                continue
            subject = o.key != self._issuer and self._at_clause_start(o) \
                and self._doc_text[o.end:o.end + 1] not in quotes
            end = self._clauses.sentences.bounds(o.start)[1] if subject else self._clauses.clause(o.start)[1]
            for p in self._between(o.start + 1, end):
                if p.kind == "Program" and (subject or self._doc_text[o.end:p.start] in adjacent):
                    yield Stated(o.key, "implements", p.key, o.start, p.end)

    def _issuer_programs(self, occurrences: list[Occurrence], claimed: set[str]) -> Iterator[Stated]:
        """A text without measures (a news article) reports what the issuer does: it implements the
        programs it names, but those a unit of it was said to carry out."""
        for o in occurrences:
            if o.kind == "Program" and o.key not in claimed and not self._as_occasion(o):
                yield Stated(self._issuer, "implements", o.key, o.start)

    # -- cooperation ------------------------------------------------------------------------------

    def _cooperation(self, occurrences: list[Occurrence]) -> Iterator[Stated]:
        """The issuer, or its unit that opens the clause (交警大队联合县教育局…), works with a body."""
        for o in occurrences:
            if o.kind not in ("GovernmentBody", "PoliceUnit") or o.key in self._own_units:
                continue
            if self._led_by(o) or self._partnered(o):
                yield Stated(self._clause_subject(o), "cooperatesWith", o.key, o.start)

    def _clause_subject(self, o: Occurrence) -> str:
        """The own unit opening `o`'s clause, else the nearest one opening an earlier clause of its
        sentence (西城派出所主动靠前,联合…中心: the station still acts), else the issuer."""
        start, _ = self._clauses.clause(o.start)
        subject = self._issuer
        for p in self._between(self._clauses.sentences.bounds(o.start)[0], o.start):
            if p.key in self._own_units and self._at_clause_start(p) \
                    and not self._owns_next(p):
                subject = p.key
                if p.start >= start:
                    break
        return subject

    def _led_by(self, o: Occurrence) -> bool:
        """联合市委网信办、市卫生健康局…: 联合/会同, then only bodies and list marks up to `o`."""
        start, _ = self._clauses.clause(o.start)
        before = self._doc_text[start:o.start]
        joiners = self.r.joiners
        for lead in self.r.rules["cooperation_leads"]:
            pos = before.rfind(lead)
            if pos < 0:
                continue
            cursor = start + pos + len(lead)
            for p in self._between(cursor, o.start):
                if p.start == cursor and p.kind in ("GovernmentBody", "PoliceUnit"):
                    cursor = p.end + (self._doc_text[p.end:p.end + 1] in joiners)
            if cursor == o.start:
                return True
        return False

    def _partnered(self, o: Occurrence) -> bool:
        """与县市场监督管理局建立…协作机制: 与 right before the body (or before the list it ends:
        与县人民法院、县综治中心建立联动机制), joint work later in the clause."""
        before = self._doc_text[o.start - 1:o.start]
        if before in self.r.rules["list_joiners"]:
            previous = [p for p in self._between(o.start - 40, o.start - 1) if p.end == o.start - 1
                        and p.kind in ("GovernmentBody", "PoliceUnit")]
            return bool(previous) and self._partnered(previous[-1])
        if before not in self.r.rules["cooperation_partners"]:
            return False
        _, end = self._clauses.clause(o.start)
        return bool(self.r.coop_words.search(self._doc_text, o.end, end))
