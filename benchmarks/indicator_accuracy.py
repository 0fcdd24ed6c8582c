"""How often the indicator normaliser names a figure's quantity right (issue 13).

    .venv/bin/python benchmarks/indicator_accuracy.py [--details]

Reads every gold figure of the seed, tests/data/*.gold.json, tests/data/blind/*.gold.json and the real
development set (../shared/corpus/real/, read in place, never copied), finds the figure in its gold
`text`, and runs `extract.indicator_norm.read_indicator` on the words before it, the figure, the words
after it and the sentence of the report that holds it. The expected canonical indicator of each figure
is in tests/data/indicator_gold.json (keyed by file and figure index; null: no canonical indicator, the
phrase is kept as written). Prints, per set and overall: the share right, the share whose label is a
fragment (target 0), the share left unrecognised, the share whose bound agrees with the gold's
approximate flag, and, over the figures that have a canonical indicator in the gold, the recall and
precision of the canonical ones.
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from policekg.extract.figures.indicator_norm import Reading, read_indicator
from policekg.extract.text.numbers import parse_number

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
REAL = ROOT.parent.parent / "shared" / "corpus" / "real"
GOLD = DATA / "indicator_gold.json"
SEED_TEXT = ROOT / "kg" / "sample" / "000_01c10ac9e2f52e48.txt"
_FIGURE = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<a1>余|多)?(?P<mult>[万亿千百]?)(?P<a2>余|多)?")
_SENTENCE = re.compile(r"[^。!?\n]*")
_DANGLING = re.compile(r"^[和及、]|[和及与的、]$")
_CHANGE_ONLY = re.compile(r"^(?:同比|环比)?(?:下降|上升|增长|减少|增加|提升|提高|降幅|增幅)$")


@dataclass
class GoldFigure:
    """One gold figure located in its report: what the normaliser is given, and what it should answer."""

    key: str  # "real/01", "tests/101" …
    index: int
    phrase: str  # the gold's own indicator phrase (for reading the details, never given to the normaliser)
    unit: str
    approximate: bool
    before: str
    figure: str
    after: str
    sentence: str


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _locate(text: str, value: Decimal, unit: str) -> re.Match[str] | None:
    """The figure in a gold text whose value (scaled by 万/亿 unless the unit keeps them) is the gold's:
    one followed by its unit if there is one (败诉率为0 has none)."""
    keeps = unit.startswith(("万", "亿"))
    found = [m for m in _FIGURE.finditer(text) if parse_number(m.group("num"), "" if keeps else m.group("mult")) == value]
    by_unit = [m for m in found if text[m.end():m.end() + len(unit) + 1].lstrip("个").startswith(unit.lstrip("个")[:1])]
    return (by_unit or found or [None])[0]


def _sentence(report: str, text: str) -> str:
    at = report.find(text)
    if at < 0:
        return text
    start = max(report.rfind(c, 0, at) for c in "。!?\n") + 1
    return _SENTENCE.match(report, start).group()


def annotated_reports() -> Iterator[tuple[str, Path, Path, str]]:
    """(key, gold file, report text, name of the figure list) of every annotated report."""
    yield "tests/000", DATA / "000_01c10ac9e2f52e48.gold.json", SEED_TEXT, "observations"
    for gold in sorted(DATA.glob("1*.gold.json")) + sorted((DATA / "blind").glob("*.gold.json")):
        yield f"tests/{gold.name[:3]}", gold, gold.with_name(gold.name.replace(".gold.json", ".txt")), "observations"
    for gold in sorted(REAL.glob("*.gold.json")):
        yield f"real/{gold.name[:2]}", gold, gold.with_name(gold.name.replace(".gold.json", ".txt")), "metrics"


def gold_figures() -> Iterator[GoldFigure]:
    """Every gold figure whose number can be found in its gold text."""
    for key, gold_path, text_path, field in annotated_reports():
        gold, report = json.loads(gold_path.read_text(encoding="utf-8")), nfkc(text_path.read_text(encoding="utf-8"))
        for i, fig in enumerate(gold[field]):
            text, unit = nfkc(fig["text"]), fig["unit"]
            m = _locate(text, Decimal(str(fig["value"])), unit)
            if m is None:
                raise ValueError(f"{gold_path}: figure {i} ({fig['value']} {unit}) not found in {text!r}")
            unit_end = text.find(unit, m.end()) + len(unit) if unit in text[m.end():] else m.end()
            yield GoldFigure(key, i, fig["indicator"], unit, bool(fig.get("approximate", fig.get("approx"))),
                             text[:m.start()], text[max(0, m.start() - 2):unit_end], text[unit_end:],
                             _sentence(report, text))


def read(fig: GoldFigure) -> Reading:
    return read_indicator(fig.before, fig.unit, figure=fig.figure, after=fig.after, sentence=fig.sentence)


def is_fragment(label: str | None) -> bool:
    """A label that cannot be a column heading: one or two characters, a change word, a dangling 和 or 的."""
    if label is None:
        return False
    return len(label) <= 2 or bool(_DANGLING.search(label) or _CHANGE_ONLY.match(label))


_TALLIES = ("n", "right", "fragment", "unrec", "bound", "gold_canonical", "found_canonical", "canonical_right")


def score(details: bool) -> dict[str, dict[str, float]]:
    expected = json.loads(GOLD.read_text(encoding="utf-8"))
    tallies: dict[str, dict[str, int]] = {}
    for fig in gold_figures():
        want = expected[fig.key][fig.index]
        got = read(fig)
        t = tallies.setdefault(fig.key.split("/")[0], dict.fromkeys(_TALLIES, 0))
        t["n"] += 1
        t["gold_canonical"] += want is not None
        t["found_canonical"] += got.key is not None
        t["canonical_right"] += want is not None and got.key == want
        t["right"] += got.key == want
        t["fragment"] += is_fragment(got.label)
        t["unrec"] += got.indicator is None
        t["bound"] += (got.bound in ("at_least", "about")) == fig.approximate
        if details and got.key != want:
            print(f"{fig.key}#{fig.index}\twant {want}\tgot {got.key}\t{fig.before}|{fig.figure}|{fig.after}")
    tallies["all"] = {k: sum(t[k] for t in list(tallies.values())) for k in _TALLIES}
    return {name: {"figures": t["n"], **{k: round(t[k] / t["n"], 3) for k in ("right", "fragment", "unrec", "bound")},
                   "recall": round(t["canonical_right"] / t["gold_canonical"], 3),
                   "precision": round(t["canonical_right"] / t["found_canonical"], 3)}
            for name, t in tallies.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list every figure read wrong")
    args = parser.parse_args()
    print("set\tfigures\tright\tfragment\tunrecognised\tbound agrees\tcanonical recall\tcanonical precision")
    for name, s in score(args.details).items():
        print(f"{name}\t{s['figures']}\t{s['right']:.3f}\t{s['fragment']:.3f}\t{s['unrec']:.3f}\t{s['bound']:.3f}"
              f"\t{s['recall']:.3f}\t{s['precision']:.3f}")


if __name__ == "__main__":
    main()
