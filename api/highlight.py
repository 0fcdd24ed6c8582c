"""The report's text with every extracted mention highlighted by class and linked to its entity's page.

spaCy's displaCy draws it (its entity renderer, with manual spans). Why its output may go into a page unescaped
(the one `|safe` of the templates): displaCy escapes the report text itself (`spacy.util.escape_html`
on every fragment and entity text, `\\n` → `<br>`), but NOT the label, the link or any template
field, so those are escaped here with `html.escape` before they reach it, and the template is our
own (no inline styles: colours come from the stylesheet by class). tests/test_pages.py checks both
with a `<script>` in the text and in an entity's name.
"""

from __future__ import annotations

from html import escape
from typing import Any

from spacy.displacy.render import EntityRenderer

from policekg.api.urls import page_url

#: One mention: a link to the entity, coloured by its class. Every field is escaped by `spans()`.
TEMPLATE = '<a id="m-{start}" class="mention {cls}" href="{kb_url}" title="{title}" data-start="{start}">{text}</a>'


def non_overlapping(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions that do not overlap, in text order: the longest wins where two cover the same text.

    displaCy's ent style cannot nest spans, and the longer name (慈溪市公安局) is the more specific one
    (not 慈溪市 inside it).
    """
    chosen: list[dict[str, Any]] = []
    taken = bytearray(max((m["end"] for m in mentions), default=0))
    for m in sorted(mentions, key=lambda m: (-(m["end"] - m["start"]), m["start"])):
        if taken.find(1, m["start"], m["end"]) < 0:
            chosen.append(m)
            taken[m["start"]:m["end"]] = b"\x01" * (m["end"] - m["start"])
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
    """The text as HTML: escaped by displaCy, mentions as links (see the module docstring on safety).

    The renderer is called directly, not through `displacy.render`, which parks its input in a module
    global (two pages drawn at once in worker threads would swap texts) and hands it to IPython's
    display in a notebook instead of returning it."""
    doc = {"text": text, "ents": spans(text, mentions), "title": None}
    return EntityRenderer({"template": TEMPLATE}).render([doc], page=False, minify=False).strip()
