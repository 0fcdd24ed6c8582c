"""`entity_rules`: finds every name the report uses and writes it to the Doc's state (`named`).

Each is a plain (kind, start char, end char, lexicon name) tuple, not a spaCy `Span`: `resolve_names`
reads them by character offset, and a `Span` per mention cost as much as one of the rules below. The
kind is an entity kind of `extract.model`, the lexicon name the canonical name when a lexicon knows it.
Names are found four ways, all driven by data in `schema/`; the finders of each family have their own
module (`places`, `organisations`, `platforms`, `legal`, `programs`), and this component runs them all:

- lexicon: national names and places (`schema/lexicon/`), matched with a `PhraseMatcher`;
- head words: a unit, body or platform is a run of characters ending in 派出所/大队/中心/平台/系统…,
  starting after the nearest verb or function word (`extract.names.name_window`);
- level words: 市局, 市委, 县政府, 区检察院, 市卫生健康局 (a one-character level and a body word),
  taking the place in front of them when there is one (宁波市 + 检察院);
- quotes and program shapes: quoted phrases that pass `extract.names.quotes`, 《titles》 with a legal head
  word, and program shapes (AB衔接, 一X一Y, X+Y, …经验, …2.0, …负面清单: `extract.names.programs`).

Overlaps are settled by `extract.names.overlaps.resolve_overlaps` (longest match wins within a family).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from policekg.extract.doc_state import doc_text, state, warn
from policekg.extract.names.canonical import national_namer
from policekg.extract.names.issuer_context import issuer_context
from policekg.extract.names.legal import LegalFinders
from policekg.extract.names.lexicon import Gazetteer, gazetteer, national_entries, police_departments
from policekg.extract.names.name_window import NameWindow
from policekg.extract.names.organisations import OrganisationFinders
from policekg.extract.names.overlaps import Candidate, resolve_overlaps
from policekg.extract.names.places import PlaceFinders
from policekg.extract.names.platforms import PlatformFinders
from policekg.extract.names.programs import ProgramFinders, ProgramShapes
from policekg.extract.names.quotes import QuoteClassifier, find_quotes
from policekg.extract.patterns import (
    compile_alternation,
    load_patterns,
    load_rules,
)
from policekg.extract.text.marks import LEVEL_WORDS


@Language.factory("entity_rules", requires=["doc._.meta"], assigns=["doc._.named"])
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules(nlp)


class EntityRules(PlaceFinders, OrganisationFinders, PlatformFinders, LegalFinders, ProgramFinders):
    """Writes candidate entity mentions (kind, offsets, lexicon name) to the Doc's state."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.rules: dict[str, Any] = {}

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        """Load the lexicons and compile every pattern once."""
        r = self.rules = load_patterns("entity_rules")
        self.gaz: Gazetteer = gazetteer()
        self.window = NameWindow(r)
        verbs = frozenset(w for w in r["left_stops"] if len(w) >= 2)
        lengths = sorted({len(w) for w in verbs})
        # the gazetteer's names that open with a verb (会同县: 会同 + 县司法局), found once, not per match
        self.verb_led_places = frozenset(name for name in [*self.gaz.places, *self.gaz.short_forms]
                                         if any(name[:n] in verbs for n in lengths))
        self.quotes = QuoteClassifier(r)
        self.namer = national_namer(r)
        # every word list as the tuple str.startswith/endswith take, made here once, not per report
        self.words: dict[str, tuple[str, ...]] = {
            key: tuple(value) for key, value in r.items() if isinstance(value, list) and all(
                isinstance(word, str) for word in value)}
        self.center_blocked = self.words["center_blocked_after"]
        self.generic_prefixes = self.words["generic_level_prefixes"]
        self.class_endings = self.words["class_body_endings"]
        self.heads = {"unit": frozenset(r["unit_heads"]), "center": frozenset(r["center_heads"]),
                      "committee": frozenset(r["committee_heads"]),
                      "office": frozenset(r["office_heads"])}
        self.known_platforms = frozenset(s for e in national_entries() if e.kind == "Platform" for s in e.spellings)
        self._build_lexicon_matcher()
        self._compile_patterns(r)

    def _build_lexicon_matcher(self) -> None:
        """One PhraseMatcher for the national lexicon, the gazetteer and the standard departments; the
        match key `Kind|spelling` tells what was found."""
        self.lexicon = PhraseMatcher(self.nlp.vocab)
        self.lexicon_kind: dict[str, tuple[str, str]] = {}
        for entry in national_entries():
            for spelling in entry.spellings:
                key = f"{entry.kind}|{spelling}"
                self.lexicon_kind[key] = (entry.kind, entry.name)
                self.lexicon.add(key, [self.nlp.make_doc(spelling)])
        for name in [*self.gaz.places, *self.gaz.short_forms]:
            self.lexicon.add(f"Place|{name}", [self.nlp.make_doc(name)])
        for name in police_departments():
            self.lexicon.add(f"Department|{name}", [self.nlp.make_doc(name)])

    def _compile_patterns(self, r: dict[str, Any]) -> None:
        levels = "|".join(LEVEL_WORDS)
        self.re = {key: re.compile(r[key].replace("{levels}", levels)) for key in r if key.endswith("_re") and key not in (
            "department_re", "name_chars_re", "year_prefix_re", "counted_set_re")}
        self.re["department_re"] = re.compile(r["department_re"].replace("{levels}", levels).format(
            stems=compile_alternation(r["department_stems"]), heads=compile_alternation(r["department_heads"]),
            generic=compile_alternation(r["department_generic_words"]),
            firsts=re.escape("".join(sorted({s[0] for s in r["department_stems"]})))))
        self.re["org_head"] = re.compile(compile_alternation(
            r["unit_heads"] + r["center_heads"] + r["committee_heads"] + r["office_heads"] + r["body_heads"]))
        self.re["university_head"] = re.compile(compile_alternation(r["university_heads"]))
        self.re["unit_count_before"] = re.compile(f"(?:{r['unit_count_re']})$")
        self.re["inner_unit"] = re.compile(f"(?:{compile_alternation(r['unit_heads'])})(?=.)")
        self.re["unit_descriptors"] = re.compile(compile_alternation(r["unit_descriptor_bodies"]))
        self.re["police_words"] = re.compile(compile_alternation(r["police_words"]))
        self.re["center_words"] = re.compile(compile_alternation(r["center_function_words"]))
        self.re["government_center"] = re.compile(compile_alternation(r["government_center_words"]))
        self.re["traditional"] = re.compile(f"[{re.escape(r['traditional_markers'])}]")
        self.re["place_head"] = re.compile(compile_alternation(r["place_heads"]))
        self.re["place_kinds"] = re.compile(f"(?:{compile_alternation(r['place_generic_bodies'])})+$")
        self.re["platform_head"] = re.compile(compile_alternation(list(r["platform_heads"])))
        self.re["platform_end"] = re.compile(f"(?:{compile_alternation(list(r['platform_heads']))})$")
        #: bodies named by a head word with a level word or owner mark before it: (the head word's regex,
        #: the words it starts with, the regex read on the text before it)
        self.anchored = {
            "bureau": (self.re["bureau_anchor_re"], self.words["bureau_anchor_words"], self.re["bureau_prefix_re"]),
            "court": (self.re["court_anchor_re"], self.words["court_anchor_words"], self.re["court_prefix_re"]),
            "congress": (self.re["congress_anchor_re"], self.words["congress_anchor_words"],
                         self.re["congress_prefix_re"]),
        }
        #: bodies named by a level word, each regex tried only on a text holding its word
        self.level_bodies = tuple((self.re[key], r[required]) for key, required in (
            ("party_committee_re", "party_committee_re_requires"),
            ("rule_of_law_office_re", "rule_of_law_office_re_requires"),
            ("government_re", "government_re_requires"), ("department_re", "department_re_requires")))
        self.program_shapes = ProgramShapes(
            load_rules("entity_rules").program_patterns, self.window, self.gaz, self._inner_unit_end,
            self.re["campaign_head_re"], self.words["not_program_words"], self.words["place_suffixes"])
        heads = sorted(((h, kind) for kind, hs in r["legal_heads"].items() for h in hs), key=lambda x: -len(x[0]))
        self.legal_heads = {}
        for head, kind in heads:  # a head listed under two kinds: the first listed
            self.legal_heads.setdefault(head, kind)
        self.re["legal_head"] = re.compile(f"(?:{compile_alternation(list(self.legal_heads))})$")

    def __call__(self, doc: Doc) -> Doc:
        """Collect candidates from every rule, settle their overlaps, write them as spans."""
        text = doc_text(doc)
        meta = state(doc).meta
        ctx = issuer_context(meta.issuer, self.gaz) if meta and meta.issuer else None
        matches = self._lexicon_matches(doc)
        place_list = resolve_overlaps(list(self._places(text, matches, ctx)))
        places = {p.end: p for p in place_list}
        quotes = find_quotes(text, self.rules["quote_pairs"], self.rules["ascii_quote"])
        bureaus = list(self._bureaus(text, places))
        found = [*self._lexicon(text, matches), *place_list, *self._local_places(text), *bureaus,
                 *self._level_bodies(text, places), *self._org_heads(text, quotes, bureaus), *self._platforms(text),
                 *self._legal(text), *self._quoted(text, quotes), *self.program_shapes(text, places)]
        branded = self._branded(text, found)
        found = [c for c in found if c.kind != "Program" or (c.start, c.end) not in branded]
        found = resolve_overlaps(found + list(self._repeats(text, found)) + list(self._listed_platforms(text, found)))
        state(doc).named = _named(doc, text, found)
        self._warn_on_script(text, doc)
        return doc

    def _warn_on_script(self, text: str, doc: Doc) -> None:
        """Say so when the text is in traditional script: the rules read simplified characters only."""
        sample = text[:self.rules["script_sample_chars"]]  # a report is written in one script throughout
        marked = len(self.re["traditional"].findall(sample))
        if sample and marked / len(sample) >= self.rules["traditional_share"]:
            warn(doc,
                 f"the text seems to be in traditional characters ({marked} of the first {len(sample)} characters "
                 "are traditional-only); units, programs and laws are recognised in simplified characters only, "
                 "so many were missed")

    # -- lexicon and places -------------------------------------------------------------------

    def _lexicon_matches(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(key, start char, end char) of every lexicon and gazetteer match."""
        strings = self.nlp.vocab.strings
        return [(strings[match_id], doc[start].idx, _token_end(doc, end - 1))
                for match_id, start, end in self.lexicon(doc)]

    def _lexicon(self, text: str, matches: list[tuple[str, int, int]]) -> Iterator[Candidate]:
        blocked, groups = self.words["law_blocked_after"], self.words["group_heads"]
        books = [(m.start(), m.end()) for m in self.re["title_re"].finditer(text)
                 if self.re["book_title_re"].search(m.group("title"))]
        for key, start, end in matches:
            if key.startswith("Department|"):
                yield Candidate(start, end, "PoliceUnit", "pattern")  # named like any local unit
            if key not in self.lexicon_kind:
                continue
            kind, name = self.lexicon_kind[key]
            if kind == "Law" and (text[end:end + 1].startswith(blocked) or self.re["law_event_re"].match(text, end)
                                  or any(a < start < b for a, b in books)):
                continue  # 网络安全法治, 国家宪法日, 《…法释义》: no citation of the law
            if kind == "Program" and text.startswith(groups, end):
                continue  # 执法质量考评领导小组 names a group, not the evaluation
            yield Candidate(start, end, kind, "lexicon", name)


def _named(doc: Doc, text: str, found: list[Candidate]) -> list[tuple[str, int, int, str]]:
    """The candidates as (kind, start char, end char, lexicon name), on token boundaries: a candidate
    that starts or ends on whitespace (a space folded into the token before it, a run of line breaks)
    takes the bounds of the tokens it touches, as a spaCy `Span` would."""
    if not found or not len(doc):
        return []
    if any(text[c.start].isspace() or text[c.end - 1].isspace() for c in found):
        return _on_tokens(doc, found)
    return [(c.kind, c.start, c.end, c.canonical) for c in found]


def _on_tokens(doc: Doc, found: list[Candidate]) -> list[tuple[str, int, int, str]]:
    """The bounds of the tokens each candidate touches, their character offsets turned into token
    offsets in one go."""
    offsets = doc.to_array([IDX, LENGTH])
    starts = offsets[:, 0].astype(np.int64)
    first = np.searchsorted(starts, [c.start for c in found], side="right") - 1
    last = np.searchsorted(starts, [c.end - 1 for c in found], side="right")
    begins = offsets[first, 0].tolist()
    ends = (offsets[last - 1, 0] + offsets[last - 1, 1]).tolist()
    return [(c.kind, a, b, c.canonical) for a, b, c in zip(begins, ends, found)]


def _token_end(doc: Doc, i: int) -> int:
    token = doc[i]
    return token.idx + len(token)
