"""The bureau profile's charts and the province map in headless Debian chromium: drawn from their
pages' JSON twins with the served ECharts and GeoJSON, nothing fetched from elsewhere, and names
carrying HTML/JS payloads shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest import Watched, watching
from playwright.sync_api import Browser
from profile_fixtures import PAYLOAD_PROGRAM

pytestmark = pytest.mark.browser

OPTION = "sel => echarts.getInstanceByDom(document.querySelector(sel)).getOption()"


@pytest.fixture
def watched(browser: Browser, profile_server: str) -> Iterator[Watched]:
    with watching(browser, profile_server) as watched:
        yield watched


def test_profile_draws_a_chart_per_indicator_from_its_json_twin(watched: Watched) -> None:
    page = watched.page
    with page.expect_response(lambda r: r.url.endswith(".json") and "/bureau/" in r.url) as twin:
        page.goto("/bureau/" + quote("慈溪市公安局"))
    series = twin.value.json()["series"]
    canvases = page.locator("#bureau-charts [data-series]")
    canvases.last.locator("svg").wait_for()
    assert canvases.count() == len(series) == page.locator("#bureau-charts [data-drawn] svg").count()
    disputes = next(i for i, s in enumerate(series) if s["label"] == "化解矛盾纠纷")  # 办结矛盾纠纷
    drawn = page.evaluate(f"() => ({OPTION})('[data-series=\"{disputes}\"]')")
    assert drawn["xAxis"][0]["data"] == ["2021", "2022"] and drawn["series"][0]["data"] == [700, 822]
    assert page.locator(f"[data-series='{disputes}'] svg path").count() > 0  # the line itself
    page.get_by_role("link", name="文成县公安局").click()
    page.wait_for_url("**/bureau/*")
    assert page.locator("h1").inner_text().startswith("文成县公安局")


def test_program_comparison_draws_the_province_map(watched: Watched) -> None:
    page = watched.page
    page.goto("/compare/program/" + quote("一村一辅警"))
    box = page.locator("#province-map")
    box.locator("svg path").first.wait_for()
    assert box.get_attribute("data-provinces") == "2"
    option = page.evaluate(f"() => ({OPTION})('#province-map')")
    regions = option["series"][0]["data"]  # ours, then every other region of the geometry
    assert [(d["name"], d["value"]) for d in regions if "value" in d] == [("浙江", 2), ("宁夏", 1)]
    assert len(regions) == 34  # our names are the geometry's: no region added for an unknown name
    assert option["visualMap"][0]["max"] == 2
    assert box.locator("svg path").count() >= 34  # every province drawn, shaded or not
    assert "2 个省份" in page.locator("#province-map-status").inner_text()


def test_indicator_comparison_draws_the_map_beside_its_chart(watched: Watched) -> None:
    page = watched.page
    page.goto("/compare/indicator/disputes_resolved")  # 办结矛盾纠纷 in both of 慈溪's reports
    page.locator("#province-map svg path").first.wait_for()
    page.locator("#indicator-chart svg").wait_for()
    option = page.evaluate(f"() => ({OPTION})('#province-map')")
    shaded = [(d["name"], d["value"]) for d in option["series"][0]["data"] if "value" in d]
    assert sorted(shaded) == [("宁夏", 1), ("浙江", 2)]  # 慈溪 and 余姚; 隆德


def test_hostile_names_stay_text_in_the_profile_and_the_map(watched: Watched) -> None:
    page = watched.page
    page.goto("/bureau/" + quote("余姚市公安局"))
    chart = page.locator("#bureau-charts [data-series='0']")
    chart.locator("svg").wait_for()
    assert "</script>纠纷" in page.locator("#bureau-charts figcaption").first.inner_text()
    page.evaluate("""() => echarts.getInstanceByDom(document.querySelector("[data-series='0']"))
                             .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})""")
    assert page.get_by_role("link", name=PAYLOAD_PROGRAM, exact=True).count() == 1
    page.goto("/map/program/" + quote(PAYLOAD_PROGRAM, safe=""))
    page.locator("#province-map svg path").first.wait_for()
    page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('province-map'))
                             .dispatchAction({type: 'showTip', seriesIndex: 0, name: '浙江'})""")
    assert PAYLOAD_PROGRAM in page.locator("h1").inner_text()
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
