"""Example queries offered on the query page: the questions researchers ask of the graph.

Data, kept apart from the page code; a test runs each against the seed store and expects rows.
They name no particular report or bureau, so they answer on any dataset. Questions asked per report
(who in this report runs which program) match inside `GRAPH ?r { }`; the default graph is the merge of
the reports, each distinct triple once, for questions about the whole collection.
"""

from __future__ import annotations

from dataclasses import dataclass

from policekg.kg.iris import PREFIXES

#: PREFIX declarations for every prefix the endpoint predefines (shown on the query page, put before
#: the examples' text so they run in other tools too).
PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@dataclass(frozen=True)
class Example:
    title: str
    query: str  # without prologue: the endpoint knows our prefixes; `full` adds them for other tools

    @property
    def full(self) -> str:
        return PROLOGUE + "\n" + self.query


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
  GRAPH ?report { ?p a pk:Program ; rdfs:label ?program . ?report dcterms:publisher ?bureau }
}
GROUP BY ?program
ORDER BY DESC(?bureaus) DESC(?reports) ?program
LIMIT 100"""),
    Example("各局下属单位 · Units of a bureau", """\
# a unit belongs to a bureau when the text says so (pk:partOf, transitively)
# or when its IRI hangs under the bureau's (pkr:unit/{bureau}/{unit}, the identity rule)
SELECT DISTINCT ?bureau ?unit
WHERE {
  GRAPH ?report {
    ?report a pk:Report ; dcterms:publisher ?b .
    ?b rdfs:label ?bureau .
    ?u a pk:PoliceUnit ; rdfs:label ?unit .
    FILTER(EXISTS { ?u pk:partOf+ ?b } || STRSTARTS(STR(?u), CONCAT(STR(?b), "/")))
  }
}
ORDER BY ?bureau ?unit"""),
    Example("指标数值跨报告对比 · Figures of an indicator across reports", """\
SELECT ?indicator ?bureau ?year ?value ?unit
WHERE {
  GRAPH ?r {
    ?r pk:year ?year ; dcterms:publisher ?b .
    ?b rdfs:label ?bureau .
    ?o pk:indicator ?i ; pk:value ?value .
    ?i rdfs:label ?indicator .
    OPTIONAL { ?o pk:unit ?unit }
  }
}
ORDER BY ?indicator ?year ?bureau"""),
    Example("项目引用的法规 · Laws cited by a program", """\
# stated legal basis (pk:basedOn, of the program or of a measure implementing it),
# or a law named in the same sentence as the program
SELECT ?program ?law ?how (COUNT(DISTINCT ?where) AS ?times)
WHERE {
  { SELECT ?r ?p ?l ?how ?where WHERE {
      GRAPH ?r {
        { ?p pk:basedOn ?l BIND("basedOn" AS ?how) BIND(?p AS ?where) }
        UNION { ?where pk:implements ?p ; pk:basedOn ?l BIND("measure basedOn" AS ?how) }
        UNION { ?ml pk:mentionOf ?l ; pk:sentence ?where . ?mp pk:sentence ?where ; pk:mentionOf ?p .
                BIND("same sentence" AS ?how) }
      } } }
  GRAPH ?r { ?p a pk:Program ; rdfs:label ?program . ?l a pk:LegalInstrument ; rdfs:label ?law }
}
GROUP BY ?program ?law ?how
ORDER BY ?program ?law"""),
)
