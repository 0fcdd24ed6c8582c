"""Scores the extractor against a hand-made gold file (the format of tests/data/*.gold.json).

`policekg eval GOLD.json REPORT.txt [--json OUT]` extracts the report and prints precision, recall and
F1 per entity class, for observations, relations and the structure, each beside its target; the tests
fail below the targets. Matching is deliberately lenient where the gold is (entity names match on the
canonical name or any gold surface form; indicator phrases are compared apart from the figure) and
strict where the graph needs it (value, unit and measure of a figure; ordinals, titles and statuses).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from policekg.extract.errors import ExtractionError
from policekg.extract.figures.indicators import IndicatorRules
from policekg.extract.model import ENTITY_KINDS, Extraction
from policekg.extract.patterns import load_patterns
from policekg.extract.pipeline import Extractor
from policekg.schema.vocabulary import BY_NAME

log = logging.getLogger(__name__)

#: The classes scored, in the vocabulary's order: every extracted kind, the legal ones as LegalInstrument.
ENTITY_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(BY_NAME[k].parent or k for k in ENTITY_KINDS))
#: Minimum F1 per row (structure must be exact), as the product owner set them for the seed.
TARGETS: dict[str, float] = {**{f"entities/{c}": 0.90 for c in ENTITY_CLASSES},
                             "observations": 0.90, "relations": 0.75, "structure": 1.0}
_INDICATOR_DICE = 0.5


class EvalInputError(ValueError):
    """The gold file or the report cannot be read."""


@dataclass
class Score:
    """Counts and ratios of one row of the table."""

    name: str
    tp: int
    fp: int
    fn: int
    target: float | None = None
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.f1 >= self.target - 1e-9


@dataclass
class EvalResult:
    """Every row, plus the indicator agreement and metadata checks reported beside them."""

    report: str
    scores: list[Score]
    indicator_agreement: float
    metadata: dict[str, bool]
    warnings: list[str]

    def score(self, name: str) -> Score:
        return next(s for s in self.scores if s.name == name)

    @property
    def passed(self) -> bool:
        return all(s.passed is not False for s in self.scores)

    def to_json(self) -> dict[str, Any]:
        rows = [{**asdict(s), "precision": s.precision, "recall": s.recall, "f1": s.f1, "passed": s.passed}
                for s in self.scores]
        return {"report": self.report, "passed": self.passed, "scores": rows,
                "indicator_agreement": self.indicator_agreement, "metadata": self.metadata,
                "warnings": self.warnings}


def evaluate(gold: dict[str, Any], extraction: Extraction, report: str = "") -> EvalResult:
    """Score one extraction against its gold annotation."""
    names = _entity_names(extraction)
    gold_surfaces = {e["name"]: {e["name"], *e.get("surface", [])} for e in gold.get("entities", [])}
    scores = [_entity_score(c, gold, extraction) for c in ENTITY_CLASSES]
    obs_score, agreement = _observation_score(gold, extraction)
    scores += [obs_score, _relation_score(gold, extraction, names, gold_surfaces), _structure_score(gold, extraction)]
    for s in scores:
        s.target = TARGETS.get(s.name)
    meta = extraction.meta
    metadata = {"issuer": meta.issuer == gold.get("issuer"), "year": meta.year == gold.get("year")}
    if gold.get("published"):
        metadata["published"] = str(meta.published) == gold["published"]
    return EvalResult(report, scores, agreement, metadata, list(extraction.warnings))


def _match(name: str, predicted: Iterable[Any], gold: Iterable[Any], same: Callable[[Any, Any], bool],
           show: Callable[[Any], str] = str) -> Score:
    """Greedy one-to-one matching of predicted to gold items: each gold item is credited once."""
    golds = list(gold)
    unmatched = list(golds)
    spurious = []
    for item in predicted:
        hit = next((i for i, g in enumerate(unmatched) if same(item, g)), None)
        if hit is None:
            spurious.append(show(item))
        else:
            unmatched.pop(hit)
    return Score(name, len(golds) - len(unmatched), len(spurious), len(unmatched), missed=[show(g) for g in unmatched],
                 spurious=spurious)


# -- entities ------------------------------------------------------------------------------------

def _entity_class(kind: str) -> str:
    return BY_NAME[kind].parent or kind  # a law is scored as a legal instrument, a formulation as a program


def _entity_names(extraction: Extraction) -> dict[str, set[str]]:
    """Entity key → every name it goes by (canonical name and aliases)."""
    return {e.key: {e.name, *e.aliases} for e in extraction.entities}


def _entity_score(cls: str, gold: dict[str, Any], extraction: Extraction) -> Score:
    golds = [{g["name"], *g.get("surface", [])} | {"\0" + g["name"]}
             for g in gold.get("entities", []) if g["type"] == cls]
    predicted = [e for e in extraction.entities if _entity_class(e.kind) == cls]
    # canonical-name matches first, so an alias does not steal another entity's gold item
    predicted.sort(key=lambda e: not any(e.name in g for g in golds))
    return _match(f"entities/{cls}", predicted, golds,
                  lambda e, g: e.name in g or bool(e.aliases & g),
                  show=lambda x: x.name if hasattr(x, "name") else _gold_label(x))


def _gold_label(surfaces: set[str]) -> str:
    return next(s[1:] for s in surfaces if s.startswith("\0"))


# -- observations ------------------------------------------------------------------------------

def _observation_score(gold: dict[str, Any], extraction: Extraction) -> tuple[Score, float]:
    """Value, unit and measure must match; among figures with the same key, each predicted one takes the
    gold one whose indicator is most alike, and the indicator agreement is measured over those pairs."""
    rules = _indicator_rules()
    open_gold: dict[tuple, list[str]] = {}
    for g in gold.get("observations", []):
        open_gold.setdefault(_figure_key(g["value"], g["unit"], g.get("measure")), []).append(g.get("indicator", ""))
    tp, agreed, spurious = 0, [], []
    for o in extraction.observations:
        key = _figure_key(o.value, o.unit, o.measure)
        candidates = open_gold.get(key)
        if not candidates:
            spurious.append(f"{key} {o.label or o.indicator}")
            continue
        similarity = [_indicator_similarity(o.indicator_text or o.indicator, g, rules) for g in candidates]
        best = max(range(len(candidates)), key=similarity.__getitem__)
        agreed.append(similarity[best] >= _INDICATOR_DICE)
        candidates.pop(best)
        tp += 1
    missed = [f"{key} {ind}" for key, inds in open_gold.items() for ind in inds]
    score = Score("observations", tp, len(spurious), len(missed), missed=missed, spurious=spurious)
    return score, (sum(agreed) / len(agreed) if agreed else 1.0)


@cache
def _indicator_rules() -> IndicatorRules:
    """The extractor's indicator rules, compiled once: a corpus evaluation scores every report with them."""
    return IndicatorRules(load_patterns("observations"))


def _figure_key(value: Any, unit: str, measure: str | None) -> tuple[str, str, str | None]:
    number = Decimal(str(value))
    text = str(int(number)) if number == number.to_integral() else str(number.normalize())
    return text, unit, measure


def _indicator_similarity(a: str, b: str, rules: IndicatorRules) -> float:
    """1.0 when one normalised phrase contains the other, else the Dice overlap of their characters."""
    a, b = rules.normalize(a), rules.normalize(b)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


# -- relations ---------------------------------------------------------------------------------

def _relation_score(gold: dict[str, Any], extraction: Extraction, names: dict[str, set[str]],
                    gold_surfaces: dict[str, set[str]]) -> Score:
    def end_matches(pred_key: str, gold_name: str) -> bool:
        if gold_name.startswith("measure:") or pred_key.startswith("measure:"):
            return pred_key == gold_name
        return bool(names.get(pred_key, set()) & gold_surfaces.get(gold_name, {gold_name}))

    def same(r: Any, g: dict[str, str]) -> bool:
        return r.predicate == g["p"] and end_matches(r.subject, g["s"]) and end_matches(r.object, g["o"])

    return _match("relations", extraction.relations, gold.get("relations", []), same,
                  show=lambda x: f"{x['s']} {x['p']} {x['o']}" if isinstance(x, dict)
                  else f"{x.subject} {x.predicate} {x.object}")


# -- structure ---------------------------------------------------------------------------------

def _structure_score(gold: dict[str, Any], extraction: Extraction) -> Score:
    """Sections and measures as (ordinal, title, status) items; the target demands all of them, exactly."""
    golds = [(s["ordinal"], s["title"], s["status"]) for s in gold.get("sections", [])]
    golds += [(m["ordinal"], m["title"], s["status"]) for s in gold.get("sections", []) for m in s["measures"]]
    predicted = [(s.ordinal, s.title, s.status) for s in extraction.sections]
    predicted += [(m.ordinal, m.title, m.status) for m in extraction.measures]
    return _match("structure", predicted, golds, lambda p, g: p == g, show=lambda x: " ".join(x))


# -- output ------------------------------------------------------------------------------------

def format_table(result: EvalResult) -> str:
    """The result as a plain-text table, one row per score, with the target and a verdict."""
    lines = [f"evaluation of {result.report}",
             f"{'':26}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}{'target':>8}  ok"]
    for s in result.scores:
        verdict = {True: "yes", False: "NO", None: ""}[s.passed]
        target = f"{s.target:.2f}" if s.target is not None else ""
        lines.append(f"{s.name:26}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:6}{s.fp:6}{s.fn:6}"
                     f"{target:>8}  {verdict}")
    lines.append(f"indicator agreement on matched figures: {result.indicator_agreement:.3f}")
    lines.append("metadata: " + ", ".join(f"{k} {'ok' if v else 'WRONG'}" for k, v in result.metadata.items()))
    lines.append("all targets met" if result.passed else "targets NOT met")
    return "\n".join(lines)


def format_details(result: EvalResult, limit: int = 30) -> str:
    """What each row missed (in the gold, not found) and got wrong (found, not in the gold)."""
    lines = []
    for s in result.scores:
        for label, items in (("missed", s.missed), ("spurious", s.spurious)):
            if items:
                more = f" … and {len(items) - limit} more" if len(items) > limit else ""
                lines.append(f"{s.name} {label} ({len(items)}): " + "; ".join(items[:limit]) + more)
    return "\n".join(lines) or "nothing missed, nothing spurious"


def run(gold_path: Path, report_path: Path, json_out: Path | None = None) -> EvalResult:
    """Extract `report_path` (see `extract_for`) and score it against `gold_path`."""
    gold = _read_gold(gold_path)
    try:
        text = report_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EvalInputError(f"{report_path}: not UTF-8 text ({exc})") from exc
    extraction = extract_for(Extractor(), text, gold, str(report_path))
    result = evaluate(gold, extraction, report=str(report_path))
    if json_out:
        json_out.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def extract_for(extractor: Extractor, text: str, gold: dict[str, Any], name: str = "") -> Extraction:
    """Extract as a user would (no overrides); only a text naming no issuer or year gets the gold's."""
    try:
        return extractor(text)
    except ExtractionError as err:
        log.warning("%s: %s; scoring with the gold's issuer and year", name, err)
        return extractor(text, issuer=gold.get("issuer"), year=gold.get("year"))


def _read_gold(path: Path) -> dict[str, Any]:
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalInputError(f"{path}: not a JSON gold file ({exc})") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("sections", []), list):
        raise EvalInputError(f"{path}: a gold file is a JSON object with sections, entities, observations, relations")
    return gold


def main(argv: list[str] | None = None) -> int:
    """`python -m policekg.extract.eval GOLD REPORT [--json OUT] [--strict] [--details]` (as `policekg eval`).

    With `--strict` the exit code is 1 when a target is missed, for use in scripts.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--json", type=Path, dest="json_out")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--details", action="store_true", help="list what was missed and what was spurious")
    args = parser.parse_args(argv)
    result = run(args.gold, args.report, args.json_out)
    sys.stdout.write(format_table(result) + "\n")
    if args.details:
        sys.stdout.write(format_details(result) + "\n")
    return 1 if args.strict and not result.passed else 0


if __name__ == "__main__":
    sys.exit(main())
