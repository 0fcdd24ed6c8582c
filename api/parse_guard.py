"""Depth and entity guards run on untrusted text before any parser sees it.

Oxigraph's parsers (SPARQL, Turtle/TriG, JSON-LD) are recursive descent: a few kilobytes of nested
brackets overflow their stack and the process dies with a segfault, and its RDF/XML parser expands
the entities a DOCTYPE declares (a 1 KB "billion laughs" grows to gigabytes). So every query, update
and Graph Store body is first measured here, by a linear scan that knows just enough of each syntax
to skip strings, IRIs and comments, and refused with `TooDeep` (400, "nested too deeply") or
`EntitiesRefused` (400) when it would hurt.

The scans over-estimate rather than under-estimate: brackets inside an IRI-looking token still count
(a SPARQL `<` comparison can look like an IRI), and so does every `!` of a run (each is a level of
the expression parser).
"""

from __future__ import annotations

import re

from policekg.api.errors import BadRequest


class TooDeep(BadRequest):
    """Nested deeper than the server's limit: refused before parsing."""


class EntitiesRefused(BadRequest):
    """An XML body declaring entities: refused before parsing."""


#: SPARQL and the Turtle family share what matters here: comments, four quote styles, <IRIs>, `\\x`
#: escapes in prefixed names, brackets, RDF-star's << >>, and `!` as a prefix operator (not `!=`).
_TURTLE_LIKE = re.compile(
    r"""
      (?P<skip>\#[^\n\r]*
             | '''(?:[^'\\]|\\.|'(?!''))*'''
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '(?:[^'\\\n\r]|\\.)*'
             | "(?:[^"\\\n\r]|\\.)*"
             | \\.
             | !=)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<open><<|[\[({])
    | (?P<close>>>|[\])}])
    | (?P<bang>!)
    | (?P<other>[^\s\#'"\\<>\[\](){}!]+|[<>])
    """,
    re.VERBOSE | re.DOTALL,
)
_JSON = re.compile(r'"(?:[^"\\]|\\.)*"|(?P<open>[\[{])|(?P<close>[\]}])')
_XML = re.compile(
    r"""
      <!--.*?-->
    | <!\[CDATA\[.*?\]\]>
    | <\?.*?\?>
    | <!DOCTYPE(?:[^\[>]|\[.*?\])*>
    | (?P<close></[^>]*>)
    | (?P<tag><(?:[^>"']|"[^"]*"|'[^']*')*>)
    """,
    re.VERBOSE | re.DOTALL,
)
#: Anywhere in the text, not only in a well-formed DOCTYPE: a scan that can be fooled is no guard.
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)


def _refuse(what: str, limit: int) -> TooDeep:
    return TooDeep(f"the {what} is nested too deeply (more than {limit} levels of brackets or "
                   "operators); this server's limit is POLICEKG_MAX_DEPTH")


def _iri_depth(iri: str) -> int:
    """The deepest bracket level inside an IRI-looking token (0 for a real IRI without brackets)."""
    level = deepest = 0
    for char in iri:
        level += (char in "([") - (char in ")]")
        deepest = max(deepest, level)
    return deepest


def turtle_like_depth(text: str, limit: int) -> int:
    """The nesting depth of a SPARQL query or update, Turtle, TriG, N-Triples or N-Quads text,
    scanning no further than the first point where it passes `limit`."""
    level = bangs = deepest = 0
    for m in _TURTLE_LIKE.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        if kind == "bang":
            bangs += 1
        else:
            bangs = 0
            if kind == "open":
                level += 1
            elif kind == "close":
                level = max(0, level - 1)
            elif kind == "iri":
                deepest = max(deepest, level + _iri_depth(m.group()))
        deepest = max(deepest, level + bangs)
        if deepest > limit:
            break
    return deepest


def json_depth(text: str, limit: int) -> int:
    """The nesting depth of a JSON text (strings skipped)."""
    level = deepest = 0
    for m in _JSON.finditer(text):
        if m.lastgroup == "open":
            level += 1
            deepest = max(deepest, level)
            if deepest > limit:
                break
        elif m.lastgroup == "close":
            level = max(0, level - 1)
    return deepest


def xml_depth(text: str, limit: int) -> int:
    """The element depth of an XML text; EntitiesRefused when its DOCTYPE declares entities."""
    if _ENTITY.search(text):
        raise EntitiesRefused("XML bodies may not declare entities (<!ENTITY …>): this server does "
                              "not expand them")
    level = deepest = 0
    for m in _XML.finditer(text):
        kind = m.lastgroup
        if kind == "close":
            level = max(0, level - 1)
        elif kind == "tag" and not m.group().endswith("/>"):
            level += 1
            deepest = max(deepest, level)
            if deepest > limit:
                break
    return deepest


#: How each RDF syntax (kg.formats short name) is measured; unknown ones are measured as Turtle.
_SCANNERS = {"jsonld": json_depth, "xml": xml_depth}


def check_sparql(text: str, limit: int, what: str = "query") -> None:
    """Refuse a query or update nested deeper than `limit` (400 before any parser sees it)."""
    if turtle_like_depth(text, limit) > limit:
        raise _refuse(what, limit)


def check_rdf(body: bytes, format_name: str, limit: int) -> None:
    """Refuse an RDF body (in the format `format_name` of kg.formats) that is nested deeper than
    `limit` or, for RDF/XML, declares entities."""
    text = body.decode("utf-8", errors="replace")
    if _SCANNERS.get(format_name, turtle_like_depth)(text, limit) > limit:
        raise _refuse(f"{format_name} body", limit)
