"""The triples built straight for Oxigraph are the triples the rdflib builder made, report by report."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import DATA
from policekg.extract import Extractor
from policekg.kg.ingest import SAMPLE_REPORT
from policekg.kg.triples import report_graph, report_triples

REPORTS = (SAMPLE_REPORT, DATA / "101_longde_county_2024.txt", DATA / "105_linzhou_news_2023.txt",
           DATA / "107_jiaozhou_city_2019.txt", DATA / "blind" / "401_wuzhou_city_2023.txt",
           DATA / "blind" / "603_pinghe_county_2025.txt")


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_the_same_triples_as_the_rdflib_graph(extractor: Extractor, path: Path) -> None:
    extraction = extractor(path.read_text(encoding="utf-8"), published="2023-03-01",
                           source_url="http://www.example.gov.cn/a.html")
    old = report_graph(extraction).serialize(format="nt", encoding="utf-8")
    expected = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(old, ox.RdfFormat.N_TRIPLES)}
    built = report_triples(extraction)
    assert len(built) == len(set(built)) == len(expected)
    assert set(built) == expected
