"""Graph test data that does not wait for the extractor: real reports with their hand annotations.

The analysis and the graph pages are tested on what the gold files say the reports contain (four
bureaus, shared programs, relations with the clause that supports them), turned into the same
`Extraction` the extractor produces, so the triples come from `kg.rdf.triples` as in production.
Plus one hostile report whose names and sentences carry HTML/JS payloads.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import re
from pathlib import Path

from policekg.extract import Extraction, Extractor
from policekg.extract.model import Entity, Measure, Mention, Relation, ReportMeta, Section, entity_key
from policekg.extract.normalize import normalize
from policekg.kg.rdf.store import GraphStore

DATA = Path(__file__).parent / "data"
GOLD_REPORTS = ("000_01c10ac9e2f52e48", "101_longde_county_2024", "102_wuhou_district_2023",
                "103_yichang_city_2022")
SAMPLE = Path(__file__).resolve().parent.parent / "kg" / "sample" / "000_01c10ac9e2f52e48.txt"

IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "</script><script>alert(2)</script>"
INJECTION_ISSUER = "恶意市公安局"
INJECTION_PROGRAM = f"{IMG_PAYLOAD}工作机制"
INJECTION_TEXT = f"""{INJECTION_ISSUER}2023年法治政府建设工作情况
一、深化改革
(一)推行新机制
{INJECTION_ISSUER}大力推行“{INJECTION_PROGRAM}”,依托“浙里办”办理业务。
(二)深化警调衔接
{INJECTION_ISSUER}深化“枫桥经验”,说明见{SCRIPT_PAYLOAD}。
"""


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span: from the last 。!?; or line end before it to the next one."""
    left = max(text.rfind(c, 0, start) for c in "。!?;\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。!?;\n") if i >= 0]
    return text[left:min(rights) + 1 if rights else len(text)].strip()


def _mention(text: str, surface: str, start: int) -> Mention:
    end = start + len(surface)
    return Mention(start, end, surface, _sentence(text, start, end))


def _sections(text: str, gold: dict) -> list[Section]:
    """Sections and measures located by their titles, in order; a part ends where the next begins."""
    cursor, sections = 0, []
    for s in gold["sections"]:
        start = max(text.find(normalize(s["title"]), cursor), cursor)
        cursor = start
        measures = []
        for m in s["measures"]:
            m_start = max(text.find(normalize(m["title"]), cursor), cursor)
            measures.append(Measure(m["ordinal"], m["title"], s["status"], m_start, len(text)))
            cursor = m_start + 1
        sections.append(Section(s["ordinal"], s["title"], s["status"], start, len(text), measures))
    parts = [p for s in sections for p in (s, *s.measures)]
    for part, following in itertools.pairwise(parts):
        part.end = max(following.start, part.start)
    return sections


def _entities(text: str, gold: dict) -> list[Entity]:
    entities = []
    for e in gold["entities"]:
        kind = e.get("subtype") or e["type"]
        surfaces = {normalize(s) for s in [e["name"], *e["surface"]]}
        mentions = [
            _mention(text, s, m.start()) for s in sorted(surfaces) for m in re.finditer(re.escape(s), text)
        ]
        entities.append(Entity(kind, e["name"], None, surfaces, mentions))
    return entities


def gold_extraction(name: str) -> Extraction:
    """The extraction the gold file of report `name` describes."""
    raw = (SAMPLE if name == GOLD_REPORTS[0] else DATA / f"{name}.txt").read_text(encoding="utf-8")
    text = normalize(raw)
    gold = json.loads((DATA / f"{name}.gold.json").read_text(encoding="utf-8"))
    entities = _entities(text, gold)
    keys = {e.name: e.key for e in entities}
    relations = []
    for r in gold["relations"]:
        subject = r["s"] if r["s"].startswith("measure:") else keys.get(r["s"])
        obj = keys.get(r["o"])
        evidence = normalize(r["text"])
        at = text.find(evidence)
        if subject and obj and at >= 0:
            relations.append(Relation(subject, r["p"], obj, _mention(text, evidence, at)))
    return Extraction(text=text, meta=ReportMeta(gold["issuer"], gold["year"]),
                      sha256=hashlib.sha256(text.encode()).hexdigest(), sections=_sections(text, gold),
                      entities=entities, relations=relations)


def injection_extraction(extractor: Extractor) -> Extraction:
    """The hostile report through the real extractor, with its payload names made sure of.

    Whatever the extractor finds, the payload program, its relation (whose evidence sentence holds
    the `</script>` payload too) and the issuer are there, so the test cannot pass by finding nothing.
    """
    ex = extractor(INJECTION_TEXT, issuer=INJECTION_ISSUER, year=2023)
    text = ex.text
    found = {e.key for e in ex.entities}

    def ensure(kind: str, name: str) -> str:
        key = entity_key(kind, name)
        if key not in found:
            at = text.find(name)
            ex.entities.append(Entity(kind, name, None, {name}, [_mention(text, name, at)]))
            found.add(key)
        return key

    issuer = ensure("PoliceUnit", INJECTION_ISSUER)
    program = ensure("Program", INJECTION_PROGRAM)
    fengqiao = ensure("Program", "枫桥经验")
    script_at = text.find(SCRIPT_PAYLOAD)
    evidence = Mention(script_at, script_at + len(SCRIPT_PAYLOAD), SCRIPT_PAYLOAD,
                       _sentence(text, script_at, script_at + len(SCRIPT_PAYLOAD)))
    ex.relations.append(Relation(issuer, "implements", program, _mention(text, INJECTION_PROGRAM,
                                                                         text.find(INJECTION_PROGRAM))))
    ex.relations.append(Relation(issuer, "implements", fengqiao, evidence))
    return ex


def memory_copy(path: Path) -> GraphStore:
    """An in-memory copy of a store's report graphs, read from disk without taking its lock."""
    gc.collect()  # a closed GraphStore keeps Oxigraph open until its rdflib cycles are collected
    copy = GraphStore()
    with GraphStore(path, read_only=True) as original:
        for report in original.report_graphs():
            copy.replace_graph(report, original.graph(report))
    return copy
