"""The browsing pages over HTTP, on a real server over a real store (seed + two reports + a hostile one).

What a person and a machine get: valid HTML for every page, search by substring and alias, Linked
Data twins of one resource, a report's text with its mentions highlighted exactly where the extractor
found them, comparisons across reports, CSV/JSON exports with paging, a time limit, and report text
that can never become markup.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import html5lib
import httpx
import pytest
from conftest import serving
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS
from starlette.requests import Request

from policekg.api.errors import BUG, KG_ERRORS, ApiError, meaning
from policekg.api.highlight import highlight
from policekg.api.negotiation import choose
from policekg.api.rendering import render_csv
from policekg.api.urls import raw_local_path, report_name
from policekg.extract.normalize import normalize
from policekg.kg.rdf.errors import FormatError, QueryError, RemoteError, RemoteUnavailable, StoreError
from policekg.kg.rdf.iris import PKR
from policekg.kg.read.sparql import NotFound as NoSuchThing
from policekg.kg.sample import SAMPLE_REPORT
from policekg.schema.vocabulary import ENTITY_CLASSES, STATUSES, tints_css

SEED_ISSUER = "慈溪市公安局"
SEED_REPORT = f"/report/{SEED_ISSUER}/2022"
HOSTILE = "/report/余姚市公安局/2023"
ISSUER_PAGE = f"/id/unit/{SEED_ISSUER}"
ISSUER_IRI = URIRef(f"{PKR}unit/{SEED_ISSUER}")


def get(base: str, path: str, **kwargs) -> httpx.Response:
    return httpx.get(base + path, timeout=30, **kwargs)


def parse_html(body: str | bytes) -> ET.Element:
    """The page as a tree; html5lib in strict mode raises on any parse error (bad nesting, stray tags)."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)


#: The scripts every page carries (its words for the page scripts, and the script that reads them).
FRAME_SCRIPTS = [{"type": "application/json", "id": "ui-text"}, {"src": "/static/ui_text.js"}]


def other_scripts(page: ET.Element) -> list[ET.Element]:
    """The script elements of a page besides those of its frame."""
    return [s for s in page.iter("script") if dict(s.attrib) not in FRAME_SCRIPTS]


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


# -- every page is valid HTML ----------------------------------------------------------------------

def test_every_page_is_valid_html(browse_server: str) -> None:
    comparable = get(browse_server, "/compare.json", params={"size": 1}).json()["items"]
    indicators = get(browse_server, "/compare.json", params={"class": "Indicator", "size": 1}).json()["items"]
    pages = ["/", "/reports", "/search", "/search?q=公安", "/search?q=没有这个名字", ISSUER_PAGE, SEED_REPORT,
             HOSTILE, "/compare", "/compare?class=Indicator",
             "/compare/" + comparable[0]["iri"][len(PKR):], "/compare/" + indicators[0]["iri"][len(PKR):],
             f"{SEED_REPORT}/section/1".replace("/report/", "/id/report/")]
    for path in pages:
        response = get(browse_server, path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        parse_html(response.content)
    missing = get(browse_server, "/id/program/没有这个工作机制")
    assert missing.status_code == 404
    assert "没有这个工作机制" in text_of(parse_html(missing.content))


# -- search ----------------------------------------------------------------------------------------

def test_search_finds_the_bureau_by_its_abbreviation(browse_server: str) -> None:
    found = get(browse_server, "/search.json", params={"q": "市局"}).json()
    hit = next(h for h in found["items"] if h["iri"] == str(ISSUER_IRI))
    assert hit["class"] == "PoliceUnit"
    assert hit["label"] == SEED_ISSUER and hit["matched"] != hit["label"]
    assert "市局" in hit["matched"]


def test_search_groups_by_class_with_counts_and_pages(browse_server: str) -> None:
    everything = get(browse_server, "/search.json", params={"q": "公安", "size": 500}).json()
    assert everything["total"] == sum(everything["counts"].values()) > 2
    classes = [h["class"] for h in everything["items"]]
    assert classes == sorted(classes, key=list(everything["counts"]).index), "results come grouped by class"
    first = get(browse_server, "/search.json", params={"q": "公安", "size": 2}).json()
    second = get(browse_server, first["next"]).json()
    assert first["items"] == everything["items"][:2] and second["items"] == everything["items"][2:4]
    one_class = next(iter(everything["counts"]))
    only = get(browse_server, "/search.json", params={"q": "公安", "class": one_class, "size": 500}).json()
    assert {h["class"] for h in only["items"]} == {one_class}
    assert only["total"] == everything["counts"][one_class]
    found = get(browse_server, "/search.csv", params={"q": "公安"})
    rows = list(csv.DictReader(io.StringIO(found.content.decode("utf-8-sig"))))
    assert [r["iri"] for r in rows] == [h["iri"] for h in everything["items"]]


def test_search_html_shows_each_class_with_its_count(browse_server: str) -> None:
    counts = get(browse_server, "/search.json", params={"q": "公安"}).json()["counts"]
    page = parse_html(get(browse_server, "/search", params={"q": "公安"}).content)
    headings = [text_of(h) for h in page.iter("h2")]
    assert len(headings) == len(counts)
    assert all(f"({n})" in h for h, n in zip(headings, counts.values()))


def test_a_class_is_listed_whole_without_search_text(browse_server: str) -> None:
    counts = get(browse_server, "/", headers={"Accept": "application/json"}).json()["classes"]
    listed = get(browse_server, "/search.json", params={"class": "Program", "size": 500}).json()
    assert listed["total"] == counts["Program"] > 0
    assert {h["class"] for h in listed["items"]} == {"Program"}
    home = parse_html(get(browse_server, "/").content)
    assert "/search?class=Program" in {a.get("href") for a in home.iter("a")}


def test_search_rejects_an_unknown_class_naming_it(browse_server: str) -> None:
    response = get(browse_server, "/search.json", params={"q": "公安", "class": "Nonsense"})
    assert response.status_code == 400 and "Nonsense" in response.json()["error"]


# -- a resource and its twins ----------------------------------------------------------------------

def test_resource_twins_are_the_same_resource(browse_server: str) -> None:
    turtle = Graph().parse(data=get(browse_server, ISSUER_PAGE + ".ttl").text, format="turtle")
    assert (ISSUER_IRI, RDFS.label, Literal(SEED_ISSUER, lang="zh")) in turtle
    seed_iri = URIRef(f"{PKR}report/{SEED_ISSUER}/2022")
    assert (seed_iri, DCTERMS.publisher, ISSUER_IRI) in turtle, "links pointing at it are included"
    negotiated = get(browse_server, ISSUER_PAGE, headers={"Accept": "text/turtle"})
    assert negotiated.headers["content-type"].startswith("text/turtle")
    assert "Accept" in negotiated.headers["vary"]
    assert len(Graph().parse(data=negotiated.text, format="turtle")) == len(turtle)
    jsonld = Graph().parse(data=get(browse_server, ISSUER_PAGE + ".jsonld").text, format="json-ld")
    assert set(jsonld) == set(turtle)
    plain = get(browse_server, ISSUER_PAGE + ".json").json()
    assert plain["iri"] == str(ISSUER_IRI) and plain["label"] == SEED_ISSUER and plain["cls"] == "PoliceUnit"
    assert "市局" in plain["aliases"]
    assert get(browse_server, ISSUER_PAGE, headers={"Accept": "image/png"}).status_code == 406


def test_the_iri_dereferences_percent_encoded_or_not(browse_server: str) -> None:
    encoded = get(browse_server, "/id/unit/" + quote(SEED_ISSUER))
    assert encoded.status_code == 200
    assert encoded.text == get(browse_server, ISSUER_PAGE).text


def test_report_iri_redirects_people_to_the_report_page(browse_server: str) -> None:
    response = get(browse_server, f"/id/report/{SEED_ISSUER}/2022", follow_redirects=False)
    assert response.status_code == 303
    assert httpx.URL(browse_server + response.headers["location"]).path == SEED_REPORT
    turtle = get(browse_server, f"/id/report/{SEED_ISSUER}/2022.ttl")
    assert turtle.status_code == 200 and "pk:Report" in turtle.text


def test_entity_page_shows_reports_sentences_and_links(browse_server: str) -> None:
    data = get(browse_server, ISSUER_PAGE + ".json").json()
    page = parse_html(get(browse_server, ISSUER_PAGE).content)
    hrefs = {a.get("href") for a in page.iter("a")}
    assert f"/graph/entity/unit/{SEED_ISSUER}" in hrefs, "links to its neighbourhood graph"
    assert {r["title"] for r in data["reports"]["items"]} >= {f"{SEED_ISSUER}2022年法治政府建设工作情况"}
    items = [li for li in page.iter("li") if li.find("mark") is not None]
    expected = {s["sentence"] for r in data["reports"]["items"] for s in r["sentences"]}
    assert expected and {text_of(li).removesuffix(" ↗") for li in items} == expected
    report = parse_html(get(browse_server, SEED_REPORT).content)
    anchors = {a.get("id") for a in report.iter("a")}
    jumps = [li.findall("a")[-1].get("href") for li in items]
    # Every sentence links to its place in the text; a mention inside a longer one has no anchor of its own.
    assert any(j.startswith(SEED_REPORT + "#") and j.split("#")[1] in anchors for j in jumps)
    marked = {text_of(m) for m in page.iter("mark")}
    assert marked <= {s["text"] for r in data["reports"]["items"] for s in r["sentences"]}


def test_a_program_page_shows_its_figures_and_counts_from_the_analysis_graph(browse_server: str) -> None:
    """The analysis graph is no report and not in the default graph: the page reads it by name."""
    program = get(browse_server, "/compare.json", params={"class": "Program"}).json()["items"][0]
    data = get(browse_server, "/id/" + program["iri"][len(PKR):] + ".json").json()
    analysed = {p["property"].rsplit("#", 1)[-1]: p["value"] for p in data["properties"]}
    assert {"pagerank", "degree", "community", "reportCount", "bureauCount"} <= analysed.keys()
    assert analysed["reportCount"] == program["reports"]
    page = parse_html(get(browse_server, "/id/" + program["iri"][len(PKR):]).content)
    assert "网络分析" in text_of(page) or "Network analysis" in text_of(page)


def test_indicator_page_lists_all_its_figures(browse_server: str) -> None:
    indicator = get(browse_server, "/compare.json", params={"class": "Indicator"}).json()["items"][0]
    data = get(browse_server, "/id/" + indicator["iri"][len(PKR):] + ".json").json()
    assert data["cls"] == "Indicator"
    assert len(data["figures"]) == indicator["figures"] > 0
    assert all(f["indicator"] == indicator["iri"] for f in data["figures"])


# -- a report --------------------------------------------------------------------------------------

def test_report_highlights_every_mention_where_it_was_found(browse_server: str) -> None:
    data = get(browse_server, SEED_REPORT + ".json").json()
    text = data["text"]
    assert text == normalize(SAMPLE_REPORT.read_text(encoding="utf-8"))
    assert data["mentions"], "the extractor found names in the seed"
    page = parse_html(get(browse_server, SEED_REPORT).content)
    links = [a for a in page.iter("a") if "mention" in (a.get("class") or "").split()]
    spans = []
    for a in links:
        start, surface = int(a.get("data-start")), a.text or ""
        assert text[start:start + len(surface)] == surface, "the highlight sits where the mention was found"
        mention = next(m for m in data["mentions"]
                       if m["start"] == start and m["end"] == start + len(surface))
        assert mention["cls"] in a.get("class").split()
        assert a.get("href") == "/id/" + mention["entity"][len(PKR):]
        spans.append((start, start + len(surface)))
    for m in data["mentions"]:
        assert any(s < m["end"] and m["start"] < e for s, e in spans), f"mention {m} is not highlighted"


def test_report_shows_sections_and_measures_with_their_status(browse_server: str) -> None:
    data = get(browse_server, SEED_REPORT + ".json").json()
    statuses = {s["status"] for s in data["sections"]} | {m["status"] for s in data["sections"]
                                                           for m in s["measures"]}
    assert statuses == {"Done", "Problem", "Planned"}
    page = parse_html(get(browse_server, SEED_REPORT).content)
    badges = [el for el in page.iter("span") if (el.get("class") or "").startswith("status ")]
    assert len(badges) == len(data["sections"]) + sum(len(s["measures"]) for s in data["sections"])


def test_report_figures_come_as_a_table_and_as_csv(browse_server: str) -> None:
    data = get(browse_server, SEED_REPORT + ".json").json()
    table = get(browse_server, SEED_REPORT + ".csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == len(data["figures"]) > 0
    assert {r["obs"] for r in rows} == {f["obs"] for f in data["figures"]}
    page = parse_html(get(browse_server, SEED_REPORT).content)
    table = next(t for t in page.iter("table") if "figures" in (t.get("class") or ""))
    assert len(table.find("tbody").findall("tr")) == len(data["figures"])


def test_report_graph_twin_is_its_named_graph(browse_server: str) -> None:
    turtle = Graph().parse(data=get(browse_server, SEED_REPORT + ".ttl").text, format="turtle")
    trig = get(browse_server, SEED_REPORT, headers={"Accept": "application/trig"})
    assert trig.headers["content-type"].startswith("application/trig")
    assert (URIRef(f"{PKR}report/{SEED_ISSUER}/2022"), DCTERMS.publisher, ISSUER_IRI) in turtle
    assert get(browse_server, "/report/没有这个局/2022.ttl").status_code == 404


# -- hostile text ----------------------------------------------------------------------------------

def test_report_text_with_markup_is_shown_as_text(browse_server: str) -> None:
    body = get(browse_server, HOSTILE).text
    page = parse_html(body)
    assert not other_scripts(page), "no script element comes from the report"
    assert not [el for el in page.iter() if any(k.startswith("on") for k in el.attrib)]
    assert not [el for el in page.iter() if el.tag in ("img", "svg", "textarea", "b")]
    shown = text_of(page.find(".//div[@class='fulltext']"))
    assert '<script>alert("xss")</script>' in shown and '<img src=x onerror="alert(1)">' in shown
    twin = get(browse_server, HOSTILE, headers={"Accept": "application/json"})
    assert "<script" not in twin.text and "\\u003cscript" in twin.text  # escaped, and still the same JSON
    assert "</textarea><svg onload=alert(3)>" in json.dumps(twin.json(), ensure_ascii=False)


def test_every_link_of_the_hostile_report_leads_to_a_page(browse_server: str) -> None:
    """Names made of markup (the extractor takes quoted text for programs) still get working pages."""
    page = parse_html(get(browse_server, HOSTILE).content)
    hrefs = {a.get("href") for a in page.iter("a")}
    ours = sorted(h for h in hrefs if h and h.startswith(("/id/", "/report/", "/compare/")))
    assert len(ours) > 5
    for href in ours:
        response = httpx.get(browse_server + href.split("#")[0], timeout=30, follow_redirects=True)
        assert response.status_code == 200, href
        if response.headers["content-type"].startswith("text/html"):
            assert not other_scripts(parse_html(response.content)), href


def test_highlight_escapes_text_names_and_links() -> None:
    text = '前<script>alert(1)</script>"慈溪市公安局"&后'
    start = text.index("慈溪市公安局")
    evil_iri = f'{PKR}unit/"><script>x</script>'
    html = highlight(text, [{"start": start, "end": start + 6, "entity": evil_iri,
                             "label": "<img src=x onerror=alert(1)>", "cls": 'x" onclick="alert(1)'},
                            {"start": start, "end": start + 3, "entity": f"{PKR}place/慈溪市", "label": "慈溪市",
                             "cls": "Place"}])
    tree = parse_html(f"<!doctype html><title>t</title>{html}")
    assert not list(tree.iter("script")) and not list(tree.iter("img"))
    assert not [el for el in tree.iter() if "onclick" in el.attrib]
    assert text_of(tree.find(".//body")).startswith('前<script>alert(1)</script>"慈溪市公安局')
    links = list(tree.iter("a"))
    assert len(links) == 1, "overlapping mentions: the longer one wins"


# -- compare ---------------------------------------------------------------------------------------

def test_a_program_compares_across_bureaus(browse_server: str) -> None:
    index = get(browse_server, "/compare.json").json()
    shared = [p for p in index["items"] if p["bureaus"] >= 2]
    assert shared, "the seed and 隆德/文成 share programs (一村一辅警, 枫桥经验 …)"
    program, url = shared[0], "/compare/" + shared[0]["iri"][len(PKR):]
    data = get(browse_server, url + ".json", params={"size": 500}).json()
    assert data["label"] == program["label"] and data["total"] == program["reports"]
    assert len({r["issuer"] for r in data["items"]}) == program["bureaus"]
    first = get(browse_server, url + ".json", params={"size": 1}).json()
    assert first["items"] == data["items"][:1] and first["pages"] == program["reports"] and first["next"]
    rows = list(csv.DictReader(io.StringIO(get(browse_server, url + ".csv").content.decode("utf-8-sig"))))
    assert {r["bureau"] for r in rows} == {r["issuer_label"] for r in data["items"]}
    page = parse_html(get(browse_server, url, params={"size": 1}).content)
    assert len(page.find(".//table[@class='compare']/tbody").findall("tr")) == 1
    assert any(a.get("rel") == "next" for a in page.iter("a"))


def test_an_indicator_compares_across_reports(browse_server: str) -> None:
    items = get(browse_server, "/compare.json", params={"class": "Indicator", "size": 500}).json()["items"]
    shared = [i for i in items if i["reports"] >= 2]
    assert shared, "the seed and 隆德/文成 share indicators (警调衔接调处矛盾纠纷 …)"
    url = "/compare/" + shared[0]["iri"][len(PKR):]
    data = get(browse_server, url + ".json", params={"size": 500}).json()
    cells = [f for row in data["items"] for figs in row["values"].values() for f in figs]
    rows = list(csv.DictReader(io.StringIO(get(browse_server, url + ".csv").content.decode("utf-8-sig"))))
    own = [r for r in rows if r["indicator"] == shared[0]["iri"]]
    assert len({r["report"] for r in own}) == shared[0]["reports"] and len(own) == shared[0]["figures"]
    # the table holds the results, its narrower indicators' included; targets and changes are listed apart
    assert sorted(f["obs"] for f in cells) == sorted(r["obs"] for r in rows if r["kind"] == "result")
    assert {f["indicator"] for f in cells} <= {shared[0]["iri"], *(n["iri"] for n in data["narrower"])}


def test_only_programs_and_indicators_compare(browse_server: str) -> None:
    response = get(browse_server, ISSUER_PAGE.replace("/id/", "/compare/"))
    assert response.status_code == 404 and "programs" in text_of(parse_html(response.content))


# -- lists: exports, paging, time limit --------------------------------------------------------------

def test_reports_list_pages_and_exports(browse_server: str) -> None:
    full = get(browse_server, "/reports.json", params={"size": 500}).json()
    assert full["total"] == 5
    page2 = get(browse_server, "/reports.json", params={"size": 4, "page": 2}).json()
    assert page2["items"] == full["items"][4:] and page2["next"] is None and page2["prev"]
    exported = get(browse_server, "/reports", params={"format": "csv"})
    assert exported.headers["content-type"].startswith("text/csv") and exported.headers["vary"] == "Accept"
    assert get(browse_server, "/reports", headers={"Accept": "application/json"}).json()["total"] == 5
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r["report"] for r in rows] == [r["report"] for r in full["items"]]
    assert get(browse_server, "/reports", params={"size": 100000}).status_code == 422


def test_a_bureau_with_two_reports_is_counted_once_per_report(browse_server: str) -> None:
    """Its triples are in both report graphs; the union default graph returns them twice."""
    reports = get(browse_server, "/reports.json", params={"size": 500}).json()["items"]
    assert len({r["report"] for r in reports}) == len(reports)
    assert sorted(r["year"] for r in reports if r["issuer_label"] == SEED_ISSUER) == [2021, 2022]
    bureau = get(browse_server, ISSUER_PAGE + ".json").json()
    assert sorted(r["year"] for r in bureau["reports"]["items"]) == [2021, 2022]
    assert all(len(rows) == len({r["iri"] for r in rows}) for rows in bureau["incoming"].values())
    hit = next(h for h in get(browse_server, "/search.json", params={"q": "市局"}).json()["items"]
               if h["iri"] == str(ISSUER_IRI))
    assert hit["reports"] == 2
    home = get(browse_server, "/", headers={"Accept": "application/json"}).json()
    assert next(i for i in home["issuers"] if i["label"] == SEED_ISSUER)["reports"] == 2
    assert all(p["reports"] <= 5 for p in home["central"]["Program"])


def test_a_page_that_takes_too_long_stops_with_a_clear_message(tmp_path) -> None:
    # An empty store: `serve` puts the sample report in it (no copy of a store another test just closed).
    with serving(tmp_path / "store", env={"POLICEKG_QUERY_TIMEOUT": "1e-9"}) as server:
        response = get(server.base, "/search", params={"q": "公安"})
        assert response.status_code == 503
        assert "took longer than" in text_of(parse_html(response.content))
        assert get(server.base, "/search.json", params={"q": "公安"}).json()["status"] == 503


# -- small parts -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "expected"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json"),
    ("text/*;q=0.5, text/html;q=0", "text/turtle"),
    ("*/*", "text/html"),
    ("", "text/html"),
    ("image/png", None),
])
def test_accept_header_negotiation(accept: str, expected: str | None) -> None:
    assert choose(accept, ["text/html", "application/ld+json", "text/turtle"]) == expected


def test_names_with_slashes_keep_their_encoding() -> None:
    scope = {"type": "http", "path": "/id/law/a/b", "raw_path": b"/id/law/a%2Fb%25c/%E6%9E%AB",
             "query_string": b"", "headers": []}
    assert raw_local_path(Request(scope), "/id/") == "law/a%2Fb%25c/枫"


def test_report_local_things_say_whose_report_they_are_in() -> None:
    assert report_name(f"{PKR}report/{SEED_ISSUER}/2022/measure/4-1") == f"{SEED_ISSUER} 2022"
    assert report_name(f"{PKR}report/a%2Fb/2021") == "a/b 2021"
    assert report_name(f"{PKR}program/枫桥经验") is None


def test_csv_cells_from_reports_cannot_run_as_formulas() -> None:
    rows = [{"label": '=HYPERLINK("http://evil")', "about": [{"label": "@SUM(A1)"}], "value": -3}]
    cells = next(csv.DictReader(io.StringIO(render_csv(rows, "x").body.decode("utf-8-sig"))))
    assert cells == {"label": '\'=HYPERLINK("http://evil")', "about": "'@SUM(A1)", "value": "-3"}


def test_class_tints_are_written_from_the_vocabulary(browse_server: str) -> None:
    served = get(browse_server, "/static/tints.css")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/css")
    assert served.text == tints_css()
    for c in ENTITY_CLASSES:
        assert f".{c.name} {{ --c: {c.tint}; }}" in served.text
    assert all(f".status.{s.name} {{ background: {s.tint}" in served.text for s in STATUSES)
    site = get(browse_server, "/static/style.css").text
    assert not any(f".{c.name} {{" in site for c in ENTITY_CLASSES), "no hand-written tint is left to drift"
    head = parse_html(get(browse_server, "/").content).find("head")
    assert "/static/tints.css" in {link.get("href") for link in head.iter("link")}


def test_every_error_has_one_status() -> None:
    """Ours by the class raised, kg's by the one table; anything else is a bug, with no detail shown."""
    assert {cls.status for cls in ApiError.__subclasses__()} >= {400, 403, 404, 406, 413, 415, 500, 503}
    assert meaning(QueryError("error at 1:1")).status == meaning(FormatError("docx")).status == 400
    assert meaning(NoSuchThing("no such program")).status == 404
    store = meaning(StoreError("/data/store is locked by process 42"))
    assert store.status == 500 and "locked" not in store.public
    assert meaning(RemoteUnavailable("cannot reach the SPARQL server")).status == 503
    assert meaning(RemoteError("the SPARQL server answered 500")).status == 502
    assert meaning(KeyError("oops")) is BUG
    assert set(KG_ERRORS) == {QueryError, FormatError, NoSuchThing, RemoteUnavailable, RemoteError, StoreError}
