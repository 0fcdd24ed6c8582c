"""The report's text with every extracted mention highlighted by class and linked to its entity's page.

spaCy's displaCy draws it (`style="ent"`, manual mode). Why its output may go into a page unescaped
(the one `|safe` of the templates): displaCy escapes the report text itself (`spacy.util.escape_html`
on every fragment and entity text, `\\n` → `<br>`), but NOT the label, the link or any template
field, so those are escaped here with `html.escape` before they reach it, and the template is our
own (no inline styles: colours come from the stylesheet by class). tests/test_pages.py checks both
with a `<script>` in the text and in an entity's name.
"""

from __future__ import annotations

from html import escape
from typing import Any

from spacy import displacy

from policekg.api.urls import page_url

#: One mention: a link to the entity, coloured by its class. Every field is escaped by `spans()`.
TEMPLATE = '<a id="m-{start}" class="mention {cls}" href="{kb_url}" title="{title}" data-start="{start}">{text}</a>'


def non_overlapping(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions that do not overlap, in text order: the longest wins where two cover the same text.

    displaCy's ent style cannot nest spans, and the longer name (慈溪市公安局) is the more specific one
    (not 慈溪市 inside it).
    """
    chosen: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(mentions, key=lambda m: (-(m["end"] - m["start"]), m["start"])):
        if all(m["end"] <= s or m["start"] >= e for s, e in taken):
            chosen.append(m)
            taken.append((m["start"], m["end"]))
    return sorted(chosen, key=lambda m: m["start"])


def spans(text: str, mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """displaCy's manual spans, every non-text field already HTML-escaped."""
    out = []
    for m in non_overlapping([m for m in mentions if 0 <= m["start"] < m["end"] <= len(text)]):
        cls = m.get("cls") or "Thing"
        out.append({"start": m["start"], "end": m["end"], "label": escape(cls),
                    "params": {"cls": escape(cls), "kb_url": escape(page_url(m["entity"]) or "#"),
                               "title": escape(f"{m.get('label') or ''} · {cls}"), "start": int(m["start"])}})
    return out


def highlight(text: str, mentions: list[dict[str, Any]]) -> str:
    """The text as HTML: escaped by displaCy, mentions as links (see the module docstring on safety)."""
    doc = {"text": text, "ents": spans(text, mentions), "title": None}
    return displacy.render(doc, style="ent", manual=True, page=False, minify=False,
                           options={"template": TEMPLATE})
