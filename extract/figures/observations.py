"""`observations`: every figure a report gives (2022年共办结矛盾纠纷822起 → 822 起 办结矛盾纠纷).

A figure is a number followed by a measure word, found by one regex over the text: Arabic or Chinese
numerals, a 万/亿 multiplier (25.9万件 → 259000 件, 2200余万元 → 22000000 元), approximation words
(余, 以上, 近, 不少于 → `approximate`). What is NOT a figure is as important: dates and years (no time
units are measure words), ordinals and codes (第一, 2.0, 12·4), numbers inside quotes or book titles
(“八个多跨制度”, 《…十条措施》) and one-character Chinese numerals that are part of names (三项制度,
办案一件事) unless a counting word (共, 累计) comes before them.

Each figure gets its indicator phrase (see `extract.figures.indicators`), its period (the report year unless
the sentence says 截至2022年12月20日 or names another year), the measure whose paragraph holds it, and
`about`: the entities (from `resolve_names`, which runs first) named in the figure's clause. A figure in
a planned measure is for the year after the report's unless its sentence says otherwise.
Writes `doc._.observations`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from policekg.extract.doc_state import doc_text, sentences_of, state
from policekg.extract.figures.indicator_norm import is_fragment, read_indicator
from policekg.extract.figures.indicators import IndicatorRules
from policekg.extract.model import Mention, Observation
from policekg.extract.patterns import compile_alternation, load_patterns
from policekg.extract.text.numbers import NUMERAL_CHARS, parse_number

#: A number in Arabic or Chinese numerals. Written so that it opens with one character class (the
#: branch is chosen by a look-behind at that character): `re` then skips to the next digit or numeral
#: at C speed instead of trying the alternatives at every character of the report.
_NUMBER = (f"(?P<num>[\\d{NUMERAL_CHARS}](?:(?<=\\d)\\d*(?:,\\d{{3}})*(?:\\.\\d+)?|(?<=[{NUMERAL_CHARS}])"
           f"[{NUMERAL_CHARS}]*))")
_MAX_CLAUSE = 40
_MAX_RIGHT = 20
_SHORT_INDICATOR = 2
_HAS_DIGIT = re.compile(r"\d")
#: What a figure can be about: the units and programs its sentence names (pk:about).
_ABOUT_KINDS = ("PoliceUnit", "GovernmentBody", "Program", "Platform")


def _units(p: dict[str, Any]) -> str:
    """The unit alternation; a guarded unit must not run on into a longer word (5百分点 is not 5百 + 分)."""
    guards = p["unit_not_followed_by"]
    plain = compile_alternation([u for u in p["units"] if u not in guards])
    return "|".join([plain, *(f"{re.escape(u)}(?!{g})" for u, g in guards.items())])


@Language.factory(
    "observations",
    requires=["doc._.meta", "doc._.sections", "doc._.entities", "token.is_sent_start"],
    assigns=["doc._.observations"],
)
def make_observations(nlp: Language, name: str) -> Observations:
    return Observations()


class Observations:
    """Finds reported figures and fills `doc._.observations`."""

    def __init__(self) -> None:
        self._rules: dict[str, Any] | None = None
        self._indicators: IndicatorRules | None = None

    def initialize(self, get_examples=None, nlp: Language | None = None) -> None:
        """Compile the figure regex and the phrase rules of `schema/patterns/observations.json`."""
        p = load_patterns("observations")
        alt = compile_alternation
        # what may follow a number starts with one of these: most numerals in a report (一是, 进一步) are
        # followed by none, and fail on one class instead of on every word of the unit alternation
        follows = "".join(sorted({w[0] for key in ("approx_after_number", "multipliers", "units") for w in p[key]}))
        self._rules = {
            "figure": re.compile(_NUMBER + f"(?=[{re.escape(follows)}])"
                f"(?P<a1>{alt(p['approx_after_number'])})?(?P<mult>{alt(p['multipliers'])})?"
                f"(?P<a2>{alt(p['approx_after_number'])})?(?P<unit>{_units(p)})"
                f"(?P<a3>{alt(p['approx_after_unit'])})?"),
            "approx_before": re.compile(f"(?:{alt(p['approx_before'])})$"),
            # where `approx_before` can end; `$` also matches before a line break at the end
            "approx_last_chars": frozenset(w[-1] for w in p["approx_before"]) | {"\n"},
            "not_before": re.compile(f"(?:{p['not_before']})$"),
            "not_after": re.compile(p["not_after"]),
            "not_figure": re.compile(p["not_figure"]),
            "unit_cues": {unit: re.compile(cues) for unit, cues in p["unit_cues"].items()},
            "unit_cue_chars": p["unit_cue_chars"],
            "cues": tuple(p["counting_cues"]),
            "quoted": re.compile(p["quoted"]),
            "period_date": re.compile(p["period_date"]),
            "period_year": re.compile(p["period_year"]),
            "unit_forms": p["unit_forms"],
        }
        self._indicators = IndicatorRules(p)

    def __call__(self, doc: Doc) -> Doc:
        if self._rules is None:
            self.initialize()
        text = doc_text(doc)
        quoted = _Stretches([m.span() for m in self._rules["quoted"].finditer(text)])
        context = _Context(doc, text)
        found: list[Observation] = []
        previous_end = 0
        parent: tuple[int, str] | None = None  # (where its parenthesis opens, indicator) of a figure before a (
        approx_before, approx_last_chars = self._rules["approx_before"], self._rules["approx_last_chars"]
        for match in self._rules["figure"].finditer(text):
            start = match.start()
            if start and text[start - 1] in approx_last_chars:  # most figures have no 约/近/超过 before them
                pre = approx_before.search(text, max(0, start - 4), start)
                start = pre.start() if pre else start
            if self._is_count(text, match, start, quoted):
                new, raw = self._observations(text, match, start, previous_end, context, parent)
                found.extend(new)
                previous_end = match.end()
                if raw and text.startswith("(", previous_end):
                    parent = (previous_end, raw)
        state(doc).observations = found
        return doc

    def _is_count(self, text: str, match: re.Match[str], start: int, quoted: _Stretches) -> bool:
        """False for ordinals, codes, durations, names and quoted titles that look like figures.

        `start` is where the figure starts, with an approximation word before the number (近500人).
        """
        rules = self._rules
        num, a1, _, _, unit, _ = match.groups()
        before = text[max(0, start - 3):start]
        if before and (before[-1].isdigit() or before[-1] in NUMERAL_CHARS or rules["not_before"].search(before)):
            return False
        if rules["not_after"].match(text, match.end()) or rules["not_figure"].match(text, match.start()):
            return False
        cue = rules["unit_cues"].get(unit)
        if cue and not cue.search(text, max(0, start - rules["unit_cue_chars"]), start):
            return False  # 1分局: 分 is a score only where a score is meant
        lone_numeral = len(num) == 1 and not num.isdigit() and not (a1 or start < match.start())
        if lone_numeral and not text[max(0, start - 4):start].endswith(rules["cues"]):
            return False
        return not quoted.strictly_inside(start)

    def _observations(self, text: str, match: re.Match[str], figure_start: int, previous_end: int,
                      context: _Context, parent: tuple[int, str] | None) -> tuple[list[Observation], str]:
        """The figure's observations (one per listed item) and the phrase of the last, which a breakdown
        in parentheses after it (信访:12件(办结11件) reads on from even when the figure itself is left out."""
        num, _, mult, _, unit, _ = match.groups()
        value = parse_number(num, mult or "")
        if value is None:
            return [], ""
        number_start = match.start()
        sent_lo, sent_hi = context.sentences.bounds(number_start)
        phrases, start, end = self._phrases(text, match, figure_start, max(sent_lo, previous_end), sent_hi, parent)
        if not phrases:
            return [], ""  # nothing around the figure says what it counts
        mention = Mention(start, end, text[start:end], context.sentences.at(number_start))
        measure, about = context.measure_at(number_start), context.entities_in(start, end)
        period = self._period(text, sent_lo, number_start, context.year_of(measure))
        unit = self._rules["unit_forms"].get(unit, unit)
        after = text[match.end():min(sent_hi, match.end() + _MAX_RIGHT)]
        figure = _Figure(text[figure_start:match.end()], after, mention.sentence, context.is_planned(measure))
        listed = len(phrases) > 1
        found = []
        for raw, phrase in phrases:
            before = raw if listed else text[max(sent_lo, previous_end):figure_start]
            obs = _read(figure, before.lstrip("、,和及与 "), phrase, unit)
            if obs is not None:
                found.append(Observation(value, unit, indicator_text=raw, period=period, mention=mention,
                                         measure=measure, about=context.about(about, obs.pop("about_names")),
                                         **obs))
        return found, phrases[-1][0]

    def _phrases(self, text: str, match: re.Match[str], figure_start: int, lo: int, sent_hi: int,
                 parent: tuple[int, str] | None) -> tuple[list[tuple[str, str]], int, int]:
        """(raw, indicator) for each thing the figure counts, and the span of the words that say so.

        The words are the clause before the figure; a list before 各/均 gives one pair per item
        (隐患告知书和整改通知书各10份); a figure opening its clause takes the words after it, else
        the figure it breaks down in parentheses (人大建议51件(主办13件 → 人大建议主办), else the label
        before a colon (受理治安案件:4512起).
        """
        rules = self._indicators
        clause_start, list_start = rules.clause_starts(text, max(lo, figure_start - _MAX_CLAUSE), figure_start)
        listed = text[list_start:figure_start].lstrip(" 、,")
        items = rules.each_items(listed)
        if items:
            return [(item, rules.normalize(item)) for item in items], figure_start - len(listed), match.end()
        raw = text[clause_start:figure_start].strip()
        indicator = rules.normalize(raw)
        if len(indicator) <= _SHORT_INDICATOR:  # 2个|公安综合窗口…, 再培育2个|示范点: the words after count too
            right = self._right_phrase(text, match.end(), sent_hi)
            right_indicator = rules.normalize(right)
            if right_indicator:
                joined = indicator + right_indicator if rules.is_usable(indicator) else right_indicator
                return [(raw + right, joined)], figure_start - len(raw), match.end() + len(right)
            if parent and parent[0] < clause_start and text.find(")", parent[0], figure_start) < 0:
                return [(raw, rules.normalize(parent[1] + raw))], figure_start - len(raw), match.end()
            if not rules.is_usable(indicator) and text.startswith(":", clause_start - 1):
                label_start, _ = rules.clause_starts(text, max(lo, clause_start - 1 - _MAX_CLAUSE), clause_start - 1)
                label = text[label_start:clause_start - 1].strip()
                if rules.is_usable(rules.normalize(label)):
                    return [(label, rules.normalize(label))], label_start, match.end()
        return ([(raw, indicator)] if indicator else []), figure_start - len(raw), match.end()

    def _right_phrase(self, text: str, pos: int, limit: int) -> str:
        """The words after a figure that opens its clause (2个|公安综合窗口进驻…), up to a break or number."""
        end = min(limit, pos + _MAX_RIGHT)
        brk = self._indicators.clause_break.search(text, pos, end)
        end = brk.start() if brk else end
        digit = re.search(r"\d", text[pos:end])
        return text[pos:pos + digit.start()] if digit else text[pos:end]

    def _period(self, text: str, lo: int, hi: int, year: int | None) -> str:
        """The last cut-off date (截至…) in text[lo:hi] (the sentence before the figure), else its last year,
        else the report year."""
        has_year = text.find("年", lo, hi) >= 0
        if text.find("日", lo, hi) >= 0 and text.find("月", lo, hi) >= 0:  # a date needs both: most have none
            dates = list(self._rules["period_date"].finditer(text, lo, hi))
            if dates:
                d = dates[-1]
                y = d.group(1) or (str(year) if year else None)
                if y:
                    return f"{y}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
        years = self._rules["period_year"].findall(text, lo, hi) if has_year else None
        if years:
            return years[-1]
        return str(year) if year else ""


@dataclass(frozen=True)
class _Figure:
    """What `read_indicator` reads around a figure besides the words before it."""

    text: str  # the figure as written, with its bound words (约2200余万元)
    after: str
    sentence: str
    planned: bool


def _read(figure: _Figure, before: str, phrase: str, unit: str) -> dict[str, Any] | None:
    """The indicator fields of an Observation for one thing a figure counts; None when nothing names it.

    The quantity comes from `read_indicator` (canonical when the lexicon knows it). A quantity it does
    not know is named by the extractor's own phrase (组织学习, 信访办结: its labels and breakdowns) unless
    that is a fragment (下降, 和, 占比, 信访 alone), and then by the reading's label (for a change, its
    base); when neither names anything the figure says nothing comparable and is left out.
    """
    r = read_indicator(before, unit, figure=figure.text, after=figure.after, sentence=figure.sentence,
                       planned=figure.planned)
    label = r.label if r.indicator or r.change or is_fragment(phrase) else phrase
    if label is None:
        return None
    period_words = tuple(w for w in r.period if not _HAS_DIGIT.search(w))
    return {"indicator": r.indicator.id if r.indicator else label, "label": label,
            "canonical": r.indicator is not None, "approximate": r.bound != "exact", "bound": r.bound,
            "target": r.target, "change": r.change.direction if r.change else None,
            "change_basis": r.change.basis if r.change else "", "scope": r.place,
            "qualifiers": r.qualifiers + period_words, "area": r.area, "about_names": r.about}


class _Stretches:
    """Sorted, non-overlapping (start, end) stretches of the text, asked whether an offset is inside one."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def strictly_inside(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and self._starts[i] < pos < self._ends[i]


class _Context:
    """What the document already knows that a figure points at: its measures and named entities."""

    def __init__(self, doc: Doc, text: str) -> None:
        found = state(doc)
        meta = found.meta
        self.sentences = sentences_of(doc)
        self.year: int | None = meta.year if meta and meta.year else None
        all_measures = [m for s in found.sections for m in s.measures]
        measures = sorted((m.start, m.end, m.ordinal) for m in all_measures)
        self._planned = {m.ordinal for m in all_measures if m.status == "Planned"}
        self._measure_starts = [m[0] for m in measures]
        self._measures = measures
        self._mentions = sorted(((m.start, m.end, e) for e in found.entities if e.kind != "Place"
                                 for m in e.mentions), key=itemgetter(0))
        self._mention_starts = [m[0] for m in self._mentions]
        self._by_name = {name: e.key for e in found.entities if e.kind in _ABOUT_KINDS
                         for name in sorted(e.aliases | {e.name}, key=len)}

    def is_planned(self, measure: str | None) -> bool:
        """Whether the figure is in a planned measure (a target, then)."""
        return measure in self._planned

    def about(self, keys: list[str], names: tuple[str, ...]) -> list[str]:
        """The entity keys named in the figure's clause, then those of the program or unit names the
        indicator reading found (警调衔接 in 通过警调衔接调处纠纷) that the extraction knows."""
        resolved = [self._by_name[n] for n in names if n in self._by_name]
        return keys + [k for k in dict.fromkeys(resolved) if k not in keys]

    def year_of(self, measure: str | None) -> int | None:
        """The year a figure is about when its sentence names none: next year's for a planned measure."""
        if self.year and measure in self._planned:
            return self.year + 1
        return self.year

    def measure_at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._measure_starts, pos) - 1
        if i >= 0 and self._measures[i][0] <= pos < self._measures[i][1]:
            return self._measures[i][2]
        return None

    def entities_in(self, start: int, end: int) -> list[str]:
        """Keys of the entities named inside [start, end), in text order, each once.

        A name inside a longer one (国家反诈中心 in 国家反诈中心APP) is part of that name, not a second one.
        """
        i = bisect.bisect_left(self._mention_starts, start)
        inside = []
        while i < len(self._mentions) and self._mentions[i][0] < end:
            if self._mentions[i][1] <= end:
                inside.append(self._mentions[i])
            i += 1
        keys: list[str] = []
        for s, e, entity in inside:
            nested = any(o_s <= s and e <= o_e and (o_s, o_e) != (s, e) for o_s, o_e, _ in inside)
            if not nested and entity.key not in keys:
                keys.append(entity.key)
        return keys
