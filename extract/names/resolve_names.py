"""`resolve_names`: turns the names `entity_rules` found into `Entity` objects with canonical names.

Every span becomes a mention of one entity. The canonical name depends on the kind: programs, laws
and platforms are named by their words alone (`extract.names.canonical`), organisations in the context of the
issuer (`extract.names.abbreviations`: 市局 → the issuer, 市委 → 中共慈溪市委), places by the gazetteer.
A local unit (周巷派出所) gets the issuer as `parent`, which puts the issuer into its IRI.
Finally short spellings are folded into the long name they abbreviate (共享平台 → 宁波电子证明共享核查
平台, 无证办 → 无证件(证明)办事) when exactly one candidate fits (`extract.names.aliases`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import sentences_of, state, warn
from policekg.extract.model import LEGAL_KINDS, PROGRAM_KINDS, Entity, Mention, entity_key
from policekg.extract.names.abbreviations import Abbreviations
from policekg.extract.names.aliases import fold_aliases
from policekg.extract.names.canonical import Namer, national_namer
from policekg.extract.names.issuer_context import IssuerContext, issuer_context
from policekg.extract.names.lexicon import gazetteer
from policekg.extract.patterns import load_patterns
from policekg.extract.text.marks import COUNTY_WORDS


@Language.factory(
    "resolve_names",
    requires=["doc._.meta", "doc._.named", "token.is_sent_start"],
    assigns=["doc._.entities", "doc._.issuer_context"],
)
def make_resolve_names(nlp: Language, name: str) -> ResolveNames:
    return ResolveNames()


class ResolveNames:
    """Fills `doc._.entities` (and `doc._.issuer_context`, which `relations` reads)."""

    def __init__(self) -> None:
        self.namer: Namer | None = None

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        rules = load_patterns("entity_rules")
        self.namer = national_namer(rules)
        self.full_stems: dict[str, str] = rules["department_full_stems"]
        self.app_suffixes: tuple[str, ...] = tuple(rules["app_suffixes"])
        self.platform_owner = re.compile(rules["platform_owner_re"])
        self.gaz = gazetteer()

    def __call__(self, doc: Doc) -> Doc:
        found = state(doc)
        meta = found.meta
        if not meta or not meta.issuer or found.named is None:
            found.entities = []
            return doc
        text = found.text
        new = tuple.__new__  # what Named(...) calls, without its Python-level __new__ per mention
        spans = [new(Named, (kind, start, end, text[start:end], known)) for kind, start, end, known in found.named]
        ctx = issuer_context(meta.issuer, self.gaz)
        if ctx.province is None:  # the places the text names settle the province
            ctx = issuer_context(meta.issuer, self.gaz, [s.known or s.text for s in spans if s.kind == "Place"])
        found.issuer_context = ctx
        abbr = Abbreviations(ctx, self.gaz, self.full_stems)
        report = _Report(abbr, {s.text for s in spans if s.kind in ("PoliceUnit", "GovernmentBody")},
                         {s.start: s for s in spans if s.kind == "GovernmentBody"}, _owned_units(spans, abbr))
        sentences = sentences_of(doc)
        by_key: dict[str, Entity] = {}
        seen: dict[tuple[str, str, str], Entity | None] = {}  # a name repeats: resolve it once
        branch: tuple[int, Abbreviations] | None = None  # the issuer's branch its sentence is about
        for span in spans:
            surface = (span.kind, span.text, span.known)
            local = branch[1] if branch and _below_issuer(span, ctx) \
                and branch[0] == sentences.bounds(span.start)[0] else None
            if local is not None:  # 新会区分局…联合区司法局: the district is the branch's
                entity = _entity(by_key, span.kind, local.body(span.text))
            elif surface in seen and span.kind != "Platform":  # a platform's name depends on its owner
                entity = seen[surface]
            else:
                named = self._name(span, report)
                entity = seen[surface] = None if named is None else _entity(by_key, span.kind, *named)
            if entity is None:
                continue
            if entity.kind == "PoliceUnit" and entity.parent is None and ctx.is_branch(entity.name):
                branch = sentences.bounds(span.start)[0], self._branch_abbreviations(entity.name, report)
            entity.aliases.add(span.text)
            entity.mentions.append(Mention(span.start, span.end, span.text, sentences.at(span.start)))
        found.entities = fold_aliases(list(by_key.values()), self.app_suffixes)
        if abbr.unresolved:
            warn(doc,
                 f"kept as written, the place they belong to is unknown from the issuer {ctx.issuer}: "
                 + "、".join(sorted(abbr.unresolved)))
        return doc

    def _branch_abbreviations(self, branch: str, report: _Report) -> Abbreviations:
        """Abbreviations as the branch's own report reads them (区 = its district)."""
        if branch not in report.branches:
            report.branches[branch] = Abbreviations(issuer_context(branch, self.gaz), self.gaz, self.full_stems)
        return report.branches[branch]

    def _name(self, span: Named, report: _Report) -> tuple[str, str | None] | None:
        """(canonical name, parent) of one span, or None when it names nothing in this context."""
        kind, text, known, abbr = span.kind, span.text, span.known, report.abbr
        assert self.namer is not None
        if kind == "PoliceUnit":
            if known:
                return known, None
            named = abbr.police(text)
            if named and named[1] == abbr.ctx.issuer and text in report.owned:
                return named[0], report.owned[text]
            return named
        if kind == "GovernmentBody":
            return known or abbr.body(text), None
        if kind == "Place":
            return known or text, None
        if kind in LEGAL_KINDS:
            return known or self.namer.legal(text), None
        if kind in PROGRAM_KINDS:
            return known or self.namer.program(text), None
        name = known or self.namer.platform(text, is_body=self.namer.without_app(text) in report.org_texts)
        name = self._issuers_own(name, abbr.ctx)
        return _qualify_platform(name, span, report.bodies_at.get(span.start), abbr), None

    def _issuers_own(self, name: str, ctx: IssuerContext) -> str:
        """市局门户网站 → 梧州市公安局门户网站: a platform named after the issuer by a short name is the
        issuer's and carries its full name (every 市局 has a 门户网站; 省厅执法办案系统 is another's)."""
        owner = self.platform_owner.match(name)
        if owner is None or len(name) - owner.end() < 2:
            return name
        level = owner.group("level")
        own = level == ctx.level if level else owner.group() != "分局" or ctx.issuer.endswith("分局")
        return ctx.issuer + name[owner.end():] if own else name


@dataclass
class _Report:
    """What naming one report's spans looks up, made per report and dropped with it (the component
    keeps only its rules: a batch of thousands of reports would otherwise keep every branch seen)."""

    abbr: Abbreviations
    org_texts: set[str]  # the surface texts of units and bodies: a platform named like one is the body's
    bodies_at: dict[int, Named]  # a body by where it starts: the owner a platform's name may begin with
    owned: dict[str, str]  # a unit written after a bureau → the bureau (`_owned_units`)
    branches: dict[str, Abbreviations] = field(default_factory=dict)  # see `_branch_abbreviations`


class Named(NamedTuple):
    """A name `entity_rules` found, with its surface text sliced once: kind, offsets, text, lexicon name."""

    kind: str
    start: int
    end: int
    text: str
    known: str


def _entity(by_key: dict[str, Entity], kind: str, name: str, parent: str | None = None) -> Entity:
    """The entity of that kind, name and parent, made on first sight."""
    key = entity_key(kind, name, parent)
    if key not in by_key:
        by_key[key] = Entity(kind, name, parent)
    return by_key[key]


def _below_issuer(span: Named, ctx: IssuerContext) -> bool:
    """A body named with a level below the issuer's (区司法局 in a city's report), which the issuer
    alone cannot place."""
    return span.kind == "GovernmentBody" and not span.known and span.text[:1] in COUNTY_WORDS \
        and ctx.place_at(span.text[0]) is None


def _owned_units(spans: list[Named], abbr: Abbreviations) -> dict[str, str]:
    """Units written right after a bureau (新会区分局会城派出所, 市局法制支队 in a county's report) belong
    to that bureau: unit text → the bureau's full name (a sub-bureau of the issuer carries the issuer:
    江门市公安局新会区分局, the name its own reports are issued under, so its stations are one node).
    The first attachment holds for every later mention of the unit in the report."""
    owned: dict[str, str] = {}
    units = [s for s in spans if s.kind == "PoliceUnit"]
    for owner, unit in pairwise(units):
        if owner.end != unit.start or not owner.text.endswith(("局", "厅")) or owner.known:
            continue
        named = abbr.police(owner.text)
        if named and named[0] != abbr.ctx.issuer:
            owned.setdefault(unit.text, (named[1] or "") + named[0])
    return owned


def _qualify_platform(name: str, span: Named, owner: Named | None, abbr: Abbreviations) -> str:
    """市政务办微信公众号 → 慈溪市政务办微信公众号: a platform named after a body of the issuer's level
    carries that body's full name (another city's 市政务办 runs another account)."""
    level = abbr.ctx.level
    if owner is None or owner.end >= span.end or not level or not owner.text.startswith(level) or not name.startswith(owner.text):
        return name
    return abbr.body(owner.text) + name[len(owner.text):]
