"""The pages as a person uses them, in headless Debian chromium: search, follow links, read, get the RDF.

Every page visited must load without console errors and without a request leaving the server
(no CDN, no fonts, no trackers); a report whose text holds `<script>` shows it as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from conftest import Watched, watching
from playwright.sync_api import Browser, expect
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from policekg.kg.rdf.iris import PKR

pytestmark = pytest.mark.browser

@pytest.fixture
def watched(browser: Browser, browse_server: str) -> Iterator[Watched]:
    with watching(browser, browse_server) as watched:
        yield watched


def test_search_program_follow_to_report_and_its_turtle(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    page.get_by_role("searchbox", name="搜索内容").fill("一村一辅警")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**/search?q=*")
    page.locator("section.group", has_text="工作机制").get_by_role("link", name="一村一辅警", exact=True).click()
    page.wait_for_url("**/id/program/*")
    assert page.locator("h1").inner_text().startswith("一村一辅警")
    turtle_href = page.get_by_role("link", name="Turtle", exact=True).get_attribute("href")

    page.locator("section.mentioned h3 a[href$='/2022']", has_text="慈溪市公安局").click()
    page.wait_for_url("**/report/**/2022")
    mark = page.locator(".fulltext a.mention.Program", has_text="一村一辅警").first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    assert "一村一辅警" in mark.evaluate("a => a.parentElement.textContent")

    twin = page.request.get(turtle_href)
    assert twin.ok and twin.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=twin.text(), format="turtle")
    program = URIRef(f"{PKR}program/一村一辅警")
    assert str(graph.value(program, RDFS.label)) == "一村一辅警"


def test_hostile_report_text_shows_as_text(watched: Watched) -> None:
    page = watched.page
    page.goto("/report/余姚市公安局/2023")
    text = page.locator(".fulltext").inner_text()
    assert '<script>alert("xss")</script>' in text
    assert '<img src=x onerror="alert(1)">' in text
    assert page.locator(".fulltext script, .fulltext img, .fulltext svg").count() == 0


def test_every_kind_of_page_loads_cleanly(watched: Watched) -> None:
    page = watched.page
    for path in ("/", "/reports", "/search?q=公安", "/compare", "/compare?class=Indicator",
                 "/id/unit/慈溪市公安局", "/report/慈溪市公安局/2022"):
        response = page.goto(path)
        assert response is not None and response.ok, path
        assert page.locator("header.site").is_visible()


# -- the SPARQL editor (YASGUI) and the charts (ECharts), both served from /static/vendor/ ----------

def test_sparql_editor_runs_an_example_and_shows_rows(watched: Watched) -> None:
    page = watched.page
    page.goto("/sparql")
    page.locator("#yasgui .CodeMirror").wait_for()
    assert page.locator("#sparql-form").is_hidden()  # the plain form gave way to the editor
    page.get_by_role("button", name="项目按涉及单位数排序").click()
    table = page.locator(".yasr table.dataTable")
    table.locator("tbody tr").nth(2).wait_for()
    assert [h.strip() for h in table.locator("thead th").all_inner_texts()][-3:] == ["program", "bureaus",
                                                                                     "reports"]
    assert table.get_by_role("cell", name="一村一辅警", exact=True).count() == 1
    assert "@zh" not in table.inner_text()  # the simple view: values without their tags
    assert "/sparql?query=" in page.url and "pk%3AProgram" in page.url  # the query can be bookmarked

    shown = table.locator("tbody tr").count()  # fewer than a page: every answer
    page.locator(".yasr").get_by_text("Chart", exact=True).click()
    page.locator(".yasr-chart svg").wait_for()
    drawn = page.evaluate("""() => echarts.getInstanceByDom(document.querySelector('.yasr-chart')).getOption()
                             .series.map(s => [s.name, s.type, s.data.length])""")
    assert drawn == [["bureaus", "bar", shown], ["reports", "bar", shown]]


def test_sparql_editor_completes_our_classes_and_marks_errors(watched: Watched) -> None:
    page = watched.page
    page.goto("/sparql")
    page.locator("#yasgui .CodeMirror").wait_for()
    set_text = """text => { const cm = document.querySelector('#yasgui .CodeMirror').CodeMirror;
                            cm.setValue(text); cm.focus(); cm.setCursor(cm.lineCount(), 0); }"""
    page.evaluate(set_text, "PREFIX pk: <https://w3id.org/policekg/ontology#>\nSELECT * WHERE { ?s a pk:Pro")
    page.keyboard.type("g")
    page.keyboard.press("Control+Space")
    page.locator(".CodeMirror-hints li", has_text="pk:Program").wait_for()  # from our ontology, not LOV
    page.keyboard.press("Escape")
    page.evaluate(set_text, "SELECT * WHERE { ?s ?p }")
    page.locator("#yasgui .parseErrorIcon").wait_for()  # a triple without its object: marked in the gutter
    page.evaluate(set_text, "SELECT * WHERE { ?s ?p ?o }")
    page.locator("#yasgui .parseErrorIcon").wait_for(state="detached")


def test_sparql_results_link_our_iris_here_and_show_markup_as_text(watched: Watched) -> None:
    page = watched.page
    page.goto("/sparql?query=" + quote("SELECT ?p WHERE { ?p a pk:Program ; rdfs:label \"一村一辅警\"@zh }"))
    link = page.locator(".yasr table.dataTable a.iri").first
    link.click()
    page.wait_for_url("**/id/program/*")
    assert page.locator("h1").inner_text().startswith("一村一辅警")

    # the table's sort and search keys are text too: nothing parses the literal as HTML (a CSP report
    # in the console would fail the test), and filtering finds it by its characters
    evil = 'SELECT ?x WHERE { VALUES ?x { "<img src=x onerror=alert(1)>" "fish & chips" } }'
    page.goto("/sparql?query=" + quote(evil))
    cells = page.locator(".yasr table.dataTable tbody td:last-child")
    cells.first.wait_for()
    assert sorted(cells.all_inner_texts()) == ["<img src=x onerror=alert(1)>", "fish & chips"]
    for typed, shown in [("onerror=alert", "<img src=x onerror=alert(1)>"), ("& chips", "fish & chips")]:
        page.locator(".yasr input.tableFilter").fill(typed)
        page.locator(".yasr input.tableFilter").press("End")  # the filter listens to keyup
        expect(cells).to_have_text([shown])
    assert page.locator("img").count() == 0


def test_indicator_comparison_draws_its_chart_from_one_request(watched: Watched) -> None:
    page = watched.page
    page.goto("/compare?class=Indicator")
    with page.expect_response(lambda r: "/chart/indicator/" in r.url) as series:
        page.locator("main table a[href^='/compare/indicator/']").first.click()
    assert series.value.ok and series.value.headers["content-type"].startswith("application/json")
    bureaus = page.locator("table.pivot tbody th[scope=row]").all_inner_texts()
    years = page.locator("table.pivot thead th").all_inner_texts()[1:]
    chart = page.locator("#indicator-chart")
    chart.locator("svg").wait_for()
    series = """() => echarts.getInstanceByDom(document.getElementById('indicator-chart')).getOption()
                      .series.map(s => [s.name, s.type])"""
    # the first indicator is reported in two years (the browse store has the seed's bureau twice)
    assert chart.get_attribute("data-view") == "years"
    assert sorted(page.evaluate(series)) == sorted([b, "line"] for b in bureaus)  # all: fewer than 20
    for bureau in bureaus:  # the legend, drawn on the next animation frame
        chart.locator("svg text", has_text=bureau).first.wait_for()

    page.get_by_role("button", name="按单位").click()
    assert chart.get_attribute("data-view") == "bureaus"
    assert page.evaluate(series) == [[y, "bar"] for y in years]
