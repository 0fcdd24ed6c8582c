"""Scores the extractor over a folder of gold files: pooled recall and precision per class.

`policekg eval FOLDER [--details]` extracts every `*.gold.json`'s text (the `.txt` beside it) and counts,
over all files together, which gold names the extractor found and which of its names the gold holds.
Two gold formats are read, told apart by their keys:

- the real development set's (`units`, `organizations`, `programs`, `laws`, `platforms`, `metrics`):
  each name is an exact substring of the text, and units → PoliceUnit, organizations → GovernmentBody,
  programs → Program, laws → Law / Regulation / PolicyDocument, platforms → Platform;
- ours (`entities` with `type`, `name` and `surface`, `observations`), as `tests/data/*.gold.json`.

Names are compared after the extractor's normalisation with quote marks, 《》 and spaces dropped:
**lenient** when either contains the other, **strict** when they are equal. A found entity is compared
by every spelling it has (canonical name, aliases, the text of each mention); found and gold items are
paired one to one (a maximum matching), so one found name cannot stand for two gold ones. A figure
matches on value and unit, with a leading 万 / 亿 of the unit scaled into the value (2500 万元 = 25000000
元). Only the classes a file annotates are scored in it: the real set marks no places.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from policekg.extract.eval import ENTITY_CLASSES, EvalInputError, _entity_class, extract_for
from policekg.extract.model import Entity, Extraction
from policekg.extract.normalize import normalize
from policekg.extract.pipeline import Extractor

#: The real set's lists and the entity class each holds.
REAL_CLASSES: dict[str, str] = {"units": "PoliceUnit", "organizations": "GovernmentBody", "programs": "Program",
                                "laws": "LegalInstrument", "platforms": "Platform"}
MODES: tuple[str, ...] = ("lenient", "strict")
#: What the matching rule ignores in a name: quote marks of every kind, title marks and spaces.
_IGNORED = re.compile(r"[\s\"'“”‘’「」『』《》]")
_SCALES: dict[str, Decimal] = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


@dataclass(frozen=True)
class GoldFile:
    """One gold file read into the shape both formats share."""

    path: Path
    text_path: Path
    raw: dict[str, Any]
    names: dict[str, list[tuple[str, ...]]]  # class → gold items, each its name and other spellings
    figures: list[tuple[tuple[Decimal, str], str]]  # (value, unit) and how to show it
    fmt: str  # "real" or "ours"


@dataclass
class Tally:
    """Counts of one class in one mode: gold items found, found items right, and the totals."""

    gold: int = 0
    found: int = 0
    tp: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.found += other.found
        self.tp += other.tp

    @property
    def precision(self) -> float:
        return self.tp / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0


@dataclass
class FileScore:
    """One file's tallies by (class, mode), its figures, the lenient-only pairs, and the metadata checks."""

    name: str
    fmt: str
    tallies: dict[tuple[str, str], Tally]
    figures: Tally
    loose: list[str]  # "found ~ gold" pairs that match leniently but not strictly
    issuer_ok: bool
    year_ok: bool


# -- reading ------------------------------------------------------------------------------------

def name_key(name: str) -> str:
    """A name as the matching rule sees it: normalised, without quote marks, 《》 and spaces."""
    return _IGNORED.sub("", normalize(name))


def scaled(value: Any, unit: str) -> tuple[Decimal, str]:
    """A figure with a leading 万 / 亿 of its unit moved into the value (2500, 万元 → 25000000, 元)."""
    number = Decimal(str(value))
    if len(unit) > 1 and unit[0] in _SCALES:
        number, unit = number * _SCALES[unit[0]], unit[1:]
    return number.normalize(), unit


def read_gold_file(path: Path) -> GoldFile:
    """Read a gold file of either format; its text is the `.txt` of the same stem beside it."""
    text_path = path.with_name(path.name.removesuffix(".gold.json") + ".txt")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalInputError(f"{path}: not a JSON gold file ({exc})") from exc
    if not isinstance(gold, dict):
        raise EvalInputError(f"{path}: a gold file is a JSON object")
    if "entities" in gold:
        names: dict[str, list[tuple[str, ...]]] = {c: [] for c in ENTITY_CLASSES}
        for e in gold["entities"]:
            names.setdefault(e["type"], []).append((e["name"], *e.get("surface", [])))
        figures = [(scaled(o["value"], o["unit"]), f"{o['value']}{o['unit']} {o.get('indicator', '')}")
                   for o in gold.get("observations", [])]
        return GoldFile(path, text_path, gold, names, figures, "ours")
    if any(key in gold for key in REAL_CLASSES):
        names = {cls: [(s,) for s in gold.get(key, [])] for key, cls in REAL_CLASSES.items()}
        figures = [(scaled(m["value"], m["unit"]), m.get("text", "")) for m in gold.get("metrics", [])]
        return GoldFile(path, text_path, gold, names, figures, "real")
    raise EvalInputError(f"{path}: neither format: no 'entities' and none of {', '.join(REAL_CLASSES)}")


def gold_files(folder: Path) -> tuple[list[GoldFile], list[str]]:
    """Every `*.gold.json` directly in `folder` that has its text beside it, in name order, and a note for
    each that has none (the seed's gold in tests/data: its text ships inside the package)."""
    paths = sorted(folder.glob("*.gold.json"))
    if not paths:
        raise EvalInputError(f"{folder}: no *.gold.json file in it")
    files = [read_gold_file(p) for p in paths]
    skipped = [f"{f.path.name}: skipped, no {f.text_path.name} beside it" for f in files if not f.text_path.is_file()]
    return [f for f in files if f.text_path.is_file()], skipped


# -- scoring ------------------------------------------------------------------------------------

def _spellings(entity: Entity) -> frozenset[str]:
    """Every way the extractor has of writing a found entity, as the matching rule sees them."""
    keys = map(name_key, (entity.name, *entity.aliases, *(m.text for m in entity.mentions)))
    return frozenset(k for k in keys if k)


def _lenient(found: frozenset[str], gold: frozenset[str]) -> bool:
    return any(f in g or g in f for f in found for g in gold)


def _strict(found: frozenset[str], gold: frozenset[str]) -> bool:
    return not found.isdisjoint(gold)


_RULES = {"lenient": _lenient, "strict": _strict}


def max_matching(edges: list[list[int]]) -> dict[int, int]:
    """The most pairs (left → right) the edges allow, by augmenting paths (Kuhn): a greedy pairing can
    let a found name take the one gold item another found name needed."""
    owner: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right not in seen:
                seen.add(right)
                if right not in owner or augment(owner[right], seen):
                    owner[right] = left
                    return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    return {left: right for right, left in owner.items()}


def _class_tally(found: list[Entity], gold: list[tuple[str, ...]], mode: str) -> tuple[Tally, dict[int, int]]:
    """Pair found entities with gold items one to one under `mode`'s rule; equal names are tried first, so
    the lenient rule does not pair 市公安局 with the 分局 and the 分局 with 市公安局."""
    same = _RULES[mode]
    found_keys = [_spellings(e) for e in found]
    gold_keys = [frozenset(k for k in map(name_key, g) if k) for g in gold]
    edges = [sorted((j for j, g in enumerate(gold_keys) if same(f, g)), key=lambda j: not _strict(f, gold_keys[j]))
             for f in found_keys]
    pairs = max_matching(edges)
    paired_gold = set(pairs.values())
    tally = Tally(len(gold), len(found), len(pairs),
                  missed=[g[0] for j, g in enumerate(gold) if j not in paired_gold],
                  spurious=[e.name for i, e in enumerate(found) if i not in pairs])
    return tally, pairs


def _figure_tally(gold: GoldFile, extraction: Extraction) -> Tally:
    """Figures as a multiset of (value, unit): each gold figure is found at most once."""
    predicted = [(scaled(o.value, o.unit), o.mention.text) for o in extraction.observations]
    expected = Counter(key for key, _ in gold.figures)
    tally = Tally(len(gold.figures), len(predicted))
    for key, label in predicted:
        if expected[key] > 0:
            expected[key] -= 1
            tally.tp += 1
        else:
            tally.spurious.append(f"{key[0]:f}{key[1]} «{label}»")
    for key, label in gold.figures:
        if expected[key] > 0:
            expected[key] -= 1
            tally.missed.append(f"{key[0]:f}{key[1]} «{label}»")
    return tally


def score_file(gold: GoldFile, extraction: Extraction) -> FileScore:
    """Every annotated class of one file in both modes, its figures and its metadata checks."""
    tallies: dict[tuple[str, str], Tally] = {}
    loose: list[str] = []
    for cls, items in gold.names.items():
        found = [e for e in extraction.entities if _entity_class(e.kind) == cls]
        tallies[cls, "strict"], _ = _class_tally(found, items, "strict")
        tallies[cls, "lenient"], pairs = _class_tally(found, items, "lenient")
        loose += [f"{found[i].name} ~ {items[j][0]}" for i, j in pairs.items()
                  if not _strict(_spellings(found[i]), frozenset(map(name_key, items[j])))]
    return FileScore(gold.path.name.removesuffix(".gold.json"), gold.fmt, tallies,
                     _figure_tally(gold, extraction), loose,
                     extraction.meta.issuer == gold.raw.get("issuer"), extraction.meta.year == gold.raw.get("year"))


# -- pooling and output ----------------------------------------------------------------------------

@dataclass
class FolderResult:
    """Every file's score and the files left out."""

    folder: Path
    files: list[FileScore]
    skipped: list[str]

    def pooled(self) -> dict[tuple[str, str], Tally]:
        """Counts summed over the files per (class, mode), with the row ("entities", mode) over all classes."""
        rows: dict[tuple[str, str], Tally] = {}
        for f in self.files:
            for (cls, mode), tally in f.tallies.items():
                rows.setdefault((cls, mode), Tally()).add(tally)
                rows.setdefault(("entities", mode), Tally()).add(tally)
        return rows

    def figures(self) -> Tally:
        total = Tally()
        for f in self.files:
            total.add(f.figures)
        return total

    def to_json(self) -> dict[str, Any]:
        def counts(t: Tally) -> dict[str, Any]:
            return {"gold": t.gold, "found": t.found, "tp": t.tp, "precision": t.precision, "recall": t.recall}

        pooled: dict[str, dict[str, Any]] = {}
        for (cls, mode), tally in self.pooled().items():
            pooled.setdefault(cls, {})[mode] = counts(tally)
        files = [{"file": f.name, "format": f.fmt, "issuer_ok": f.issuer_ok, "year_ok": f.year_ok,
                  "figures": {**counts(f.figures), "missed": f.figures.missed, "spurious": f.figures.spurious},
                  "classes": {f"{cls}/{mode}": {**counts(t), "missed": t.missed, "spurious": t.spurious}
                              for (cls, mode), t in f.tallies.items()}}
                 for f in self.files]
        return {"folder": str(self.folder), "pooled": pooled, "figures": counts(self.figures()),
                "files": files, "skipped": self.skipped}


def _row_order(rows: Iterable[tuple[str, str]]) -> list[str]:
    present = {cls for cls, _ in rows}
    return [c for c in (*ENTITY_CLASSES, *sorted(present - set(ENTITY_CLASSES) - {"entities"}), "entities")
            if c in present]


def format_folder_table(result: FolderResult) -> str:
    """Pooled precision and recall per class, lenient and strict, then the figures and the metadata."""
    formats = Counter(f.fmt for f in result.files)
    rows = result.pooled()
    lines = [(f"evaluation of {len(result.files)} gold files in {result.folder} "
              f"({formats['real']} in the real set's format, {formats['ours']} in ours)"),
             f"{'':18}{'lenient P':>10}{'R':>7}{'strict P':>10}{'R':>7}{'gold':>7}{'found':>7}"]
    for cls in _row_order(rows):
        lenient, strict = rows[cls, "lenient"], rows[cls, "strict"]
        lines.append(f"{cls:18}{lenient.precision:10.3f}{lenient.recall:7.3f}{strict.precision:10.3f}"
                     f"{strict.recall:7.3f}{lenient.gold:7}{lenient.found:7}")
    figures = result.figures()
    lines.append(f"{'figures':18}{figures.precision:10.3f}{figures.recall:7.3f}{'(value and unit)':>17}"
                 f"{figures.gold:7}{figures.found:7}")
    lines.append(f"issuer right in {sum(f.issuer_ok for f in result.files)} of {len(result.files)} files, "
                 f"year in {sum(f.year_ok for f in result.files)}")
    return "\n".join([*lines, *result.skipped])


def format_folder_details(result: FolderResult) -> str:
    """Per file: what each class missed and got wrong (lenient), the pairs only the lenient rule accepts,
    and the figures missed and spurious."""
    lines = []
    for f in result.files:
        lines.append(f"== {f.name} ({f.fmt})" + ("" if f.issuer_ok else "  issuer WRONG")
                     + ("" if f.year_ok else "  year WRONG"))
        rows = [(cls, f.tallies[cls, "lenient"]) for cls in _row_order(f.tallies) if cls != "entities"]
        for cls, tally in [*rows, ("figures", f.figures)]:
            for label, items in (("missed", tally.missed), ("spurious", tally.spurious)):
                if items:
                    lines.append(f"  {cls} {label} ({len(items)}): " + "; ".join(items))
        if f.loose:
            lines.append(f"  lenient only ({len(f.loose)}): " + "; ".join(f.loose))
    return "\n".join(lines)


def run_folder(folder: Path, json_out: Path | None = None, extractor: Extractor | None = None) -> FolderResult:
    """Extract every gold file's text in `folder` and score it (one extractor for all of them)."""
    files, skipped = gold_files(folder)
    extractor = extractor or Extractor()
    scores = []
    for gold in files:
        try:
            text = gold.text_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise EvalInputError(f"{gold.text_path}: not UTF-8 text ({exc})") from exc
        scores.append(score_file(gold, extract_for(extractor, text, gold.raw, str(gold.text_path))))
    result = FolderResult(folder, scores, skipped)
    if json_out:
        json_out.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    return result
