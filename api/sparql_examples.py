"""Example queries offered on the query page: the questions researchers ask of the graph.

Data, kept apart from the page code; a test runs each against the seed store and expects rows.
They name no particular report or bureau, so they answer on any dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

from policekg.kg.iris import PREFIXES


@dataclass(frozen=True)
class Example:
    title: str
    query: str  # without prologue: the endpoint knows our prefixes; `full` adds them for other tools

    @property
    def full(self) -> str:
        return prologue() + "\n" + self.query


def prologue() -> str:
    """PREFIX declarations for every prefix the endpoint predefines."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


EXAMPLES: tuple[Example, ...] = (
    Example("各报告措施及状态 · A report's measures by status", """\
SELECT ?report ?status (COUNT(?measure) AS ?measures) (SAMPLE(?title) AS ?example)
WHERE {
  ?r a pk:Report ; rdfs:label ?report ; pk:hasSection/pk:hasMeasure ?measure .
  ?measure pk:status ?s ; rdfs:label ?title .
  BIND(STRAFTER(STR(?s), "#") AS ?status)
}
GROUP BY ?report ?status
ORDER BY ?report ?status"""),
    Example("项目按涉及单位数排序 · Programs by number of bureaus", """\
SELECT ?program (COUNT(DISTINCT ?bureau) AS ?bureaus) (COUNT(DISTINCT ?report) AS ?reports)
WHERE {
  ?p a pk:Program ; rdfs:label ?program ; pk:mentionedIn ?report .
  ?report dcterms:publisher ?bureau .
}
GROUP BY ?program
ORDER BY DESC(?bureaus) DESC(?reports) ?program
LIMIT 100"""),
    Example("各局下属单位 · Units of a bureau", """\
SELECT ?bureau ?unit
WHERE {
  ?report a pk:Report ; dcterms:publisher ?b .
  ?b rdfs:label ?bureau .
  ?u pk:partOf+ ?b ; rdfs:label ?unit .
}
ORDER BY ?bureau ?unit"""),
    Example("指标数值跨报告对比 · Figures of an indicator across reports", """\
SELECT ?indicator ?bureau ?year ?value ?unit
WHERE {
  ?o a pk:Observation ; pk:indicator ?i ; pk:value ?value ; pk:inReport ?r .
  OPTIONAL { ?o pk:unit ?unit }
  ?i rdfs:label ?indicator .
  ?r pk:year ?year ; dcterms:publisher/rdfs:label ?bureau .
}
ORDER BY ?indicator ?year ?bureau"""),
    Example("项目引用的法规 · Laws cited by a program", """\
SELECT ?program ?law (COUNT(DISTINCT ?measure) AS ?measures)
WHERE {
  ?p a pk:Program ; rdfs:label ?program .
  { ?p pk:basedOn ?l } UNION { ?measure pk:implements ?p ; pk:basedOn ?l }
  ?l rdfs:label ?law .
}
GROUP BY ?program ?law
ORDER BY ?program ?law"""),
)
