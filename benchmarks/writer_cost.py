"""What the store's writer process costs and what it holds off (issue 15).

A real `policekg serve` over the bundled sample (an empty store: `serve` ingests it), update time
limit `--limit` seconds. Measured: the wall time of small writes through the writer (an INSERT DATA,
a Graph Store PUT of a small graph), and during a runaway update (a cross product inserted, growing
until the limit stops it) the resident memory of the server process and of the writer, sampled
every 0.1 s, with the CPU time each used meanwhile.

Run by hand:  .venv/bin/python benchmarks/writer_cost.py [--writes 50] [--limit 5]
Record the figures in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from hostile_load import RUNAWAY_UPDATE, TOKEN, start

AUTH = {"Authorization": f"Bearer {TOKEN}"}
INSERT = ('INSERT DATA {{ GRAPH <http://example.org/notes> {{ <http://example.org/n{i}> '
          '<http://example.org/says> "{i}" }} }}')
PUT = "<http://example.org/x> <http://example.org/n> {i} ."


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            pass
    return found


def writer_of(pid: int) -> int | None:
    """The server's writer process (None for a server that writes in its own process)."""
    for child in children(pid):
        if b"writer_process" in Path(f"/proc/{child}/cmdline").read_bytes():
            return child
    return None


def status(pid: int, field: str) -> int:
    """A /proc/PID/status field in kB (0 once the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return 0
    return int(next(line.split()[1] for line in lines if line.startswith(field + ":")))


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / 100


def timed_writes(base: str, n: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"INSERT DATA": [], "Graph Store PUT": []}
    with httpx.Client(timeout=120) as client:
        for i in range(n):
            began = time.perf_counter()
            resp = client.post(f"{base}/sparql", content=INSERT.format(i=i),
                               headers={**AUTH, "Content-Type": "application/sparql-update"})
            times["INSERT DATA"].append((time.perf_counter() - began) * 1000)
            assert resp.status_code == 204, resp.text
            began = time.perf_counter()
            resp = client.put(f"{base}/rdf-graphs", params={"graph": f"http://example.org/g{i}"},
                              content=PUT.format(i=i), headers={**AUTH, "Content-Type": "text/turtle"})
            times["Graph Store PUT"].append((time.perf_counter() - began) * 1000)
            assert resp.status_code in (201, 204), resp.text
    return times


def runaway(base: str, server: int) -> None:
    processes = {"server": server, "writer": writer_of(server)}
    pids = [pid for pid in processes.values() if pid is not None]
    cpu = {pid: cpu_seconds(pid) for pid in pids}
    last = dict(cpu)
    rss: dict[int, list[int]] = {pid: [status(pid, "VmRSS")] for pid in pids}
    answer: list[httpx.Response] = []
    sent = threading.Thread(target=lambda: answer.append(httpx.post(
        f"{base}/sparql", content=RUNAWAY_UPDATE, timeout=600,
        headers={**AUTH, "Content-Type": "application/sparql-update"})))
    began = time.monotonic()
    sent.start()
    while sent.is_alive():
        for pid, seen in rss.items():
            seen.append(status(pid, "VmRSS"))
            last[pid] = cpu_seconds(pid) or last[pid]  # the writer's last figure once it is gone
        time.sleep(0.1)
    took = time.monotonic() - began
    print(f"runaway update: {answer[0].status_code} after {took:.1f} s: {answer[0].text.strip()}")
    print("| process | RSS before MB | peak RSS MB | CPU s during |")
    print("| --- | ---: | ---: | ---: |")
    for name, pid in processes.items():
        if pid is not None:
            before, peak = rss[pid][0] / 1024, max(rss[pid]) / 1024
            print(f"| {name} | {before:.0f} | {peak:.0f} | {last[pid] - cpu[pid]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=50)
    parser.add_argument("--limit", type=float, default=5)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start(Path(tmp) / "store", args.port, args.limit)
        base = f"http://127.0.0.1:{args.port}"
        try:
            print("| write | n | p50 ms | p95 ms |")
            print("| --- | ---: | ---: | ---: |")
            for name, times in timed_writes(base, args.writes).items():
                p95 = statistics.quantiles(times, n=20)[-1]
                print(f"| {name} | {len(times)} | {statistics.median(times):.0f} | {p95:.0f} |")
            runaway(base, proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
