"""What a figure counts, as one canonical indicator for every report (issue 13).

The phrase in front of a figure says more than what it counts: 全旗公安机关累计通过警调衔接成功调处矛盾纠纷
names a place (全旗), an agent (公安机关), a qualifier (累计), a program (警调衔接) and, last, the quantity
(调处 + 矛盾纠纷: disputes resolved). Copying the phrase makes every bureau's figure its own indicator; this
module splits it. The quantity is matched by action and object against the curated indicators of
`schema/lexicon/indicators.json`, whatever synonym the report uses (调处, 调解, 化解, 排查化解 → resolve);
the rest goes to its own field. 下降12% and 同比增长 are changes of a base indicator named before them, never
an indicator called 下降; 余, 以上, 近 and 不到 are bounds of the figure; 力争 and 目标 make it a target. A
phrase nothing recognises is kept as written, and when what is left is a fragment (下降, 和, 废止) the
clause before it in the sentence names the figure, or nothing does.

Pure functions over strings: no spaCy, no RDF. The tables are data; the code only reads them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

#: How a figure relates to the true value: "2200余万元" is at least 22000000 yuan.
BOUNDS = ("exact", "at_least", "about", "at_most")
_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CLAUSE_BREAK = re.compile(r"[,;。:!?()\n]")
_MIN_LETTERS = 3
#: A phrase ending in one of these waits for more words (对推进不力的|3个|单位: the noun follows the figure).
_DANGLING = ("的", "和", "及", "与", "、", "占")
#: What a lexicon entry loses for each character between its last piece and the end of the phrase.
_HEAD_PENALTY = 20
#: Characters a head may leave after its last piece without losing anything (案件, 发案量, 数).
_HEAD_SLACK = 3
#: How many characters before a figure locate its phrase in the sentence.
_CONTEXT_KEY = 20
#: Characters of a case-type phrase (涉网案件, 侵犯知识产权犯罪): an area of the indicator, not a name.
_AREA = re.compile(r"案|犯罪|领域|涉|类")


@dataclass(frozen=True)
class Indicator:
    """A canonical quantity: `id` is stable, `zh`/`en` are column headings, `measure` is count, rate,
    amount or duration; `broader` is the id of the indicator it is a narrower kind of."""

    id: str
    zh: str
    en: str
    measure: str
    broader: str | None = None


@dataclass(frozen=True)
class Change:
    """A figure that is a change of its indicator: `direction` up or down, `basis` as written (同比, 较上年)."""

    direction: str
    basis: str = ""


@dataclass(frozen=True)
class Reading:
    """Everything a figure's phrase says, each part in its place.

    `indicator` is None when nothing in the lexicon fits; `label` is then the phrase as written (or the
    clause before it when the phrase alone is a fragment), and None when nothing names the figure.
    `about` holds program or unit names as written, `area` a case type (涉网案件), `place` and `period`
    the words that scope the figure (全旗, 全年, 2022年).
    """

    indicator: Indicator | None
    label: str | None
    about: tuple[str, ...] = ()
    area: str | None = None
    place: tuple[str, ...] = ()
    period: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    change: Change | None = None
    bound: str = "exact"
    target: bool = False

    @property
    def key(self) -> str | None:
        """`<id>` or `<id>|up` / `<id>|down` for a change; None when not recognised (as the gold files write it)."""
        if self.indicator is None:
            return None
        return f"{self.indicator.id}|{self.change.direction}" if self.change else self.indicator.id


@dataclass(frozen=True)
class _Entry:
    """One lexicon indicator with its compiled constraints."""

    indicator: Indicator
    verb: re.Pattern[str] | None
    object: re.Pattern[str] | None
    words: re.Pattern[str] | None
    units: frozenset[str]


@dataclass(frozen=True)
class _Match:
    entry: _Entry
    first: int  # where the earliest matched piece starts
    score: int


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class _Lexicon:
    """`schema/lexicon/indicators.json`, compiled once."""

    def __init__(self, data: dict[str, Any]) -> None:
        verbs, objects, phrase = data["verbs"], data["objects"], data["phrase"]
        self.unit_class = {u: cls for cls, units in data["unit_classes"].items() for u in units}
        measures = {m: frozenset(classes) for m, classes in data["measures"].items()}
        self.by_id: dict[str, Indicator] = {}
        self.entries: list[_Entry] = []
        for e in data["indicators"]:
            ind = Indicator(e["id"], e["zh"], e["en"], e["measure"], e.get("broader"))
            self.by_id[ind.id] = ind
            self.entries.append(_Entry(
                ind, _compile(verbs, e.get("verb")), _compile(objects, e.get("object")),
                re.compile(_alternation(e["words"])) if "words" in e else None,
                frozenset(e.get("units") or measures[e["measure"]])))
        self.leading = [(role, re.compile(f"^(?:{'|'.join(phrase[role])})"))
                        for role in ("period", "place", "agent", "qualifier", "filler")]
        self.trailing_filler = re.compile(f"(?:{'|'.join(phrase['filler'])})+$")
        self.change = re.compile(phrase["change"])
        self.directions: dict[str, str] = phrase["directions"]
        self.bound_before = re.compile(f"(?:{_alternation(list(phrase['bound_before']))})$")
        self.bound_before_start = re.compile(f"^(?:{_alternation(list(phrase['bound_before']))})")
        self.bound_after_any = re.compile(_alternation(list(phrase["bound_after"])))
        self.bound_after = re.compile(f"^(?:{self.bound_after_any.pattern})")
        self.bound_words: dict[str, str] = {**phrase["bound_before"], **phrase["bound_after"]}
        self.target = re.compile(_alternation(phrase["target"]))
        self.context_breaks = re.compile(phrase["context_breaks"])
        self.figure = re.compile(phrase["figure"])
        derived = data["derived"]
        self.through = re.compile(f"^(?:{_alternation(derived['cues'])})")
        self.not_program_heads = tuple(derived["not_program_heads"])
        self.name_end = re.compile(_alternation(derived["name_ends"]))
        self.program_head = re.compile(f"(?:{_alternation(derived['program_heads'])})$")
        self.quotes = re.compile("[“”\"『』「」‘’]")
        self.derived_zh, self.derived_en = derived["zh"], derived["en"]
        self.any_verb = re.compile(_alternation([w for group in verbs.values() for w in group]))
        self.fragments = frozenset(
            [w for group in verbs.values() for w in group] + list(self.directions) + list(self.bound_words)
            + phrase["qualifier"] + phrase["target"])


def _compile(groups: dict[str, list[str]], name: str | None) -> re.Pattern[str] | None:
    if name is None:
        return None
    if name not in groups:
        raise KeyError(f"indicators.json: an indicator names the verb or object group {name!r}, which is not defined")
    return re.compile(_alternation(groups[name]))


@cache
def lexicon() -> _Lexicon:
    """The compiled lexicon (read once per process)."""
    text = resources.files("policekg.schema").joinpath("lexicon", "indicators.json").read_text(encoding="utf-8")
    return _Lexicon(json.loads(text))


def canonical(indicator_id: str) -> Indicator:
    """The lexicon indicator of an id, or a derived one (`disputes_resolved/警调衔接`) made from it."""
    lex = lexicon()
    base_id, _, program = indicator_id.partition("/")
    base = lex.by_id[base_id]
    return _derived(base, program) if program else base


def _derived(base: Indicator, program: str) -> Indicator:
    """The narrower indicator of `base` reached through a program: its id, labels and skos:broader."""
    lex = lexicon()
    return Indicator(f"{base.id}/{program}", lex.derived_zh.format(program=program, indicator=base.zh),
                     lex.derived_en.format(program=program, indicator=base.en), base.measure, base.id)


def is_fragment(phrase: str | None) -> bool:
    """True when a phrase cannot name what is counted: fewer than three letters (主办, 占比, 败诉: the clause
    before says of what), only a verb, a change or a bound, or words that wait for more (推进不力的)."""
    if phrase is None:
        return True
    return (len(_LETTER.findall(phrase)) < _MIN_LETTERS or phrase in lexicon().fragments
            or phrase.endswith(_DANGLING))


def read_indicator(before: str, unit: str, *, figure: str = "", after: str = "", sentence: str = "",
                   planned: bool = False) -> Reading:
    """Read the phrase in front of a figure.

    `before` is the text before the number (its last clause is read), `figure` the figure as written
    (约2200余万元: its bound words), `after` the words after it (2个|公安综合窗口进驻…), `sentence` the
    sentence around it (the clause before a bare 同比下降 names what declined), `planned` whether it is
    in a planned measure (a target, then).
    """
    lex = lexicon()
    clause = _CLAUSE_BREAK.split(before)[-1].strip()
    bound = _bound(clause, figure, after)
    clause = lex.bound_before.sub("", clause)
    change, clause = _change(clause)
    target = planned or bool(lex.target.search(clause))
    core, parts = _strip_leading(lex.target.sub("", clause))
    core = lex.trailing_filler.sub("", core)
    right = _CLAUSE_BREAK.split(lex.bound_after.sub("", after))[0].strip()
    found = _best(core + "|" + right, unit, change is not None, 0, len(core))
    context = ""
    if found is None and (is_fragment(core) or not lex.any_verb.search(core)):
        context = _context(sentence, before)
        found = _best(context + "|" + core, unit, change is not None, len(context) + 1 if core else 0,
                      len(context) + 1 + len(core), is_fragment(core))
    common = {"place": parts["place"], "period": parts["period"], "qualifiers": parts["qualifier"],
              "change": change, "bound": bound, "target": target}
    if found is None:
        return Reading(None, _written_label(core, right, context, change), **common)
    offset = len(context) + 1 if context else 0
    about, area, program = _prefix(core[:found.first - offset] if found.first >= offset else "")
    ind = _derived(found.entry.indicator, program) if program else found.entry.indicator
    return Reading(ind, ind.zh, about=about, area=area, **common)


def _bound(clause: str, figure: str, after: str) -> str:
    """The bound the figure is stated with: a word ending the phrase or opening the figure (约, 超过), one
    after its number or unit (余, 以上), or one right after the figure (左右, 以下)."""
    lex = lexicon()
    number_on = lex.bound_before_start.match(figure)
    m = (lex.bound_before.search(clause) or number_on
         or lex.bound_after_any.search(figure, number_on.end() if number_on else 0) or lex.bound_after.match(after))
    return lex.bound_words[m.group()] if m else "exact"


def _change(clause: str) -> tuple[Change | None, str]:
    """A change word at the end of the phrase (同比下降, 较上年增加): the change, and the phrase without it."""
    lex = lexicon()
    m = lex.change.search(clause)
    if m is None:
        return None, clause
    return Change(lex.directions[m.group("dir")], m.group("basis") or ""), clause[:m.start()]


def _strip_leading(text: str) -> tuple[str, dict[str, tuple[str, ...]]]:
    """Peel period, place, agent, qualifier and filler words off the start of the phrase, again and again."""
    found: dict[str, list[str]] = {role: [] for role, _ in lexicon().leading}
    progress = True
    while text and progress:
        progress = False
        for role, pattern in lexicon().leading:
            m = pattern.match(text)
            if m and m.end():
                found[role].append(m.group().strip())
                text, progress = text[m.end():], True
    return text, {role: tuple(w for w in words if w) for role, words in found.items()}


def _best(text: str, unit: str, changed: bool, core_from: int, core_end: int, verb_will_do: bool = True) -> _Match | None:
    """The best-constrained lexicon entry whose pieces are all in `text`.

    From the clause before a phrase (`text[:core_from]`) an entry may take some pieces, but the phrase
    must give one too: any piece for a fragment (其中修改 ← 清理规范性文件), else (`verb_will_do` false)
    all but the action (化解邻里、|婚恋家庭等纠纷; 审核重大执法决定 is not 审核 + the 案件 before it).
    A Chinese phrase ends in its head: an entry whose last piece ends more than `_HEAD_SLACK` characters
    short of `core_end` (the end of the phrase) loses `_HEAD_PENALTY` a character more, so
    办理行政案件程序规定等法律法规专题培训 counts trainings, not administrative cases.
    """
    unit_class = lexicon().unit_class.get(unit)
    best: _Match | None = None
    for entry in lexicon().entries:
        if not _fits(entry, unit_class, changed):
            continue
        found = {name: p.search(text, core_from) or p.search(text)
                 for name, p in (("verb", entry.verb), ("object", entry.object), ("words", entry.words)) if p}
        pieces = list(found.values())
        if not pieces or not all(pieces):
            continue
        from_core = {name for name, m in found.items() if m.end() > core_from}
        if core_from and not (from_core if verb_will_do else from_core and from_core >= set(found) - {"verb"}):
            continue
        # a narrower entry beats its broader one when both fit equally (破获电诈案件: fraud, not any case)
        score = (100 * len(pieces) + sum(m.end() - m.start() for m in pieces) + bool(entry.indicator.broader)
                 - _HEAD_PENALTY * max(0, core_end - max(m.end() for m in pieces) - _HEAD_SLACK))
        if best is None or score > best.score:
            best = _Match(entry, min(m.start() for m in pieces), score)
    return best


def _fits(entry: _Entry, unit_class: str | None, changed: bool) -> bool:
    """Whether a figure in this unit can be of the entry: a change may be a percentage of anything, but
    percentage points only of a rate; a unit the lexicon does not know (个月, 公里) fits no entry."""
    if unit_class in entry.units:
        return True
    return changed and (unit_class == "percent" or (unit_class == "points" and entry.indicator.measure == "rate"))


def _context(sentence: str, before: str) -> str:
    """The nearest clause before the phrase that names something: its figure and leading words removed."""
    lex = lexicon()
    clause, tail = _CLAUSE_BREAK.split(before)[-1], before[-_CONTEXT_KEY:]
    at = sentence.find(tail) if tail else -1
    head = sentence[:at + len(tail) - len(clause)] if at >= 0 else before[:len(before) - len(clause)]
    for piece in reversed(lex.context_breaks.split(head)):
        core, _ = _strip_leading(lex.change.sub("", lex.figure.sub("", piece.strip())))
        core = lex.trailing_filler.sub("", core)
        if not is_fragment(core):
            return core
    return ""


def _prefix(prefix: str) -> tuple[tuple[str, ...], str | None, str | None]:
    """What the words before the quantity name: (about, area, program of a derived indicator).

    After 通过 / 依托 … a name is a program (a narrower indicator) unless it ends like a unit or a platform;
    such a name (两所, 城关派出所, …APP) is what the figure is about; any other words (涉网案件, 执法 in
    执法培训, 驻村辅警) say which kind of the quantity is meant: its area, kept as written.
    """
    lex = lexicon()
    prefix, _ = _strip_leading(prefix)
    through = lex.through.match(prefix)
    name = lex.quotes.sub("", prefix[through.end():] if through else prefix)
    name = lex.trailing_filler.sub("", lex.name_end.split(name)[0] if through else name)
    if is_fragment(name):
        return (), None, None
    if name.endswith(lex.not_program_heads):
        return (name,), None, None
    if through and not _AREA.search(name):
        program = lex.program_head.sub("", name) or name
        return (name,), None, program
    return (), name, None


def _written_label(core: str, right: str, context: str, change: Change | None) -> str | None:
    """The label of a figure nothing recognises: the phrase as written, never a fragment."""
    for label in (core, core + right, context + core if change is None else context):
        if not is_fragment(label):
            return label
    return None
