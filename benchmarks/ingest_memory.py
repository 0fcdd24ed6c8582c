"""Peak memory of `policekg ingest` against the length of one report text (issue 15).

Each size is one text file: the bundled sample report's body repeated (each copy with its own section
numbers) up to the size, ingested by a fresh `policekg ingest --jobs 1` into a fresh store; peak memory
is the process's maximum resident set (`/usr/bin/time`). The largest size is past the refusal limit
(`kg.ingest.report.MAX_REPORT_CHARS`): it shows what a refusal costs.

    .venv/bin/python benchmarks/ingest_memory.py [--sizes 50000,150000,290000,30000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policekg.kg.ingest.report import MAX_REPORT_CHARS
from policekg.kg.sample import SAMPLE_REPORT

CLI = Path(sys.executable).with_name("policekg")


def text_of(chars: int) -> str:
    """The sample report's title, then its body repeated under numbered parts until `chars` long."""
    title, _, body = SAMPLE_REPORT.read_text(encoding="utf-8").partition("\n")
    parts, length, n = [title], len(title), 0
    while length < chars:
        n += 1
        part = f"\n第{n}部分\n{body}"
        parts.append(part)
        length += len(part)
    return "".join(parts)[:chars]


def measure(chars: int, folder: Path) -> tuple[float, float, int]:
    """(peak MB, seconds, exit code) of ingesting one text of `chars` characters."""
    path = folder / f"r{chars}.txt"
    path.write_text(text_of(chars), encoding="utf-8")
    started = time.perf_counter()
    command = ["/usr/bin/time", "-f", "%M", str(CLI), "ingest", str(path), "--store", str(folder / f"store{chars}"),
               "--jobs", "1"]
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # a refusal exits 1
    seconds = time.perf_counter() - started
    peak_kb = int(run.stderr.strip().splitlines()[-1])
    return peak_kb / 1024, seconds, run.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=f"50000,150000,{MAX_REPORT_CHARS - 10_000},30000000")
    args = parser.parse_args()
    print("| characters | UTF-8 MB | peak MB | MB per MB of text | s | exit |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for chars in (int(s) for s in args.sizes.split(",")):
            peak, seconds, code = measure(chars, Path(tmp))
            mb = len(text_of(chars).encode()) / 2**20
            print(f"| {chars:,} | {mb:.2f} | {peak:.0f} | {peak / mb:.0f} | {seconds:.1f} | {code} |", flush=True)


if __name__ == "__main__":
    main()
