"""Extraction throughput against the bare spaCy tokenizer, in one process, on a ≥ 5 MB corpus.

    .venv/bin/python benchmarks/extract_throughput.py [--mb 5] [--record]

The corpus is built from every report we have (the bundled seed, tests/data/*.txt and the blind sets
in tests/data/blind/), repeated with variation so no two documents are the same: the figures are
perturbed, every third copy is written with full-width digits and punctuation, every third with CRLF
line ends. The baseline is `spacy.blank("zh")`
tokenising the same raw documents in the same process; both sides count the same characters. Times are
CPU seconds of this process (the machine is shared: wall-clock time would count other people's work).
Both sides are warmed up on one copy of each report first (lexicons loaded, regexes compiled, every
character already in the vocabulary), then timed in alternating rounds, and each keeps its fastest round:
on a shared machine the noise only ever adds time, to either side. The floor is extraction at ≥ 0.2 M
characters a second (issue 12: accuracy comes first; the ratio to the baseline is reported beside it), with peak memory (max RSS of this process) under 500 MB. `--record` writes the
figures into the "Extraction throughput" section of benchmarks/RESULTS.md (other sections are left as
they are).
"""

from __future__ import annotations

import argparse
import gc
import logging
import platform
import random
import re
import resource
import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import spacy

from policekg.extract import ExtractionError, Extractor
from policekg.extract.doc_state import begin
from policekg.extract.normalize import normalize
from policekg.extract.pipeline import to_extraction
from policekg.kg.sample import SAMPLE_REPORT

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Extraction throughput"
FLOOR_CPS = 200_000
TARGET_PEAK_MB = 500
_FULL_WIDTH = str.maketrans({**{chr(c): chr(c + 0xFEE0) for c in range(ord("0"), ord("9") + 1)},
                             ",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})

log = logging.getLogger("benchmark")


def source_reports() -> list[str]:
    data = ROOT / "tests" / "data"
    paths = [SAMPLE_REPORT, *sorted(data.glob("*.txt")), *sorted((data / "blind").glob("*.txt"))]
    return [p.read_text(encoding="utf-8") for p in paths]


def vary(text: str, copy: int) -> str:
    """A different but equally realistic document: other figures, other spellings, other line ends."""
    rng = random.Random(copy)
    text = re.sub(r"(?<![\d.\-:·])\d{1,4}(?=[\u4e00-\u9fff%])(?![\d年月日号时])", lambda m: str(max(1, int(m.group()) + rng.randint(-9, 9))),
                  text)
    if copy % 3 == 1:
        text = text.translate(_FULL_WIDTH)
    elif copy % 3 == 2:
        text = text.replace("\n", "\r\n")
    return text


def build_corpus(min_bytes: int) -> list[str]:
    reports, docs, size, copy = source_reports(), [], 0, 0
    while size < min_bytes:
        for report in reports:
            docs.append(vary(report, copy))
            size += len(docs[-1].encode("utf-8"))
        copy += 1
    return docs


def timed(run: Callable[[str], object], docs: list[str]) -> float:
    gc.collect()
    start = time.process_time()
    for doc in docs:
        run(doc)
    return time.process_time() - start


def breakdown(extractor: Extractor, docs: list[str]) -> dict[str, float]:
    """Seconds per step over the corpus: the steps of `Extractor.__call__`, timed one by one, and the
    freeing of each Doc with what the components left on it."""
    seconds = {"normalize": 0.0, "tokenizer": 0.0, **{name: 0.0 for name in extractor.nlp.pipe_names},
               "to_extraction": 0.0, "free the Doc": 0.0}
    for raw in docs:
        start = time.process_time()
        text = normalize(raw)
        seconds["normalize"] += time.process_time() - start
        start = time.process_time()
        doc = extractor.nlp.make_doc(text)
        seconds["tokenizer"] += time.process_time() - start
        begin(doc, text)
        for name, proc in extractor.nlp.pipeline:
            start = time.process_time()
            doc = proc(doc)
            seconds[name] += time.process_time() - start
        start = time.process_time()
        try:
            to_extraction(doc)
        except ExtractionError:
            pass
        seconds["to_extraction"] += time.process_time() - start
        start = time.process_time()
        del doc
        seconds["free the Doc"] += time.process_time() - start
    return seconds


def measure(docs: list[str], warm_up: list[str], rounds: int) -> dict:
    chars = sum(len(d) for d in docs)
    tokenizer = spacy.blank("zh")
    tokenizer.max_length = max(len(d) for d in docs) + 1
    extractor = Extractor()
    failures = 0

    def extract(doc: str) -> None:
        nonlocal failures
        try:
            extractor(doc)
        except ExtractionError:
            failures += 1

    for doc in warm_up:
        tokenizer.make_doc(doc)
        extract(doc)
    base, full, steps = [], [], []
    for _ in range(rounds):
        failures = 0
        base.append(timed(tokenizer.make_doc, docs))
        full.append(timed(extract, docs))
        steps.append(breakdown(extractor, docs))
    base_s, extract_s = min(base), min(full)
    return {
        "steps": {name: min(r[name] for r in steps) / base_s for name in steps[0]},
        "docs": len(docs), "sources": len(source_reports()), "chars": chars, "mb": sum(len(d.encode("utf-8")) for d in docs) / 1e6,
        "rounds": rounds, "tokenizer_cps": chars / base_s, "extract_cps": chars / extract_s,
        "ratio": base_s / extract_s, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "failures": failures,
    }


def measure_long(docs: list[str], chars: int) -> dict[str, float]:
    """One long report (the corpus run together up to `chars`): how each side scales with length."""
    text = "\n".join(docs)[:chars]
    tokenizer = spacy.blank("zh")
    tokenizer.max_length = len(text) + 1
    extractor = Extractor()
    base_s = timed(tokenizer.make_doc, [text])
    extract_s = timed(extractor, [text])
    return {"chars": len(text), "tokenizer_s": base_s, "extract_s": extract_s,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report_long(m: dict[str, float]) -> str:
    return (f"\nOne long report of {m['chars']:,.0f} characters: baseline tokenizer {m['tokenizer_s']:.1f} s, "
            f"full extractor {m['extract_s']:.1f} s (ratio {m['tokenizer_s'] / m['extract_s']:.2f}; spaCy's zh "
            f"tokenizer is quadratic in the length, ours is linear); peak memory then {m['peak_mb']:.0f} MB.\n\n")


def report(m: dict) -> str:
    ok_speed = "yes" if m["extract_cps"] >= FLOOR_CPS else "NO"
    limit = m["tokenizer_cps"] / FLOOR_CPS  # the most the steps may cost, in units of the baseline
    ok_mem = "yes" if m["peak_mb"] < TARGET_PEAK_MB else "NO"
    return "\n".join([
        SECTION,
        "",
        (f"`benchmarks/extract_throughput.py`, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {_commit()}, "
         f"Python {platform.python_version()}, spaCy {spacy.__version__}, one process, CPU time, "
         f"fastest of {m['rounds']} alternating rounds each."),
        (f"Corpus: {m['docs']:.0f} documents, {m['chars']:,.0f} characters ({m['mb']:.1f} MB UTF-8), built from "
         f"{m['sources']} reports (the seed, tests/data/*.txt, tests/data/blind/*.txt) with perturbed figures, "
         "full-width and CRLF variants."),
        "",
        "| what | characters / s | ratio to baseline | target | met |",
        "| --- | ---: | ---: | --- | --- |",
        f"| baseline: `spacy.blank(\"zh\")` tokenizer | {m['tokenizer_cps']:,.0f} | 1.00 | | |",
        f"| full extractor (`Extractor()`) | {m['extract_cps']:,.0f} | {m['ratio']:.2f} | ≥ {FLOOR_CPS:,} / s | {ok_speed} |",
        f"| peak memory (max RSS) | {m['peak_mb']:.0f} MB | | < {TARGET_PEAK_MB} MB | {ok_mem} |",
        "",
        f"Documents refused (no issuer/year): {m['failures']:.0f}.",
        "",
        "Where the time goes (the steps timed one by one in a pass of their own), in units of the baseline's time:",
        "",
        "| step | × baseline |",
        "| --- | ---: |",
        *[f"| {name} | {share:.2f} |" for name, share in m["steps"].items()],
        "",
        (f"To stay above the floor the steps must sum to at most {limit:.1f} × the baseline; they sum to "
         f"{sum(m['steps'].values()):.2f} × (each step's fastest round).{_largest(m['steps'], limit)}"),
        "",
    ])


def _largest(steps: dict[str, float], limit: float, count: int = 3) -> str:
    """Where a cut would pay most, said when the floor is missed."""
    over = sum(steps.values()) - limit
    if over <= 0:
        return ""
    top = sorted(steps.items(), key=lambda item: -item[1])[:count]
    return (f" {over:.2f} × too much; the largest steps: "
            + ", ".join(f"{name} {share:.2f}" for name, share in top) + ".")


def _commit() -> str:
    """The commit measured (the working tree may hold other engineers' uncommitted changes)."""
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    return result.stdout.strip() or "unknown"


def record(section: str) -> None:
    """Replace (or add) our section of RESULTS.md, leaving every other section as it is."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else \
        "# Benchmark results\n\nRun by hand; each figure is a ratio against a baseline measured in the same run.\n\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    old = pattern.search(text)
    if old is None:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        new = _with_previous(section, old.group()).rstrip("\n") + "\n\n"  # a blank line before the next section
        text = text[:old.start()] + new + text[old.end():]
    RESULTS.write_text(text, encoding="utf-8")


def _with_previous(section: str, old: str) -> str:
    """The new section, saying what the one it replaces had recorded, so progress (or loss) shows."""
    when = re.search(r"`, (\d{4}-\d\d-\d\d \d\d:\d\d UTC)(?:, commit (\w+))?", old)
    ratio = re.search(r"^\| full extractor .*?\| ([\d.]+) \|", old, re.MULTILINE)
    if not (when and ratio):
        return section
    commit = f", commit {when.group(2)}" if when.group(2) else ""
    previous = f"Previous recording: {ratio.group(1)} of the baseline ({when.group(1)}{commit}). "
    return section.replace("\nDocuments refused", "\n" + previous + "Documents refused", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB of UTF-8 (default 5)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds; each side keeps its fastest")
    parser.add_argument("--record", action="store_true", help="write the result into benchmarks/RESULTS.md")
    parser.add_argument("--long", type=int, default=0, metavar="CHARS",
                        help="also time one report of this many characters (e.g. 700000 ≈ 2 MB)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    docs = build_corpus(int(args.mb * 1e6))
    log.info("corpus: %d documents, %.1f MB", len(docs), sum(len(d.encode()) for d in docs) / 1e6)
    result = measure(docs, docs[:len(source_reports())], args.rounds)
    section = report(result)
    if args.long:
        section += report_long(measure_long(docs, args.long))
    log.info("%s", section)
    if args.record and result["failures"]:
        raise SystemExit(f"not recorded: {result['failures']} documents were refused, so the extractor skipped "
                         "most of its work on them; is every file the corpus reads a report?")
    if args.record:
        record(section)


if __name__ == "__main__":
    main()
