"""Lists that grow with the collection come a page at a time with a cursor, and a hub's neighbourhood is
drawn from some of its reports and says so (issue 14): over HTTP, on a real server over the browse store.

A page gives its rows, the total and a `next` link carrying a `_next` cursor (as Datasette's `_next`);
following the links from the first page reaches the last, which has none, having shown every row once
in a stable order. A cursor the list did not give is a 400 that says so.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from test_pages import ISSUER_PAGE, SEED_ISSUER, get, parse_html

from policekg.api import i18n
from policekg.kg.rdf.iris import PKR
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read import search as search_module
from policekg.kg.read.paging import BadCursor, paginate


def _walk(base: str, path: str, size: int, **params: str) -> list[dict]:
    """Every page of a list's JSON twin, following `next` from the first page of `size` rows."""
    pages = [get(base, path, params={**params, "size": size}).json()]
    while pages[-1]["next"] is not None:
        assert len(pages) <= pages[0]["total"], "the next links go round in a circle"
        assert "_next=" in pages[-1]["next"] and "page=" not in pages[-1]["next"]
        pages.append(get(base, pages[-1]["next"]).json())
    return pages


@pytest.mark.parametrize("path, params, key", [("/reports.json", {}, "report"), ("/compare.json", {}, "iri"),
                                               ("/search.json", {"q": "公安"}, "iri")])
def test_following_next_from_the_first_page_shows_every_row_once_in_order(browse_server: str, path: str,
                                                                         params: dict, key: str) -> None:
    whole = get(browse_server, path, params={**params, "size": 500}).json()
    assert whole["next"] is None and whole["total"] == len(whole["items"]) >= 3
    pages = _walk(browse_server, path, 2, **params)
    assert [len(p["items"]) for p in pages[:-1]] == [2] * (len(pages) - 1) and 1 <= len(pages[-1]["items"]) <= 2
    assert [r[key] for p in pages for r in p["items"]] == [r[key] for r in whole["items"]]
    assert {p["total"] for p in pages} == {whole["total"]}


def test_the_html_page_links_to_the_next_by_cursor_and_the_last_page_links_nowhere(browse_server: str) -> None:
    first = parse_html(get(browse_server, "/reports", params={"size": 2}).content)
    nexts = [a.get("href") for a in first.iter("a") if a.get("rel") == "next"]
    assert len(nexts) == 1 and parse_qs(urlsplit(nexts[0]).query)["size"] == ["2"]
    cursor = parse_qs(urlsplit(nexts[0]).query)["_next"][0]
    total = get(browse_server, "/reports.json").json()["total"]
    last = get(browse_server, "/reports", params={"size": total - 1, "_next": cursor})
    assert last.status_code == 200
    assert not [a for a in parse_html(last.content).iter("a") if a.get("rel") == "next"]


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor, says", [
    ("not a cursor!", "is not a cursor a page of this list gave"),
    (_cursor({"a": 1}), "is not a cursor a page of this list gave"),
    (_cursor(["only one part"]), "names a row of another list"),
    (_cursor([1, 2, 3]), "names a row of another list"),
])
@pytest.mark.parametrize("path", ["/reports", "/compare", ISSUER_PAGE])
def test_a_cursor_the_list_did_not_give_is_a_bad_request_that_says_so(browse_server: str, path: str,
                                                                    cursor: str, says: str) -> None:
    page = get(browse_server, path, params={"_next": cursor}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and says in page.text
    data = get(browse_server, path + ".json", params={"_next": cursor})
    assert data.status_code == 400 and says in data.json()["error"]


def test_an_entity_page_pages_the_reports_naming_it_newest_first(browse_server: str) -> None:
    whole = get(browse_server, ISSUER_PAGE + ".json").json()["reports"]
    assert whole["total"] == len(whole["items"]) == 2 and whole["next"] is None
    years = [r["year"] for r in whole["items"]]
    assert years == sorted(years, reverse=True)
    first = get(browse_server, ISSUER_PAGE + ".json", params={"size": 1}).json()["reports"]
    assert first["items"] == whole["items"][:1] and first["total"] == 2 and first["next"]
    second = get(browse_server, ISSUER_PAGE + ".json", params={"size": 1, "_next": first["next"]}).json()
    assert second["reports"]["items"] == whole["items"][1:] and second["reports"]["next"] is None
    page = parse_html(get(browse_server, ISSUER_PAGE, params={"size": 1}).content)
    nexts = [a.get("href") for a in page.iter("a") if a.get("rel") == "next"]
    assert len(nexts) == 1 and parse_qs(urlsplit(nexts[0]).query)["_next"] == [first["next"]]


def test_a_program_comparison_follows_its_cursor_to_the_last_report(browse_server: str) -> None:
    shared = next(p for p in get(browse_server, "/compare.json").json()["items"] if p["reports"] >= 2)
    url = "/compare/" + quote(shared["iri"][len(PKR):]) + ".json"
    pages = _walk(browse_server, url, 1)
    assert len(pages) == shared["reports"] and [len(p["items"]) for p in pages] == [1] * shared["reports"]
    whole = get(browse_server, url, params={"size": 500}).json()["items"]
    assert [r["report"] for p in pages for r in p["items"]] == [r["report"] for r in whole]


def test_a_neighbourhood_drawn_from_some_of_its_reports_says_so_and_offers_more(browse_server: str) -> None:
    shared = next(p for p in get(browse_server, "/compare.json").json()["items"] if p["reports"] >= 3)
    url = "/graph/entity/" + quote(shared["iri"][len(PKR):])
    capped = get(browse_server, url, params={"reports": 1}, headers={"Accept": "application/json"}).json()
    assert capped["drawn"] == {"reports": 1, "of": shared["reports"]}
    whole = get(browse_server, url, headers={"Accept": "application/json"}).json()
    assert whole["drawn"] == {"reports": shared["reports"], "of": shared["reports"]}
    assert set(capped["info"]["nodes"]) < set(whole["info"]["nodes"])
    page = get(browse_server, url, params={"reports": 1}, cookies={i18n.COOKIE: "en"})
    note = parse_html(page.content).find(".//p[@class='muted drawn']")
    assert note is not None
    text = "".join(note.itertext())
    assert f"Drawn from the 1 newest of the {shared['reports']} reports naming it." in text
    wider = [a.get("href") for a in note.iter("a")]
    assert len(wider) == 1 and parse_qs(urlsplit(wider[0]).query)["reports"] == ["2"]
    uncapped = parse_html(get(browse_server, url).content)
    assert uncapped.find(".//p[@class='muted drawn']") is None


def test_too_wide_a_neighbourhood_is_refused_before_any_work(browse_server: str) -> None:
    answer = httpx.get(f"{browse_server}/graph/entity/unit/x", params={"reports": 100_000},
                       headers={"Accept": "application/json"}, timeout=30)
    assert answer.status_code == 422


def test_a_cursor_starts_right_after_its_row_when_rows_came_before_it() -> None:
    rows = [{"n": n} for n in (1, 3, 5, 7)]
    first = paginate(rows, 1, 2, key=lambda r: (r["n"],))
    assert [r["n"] for r in first.items] == [1, 3] and first.next
    grown = paginate([{"n": 0}, {"n": 2}, *rows], 1, 2, first.next, key=lambda r: (r["n"],))
    assert [r["n"] for r in grown.items] == [5, 7] and grown.next is None and grown.total == 6
    with pytest.raises(BadCursor, match="paged by number"):
        paginate(rows, 1, 2, first.next)


def test_a_thing_named_exactly_as_asked_is_found_when_the_matches_are_cut(browse_store_path, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "MAX_MATCHES", 0)
    with GraphStore(browse_store_path, read_only=True) as store:
        found = search_module.search(store, SEED_ISSUER)
    assert found.truncated and [h.label for h in found.items] == [SEED_ISSUER]
