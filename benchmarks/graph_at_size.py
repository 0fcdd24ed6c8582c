"""How the graph analysis and the /graph page cope with thousands of nodes.

Builds a synthetic store of `--reports` bureau reports, each naming its own stations and local
programs plus a share of national programs and platforms (so reports connect), then measures, in one
run on one machine:

- baseline: building the entity graph from the store (`graphviews.entity_graph`), the query cost
  every graph page and analysis pays;
- the analysis (`refresh_analysis`: centrality, Louvain, written back as triples);
- the page data at size (`viz.payload`: pyvis network plus the server-side spring layout);
- the whole page in headless chromium: request to a drawn, clickable graph (`graphReady`);
- with `--overview`, the /graph overview instead (programs the reports share): the view, the page
  data, and in chromium request → drawn → its largest node clicked.

Run: `.venv/bin/python benchmarks/graph_at_size.py --reports 40` (≈5,000 entities), or
`… --reports 2000 --per-report 40 --overview`.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import start_server, stop_server

from policekg.api.viz import payload
from policekg.extract.model import Entity, Extraction, Measure, Mention, Relation, ReportMeta, Section
from policekg.kg.network.analysis import analyse, current_metrics, refresh_analysis
from policekg.kg.network.views import entity_graph, shared_graph
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph

NATIONAL = [f"全国工作机制{i}" for i in range(40)]
PLATFORMS = [f"全国平台{i}" for i in range(15)]


def synthetic_report(n: int, per_report: int) -> Extraction:
    """One bureau's report: stations partOf the bureau, programs and platforms used by its measures."""
    issuer = f"第{n}市公安局"
    lines, entities, relations = [f"{issuer}2023年法治政府建设工作情况", "一、深化改革"], [], []
    text_so_far = lambda: "\n".join(lines)

    def name(kind: str, label: str) -> str:
        at = len(text_so_far()) + 1
        lines.append(f"{label}。")
        entities.append(
            Entity(kind, label, None, {label}, [Mention(at, at + len(label), label, label + "。")])
        )
        return f"{kind}:{label}"

    bureau = name("PoliceUnit", issuer)
    sections = [Section("1", "深化改革", "Done", 0, 0, [Measure("1-1", "推进", "Done", 0, 0)])]
    for i in range(per_report):
        kind, label = [("PoliceUnit", f"{issuer}第{i}派出所"), ("Program", f"{issuer}特色机制{i}"),
                       ("Program", NATIONAL[(n * 7 + i) % len(NATIONAL)]),
                       ("Platform", PLATFORMS[(n + i) % len(PLATFORMS)])][i % 4]
        key = name(kind, label)
        if key in {r.object for r in relations} or key == bureau:
            continue
        predicate = {"PoliceUnit": "partOf", "Program": "implements", "Platform": "usesPlatform"}[kind]
        s, o = (key, bureau) if predicate == "partOf" else (bureau, key)
        at = entities[-1].mentions[0]
        relations.append(Relation(s, predicate, o, at))
    text = text_so_far()
    sections[0].end = sections[0].measures[0].end = len(text)
    unique = {e.key: e for e in entities}
    return Extraction(text, ReportMeta(issuer, 2023), hashlib.sha256(text.encode()).hexdigest(), sections,
                      list(unique.values()), [], relations)


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


CLICK_TOP_NODE = """() => { const n = policekgGraph.network; n.canvas.frame.canvas.scrollIntoView();
    const top = policekgGraph.nodes.max("size").id; const p = n.canvasToDOM(n.getPositions([top])[top]);
    const c = n.canvas.frame.canvas.getBoundingClientRect(); return [c.x + p.x, c.y + p.y, top]; }"""


def browser_seconds(store_path: Path, path: str = "/graph?view=entity", click: bool = False) -> tuple[float, float]:
    """Seconds from the request to a drawn graph, and (when `click`) to the panel of its largest node."""
    from playwright.sync_api import sync_playwright

    proc, base = start_server(store_path)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                ],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(base + path, timeout=300_000)
            page.wait_for_function("document.body.dataset.graphReady === 'true'", timeout=300_000)
            seconds = time.perf_counter() - start
            phases = page.evaluate("""() => { const t = performance.getEntriesByType("navigation")[0];
                return [t.responseStart, t.responseEnd, t.domContentLoadedEventEnd, performance.now()]; }""")
            print("in the page (ms): first byte {:.0f}, last byte {:.0f}, DOM ready {:.0f}, drawn {:.0f}"
                  .format(*phases))
            if click:
                x, y, top = page.evaluate(CLICK_TOP_NODE)
                page.mouse.click(x, y)
                page.wait_for_function("(top) => policekgGraph.network.getSelectedNodes()[0] === top", arg=top)
            clicked = time.perf_counter() - start
            browser.close()
        return seconds, clicked
    finally:
        stop_server(proc)


def overview(workdir: Path, store: GraphStore, reports: int) -> None:
    """The /graph overview (programs the reports share): server view, then request → drawn → clicked."""
    view, build = timed(shared_graph, store)
    g = view.graph
    data, page = timed(payload, g, analyse(g), False, 300)
    store.close()
    del store
    gc.collect()
    drawn, clicked = browser_seconds(workdir / "store", "/graph", click=True)
    print(f"overview of {reports} reports: {len(g)} programs, {g.number_of_edges()} edges, {view.folded} folded")
    print("| step | seconds |\n| --- | ---: |")
    for step, s in [("shared view from the store", build), ("page data: metrics + pyvis", page),
                    ("chromium: request → drawn overview", drawn),
                    ("chromium: request → largest node clicked, panel shown", clicked)]:
        print(f"| {step} | {s:.2f} |")
    assert len(data["nodes"]) == len(g)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=40)
    parser.add_argument("--per-report", type=int, default=130)
    parser.add_argument("--overview", action="store_true", help="measure the /graph overview only")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="policekg-bench-"))
    store = GraphStore(workdir / "store")
    for n in range(args.reports):
        graph = report_graph(synthetic_report(n, args.per_report))
        store.replace_graph(graph.identifier, graph)
    if args.overview:
        overview(workdir, store, args.reports)
        shutil.rmtree(workdir)
        return
    g, base = timed(entity_graph, store)
    _, analysis = timed(refresh_analysis, store)
    data, page = timed(payload, g, current_metrics(store), False, 300)
    nodes, edges = len(g), g.number_of_edges()
    store.close()
    del store, g
    gc.collect()  # a closed GraphStore keeps the lock until rdflib's cycles are collected
    seconds, _ = browser_seconds(workdir / "store")
    print(f"{nodes} nodes, {edges} edges, {args.reports} reports")
    print("| step | seconds | × baseline |\n| --- | ---: | ---: |")
    for step, s in [
        ("entity graph from the store (baseline)", base),
        ("analysis, stored as triples", analysis),
        ("page data: pyvis + server layout", page),
        ("chromium: request → drawn graph", seconds),
    ]:
        print(f"| {step} | {s:.2f} | {s / base:.1f} |")
    assert data["physics"] is False and len(data["nodes"]) == nodes
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
