"""One language at a time: every page of the route map in Chinese and in English, with no word of the
other language's interface; the switch that remembers the choice; injected text staying text.

Pages are fetched from a real `policekg serve` over the browse store; the switch is clicked in
headless Debian chromium.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

import html5lib
import httpx
import pytest
from conftest import watching

from policekg.api import i18n
from policekg.api.accuracy import ACCURACY
from policekg.api.routes import ROUTES

TEMPLATES = Path(i18n.__file__).parent / "templates"
STATIC = Path(i18n.__file__).parent / "static"

#: One page for each route of the map that answers in HTML (an error page besides): what is walked.
SAMPLES: dict[str, tuple[str, ...]] = {
    "/": ("/",),
    "/about": ("/about",),
    "/reports": ("/reports",),
    "/search": ("/search?q=公安", "/search?q=没有这样的名称"),
    "/id/{path:path}": ("/id/unit/慈溪市公安局", "/id/program/一村一辅警", "/id/nothing/at-all"),
    "/report/{path:path}": ("/report/慈溪市公安局/2022",),
    "/compare": ("/compare", "/compare?class=Indicator"),
    "/compare/{path:path}": ("/compare/program/一村一辅警",),
    "/bureau/{path:path}": ("/bureau/慈溪市公安局",),
    "/map/{path:path}": ("/map/program/一村一辅警",),
    "/graph": ("/graph",),
    "/graph/entity/{path:path}": ("/graph/entity/program/一村一辅警",),
    "/graph/query": ("/graph/query",),
    "/sparql": ("/sparql",),
}

_WORD = re.compile(r"[A-Za-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_PLACEHOLDER = re.compile(r"\{\w+\}")
#: Not read as words: identifiers, queries, the JSON of scripts, and the tab's title (which names the
#: page's subject, and cannot mark it as Chinese).
_SKIPPED = {"script", "style", "code", "pre", "textarea", "title"}


def _pieces(pattern: re.Pattern[str], texts: list[str]) -> set[str]:
    return {p for text in texts for p in pattern.findall(_PLACEHOLDER.sub(" ", text))}


#: English words of the interface that its Chinese never uses (PageRank, SPARQL are the same in both).
ENGLISH_ONLY = ({w.lower() for w in _pieces(_WORD, list(i18n.CATALOGUE))}
                - {w.lower() for w in _pieces(_WORD, list(i18n.CATALOGUE.values()))})


def visible_text(html: str, besides: str | None = None) -> str:
    """What a reader sees: text nodes outside scripts, styles, code, queries; attributes left out.

    `besides="zh"` leaves out what is marked as Chinese (`lang="zh"`): what the reports say (names,
    sentences, units) on an English page; `besides="en"` the server's own error messages (English,
    from the code) and the switch's "English" on a Chinese page.
    """
    root = html5lib.parse(html, namespaceHTMLElements=False)
    out: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIPPED or (besides and node.get("lang") == besides):
            out.append(" ")
            return
        out.append(node.text or "")
        for child in node:
            walk(child)
            out.append(child.tail or "")
    walk(root)
    return "".join(out)


def fetch(base: str, path: str, lang: str) -> httpx.Response:
    return httpx.get(base + path, cookies={i18n.COOKIE: lang}, headers={"Accept": "text/html"}, timeout=120)


def test_every_page_route_has_a_sample() -> None:
    served = {r.path for r in ROUTES if "html" in r.formats}
    assert served - set(SAMPLES) == set(), "add a sample page for each new route that answers in HTML"


@pytest.mark.parametrize("path", [p for samples in SAMPLES.values() for p in samples])
def test_page_speaks_one_language(browse_server: str, path: str) -> None:
    for lang in i18n.LANGUAGES:
        response = fetch(browse_server, path, lang)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert f'<html lang="{lang}">' in response.text
        assert "Cookie" in response.headers["vary"]  # a cache keeps one copy per language
        text = visible_text(response.text, besides=next(other for other in i18n.LANGUAGES if other != lang))
        if lang == "zh":
            leaked = {w for w in _WORD.findall(text) if w.lower() in ENGLISH_ONLY}
        else:  # outside what the reports say (marked lang="zh"), not one Chinese character
            leaked = set(_HAN.findall(text))
        assert leaked == set(), f"{path} in {lang} shows the other language's words: {sorted(leaked)}"


def test_the_two_languages_differ_where_the_interface_speaks(browse_server: str) -> None:
    zh, en = (visible_text(fetch(browse_server, "/report/慈溪市公安局/2022", lang).text) for lang in ("zh", "en"))
    assert "结构与举措" in zh and "Sections and measures" in en
    assert "实施" in zh and "implements" in en  # relations in words, from the vocabulary table
    assert "pk:implements" not in zh + en


def test_every_message_a_template_or_script_uses_is_in_the_catalogue() -> None:
    used = {m for f in TEMPLATES.glob("*.html") for m in re.findall(r"\bt\('((?:[^'\\]|\\.)*)'", f.read_text())}
    used |= {m for f in TEMPLATES.glob("*.html") for m in re.findall(r'\bt\("([^"]*)"', f.read_text())}
    scripted = {m for f in STATIC.glob("*.js") for m in re.findall(r'policekgText\("([^"]*)"', f.read_text())}
    assert used and scripted
    assert {m.replace("\\'", "'") for m in used} - set(i18n.CATALOGUE) == set()
    assert scripted - set(i18n.JS_MESSAGES) == set()
    assert set(i18n.JS_MESSAGES) - set(i18n.CATALOGUE) == set()


def test_an_unknown_message_fails_loudly() -> None:
    with pytest.raises(KeyError, match="no translation of 'Nonexistent words'"):
        i18n.translate("zh", "Nonexistent words")


def test_the_switch_sets_the_cookie_and_goes_back_only_within_the_site(browse_server: str) -> None:
    switched = httpx.get(f"{browse_server}/lang", params={"to": "en", "back": "/reports?page=1"})
    assert switched.status_code == 303 and switched.headers["location"] == "/reports?page=1"
    assert switched.cookies[i18n.COOKIE] == "en"
    for outside in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        away = httpx.get(f"{browse_server}/lang", params={"to": "zh", "back": outside})
        assert away.headers["location"] == "/", outside
    wrong = httpx.get(f"{browse_server}/lang", params={"to": "fr"}, headers={"Accept": "text/html"})
    assert wrong.status_code == 400 and "unknown language 'fr'" in visible_text(wrong.text)


def test_injected_text_stays_text_in_both_languages(browse_server: str) -> None:
    payload = '"><img src=x onerror=alert(1)>'
    here = f"/search?q={quote(payload)}"
    for lang in i18n.LANGUAGES:
        page = fetch(browse_server, here, lang).text
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        switch = re.search(r'id="lang-switch" href="([^"<>]*)"', page)
        assert switch, "the switch's link holds no markup"
        back = httpx.get(browse_server + html.unescape(switch.group(1)))
        assert back.status_code == 303 and back.headers["location"] == here  # back to this very page


def test_accuracy_is_stated_where_extracted_data_is_shown(browse_server: str) -> None:
    numbers = i18n.translate("en", "Extracted automatically. On {reports} real reports checked by hand, "
                             "{p_names} of the names found are right and {r_names} of the names in the "
                             "reports are found; figures: {p_figures} right, {r_figures} found.",
                             **ACCURACY.as_percentages())
    for path in ("/report/慈溪市公安局/2022", "/id/program/一村一辅警", "/compare/program/一村一辅警",
                 "/bureau/慈溪市公安局"):
        assert numbers in visible_text(fetch(browse_server, path, "en").text), path


# -- the switch in a browser ------------------------------------------------------------------------

@pytest.mark.browser
def test_the_switch_is_remembered_across_reloads_and_pages(browser, browse_server: str) -> None:
    from playwright.sync_api import expect

    with watching(browser, browse_server) as watched:  # no console error, no request leaving 127.0.0.1
        page = watched.page
        page.goto("/reports?page=1")
        assert page.locator("html").get_attribute("lang") == "zh"
        assert page.locator("header.site nav").inner_text().split()[:2] == ["搜索", "报告"]
        page.locator("#lang-switch").click()
        page.wait_for_url("**/reports?page=1")  # back on the same page
        page.reload()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("header.site nav").inner_text().split()[:2] == ["Search", "Reports"]
        page.get_by_role("link", name="Compare", exact=True).click()
        page.wait_for_url("**/compare")
        assert page.get_by_role("heading", level=1).inner_text() == "Compare across reports"
        page.goto("/bureau/慈溪市公安局")  # the scripts' words too
        expect(page.locator("#bureau-charts-status")).to_have_text(re.compile(r"^\d+ charts$"))
        page.locator("#lang-switch").click()
        page.wait_for_url("**/bureau/**")
        assert page.locator("html").get_attribute("lang") == "zh"
