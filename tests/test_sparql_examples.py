"""The example queries of /sparql answer their question: the same rows as a plain reference query.

The examples are written to be fast at 20,000 reports (the named program, indicator or bureau bound
first, report facts read from the merge, rankings read the counts the analysis keeps). Each one written
so differs from the plain way of asking, which keeps everything a report says inside `GRAPH ?r { }` and
scans: the plain query is slow but plainly right, so here both run on the browse store (several bureaus
and years, its analysis written as every ingest writes it) and must give the same rows (compared as
`example_answers` says). Every example has its reference, so a rewrite cannot go untested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from example_answers import answer_rows

from policekg.api.sparql_examples import EXAMPLES
from policekg.kg.rdf.store import GraphStore

#: The places of the rankings the analysis keeps (`tallies.RANKED`).
RANKED = 100


def ranked(columns: str, match: str, more: str = "", name_filter: str = "") -> str:
    """The plain query of a kept ranking: what `match` finds in a report (?e), counted over the reports
    (?bureaus, ?reports, and the aggregates `more`), placed one after those counted ahead of it (more
    bureaus, or as many and more reports), its first places, named ?name."""
    counts = (f"SELECT ?e (COUNT(DISTINCT ?b) AS ?bureaus) (COUNT(DISTINCT ?r) AS ?reports) {more} "
              f"WHERE {{ GRAPH ?r {{ {match} . ?r dcterms:publisher ?b ; pk:year ?year }} }} GROUP BY ?e")
    return f"""SELECT {columns} WHERE {{
  {{ {counts} }}
  {{ SELECT ?e (COUNT(?ahead) + 1 AS ?rank) WHERE {{
      {{ {counts} }}
      OPTIONAL {{ {{ SELECT (?e AS ?ahead) (?bureaus AS ?b2) (?reports AS ?r2) WHERE {{ {{ {counts} }} }} }}
                 FILTER(?b2 > ?bureaus || (?b2 = ?bureaus && ?r2 > ?reports)) }}
    }} GROUP BY ?e }}
  FILTER(?rank <= {RANKED})
  ?e rdfs:label ?name {name_filter}
}}"""


#: Per example (its English title): the plain query asking the same question.
REFERENCES = {
    "Programs by number of bureaus (the first 100)": ranked(
        "?name ?bureaus ?reports", "?e a pk:Program"),
    "An indicator's figures across bureaus in one year (the 100 largest)": """
SELECT DISTINCT ?bureau ?value ?unit
WHERE { GRAPH ?r { ?r pk:year 2024 ; dcterms:publisher ?b . ?b rdfs:label ?bureau .
                   ?o pk:indicator ?i ; pk:value ?value . ?i rdfs:label "行政诉讼案件"@zh .
                   OPTIONAL { ?o pk:unit ?unit } } }""",
    "Laws cited with a program in a bureau's reports": """
SELECT ?law ?how (COUNT(DISTINCT ?where) AS ?times)
WHERE { GRAPH ?r {
  ?r dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
  { ?p pk:basedOn ?l BIND("basedOn" AS ?how) BIND(?p AS ?where) }
  UNION { ?where pk:implements ?p ; pk:basedOn ?l BIND("measure basedOn" AS ?how) }
  UNION { ?ml pk:mentionOf ?l ; pk:sentence ?where . ?mp pk:sentence ?where ; pk:mentionOf ?p .
          BIND("same sentence" AS ?how) }
  ?p a pk:Program ; rdfs:label "谁执法谁普法"@zh . ?l a pk:LegalInstrument ; rdfs:label ?law } }
GROUP BY ?law ?how""",
    "A bureau's programs year by year": """
SELECT ?year (COUNT(DISTINCT ?p) AS ?programs) (GROUP_CONCAT(DISTINCT ?program; separator="; ") AS ?names)
WHERE { GRAPH ?r { ?r pk:year ?year ; dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
                   ?p a pk:Program ; rdfs:label ?program } }
GROUP BY ?year""",
    "Programs new or continued from the bureau's earlier reports": """
SELECT ?year ?program (IF(COUNT(?before) > 0, "continued", "new") AS ?change) (COALESCE(MIN(?before), ?year) AS ?first)
WHERE {
  GRAPH ?r { ?r pk:year ?year ; dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
             ?p a pk:Program ; rdfs:label ?program }
  OPTIONAL { GRAPH ?e { ?e pk:year ?before ; dcterms:publisher ?b . ?p a pk:Program } FILTER(?before < ?year) }
}
GROUP BY ?year ?program""",
    "A program's figures of one indicator across bureaus in one year (the 100 largest)": """
SELECT DISTINCT ?bureau ?value ?unit
WHERE { GRAPH ?r {
  ?r pk:year 2024 ; dcterms:publisher ?b . ?b rdfs:label ?bureau .
  { ?m pk:implements ?p ; pk:hasObservation ?o } UNION { ?o pk:about ?p }
  ?p a pk:Program ; rdfs:label "谁执法谁普法"@zh .
  ?o pk:indicator ?i ; pk:value ?value . ?i rdfs:label "发放宣传资料"@zh
  OPTIONAL { ?o pk:unit ?unit } } }""",
    "Disputes resolved in one year (the 100 largest figures)": """
SELECT DISTINCT ?bureau ?indicator ?bound ?value ?unit ?sentence
WHERE { GRAPH ?r {
  ?r pk:year 2024 ; dcterms:publisher ?b . ?b rdfs:label ?bureau .
  ?o pk:indicator ?i ; pk:value ?value ; pk:target false ; pk:bound ?bound .
  ?i skos:broader* <https://w3id.org/policekg/id/indicator/disputes_resolved> ; rdfs:label ?indicator .
  FILTER(LANG(?indicator) = "zh")
  FILTER NOT EXISTS { ?o pk:changeDirection ?change }
  OPTIONAL { ?o pk:unit ?unit }
  OPTIONAL { ?o pk:evidence/pk:sentence ?sentence } } }""",
    "Bureaus most like one bureau (shared programs, Jaccard)": """
SELECT ?other ?shared ?jaccard
WHERE {
  { SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?shared) WHERE {
      GRAPH ?ra { ?ra dcterms:publisher ?a . ?p a pk:Program }
      GRAPH ?rb { ?rb dcterms:publisher ?b . ?p a pk:Program } FILTER(?a != ?b) } GROUP BY ?a ?b }
  { SELECT ?a (COUNT(DISTINCT ?pa) AS ?na) WHERE { GRAPH ?r1 { ?r1 dcterms:publisher ?a . ?pa a pk:Program } }
    GROUP BY ?a }
  { SELECT ?b (COUNT(DISTINCT ?pb) AS ?nb) WHERE { GRAPH ?r2 { ?r2 dcterms:publisher ?b . ?pb a pk:Program } }
    GROUP BY ?b }
  ?a rdfs:label "慈溪市公安局"@zh . ?b rdfs:label ?other .
  BIND(ROUND(1000 * ?shared / (?na + ?nb - ?shared)) / 1000 AS ?jaccard)
}""",
    "Indicators reported by the most bureaus (the first 100)": ranked(
        "?name ?bureaus ?reports ?figures", "?o pk:indicator ?e", "(COUNT(DISTINCT ?o) AS ?figures)",
        'FILTER(LANG(?name) = "zh")'),
    "Which of a bureau's units carry out a program": """
SELECT ?unit (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?r) AS ?reports)
WHERE { GRAPH ?r {
  ?r dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
  { ?m pk:implements ?p ; pk:performedBy ?u } UNION { ?u a pk:PoliceUnit ; pk:implements ?p }
  ?p a pk:Program ; rdfs:label "一窗通办"@zh . ?u rdfs:label ?unit } }
GROUP BY ?unit""",
    "The sentences of a bureau's reports that name a program": """
SELECT DISTINCT ?year ?sentence
WHERE { GRAPH ?r { ?r pk:year ?year ; dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
                   ?mention pk:mentionOf ?p ; pk:sentence ?sentence .
                   ?p a pk:Program ; rdfs:label "谁执法谁普法"@zh } }""",
    "A bureau's reports: measures by status": """
SELECT ?report ?status (COUNT(?measure) AS ?measures)
WHERE { GRAPH ?r { ?r a pk:Report ; rdfs:label ?report ; dcterms:publisher ?b ; pk:hasSection/pk:hasMeasure ?measure .
                   ?b rdfs:label "慈溪市公安局"@zh . ?measure pk:status ?s ; rdfs:label ?title .
                   BIND(STRAFTER(STR(?s), "#") AS ?status) } }
GROUP BY ?report ?status""",
    "Units of a bureau": """
SELECT DISTINCT ?unit
WHERE { GRAPH ?report {
  ?report a pk:Report ; dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
  ?u a pk:PoliceUnit ; rdfs:label ?unit .
  FILTER(EXISTS { ?u pk:partOf+ ?b } || STRSTARTS(STR(?u), CONCAT(STR(?b), "/"))) } }""",
    "Shortcomings a bureau reports": """
SELECT ?year ?problem ?text
WHERE { GRAPH ?r {
  ?r pk:year ?year ; dcterms:publisher ?b ; pk:hasSection/pk:hasMeasure ?m . ?b rdfs:label "慈溪市公安局"@zh .
  ?m pk:status pk:Problem ; rdfs:label ?problem ; pk:start ?start ; pk:end ?end .
  ?r pk:fullText ?full .
  BIND(SUBSTR(?full, ?start + 1, ?end - ?start) AS ?text) } }""",
    "A bureau's plans for the next year": """
SELECT ?year ?plan (GROUP_CONCAT(DISTINCT ?program; separator="; ") AS ?programs)
WHERE { GRAPH ?r {
  ?r pk:year ?year ; dcterms:publisher ?b ; pk:hasSection/pk:hasMeasure ?m . ?b rdfs:label "慈溪市公安局"@zh .
  ?m pk:status pk:Planned ; rdfs:label ?plan .
  OPTIONAL { ?m pk:implements/rdfs:label ?program } } }
GROUP BY ?year ?plan""",
    "Laws ranked by the bureaus that cite them (the first 100)": ranked(
        "?name ?bureaus ?reports ?first", "?e a pk:LegalInstrument", "(MIN(?year) AS ?first)"),
    "Reports, measures and figures per year": """
SELECT ?year (COUNT(DISTINCT ?r) AS ?reports) (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?o) AS ?figures)
WHERE { GRAPH ?r { ?r a pk:Report ; pk:year ?year .
                   OPTIONAL { { ?m a pk:Measure } UNION { ?o a pk:Observation } } } }
GROUP BY ?year""",
    "Platforms by the bureaus that name them (the first 100)": ranked(
        "?name ?bureaus ?reports ?measures ?first",
        "?e a pk:Platform OPTIONAL { ?m pk:usesPlatform ?e }",
        "(COUNT(DISTINCT ?m) AS ?measures) (MIN(?year) AS ?first)"),
    "Who a bureau works with": """
SELECT ?partner (COUNT(DISTINCT ?r) AS ?reports)
WHERE { GRAPH ?r {
  ?r dcterms:publisher ?b . ?b rdfs:label "慈溪市公安局"@zh .
  ?u pk:cooperatesWith ?x . ?x rdfs:label ?partner .
  OPTIONAL { ?st rdf:subject ?u ; rdf:predicate pk:cooperatesWith ; rdf:object ?x ; pk:evidence/pk:sentence ?s } } }
GROUP BY ?partner""",
}


def english(example) -> str:
    return example.title.split(" · ")[-1]


@pytest.fixture(scope="module")
def browse(browse_store_path: Path) -> GraphStore:
    """The browse store opened read-only (the page tests' server may hold it too)."""
    return GraphStore(browse_store_path, read_only=True)


def test_every_example_has_a_reference() -> None:
    assert set(REFERENCES) == {english(e) for e in EXAMPLES}


@pytest.mark.parametrize("example", [e for e in EXAMPLES if english(e) in REFERENCES], ids=english)
def test_example_gives_the_rows_of_its_plain_reference(browse: GraphStore, example) -> None:
    expected = answer_rows(browse, REFERENCES[english(example)])
    assert expected, "the reference finds nothing on the browse store: the test would prove nothing"
    assert answer_rows(browse, example.query) == expected
