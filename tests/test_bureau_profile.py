"""The bureau profile: the read model on a real store, and `/bureau/{name}` with its JSON and CSV twins
from a real server."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from profile_fixtures import PAYLOAD_PROGRAM

from policekg.kg.rdf.iris import entity_iri, report_iri
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.bureau import bureau_profile, program_years
from policekg.kg.read.sparql import NotFound

CIXI = "慈溪市公安局"


@pytest.fixture(scope="module")
def store(profile_store_path: Path):
    with GraphStore(profile_store_path, read_only=True) as db:
        yield db


def test_programs_by_year_are_new_continued_or_dropped_against_the_previous_report() -> None:
    by_year = {2019: {"a", "b"}, 2021: {"b", "c"}, 2022: {"a", "c"}}
    years = program_years(by_year, {"a": "甲", "b": "乙", "c": "丙"})
    assert [(y.year, y.named) for y in years] == [(2019, 2), (2021, 2), (2022, 2)]
    assert [[n.label for n in y.new] for y in years] == [["乙", "甲"], ["丙"], ["甲"]]  # a is back in 2022
    assert [[n.label for n in y.continued] for y in years] == [[], ["乙"], ["丙"]]
    assert [[n.label for n in y.dropped] for y in years] == [[], ["甲"], ["乙"]]


def test_profile_of_a_bureau_over_two_years(store: GraphStore) -> None:
    profile = bureau_profile(store, CIXI)
    assert profile.iri == str(entity_iri("PoliceUnit", CIXI))
    assert (profile.locality.province, profile.locality.level) == ("浙江", "county")
    assert [r.iri for r in profile.reports] == [str(report_iri(CIXI, 2021)), str(report_iri(CIXI, 2022))]
    first, second = profile.programs
    assert {n.label for n in first.new} == {"一村一辅警", "枫桥经验", "警保联动"}
    assert {n.label for n in second.continued} == {"一村一辅警", "枫桥经验"}
    assert [n.label for n in second.dropped] == ["警保联动"]
    assert second.named == len(second.new) + len(second.continued) > 2
    disputes = next(s for s in profile.series if s.label == "化解矛盾纠纷")  # disputes resolved, under its heading
    assert [(p.year, p.value) for p in disputes.points] == [(2021, Decimal(700)), (2022, Decimal(822))]
    counts = [len(s.points) for s in profile.series]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2  # the series with most years first
    station = next(u for u in profile.units if u.label == "周巷派出所")
    assert station.years == [2021, 2022]


def test_peers_are_bureaus_of_the_same_level_in_the_province(store: GraphStore) -> None:
    peers = {p.label: p for p in bureau_profile(store, CIXI).peers}
    assert set(peers) == {"文成县公安局", "余姚市公安局"}  # 隆德 is in 宁夏
    assert {n.label for n in peers["余姚市公安局"].shared} == {"一村一辅警", "枫桥经验"}
    mine = {n.iri for y in bureau_profile(store, CIXI).programs for n in y.new + y.continued}
    theirs = {n.iri for y in bureau_profile(store, "余姚市公安局").programs for n in y.new}
    assert peers["余姚市公安局"].jaccard == round(len(mine & theirs) / len(mine | theirs), 3)
    assert bureau_profile(store, "隆德县公安局").peers == []


def test_a_bureau_without_reports_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="no report published by"):
        bureau_profile(store, "周巷派出所")


def test_profile_page_and_its_twins(profile_server: str) -> None:
    page = httpx.get(f"{profile_server}/bureau/{CIXI}")
    assert page.status_code == 200 and "警保联动" in page.text and "文成县公安局" in page.text
    assert 'data-source="/bureau/慈溪市公安局.json"' in page.text and "<script>" not in page.text.split(
        "</main>")[0]  # no inline script: the charts come from static JS
    data = httpx.get(f"{profile_server}/bureau/{CIXI}.json").json()
    assert data["label"] == CIXI and data["years"] == [2021, 2022]
    assert [n["label"] for n in data["programs"][1]["dropped"]] == ["警保联动"]
    raw = httpx.get(f"{profile_server}/bureau/{CIXI}.csv")
    assert raw.content.startswith(b"\xef\xbb\xbf") and raw.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert {"what": "program", "year": "2022", "name": "警保联动", "status": "dropped"}.items() <= next(
        r for r in rows if r["name"] == "警保联动" and r["year"] == "2022").items()
    disputes = {(r["year"], r["value"]) for r in rows if r["name"] == "化解矛盾纠纷"}
    assert disputes == {("2021", "700"), ("2022", "822")}


def test_profile_is_linked_from_the_unit_and_report_pages(profile_server: str) -> None:
    link = 'href="/bureau/慈溪市公安局"'
    assert link in httpx.get(f"{profile_server}/id/unit/{CIXI}").text
    assert link in httpx.get(f"{profile_server}/report/{CIXI}/2022").text
    station = httpx.get(f"{profile_server}/id/unit/{CIXI}/周巷派出所").text
    assert 'href="/bureau/' not in station  # a sub-unit publishes no report: no profile


def test_unknown_bureau_and_hostile_names(profile_server: str) -> None:
    missing = httpx.get(f"{profile_server}/bureau/不存在的公安局")
    assert missing.status_code == 404 and "不存在的公安局" in missing.text
    page = httpx.get(f"{profile_server}/bureau/余姚市公安局").text
    assert "&lt;img src=x onerror=alert(1)&gt;工作机制" in page and PAYLOAD_PROGRAM not in page
    assert "&lt;/script&gt;纠纷" in page and "<script>alert" not in page
