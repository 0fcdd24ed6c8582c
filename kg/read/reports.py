"""Every report, kept per state of the store, and the reports naming one thing.

A program nearly every report names is named by 20,000 reports at that size. Its pages read which
reports name it from its own `pk:mentionedIn` links (one pattern with its subject bound: the work grows
with the reports naming it, not with the store), what each report is (issuer, year, title) from the list
of reports kept per state of the store (`kg.read.kept`), and the details of the page shown only.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.kept import as_is, keep, kept
from policekg.kg.read.paging import Key, Page, paginate
from policekg.kg.read.sparql import rows, sparql_iri

# Everything about a report is read inside its own graph, so each row is that report's own statement.
_REPORTS = """
SELECT ?report ?title ?year ?issued ?issuer ?issuer_label WHERE {
  GRAPH ?report { ?report a pk:Report . OPTIONAL { ?report rdfs:label ?title }
    OPTIONAL { ?report pk:year ?year } OPTIONAL { ?report dcterms:issued ?issued }
    OPTIONAL { ?report dcterms:publisher ?issuer OPTIONAL { ?issuer rdfs:label ?issuer_label } } }
} ORDER BY ?issuer_label DESC(?year) ?report
"""
_NAMING = "SELECT ?r WHERE { GRAPH ?r { %s pk:mentionedIn ?r } }"


def list_reports(store: GraphStore) -> list[dict[str, Any]]:
    """Every report with its title, year, publication date and issuer, by issuer then newest first (kept
    per state of the store)."""
    return kept(store, "reports", "", partial(_list_reports, store), as_is, as_is)


def by_issuer(report: dict[str, Any]) -> Key:
    """The order of the list of reports: by issuer, newest first, then by IRI (unique)."""
    return report["issuer_label"] or "", -(report["year"] or 0), report["report"]


def reports_page(store: GraphStore, page: int, size: int, after: str | None = None) -> Page:
    """A page of `list_reports` (`kg.read.paging`: by number, or after the row a cursor names)."""
    return paginate(list_reports(store), page, size, after, key=by_issuer)


def keep_reports(store: GraphStore, state: str) -> list[dict[str, Any]]:
    """List the reports now and keep the list for the store's `state` (what a writer runs after writing)."""
    return keep(store, "reports", "", partial(_list_reports, store), as_is, state)


def _list_reports(store: GraphStore) -> list[dict[str, Any]]:
    return rows(store, _REPORTS)


def naming(store: GraphStore, iri: str) -> list[dict[str, Any]]:
    """The reports naming `iri` (rows of `list_reports`, in its order): [] when none does."""
    named = {s["r"].value for s in store.ox_query(_NAMING % sparql_iri(iri))}
    return [r for r in list_reports(store) if r["report"] in named] if named else []


def newest_first(report: dict[str, Any]) -> Key:
    """A report's place among others, newest first (then by IRI: unique), for the lists that page them."""
    return -(report["year"] or 0), report["report"]
