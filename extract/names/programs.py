"""Programs: quoted phrases the quote classifier accepts, later mentions of a program already named, and
programs written without quotes, found by their shape (AB衔接, 一X一Y, X+Y, …经验, …2.0, …行动).

`ProgramFinders` is a finder of `entity_rules` (mixed into `EntityRules`, which compiles the rules they
share). The shapes are data: `program_patterns` in `schema/patterns/entity_rules.json`, each a regex with
options (`pattern_schema.ProgramPattern`). A pattern reads a name one of two ways. With `window` the
name runs left from the matched head word to the nearest stop word (`NameWindow`); otherwise the match
holds the name (the group `name` of `re`), or `before` characters in front of its `anchor_re`.
Each option is a small rule below; the two tables say which rule an option turns on, in the order
they apply. A rule takes the name's start and returns it, moved, or -1 to drop the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from policekg.extract.names.canonical import Namer
from policekg.extract.names.lexicon import Gazetteer
from policekg.extract.names.name_window import NameWindow
from policekg.extract.names.overlaps import Candidate
from policekg.extract.names.quotes import QuoteClassifier
from policekg.extract.names.unquoted import UnquotedText
from policekg.extract.pattern_schema import ProgramPattern
from policekg.extract.patterns import finditer_near
from policekg.extract.text.marks import QUOTES

_CJK_RUN = re.compile("[\u4e00-\u9fff]+")
_QUOTE_MARK = re.compile(f"[{re.escape(QUOTES)}]")


class ProgramFinders:
    """The `program` family's finders (quoted phrases are programs or platforms: the classifier says)."""

    # made once by `EntityRules.initialize`
    quotes: QuoteClassifier
    known_platforms: frozenset[str]  # the national lexicon's platform spellings
    namer: Namer

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


def _is_quoted(text: str, start: int, end: int) -> bool:
    return _QUOTE_MARK.search(text, max(0, start - 1), end + 1) is not None


class Site(NamedTuple):
    """One match of a pattern, with what its rules look at."""

    text: str
    match: re.Match[str]
    places: dict[int, Candidate]  # the places found, by where they end


class ProgramShapes:
    """Finds the programs `program_patterns` describe; built once, run per report."""

    def __init__(self, patterns: tuple[ProgramPattern, ...], window: NameWindow, gaz: Gazetteer,
                 inner_unit_end: Callable[[str], int], campaign_head: re.Pattern[str],
                 not_program_words: tuple[str, ...], place_suffixes: tuple[str, ...]) -> None:
        self.patterns = [(p, re.compile(p.re or p.anchor_re)) for p in patterns]
        self.window = window
        self.gaz = gaz
        self.inner_unit_end = inner_unit_end  # a unit written inside a name: where it ends (entity_rules)
        self.campaign_head = campaign_head
        self.not_program_words = not_program_words
        self.place_suffixes = place_suffixes

    def __call__(self, text: str, places: dict[int, Candidate]) -> Iterator[Candidate]:
        for pattern, regex in self.patterns:
            required = pattern.requires
            if required not in text:
                continue  # every match holds the word: a text without it cannot match
            found = finditer_near(regex, text, required, pattern.reach) if pattern.reach is not None \
                else regex.finditer(text)
            read = self._windowed if pattern.window else self._anchored
            for m in found:
                bounds = read(pattern, Site(text, m, places))
                if bounds is not None:
                    yield Candidate(*bounds, pattern.kind, "pattern")

    def _windowed(self, pattern: ProgramPattern, site: Site) -> tuple[int, int] | None:
        start = self.window.start(site.text, site.match.start())
        for option, rule in WINDOW_RULES:
            if _on(pattern, option) and (start := rule(self, pattern, site, start)) < 0:
                return None
        if not _fits(pattern, site.text[start:site.match.start()]):
            return None
        return start, drop_head(self, pattern, site) if pattern.drop_head else site.match.end()

    def _anchored(self, pattern: ProgramPattern, site: Site) -> tuple[int, int] | None:
        text, m = site.text, site.match
        start = m.start() - pattern.before if pattern.before is not None else m.start("name")
        rule = next((rule for option, rule in ANCHOR_RULES if _on(pattern, option)), None)
        if rule is not None:
            start = rule(self, pattern, site, start)
        body = text[max(0, start):m.start()] if pattern.before is not None else ""
        if start < 0 or (body and not _CJK_RUN.fullmatch(body)) or text.startswith(self.not_program_words, start) \
                or body in pattern.bad_bodies:
            return None
        return start, m.end()


def _on(pattern: ProgramPattern, option: str) -> bool:
    return getattr(pattern, option) not in (None, False, ())


def _fits(pattern: ProgramPattern, body: str) -> bool:
    """The name's words before the head: as long as the pattern allows, not a bad one, matching `body_re`."""
    longest = len(body) if pattern.max_body is None else pattern.max_body
    return pattern.min_body <= len(body) <= longest and body not in pattern.bad_bodies \
        and re.search(pattern.body_re, body) is not None


def after_places(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """宁波市 + 网络安全宣传周: a place inside the window holds the name; it starts after the place."""
    return max([start, *(i for i in range(start, site.match.start()) if i in site.places)])


def follows(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """临泽县公安局 + 2024年…工作要点: only right after one of these words (a bureau's yearly plan)."""
    return start if site.text.endswith(pattern.follows, 0, site.match.start()) else -1


def after_units(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """郭家店派出所 + 老乔说事调解室: a unit in front runs the name; the name starts after it."""
    return start + shapes.inner_unit_end(site.text[start:site.match.start()])


def drop_head(shapes: ProgramShapes, pattern: ProgramPattern, site: Site) -> int:
    """反电诈(专项行动): a campaign's head word is not part of its name; where the name ends."""
    head = shapes.campaign_head.search(site.match.group())
    return site.match.end() - len(head.group()) if head else site.match.end()


def after_place(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """浦江经验: a work model is named after the place it began (a place the text names, or a county
    without its 县), not after a verb or a noun (办理经验, 调解工作室经验 name no model)."""
    end = site.match.start()
    if end in site.places:
        return site.places[end].start
    body = site.text[max(0, end - 2):end]
    return end - 2 if any(shapes.gaz.lookup(body + suffix) for suffix in shapes.place_suffixes) else -1


def place_inside(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """平安增城建设: the group `place` must be a place the text names or the short form of a county,
    town or village of the gazetteer (平安小区建设 is for no place)."""
    m = site.match
    body = m.group("place")
    named = m.end("place") in site.places or any(shapes.gaz.lookup(body + suffix) for suffix in shapes.place_suffixes)
    return start if named else -1


def modifiers(shapes: ProgramShapes, pattern: ProgramPattern, site: Site, start: int) -> int:
    """行刑 + 反向衔接: a direction before the head takes `before` more characters in front of it."""
    if site.text[start:site.match.start()] not in pattern.modifiers:
        return start
    named = max(start - pattern.before, shapes.window.start(site.text, start))
    return named if start - named == pattern.before else -1


Rule = Callable[[ProgramShapes, ProgramPattern, Site, int], int]
#: A `window` pattern's options, in the order they apply.
WINDOW_RULES: tuple[tuple[str, Rule], ...] = (
    ("after_places", after_places), ("follows", follows), ("after_units", after_units))
#: The other patterns' options: the first one a pattern has applies.
ANCHOR_RULES: tuple[tuple[str, Rule], ...] = (
    ("after_place", after_place), ("place_inside", place_inside), ("modifiers", modifiers))
