"""Bureaus by province: the province of a bureau from its name (GB/T 2260 gazetteer), the counts for a
program or an indicator, and `/map/…` with its JSON and CSV twins from a real server."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest
from profile_fixtures import PAYLOAD_PROGRAM

from policekg.kg.rdf.iris import entity_iri, indicator_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.provinces import locate, province_map
from policekg.kg.read.sparql import NotFound


@pytest.mark.parametrize(("name", "province", "level"), [
    ("慈溪市公安局", "浙江", "county"),  # a county-level city
    ("宁波市公安局", "浙江", "prefecture"),
    ("宁波市公安局海曙分局", "浙江", "county"),  # a city bureau's branch works at county level
    ("浙江省公安厅", "浙江", "province"),
    ("北京市公安局", "北京", "province"),  # directly administered cities are provinces
    ("上海市公安局浦东分局", "上海", "county"),
    ("重庆市渝北区公安分局", "重庆", "county"),
    ("天津市公安局", "天津", "province"),
    ("隆德县公安局", "宁夏", "county"),
    ("广西壮族自治区南宁市公安局", "广西", "prefecture"),  # places in a row: the last is the bureau's
    ("内蒙古自治区公安厅", "内蒙古", "province"),
    ("阿拉善左旗公安局", "内蒙古", "county"),
    ("江苏省南京市鼓楼区公安分局", "江苏", "county"),  # 鼓楼区 alone is in four provinces
])
def test_a_bureau_is_placed_by_its_name(name: str, province: str, level: str) -> None:
    found = locate(name)
    assert (found.province, found.level) == (province, level)


@pytest.mark.parametrize("name", ["铁路公安处", "某某公安局", "<script>alert(1)</script>", ""])
def test_a_name_without_a_place_has_no_province(name: str) -> None:
    assert locate(name).province is None


@pytest.fixture(scope="module")
def store(profile_store_path: Path):
    with GraphStore(profile_store_path, read_only=True) as db:
        yield db


def test_a_program_is_counted_by_province(store: GraphStore) -> None:
    found = province_map(store, "program", str(entity_iri("Program", "一村一辅警")))
    assert [(c.province, c.bureaus, c.reports, c.names) for c in found.provinces] == [
        ("浙江", 2, 3, ["余姚市公安局", "慈溪市公安局"]), ("宁夏", 1, 1, ["隆德县公安局"])]
    assert found.unplaced == [] and found.label == "一村一辅警"


def test_an_indicator_is_counted_by_province(store: GraphStore) -> None:
    found = province_map(store, "indicator", indicator_iri("disputes_resolved"))  # 办结矛盾纠纷
    # one quantity whatever the words: 慈溪 办结矛盾纠纷 (2021, 2022), 余姚 处理…纠纷, 隆德 调处矛盾纠纷
    assert [(c.province, c.bureaus, c.reports) for c in found.provinces] == [("浙江", 2, 3), ("宁夏", 1, 1)]
    with pytest.raises(NotFound):
        province_map(store, "program", str(entity_iri("Program", "没有这个项目")))
    with pytest.raises(ValueError, match="program or an indicator"):
        province_map(store, "law", str(entity_iri("Law", "民法典")))


def test_map_data_comes_as_json_and_csv_with_a_byte_order_mark(profile_server: str) -> None:
    data = httpx.get(f"{profile_server}/map/program/一村一辅警.json").json()
    assert [(p["province"], p["bureaus"]) for p in data["provinces"]] == [("浙江", 2), ("宁夏", 1)]
    raw = httpx.get(f"{profile_server}/map/program/一村一辅警.csv")
    assert raw.content.startswith(b"\xef\xbb\xbf")
    assert "map-program-" in raw.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows == [{"province": "浙江", "bureaus": "2", "reports": "3", "names": "余姚市公安局; 慈溪市公安局"},
                    {"province": "宁夏", "bureaus": "1", "reports": "1", "names": "隆德县公安局"}]
    assert httpx.get(f"{profile_server}/map/law/民法典").status_code == 404


def test_comparison_pages_carry_the_map(profile_server: str) -> None:
    for kind, name in (("program", "一村一辅警"), ("indicator", "disputes_resolved")):
        page = httpx.get(f"{profile_server}/compare/{kind}/{name}").text
        assert f'data-source="/map/{kind}/{name}.json"' in page
        assert 'data-geometry="/static/vendor/china/provinces.json"' in page
        assert '<script src="/static/province_map.js"></script>' in page
    geometry = httpx.get(f"{profile_server}/static/vendor/china/provinces.json")
    assert geometry.status_code == 200
    assert "浙江" in {f["properties"]["name"] for f in geometry.json()["features"]}
    hostile = httpx.get(f"{profile_server}/map/program/{PAYLOAD_PROGRAM}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile and "<img src=x" not in hostile
