"""A store for the bureau profile and the province map: one bureau over two years (programs that
continue and one that is dropped, a figure in both years), a peer in its province, a bureau in another
province, and a hostile bureau whose program and figure names carry HTML/JS payloads."""

from __future__ import annotations

import gc
import json
from pathlib import Path

from graph_fixtures import _mention

from policekg.extract import Extractor
from policekg.extract.model import Entity, entity_key
from policekg.kg.ingest.report import ingest_file
from policekg.kg.rdf.store import GraphStore
from policekg.kg.rdf.triples import report_graph
from policekg.kg.sample import SAMPLE_REPORT

DATA = Path(__file__).parent / "data"
#: 慈溪's 2021 report, written for these tests: 警保联动 is named in 2021 only; 办结矛盾纠纷 in both years.
CIXI_2021 = """慈溪市公安局2021年法治政府建设工作情况

一、推进法治公安建设

(一)大力推行“一村一辅警”工作机制。全年共办结矛盾纠纷700起。

(二)深化“枫桥经验”,创新“警保联动”工作机制,周巷派出所全年受理案件320起。

(三)完成任务。
"""
PAYLOAD_PROGRAM = "<img src=x onerror=alert(1)>工作机制"
HOSTILE_ISSUER = "余姚市公安局"
HOSTILE_TEXT = f"""{HOSTILE_ISSUER}2023年法治政府建设工作情况

一、推进法治建设

(一)推行“{PAYLOAD_PROGRAM}”,推行“一村一辅警”工作机制。

(二)深化“枫桥经验”,处理<script>alert(3)</script>纠纷8件。

(三)完成任务。
"""


def build_profile_store(path: Path, extractor: Extractor) -> Path:
    """Write the store (see the module) at `path` and close it again."""
    store = GraphStore(path)
    ingest_file(store, extractor, SAMPLE_REPORT)
    cixi = path.parent / "cixi_2021.txt"
    cixi.write_text(CIXI_2021, encoding="utf-8")
    ingest_file(store, extractor, cixi)
    for name in ("104_wencheng_county_2021", "101_longde_county_2024"):
        gold = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
        ingest_file(store, extractor, DATA / f"{name}.txt", issuer=gold["issuer"], year=gold["year"])
    hostile = extractor(HOSTILE_TEXT)
    if entity_key("Program", PAYLOAD_PROGRAM) not in {e.key for e in hostile.entities}:
        at = hostile.text.find(PAYLOAD_PROGRAM)
        hostile.entities.append(Entity("Program", PAYLOAD_PROGRAM, None, {PAYLOAD_PROGRAM},
                                       [_mention(hostile.text, PAYLOAD_PROGRAM, at)]))
    graph = report_graph(hostile)
    store.replace_graph(graph.identifier, graph)
    store.close()
    del store
    gc.collect()  # rdflib's reference cycles keep Oxigraph's lock until collected
    return path
