"""Find things by any of their names: a Chinese substring of the label or of an alias (市局 finds the bureau).

Chinese has no word boundaries to index, so the search is a substring match over `rdfs:label` and
`skos:altLabel`, done by Oxigraph's `CONTAINS`; results are ranked (exact name, then prefix, then
substring, then alias; then how many reports name the thing) and grouped by class with counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.paging import Page, paginate
from policekg.kg.read.sparql import CLASS_ORDER, main_class, names, rows, sparql_iri, sparql_str
from policekg.schema.vocabulary import BY_NAME, GROUPED_CLASSES, REPORT_PARTS

#: More matches than this are cut (the answer says so): a query that short needs more characters. A thing
#: named exactly so is found all the same (`_EXACT`, one index lookup).
MAX_MATCHES = 2000
#: The classes a search lists, in page order: the searchable entity classes (a law under the legal
#: instruments), then the searchable report parts.
SEARCHED: tuple[str, ...] = (tuple(c for c in GROUPED_CLASSES if BY_NAME[c].searchable)
                              + tuple(p.name for p in REPORT_PARTS if p.searchable))

# The names that match, each pair once (an entity's names are repeated in every report graph naming
# it). Classes, labels and report counts are looked up afterwards for all matches at once: joining
# `?e a ?cls` here is checked once per report graph repeating it (benchmarks/RESULTS.md).
_SEARCH = """
SELECT DISTINCT ?e ?name WHERE {
  ?e rdfs:label|skos:altLabel ?name .
  FILTER(CONTAINS(LCASE(STR(?name)), LCASE(%(q)s)))
} LIMIT %(limit)d
"""
_EXACT = """
SELECT DISTINCT ?e ?name WHERE { VALUES ?name { %(q)s %(q_zh)s } ?e rdfs:label|skos:altLabel ?name }"""
#: With no text, a class is listed whole (`/search?class=Program`): all its things by their labels
#: (type and label matched in the same graph: across graphs, each pair would come copies² times).
_ALL_OF_CLASS = """
SELECT DISTINCT ?e ?name WHERE { GRAPH ?g { ?e a pk:%(cls)s ; rdfs:label ?name } } LIMIT %(limit)d
"""
_REPORT_COUNTS = "SELECT ?e (COUNT(?r) AS ?n) WHERE { VALUES ?e { %s } ?e pk:mentionedIn ?r } GROUP BY ?e"
_WITHIN = "SELECT DISTINCT ?e ?within WHERE { VALUES ?e { %s } ?e pk:inReport/rdfs:label ?within }"


@dataclass
class Hit:
    """One thing found, with the name that matched (its label or an alias)."""

    iri: str
    label: str | None
    cls: str
    matched: str
    reports: int
    within: str | None = None  # the report a report-local thing (a measure) belongs to

    def rank(self, q: str) -> tuple:
        label = (self.label or "").lower()
        q = q.lower()
        how = 0 if label == q else 1 if label.startswith(q) else 2 if q in label else 3
        return (how, -self.reports, len(label), label, self.iri)


def search(store: GraphStore, q: str, *, cls: str | None = None, page: int = 1, size: int = 50,
           after: str | None = None) -> Page:
    """A page of things whose label or alias contains `q`, ranked, with `counts` per class for all matches
    (by number, or after the hit the cursor `after` names).

    `cls` keeps one class (the counts still cover every class, so a page can offer the others); with
    `cls` and no text, every thing of that class is listed.
    """
    q = q.strip()
    if cls is not None and cls not in SEARCHED:
        raise QueryError(f"cannot search class {cls!r}; use one of {', '.join(SEARCHED)}")
    if not q and cls is None:
        raise QueryError("give a text to search for, or a class to list")
    query = _SEARCH % {"q": sparql_str(q), "limit": MAX_MATCHES} if q else \
        _ALL_OF_CLASS % {"cls": cls, "limit": MAX_MATCHES}
    exact = _EXACT % {"q": sparql_str(q), "q_zh": str(ox.Literal(q, language="zh"))} if q else None
    hits, truncated = _hits(store, q, query, exact)
    counts = {c: n for c in CLASS_ORDER if (n := sum(h.cls == c for h in hits))}
    chosen = [h for h in hits if cls is None or h.cls == cls]
    result = paginate(chosen, page, size, after, key=lambda h: (CLASS_ORDER.index(h.cls), *h.rank(q)))
    result.counts, result.truncated = counts, truncated
    if result.items:  # the report a measure or a section belongs to: for the hits shown only
        iris = " ".join(sparql_iri(h.iri) for h in result.items)
        within = {r["e"]: r["within"] for r in rows(store, _WITHIN % iris)}
        for hit in result.items:
            hit.within = within.get(hit.iri)
    return result


def _hits(store: GraphStore, q: str, query: str, exact: str | None) -> tuple[list[Hit], bool]:
    """Every thing `query` matches once, with the best-matching of its names (not yet the report it is
    within: `search` reads that for the page shown); True when cut at the limit."""
    found = rows(store, query)
    matched: dict[str, str] = {}
    for r in [*found, *(rows(store, exact) if exact else ())]:
        if r["e"] not in matched or _closeness(q, r["name"]) < _closeness(q, matched[r["e"]]):
            matched[r["e"]] = r["name"]
    iris = " ".join(sparql_iri(e) for e in sorted(matched))
    known = names(store, list(matched))
    reports = {r["e"]: r["n"] for r in rows(store, _REPORT_COUNTS % iris)} if matched else {}
    hits = []
    for e, name in matched.items():
        label, types = known.get(e, (None, set()))
        cls = main_class(types)
        if cls in SEARCHED:
            hits.append(Hit(e, label, cls, name, reports.get(e, 0)))
    return hits, len(found) >= MAX_MATCHES


def _closeness(q: str, name: str) -> tuple[int, int]:
    """Exact beats prefix beats substring; then the shorter name."""
    q, name = q.lower(), name.lower()
    return (0 if name == q else 1 if name.startswith(q) else 2, len(name))


def hit_row(hit: Hit) -> dict[str, Any]:
    """A hit as a flat row (for the JSON and CSV twins)."""
    return {"iri": hit.iri, "label": hit.label, "class": hit.cls, "matched": hit.matched,
            "reports": hit.reports, "within": hit.within}
