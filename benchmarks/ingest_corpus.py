"""Benchmark: ingest a synthetic corpus of ≥ 1,000 reports with `--jobs 1` and `--jobs 2`.

The corpus is generated deterministically from the project's report fixtures (the seed and the corpus
reports in tests/data): each synthetic report takes one of them, moves it to another bureau (place
name), another year (every year in the text shifted alike), swaps one of its programs for another
program of the fixtures, and redraws its figures; then saves it as UTF-8 or GB18030 text, a web page,
a .docx or a PDF, in the proportions of a real crawl.

Each measured run is a fresh process ingesting into a fresh store (so the memory figures are its own):
reports/s, triples/s, the parent's peak RSS and the largest worker's. A rerun over the same store
(everything skipped) is timed too. Run by hand:

    .venv/bin/python benchmarks/ingest_corpus.py [--reports 1000] [--workdir /tmp/policekg-bench]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ingest_fixtures import write_docx, write_gb18030, write_html, write_pdf

from policekg.extract.normalize import normalize

DATA = ROOT / "tests" / "data"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
#: (fixture text, the place name its issuer is built on, the report's year)
TEMPLATES = [
    (ROOT / "kg" / "sample" / "000_01c10ac9e2f52e48.txt", "慈溪", 2022),
    (DATA / "101_longde_county_2024.txt", "隆德", 2024),
    (DATA / "102_wuhou_district_2023.txt", "武侯", 2023),
    (DATA / "103_yichang_city_2022.txt", "宜昌", 2022),
    (DATA / "104_wencheng_county_2021.txt", "文成", 2021),
]
#: Characters for invented two-character place names (none that starts an abbreviation like 市/县/全).
FIRST = "安宝滨昌长潮大德东丰福固广海和河鹤华淮嘉建江金锦靖乐黎临龙庐鹿洛茂梅南宁平浦青清庆瑞山汕韶绍泰桃天通潼威渭温武西仙湘新兴永玉元云漳肇镇"
SECOND = "安坪川丰冈谷河湖华江口乐林陵陇宁平浦桥泉山水顺田亭阳源州"
#: A third character beyond the 1,876 two-character names (none for those): 20,636 places in all.
THIRD = ("", "东", "西", "南", "北", "中", "上", "下", "新", "旧", "前")
YEARS = range(2018, 2025)
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?=\s*年|-\d)")
_FIGURE = re.compile(r"(?<![\d.])(\d{1,4})(?=\s*(?:余)?[起人次件个名项家场份处条万])")


def programs() -> list[str]:
    """Every program the fixtures' gold files name: the pool programs are swapped from."""
    names: set[str] = set()
    for gold in DATA.glob("*.gold.json"):
        names |= {e["name"] for e in json.loads(gold.read_text(encoding="utf-8"))["entities"]
                  if e["type"] == "Program"}
    return sorted(names)


def place(i: int) -> str:
    block = len(FIRST) * len(SECOND)
    return FIRST[i % len(FIRST)] + SECOND[(i // len(FIRST)) % len(SECOND)] + THIRD[(i // block) % len(THIRD)]


def synthesize(i: int, pool: list[str]) -> tuple[str, str]:
    """Report number i: (text, format); its place name is its own for i below 20,636 (see THIRD)."""
    rng = random.Random(i)
    path, old_place, old_year = TEMPLATES[i % len(TEMPLATES)]
    text = normalize(path.read_text(encoding="utf-8"))
    year = YEARS[(i // len(TEMPLATES)) % len(YEARS)]
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + year - old_year), text)
    text = text.replace(old_place, place(i))
    present = [p for p in pool if p in text]
    if present:
        text = text.replace(rng.choice(present), rng.choice(pool))
    text = _FIGURE.sub(lambda m: str(rng.randint(1, 9999 if len(m.group(1)) > 2 else 99)), text)
    fmt = rng.choices(["utf8", "gb18030", "html", "docx", "pdf"], weights=[40, 30, 15, 10, 5])[0]
    return text, fmt


def make_corpus(folder: Path, n: int) -> dict[str, int]:
    """Write n reports into folder; returns how many of each format."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pool = programs()
    counts: dict[str, int] = {}
    for i in range(n):
        text, fmt = synthesize(i, pool)
        if fmt == "pdf" and not CJK_FONT.exists():
            fmt = "docx"
        target = folder / f"{i // 100:02d}" / f"report_{i:05d}"
        target.parent.mkdir(exist_ok=True)
        if fmt == "utf8":
            target.with_suffix(".txt").write_text(text, encoding="utf-8")
        elif fmt == "gb18030":
            write_gb18030(text, target.with_suffix(".txt"))
        elif fmt == "html":
            write_html(text, target.with_suffix(".html"), url=f"http://www.example.gov.cn/art/{i}.html")
        elif fmt == "docx":
            write_docx(text, target.with_suffix(".docx"))
        else:
            write_pdf(text, target.with_suffix(".pdf"), font=CJK_FONT)
        counts[fmt] = counts.get(fmt, 0) + 1
    return counts


def measure(corpus: Path, store: Path, jobs: int) -> dict[str, float]:
    """One ingest in a fresh process (this script with --child): timings, counts and peak memory."""
    out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(store), str(jobs)],
                         check=False, capture_output=True, text=True)
    if out.returncode != 0:  # say why: a run of half an hour must not end on "exit status 1"
        raise SystemExit(f"the measured ingest failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(corpus: Path, store_path: Path, jobs: int) -> None:
    """Runs inside the measured process: ingest, then print the numbers as one JSON line."""
    from policekg.kg.ingest import batch
    from policekg.kg.ingest.files import collect_paths
    from policekg.kg.network import analysis as analysis_module
    from policekg.kg.rdf.store import GraphStore

    analysis = {"seconds": 0.0}
    refresh = analysis_module.refresh_analysis  # batch imports it when it runs, from here

    def timed_refresh(store: GraphStore) -> None:  # the analysis after the batch is timed on its own
        started = time.perf_counter()
        refresh(store)
        analysis["seconds"] = time.perf_counter() - started

    analysis_module.refresh_analysis = timed_refresh
    files = collect_paths([corpus]).files
    store = GraphStore(store_path)
    started = time.perf_counter()
    result = batch.ingest_batch(store, files, jobs=jobs, bulk=True)  # as `policekg ingest` does
    seconds = time.perf_counter() - started
    store.close()
    print(json.dumps({
        "files": len(files), "stored": len(result.stored), "skipped": len(result.skipped),
        "failed": len(result.failed), "triples": result.triples, "chars": result.chars, "seconds": seconds,
        "analysis_seconds": analysis["seconds"],
        "cpu_seconds": sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                           for f in ("ru_utime", "ru_stime")),
        "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "failures": [f"{f.path.name}: {f.reason}" for f in result.failed[:5]],
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/policekg-bench"))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return
    corpus = args.workdir / "corpus"
    started = time.perf_counter()
    formats = make_corpus(corpus, args.reports)
    print(f"corpus: {args.reports} reports {formats} in {time.perf_counter() - started:.1f} s", flush=True)
    rows = {}
    for jobs in (1, 2):
        store = args.workdir / f"store-j{jobs}"
        shutil.rmtree(store, ignore_errors=True)
        rows[jobs] = measure(corpus, store, jobs)
        print(f"jobs {jobs}: {json.dumps(rows[jobs], ensure_ascii=False)}", flush=True)
    rerun = measure(corpus, args.workdir / "store-j2", 2)
    print(f"rerun (all unchanged): {json.dumps(rerun, ensure_ascii=False)}", flush=True)
    base = rows[1]
    print("\n| run | stored | failed | s (analysis s) | reports/s | triples/s | ratio | parent peak MB "
          "| largest worker MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, row in (("--jobs 1 (baseline)", rows[1]), ("--jobs 2", rows[2]), ("rerun, --jobs 2", rerun)):
        print(f"| {label} | {row['stored']} | {row['failed']} | {row['seconds']:.1f} ({row['analysis_seconds']:.1f}) | "
              f"{row['files'] / row['seconds']:.1f} | {row['triples'] / row['seconds']:,.0f} | "
              f"{base['seconds'] / row['seconds']:.2f} | {row['parent_mb']:.0f} | {row['worker_mb']:.0f} |")


if __name__ == "__main__":
    main()
