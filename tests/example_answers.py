"""The answer of an example query of /sparql in a form two engines (or two queries) can be compared in.

SPARQL leaves a few things to the engine, and the comparison leaves exactly those out:
- a column made by SAMPLE holds any one value of its group;
- the parts of a GROUP_CONCAT come in any order (they are sorted here; the examples separate them with
  "; "), an empty one comes back as "" (Virtuoso) or unbound (Oxigraph), and Virtuoso drops its
  language tag: values are compared by their lexical form;
- a LIMIT cuts a ranked list somewhere among rows that rank equal, and engines order strings their own
  way (Virtuoso's collation is not code-point order): the LIMITs are taken out, the whole list compared.
"""

from __future__ import annotations

import re
from collections import Counter

from policekg.kg.rdf.remote import RemoteStore
from policekg.kg.rdf.store import GraphStore

#: The examples' GROUP_CONCAT separator.
SEPARATOR = "; "
_SAMPLED = re.compile(r"\(SAMPLE\(\?\w+\)\s+AS\s+\?(\w+)\)", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+\d+", re.IGNORECASE)


def unlimited(sparql: str) -> str:
    """The query without its LIMITs."""
    return _LIMIT.sub("", sparql)


def answer_rows(store: GraphStore | RemoteStore, sparql: str) -> Counter:
    """The rows of `sparql` (LIMITs taken out) as a multiset of lexical values, SAMPLE columns left out."""
    sampled = set(_SAMPLED.findall(sparql))
    answer = store.ox_query(unlimited(sparql))
    kept = [v for v in answer.variables if v.value not in sampled]
    return Counter(tuple(_lexical(row[v]) for v in kept) for row in answer)


def _lexical(term: object) -> str:
    if term is None:
        return ""
    return SEPARATOR.join(sorted(term.value.split(SEPARATOR)))
