"""`entity_rules`: finds every name the report uses and writes it to the Doc's state (`named`).

Each is a plain (kind, start char, end char, lexicon name) tuple, not a spaCy `Span`: `resolve_names`
reads them by character offset, and a `Span` per mention cost as much as one of the rules below. The
kind is an entity kind of `extract.model`, the lexicon name the canonical name when a lexicon knows it.
Names are found four ways, all driven by data in `schema/`:

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
from bisect import bisect_right
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import numpy as np
from policekg.extract.doc_state import state
from policekg.extract.names.canonical import national_namer
from policekg.extract.names.issuer_context import IssuerContext, issuer_context
from policekg.extract.names.lexicon import Gazetteer, gazetteer, national_entries, police_departments
from policekg.extract.names.name_window import NameWindow, letters
from policekg.extract.names.overlaps import Candidate, resolve_overlaps
from policekg.extract.names.programs import ProgramShapes
from policekg.extract.names.quotes import QuoteClassifier, find_quotes
from policekg.extract.names.unquoted import UnquotedText
from policekg.extract.patterns import (
    compile_alternation,
    finditer_at,
    load_patterns,
    load_rules,
)
from policekg.extract.text.blocks import doc_text, warn
from policekg.extract.text.marks import LEVEL_WORDS, QUOTES
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTES)}]")
_LAST_PARENS = re.compile(r"\([^()]*\)$")
_LEVEL_NEAR_START = re.compile(f"^.{{0,2}}?(?=[{LEVEL_WORDS}])")


@Language.factory("entity_rules", requires=["doc._.meta"], assigns=["doc._.named"])
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    return EntityRules(nlp)


class EntityRules:
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
                      "committee": frozenset(r["committee_heads"]), "group": frozenset(r["group_heads"])}
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
            r["unit_heads"] + r["center_heads"] + r["committee_heads"] + r["office_heads"] + r["body_heads"]
            + r["group_heads"]))
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
        blocked = self.words["law_blocked_after"]
        for key, start, end in matches:
            if key.startswith("Department|"):
                yield Candidate(start, end, "PoliceUnit", "pattern")  # named like any local unit
            if key not in self.lexicon_kind:
                continue
            kind, name = self.lexicon_kind[key]
            if kind == "Law" and text[end:end + 1].startswith(blocked):
                continue
            yield Candidate(start, end, kind, "lexicon", name)

    def _places(self, text: str, matches: list[tuple[str, int, int]], ctx: IssuerContext | None
                ) -> Iterator[Candidate]:
        blocklist = [phrase for phrase in self.rules["place_short_blocklist"] if phrase in text]
        unit_after = self.words["unit_heads"]
        for key, start, end in matches:
            if not key.startswith("Place|"):
                continue
            name = key[6:]
            if name in self.verb_led_places and name != (ctx.place if ctx else None):
                continue  # 会同县司法局 is 会同 + 县司法局 far more often than the county 会同县
            if name in self.gaz.short_forms and (
                    text.startswith(unit_after, end)
                    or any(_covers(text, start, end, phrase) for phrase in blocklist)):
                continue
            yield Candidate(start, end, "Place", "lexicon", self.gaz.short_forms.get(name, name))
        if ctx and ctx.place:
            own = [ctx.place, *([ctx.short_place] if ctx.short_place else []),
                   *self.rules["own_place_words"].get(ctx.level or "", [])]
            for word in own:
                pos = text.find(word)
                while pos >= 0:
                    yield Candidate(pos, pos + len(word), "Place", "lexicon", ctx.place)
                    pos = text.find(word, pos + len(word))

    def _local_places(self, text: str) -> Iterator[Candidate]:
        """Towns, streets and squares: a name of two characters or more before 镇/街道/广场…"""
        bad = self.words["place_body_bad_endings"]
        generic = self.generic_prefixes
        blocked = self.words["place_blocked_after"]
        kinds = self.re["place_kinds"]
        divisions = self.rules["division_heads"]
        for m in self.re["place_head"].finditer(text):
            start = self.window.start(text, m.start())
            body = text[start:m.start()]
            if not 2 <= len(body) <= self.rules["max_place_body"] or not _CJK_RUN.fullmatch(body) \
                    or (m.group() in divisions and body.endswith(bad)) or body.startswith(generic) \
                    or text.startswith(blocked, m.end()):
                continue
            if not kinds.search(body):  # 旅游景区, 城市公园: a kind of place
                yield Candidate(start, m.end(), "Place", "pattern")

    # -- organisations --------------------------------------------------------------------------

    def _anchored(self, text: str, key: str) -> Iterator[tuple[int, int, int | None, re.Match]]:
        """(start, end, level position, prefix match) of each head word of `key` (bureau, court,
        congress) with the level word or owner mark just before it (see `self.anchored`)."""
        anchor, words, prefix = self.anchored[key]
        for m in finditer_at(anchor, text, words):
            lo = max(0, m.start() - 6)
            p = prefix.search(text, lo, m.start())
            level = p.start("level") if p and p.group("level") else None
            yield (p.start() if p else m.start()), m.end(), level, p

    def _with_place(self, places: dict[int, Candidate], start: int, end: int, level: int | None,
                    kind: str) -> Candidate:
        """The body from `start` to `end`, taking the place in front of it: the place whose last
        character is the level character (宁波[市]检察院), or that ends right where the body starts."""
        place = places.get(level + 1) if level is not None else places.get(start)
        if place is not None and place.end - place.start < 2:
            place = None
        return Candidate(place.start if place else start, end, kind, "pattern")

    def _bureaus(self, text: str, places: dict[int, Candidate]) -> Iterator[Candidate]:
        """市局, 我局, 省厅, 宁波市公安局, 成都市公安局武侯区分局; a bare 分局 with a name in front of it
        (交警分局) is left to the head-word rule."""
        blocked = self.words["issuer_alias_blocked_after"]
        found: list[Candidate] = []
        for start, end, level, p in self._anchored(text, "bureau"):
            if p is None or text.startswith(blocked, end) or self._names_a_class_before(text, start):
                continue
            own, branch = p.group("own"), p.group("branch")
            if not (own or branch or level is not None) or (own and text[end - 1] != "局"):
                continue
            if branch and level is None and self.window.start(text, start) < start:
                continue
            found.append(self._with_place(places, start, end, level, "PoliceUnit"))
        for m in self.re["bare_bureau_re"].finditer(text):  # 。局党委…: the issuer's own party committee
            if m.start() == 0 or text[m.start() - 1] in self.rules["bare_bureau_after"]:
                yield Candidate(m.start(), m.end(), "PoliceUnit", "pattern")
        for a, b in pairwise(found):  # 成都市公安局 + 武侯区分局 is one name
            if a.end == b.start and text[b.start:b.end].endswith("分局"):
                yield Candidate(a.start, b.end, "PoliceUnit", "pattern")
        yield from found

    def _level_bodies(self, text: str, places: dict[int, Candidate]) -> Iterator[Candidate]:
        for regex, required in self.level_bodies:
            if required not in text:
                continue
            for m in regex.finditer(text):
                yield self._with_place(places, m.start(), m.end(), m.start("level"), "GovernmentBody")
        for key in ("court", "congress"):
            for start, end, level, _ in self._anchored(text, key):
                yield self._with_place(places, start, end, level, "GovernmentBody")

    def _org_heads(self, text: str, quotes: list, bureaus: list[Candidate]) -> Iterator[Candidate]:
        """派出所/大队/中心/委员会/办公室 with the name before them; a bureau or an issuer alias at the
        start of that name (市局执法监督管理委员会, 夷陵区分局执法办案管理中心) is its owner, not its name."""
        r = self.rules
        owners: dict[int, Candidate] = {}
        for b in bureaus:  # the longest bureau at a start owns what follows (成都市公安局武侯区分局…)
            if b.end > owners.get(b.start, b).end or b.start not in owners:
                owners[b.start] = b
        starts = [q.inner_start for q in quotes]
        for m in self.re["org_head"].finditer(text):
            head = m.group()
            i = bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < quotes[i].inner_end:
                continue  # a head word inside quotes belongs to a program's name (“枫桥式公安派出所”)
            if head in self.heads["center"] and text.startswith(self.center_blocked, m.end()):
                continue  # 中心组, 中心工作: not a body
            start = self.window.start(text, m.start())
            body = text[start:m.start()]
            owned = self._owner_body_end(head, body)
            start, body = start + owned, body[owned:]
            kind = self._org_kind(head, body, text[m.end():m.end() + 2])
            if not kind or body.startswith(self.generic_prefixes) or any(map(str.isdigit, body)) \
                    or self._names_a_class(text, body, m.end()) or self._names_a_class_before(text, start):
                continue
            alias = self.re["issuer_alias_prefix_re"].match(body)
            owner_end = self._bureau_owner_end(text, owners[start].end, m.start()) if start in owners \
                else start + (alias.end() if alias else self._inner_unit_end(body))
            if start < owner_end < m.start():
                yield Candidate(start, owner_end, "PoliceUnit", "pattern")
                start, kind = owner_end, "PoliceUnit"
            if r["min_unit_body"] <= m.start() - start <= r["max_unit_body"]:
                yield Candidate(start, m.end(), kind, "pattern")

    def _owner_body_end(self, head: str, body: str) -> int:
        """Where a government body that owns the one named ends inside its name: 县检察院 before
        侦查监督与协作配合办公室 (two bodies); for a leading group, the level that names its government
        (配合|县扫黑除恶专项斗争领导小组)."""
        if head in self.heads["group"]:
            level = _LEVEL_NEAR_START.search(body)
            return level.end() if level else 0
        return max((body.rfind(w) + len(w) for w in self.rules["owner_body_ends"] if w in body), default=0)

    @staticmethod
    def _bureau_owner_end(text: str, bureau_end: int, head_start: int) -> int:
        """Where the owner of a unit named after a bureau ends: after the bureau's branch when one is
        named between them (九江市公安局|浔阳分局|甘棠派出所 is the branch's station)."""
        branch = text.find("分局", bureau_end + 1, head_start - 1)
        return branch + 2 if branch > 0 else bureau_end

    def _inner_unit_end(self, body: str) -> int:
        """Where a unit named inside `body` ends (新会分局|会城派出所, 交警大队|车管中队, 倪家营派出所|红沟村
        警务室: a unit named before its own sub-unit), or 0."""
        inner = None
        for inner in self.re["inner_unit"].finditer(body, 2):
            pass
        return inner.end() if inner else 0

    def _names_a_class(self, text: str, body: str, end: int) -> bool:
        """临时警务站12处, 流动警务站, 每个派出所, 偏远乡镇派出所: a count after the head, a name made of
        descriptors only, a class word for a name, or a kind of place (every township's station)."""
        return bool(self.re["unit_count_re"].match(text, end, end + 4)) \
            or not self.re["unit_descriptors"].sub("", body) \
            or bool(self.re["class_prefix_re"].fullmatch(body)) or body.endswith(self.class_endings)

    def _names_a_class_before(self, text: str, start: int) -> bool:
        """各县区公安局, 各区县公安分局: a class word (or a second level) before the name makes it a class."""
        return start > 0 and bool(self.re["class_prefix_re"].search(text, max(0, start - 4), start))

    def _org_kind(self, head: str, body: str, after: str) -> str | None:
        if head in self.heads["unit"]:
            return "PoliceUnit"
        if head in self.heads["group"]:
            owned_by_government = body[:1] in LEVEL_WORDS or body.startswith(("政府", "党委"))
            alias = self.re["issuer_alias_prefix_re"].match(body)
            return "GovernmentBody" if owned_by_government and not alias else "PoliceUnit"
        if head in self.heads["center"]:
            if after.startswith(self.center_blocked) or not self.re["center_words"].search(body):
                return None
            if self.re["government_center"].search(body):
                return "GovernmentBody"  # 社会治安综合治理中心 is the government's, 治安 or not
        elif head not in self.heads["committee"]:
            return "GovernmentBody"  # 办公室, 司法所
        return "PoliceUnit" if self.re["police_words"].search(body) else "GovernmentBody"

    # -- platforms ------------------------------------------------------------------------------

    def _platforms(self, text: str) -> Iterator[Candidate]:
        r = self.rules
        min_body = r["platform_heads"]
        blocked = self.words["platform_blocked_after"]
        bad_end = self.words["platform_body_bad_endings"]
        for m in self.re["platform_head"].finditer(text):
            if text.startswith(blocked, m.end()):
                continue
            start = self._platform_start(text, m.start())
            body = text[start:m.start()]
            if letters(body) < min_body[m.group()] or body.endswith(bad_end) \
                    or body.startswith(self.generic_prefixes):
                continue
            yield Candidate(start, m.end(), "Platform", "pattern")

    def _platform_start(self, text: str, head_start: int) -> int:
        """Where a platform's name starts: after a 和 that closes another platform's name (110接处警
        系统和视频监控平台 are two), inside a quote that the head word closes (公安部“…平台”), and at the
        last of a chain of quotes (“粤省事”“粤商通”平台 are two)."""
        start = self.window.start(text, head_start, allow_quotes=True)
        body = text[start:head_start]
        for i in range(len(body) - 1, 0, -1):
            if body[i] in self.rules["conjunctions"] and self.re["platform_end"].search(body[:i]):
                return start + i + 1
        opened = max(body.rfind("“"), body.rfind("「"))
        if opened > body.rfind("”") and opened >= 0:
            return start + opened + 1
        if opened > 0 and body.endswith(("”", "」")) and body[:opened].rstrip("、和与及").endswith(("”", "」")):
            return start + opened  # “粤省事”“粤商通”平台: the head names the last of the chain
        return start

    def _listed_platforms(self, text: str, found: list[Candidate]) -> Iterator[Candidate]:
        """平安慈溪、市政务办微信公众号等载体: the items of a list closed by 等载体 are platforms too."""
        list_heads = self.words["platform_list_heads"]
        lists = [c for c in found if c.kind == "Platform" and text.startswith(list_heads, c.end)]
        taken = {(c.start, c.end) for c in found} if lists else set()
        for c in lists:
            pos = c.start
            while pos > 0 and text[pos - 1] == "、":
                start = self.window.start(text, pos - 1)
                if not 2 <= pos - 1 - start <= 10 or (start, pos - 1) in taken:
                    break
                yield Candidate(start, pos - 1, "Platform", "pattern")
                pos = start

    # -- legal instruments ------------------------------------------------------------------------

    def _legal(self, text: str) -> Iterator[Candidate]:
        for m in self.re["title_re"].finditer(text):
            head = self.re["legal_head"].search(_LAST_PARENS.sub("", m.group("title")))
            kind = self.legal_heads[head.group()] if head else None  # the longest head ends the title
            if kind:
                yield Candidate(m.start("title"), m.end("title"), kind, "pattern", quoted=True)
        for m in self.re["regulation_anchor_re"].finditer(text):
            start = self._after_listed_law(text, self.window.start(text, m.start()), m.start())
            if m.start() - start >= 3:
                yield Candidate(start, m.end(), "Regulation", "pattern")

    def _after_listed_law(self, text: str, start: int, head_start: int) -> int:
        """Where a regulation's name starts when a law is listed before it (依据禁毒法和甘肃省禁毒条例:
        two names): after the last 和/与/及 whose left side ends with a legal head word."""
        for i in range(head_start - 1, start, -1):
            if text[i] in self.rules["conjunctions"] and self.re["legal_head"].search(text, start, i):
                return i + 1
        return start

    # -- programs -------------------------------------------------------------------------------

    def _quoted(self, text: str, quotes: list) -> Iterator[Candidate]:
        for q, kind in zip(quotes, self.quotes.classify(text, quotes, self.known_platforms)):
            if kind:
                yield Candidate(q.inner_start, q.inner_end, kind, "quote", quoted=True)

    def _repeats(self, text: str, found: list[Candidate]) -> Iterator[Candidate]:
        """Later mentions of a program already named (两法衔接 after “两法衔接”, 办案“一件事”); the
        lexicon's programs are matched everywhere already. A stretch some rule already calls a program
        is left out: a pattern match ranks last, so it could only lose to that one (see `overlaps`)."""
        programs = {(c.start, c.end) for c in found if c.kind == "Program"}
        surfaces = {text[c.start:c.end] for c in found if c.kind == "Program" and c.source != "lexicon"}
        names = {self.namer.program(surface) for surface in surfaces}
        unquoted = UnquotedText(text) if names else None
        for name in names:
            if len(name) < 3:
                continue
            for start, end in unquoted.find_all(name):
                # 办案“一件事”: the closing mark too
                end += text[end:end + 1] in ("”", "\"") and "“" in text[start:end]
                if (start, end) not in programs:
                    yield Candidate(start, end, "Program", "pattern", quoted=_is_quoted(text, start, end))


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


def _covers(text: str, start: int, end: int, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` around the stretch start..end."""
    lo = max(0, start - len(phrase))
    pos = text.find(phrase, lo, end + len(phrase))
    return pos != -1 and pos <= start and pos + len(phrase) >= end


def _is_quoted(text: str, start: int, end: int) -> bool:
    return _QUOTE_MARK.search(text, max(0, start - 1), end + 1) is not None
