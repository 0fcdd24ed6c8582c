"""Example queries offered on the query page: the questions researchers ask of the graph.

Data, kept apart from the page code; tests run each on a store of several bureaus and years, expect
rows, compare them with a plain reference query, and across the embedded store, Oxigraph server and
Virtuoso. A question about one program, indicator or bureau names it by its exact label, given first
(in VALUES, with the year where there is one), which lets the engine start from it instead of scanning
every report (change the label to ask about another): national programs and indicators, and the bureau
of the sample report every new service starts with; the resolved disputes start from their canonical
indicator's IRI.

How they read the graph, as users should: the default graph is the merge of the reports, each distinct
triple once, so facts about a report (its year, its publisher) and questions about the whole collection
read it directly; what one report says (its mentions, figures) matches inside `GRAPH ?r { }`, which
keeps each report apart. They are plain SPARQL 1.1 written the way every engine plans well: a figure's
unit and evidence are read as plain patterns (the shapes require them) rather than OPTIONAL, a flag is
compared in a FILTER, lists that grow with the collection ask about one bureau or one year (2024:
change it), and a list cut to its first rows takes them before reading their names.

Rankings over the whole collection read the counts the analysis keeps in its graph for each state of the
store (`kg.network.tallies`: reports, bureaus, measures, figures per program, law, platform, indicator
and year, and the first 100 places of each ranking, `pk:bureauRank`), so their cost is the length of the
list, not the number of reports or of things ranked. That graph is not a report
and not part of the default graph: they ask it by name, `GRAPH pkr:analysis { }`. Those counts are as
current as the analysis: after a write they describe the reports before it until the analysis is
refreshed (at the end of `ingest` and `remove`, in the background after a write to the service).
"""

from __future__ import annotations

from dataclasses import dataclass

from policekg.kg.rdf.iris import PREFIXES

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
    Example("一个局各报告的措施及状态 · A bureau's reports: measures by status", """\
SELECT ?report ?status (COUNT(?measure) AS ?measures) (SAMPLE(?title) AS ?example)
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .  # the bureau (drop this line for every bureau)
  ?r dcterms:publisher ?b ; rdfs:label ?report ; pk:hasSection/pk:hasMeasure ?measure .
  ?measure pk:status ?s ; rdfs:label ?title .
  BIND(STRAFTER(STR(?s), "#") AS ?status)
}
GROUP BY ?report ?status
ORDER BY ?report ?status"""),
    Example("项目按涉及单位数排序 · Programs by number of bureaus (the first 100)", """\
# the ranking the analysis keeps (pk:bureauRank: by bureaus, then reports; its first 100 places) and its
# counts; the class is asked in a FILTER, so that the 100 ranked are read, not every program
SELECT ?program ?bureaus ?reports
WHERE {
  GRAPH pkr:analysis { ?p pk:bureauRank ?rank ; pk:bureauCount ?bureaus ; pk:reportCount ?reports }
  FILTER EXISTS { ?p a pk:Program }
  ?p rdfs:label ?program .
}
ORDER BY ?rank ?program
LIMIT 100"""),
    Example("各局下属单位 · Units of a bureau", """\
# a unit belongs to a bureau when a report says so (pk:partOf, transitively)
# or when its IRI hangs under the bureau's (pkr:unit/{bureau}/{unit}, the identity rule); the type is
# compared in the FILTER, so that the bureau's reports are read first
SELECT DISTINCT ?unit
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .
  { ?u pk:partOf+ ?b }
  UNION { ?r dcterms:publisher ?b . GRAPH ?r { ?u a ?type }
          FILTER(?type = pk:PoliceUnit && STRSTARTS(STR(?u), CONCAT(STR(?b), "/"))) }
  ?u rdfs:label ?unit .
}
ORDER BY ?unit"""),
    Example("一年的指标数值跨局对比 · An indicator's figures across bureaus in one year (the 100 largest)", """\
# one indicator, by its name, and one year's reports (change either); every figure has one unit (the
# shapes require it); the 100 largest values are taken first, then their units and bureaus' names
SELECT DISTINCT ?bureau ?value ?unit
WHERE {
  { SELECT ?r ?o ?value WHERE {
      VALUES ?name { "行政诉讼案件"@zh }
      ?i rdfs:label ?name ; a pk:Indicator .
      GRAPH ?r { ?o pk:indicator ?i }
      { SELECT ?r WHERE { ?r pk:year 2024 } }
      GRAPH ?r { ?o pk:value ?value }
    } ORDER BY DESC(?value) LIMIT 100 }
  ?o pk:unit ?unit .
  ?r dcterms:publisher/rdfs:label ?bureau .
}
ORDER BY DESC(?value) ?bureau ?unit"""),
    Example("一个局报告中项目引用的法规 · Laws cited with a program in a bureau's reports", """\
# stated legal basis (pk:basedOn, of the program or of a measure implementing it),
# or a law named in the same sentence of a report as the program (change the bureau or the program)
SELECT ?law ?how (COUNT(DISTINCT ?where) AS ?times)
WHERE {
  VALUES (?bureau ?program) { ("慈溪市公安局"@zh "谁执法谁普法"@zh) }
  ?b rdfs:label ?bureau . ?r dcterms:publisher ?b .
  ?p rdfs:label ?program ; a pk:Program .
  GRAPH ?r {
    { ?p pk:basedOn ?l BIND("basedOn" AS ?how) BIND(?p AS ?where) }
    UNION { ?where pk:implements ?p ; pk:basedOn ?l BIND("measure basedOn" AS ?how) }
    UNION { ?mp pk:mentionOf ?p ; pk:sentence ?where . ?ml pk:sentence ?where ; pk:mentionOf ?l
            BIND("same sentence" AS ?how) }
  }
  ?l a pk:LegalInstrument ; rdfs:label ?law .
}
GROUP BY ?law ?how
ORDER BY DESC(?times) ?law ?how"""),
    Example("一个局各年提及的项目 · A bureau's programs year by year", """\
SELECT ?year (COUNT(DISTINCT ?p) AS ?programs) (GROUP_CONCAT(DISTINCT ?program; separator="; ") AS ?names)
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .
  ?r dcterms:publisher ?b ; pk:year ?year .
  ?p pk:mentionedIn ?r ; a pk:Program ; rdfs:label ?program .
}
GROUP BY ?year
ORDER BY ?year"""),
    Example("项目新增还是延续 · Programs new or continued from the bureau's earlier reports", """\
# "continued" when the bureau's reports named the program in an earlier year too;
# the bureau is named in both halves, so that each starts from its reports
SELECT ?year ?program (IF(?first < ?year, "continued", "new") AS ?change) ?first
WHERE {
  { SELECT ?p (MIN(?y) AS ?first) WHERE {
      ?b rdfs:label "慈溪市公安局"@zh . ?e dcterms:publisher ?b ; pk:year ?y . GRAPH ?e { ?p a pk:Program } }
    GROUP BY ?p }
  { SELECT ?year ?p ?program WHERE {
      ?b rdfs:label "慈溪市公安局"@zh . ?r dcterms:publisher ?b ; pk:year ?year . GRAPH ?r { ?p a pk:Program }
      ?p rdfs:label ?program } }
}
ORDER BY ?year ?change ?program"""),
    Example("项目的数据跨局对比 · "
            "A program's figures of one indicator across bureaus in one year (the 100 largest)", """\
# figures of a measure that implements the program, or figures about the program itself, of one
# indicator in one year's reports (change any of the three); the 100 largest, then their bureaus' names
SELECT DISTINCT ?bureau ?value ?unit
WHERE {
  { SELECT DISTINCT ?r ?value ?unit WHERE {
      VALUES (?year ?program ?name) { (2024 "谁执法谁普法"@zh "发放宣传资料"@zh) }
      ?r pk:year ?year .
      ?i rdfs:label ?name ; a pk:Indicator .
      ?p rdfs:label ?program ; a pk:Program .
      GRAPH ?r {
        ?o pk:indicator ?i ; pk:value ?value ; pk:unit ?unit .
        { ?m pk:implements ?p ; pk:hasObservation ?o } UNION { ?o pk:about ?p }
      }
    } ORDER BY DESC(?value) LIMIT 100 }
  ?r dcterms:publisher/rdfs:label ?bureau .
}
ORDER BY DESC(?value) ?bureau ?unit"""),
    Example("法规按引用单位数排序 · Laws ranked by the bureaus that cite them (the first 100)", """\
# the ranking the analysis keeps (pk:bureauRank: by bureaus, then reports; its first 100 places), the
# counts, the earliest year; the class is asked in a FILTER, so that the 100 ranked are read
SELECT ?law ?bureaus ?reports ?first
WHERE {
  GRAPH pkr:analysis { ?l pk:bureauRank ?rank ; pk:bureauCount ?bureaus ; pk:reportCount ?reports ;
                       pk:firstYear ?first }
  FILTER EXISTS { ?l a pk:LegalInstrument }
  ?l rdfs:label ?law .
}
ORDER BY ?rank ?law
LIMIT 100"""),
    Example("一年内化解矛盾纠纷最多的局 · Disputes resolved in one year (the 100 largest figures)", """\
# the canonical indicator's figures and its narrower ones' (through 警调衔接 …: one level down), results
# only (no targets, no changes), in one year's reports (change it); the 100 largest values first, then
# their bounds, units, names and evidence (the indicators are picked without skos:broader* or VALUES in a
# UNION: Virtuoso 7.2 drops rows of either, depending on its plan)
SELECT DISTINCT ?bureau ?indicator ?bound ?value ?unit ?sentence
WHERE {
  { SELECT ?r ?o ?i ?value WHERE {
      { SELECT ?i WHERE { { ?i skos:broader <https://w3id.org/policekg/id/indicator/disputes_resolved> }
          UNION { ?i a pk:CanonicalIndicator FILTER(?i = <https://w3id.org/policekg/id/indicator/disputes_resolved>) } } }
      { SELECT ?r WHERE { ?r pk:year 2024 } }
      GRAPH ?r { ?o pk:indicator ?i ; pk:target ?target ; pk:value ?value }
      FILTER(?target = false)
      FILTER NOT EXISTS { ?o pk:changeDirection ?change }
    } ORDER BY DESC(?value) LIMIT 100 }
  ?o pk:bound ?bound ; pk:unit ?unit ; pk:evidence/pk:sentence ?sentence .
  ?i rdfs:label ?indicator FILTER(LANG(?indicator) = "zh")
  ?r dcterms:publisher/rdfs:label ?bureau .
}
ORDER BY DESC(?value) ?bureau ?indicator"""),
    Example("与某局相似的公安局 · Bureaus most like one bureau (shared programs, Jaccard)", """\
# the programs 慈溪市公安局's reports name and another bureau's reports name too, over those either names
# (each bureau's number of programs is kept with the analysis: pk:programCount); the reports' publishers
# and the other bureaus' counts are read whole and matched, then the names of the 50 first
SELECT ?other ?shared ?jaccard
WHERE {
  { SELECT ?b ?shared ?jaccard WHERE {
      { SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?shared) WHERE {
          ?a rdfs:label "慈溪市公安局"@zh . ?ra dcterms:publisher ?a . GRAPH ?ra { ?p a pk:Program }
          ?p pk:mentionedIn ?rb .
          { SELECT ?rb ?b WHERE { ?rb dcterms:publisher ?b } }
        } GROUP BY ?a ?b }
      FILTER(?b != ?a)
      GRAPH pkr:analysis { ?a pk:programCount ?mine }
      { SELECT ?b ?theirs WHERE { GRAPH pkr:analysis { ?b pk:programCount ?theirs } } }
      BIND(ROUND(1000.0 * ?shared / (?mine + ?theirs - ?shared)) / 1000 AS ?jaccard)
    } ORDER BY DESC(?jaccard) DESC(?shared) LIMIT 50 }
  ?b rdfs:label ?other .
}
ORDER BY DESC(?jaccard) DESC(?shared) ?other"""),
    Example("指标按报告局数排序 · Indicators reported by the most bureaus (the first 100)", """\
# the ranking the analysis keeps (pk:bureauRank: by bureaus, then reports; its first 100 places) and the
# counts (their figures: the example "An indicator's figures across bureaus in one year")
SELECT ?indicator ?bureaus ?reports ?figures
WHERE {
  GRAPH pkr:analysis { ?i pk:bureauRank ?rank ; pk:bureauCount ?bureaus ; pk:reportCount ?reports ;
                       pk:figureCount ?figures }
  FILTER EXISTS { ?i a pk:Indicator }
  ?i rdfs:label ?indicator .
  FILTER(LANG(?indicator) = "zh")
}
ORDER BY ?rank ?indicator
LIMIT 100"""),
    Example("各年报告与措施数 · Reports, measures and figures per year", """\
# kept per year of the reports (pkr:year/2022 …)
SELECT ?year ?reports ?measures ?figures
WHERE { GRAPH pkr:analysis {
  ?y a pk:Year ; pk:year ?year ; pk:reportCount ?reports ; pk:measureCount ?measures ; pk:figureCount ?figures } }
ORDER BY ?year"""),
    Example("自述的问题与不足 · Shortcomings a bureau reports", """\
# the text of each, cut from the report's text (unsorted: Virtuoso 7.2 cannot sort rows that carry it)
SELECT ?year ?problem ?text
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .  # the bureau (drop this line for every bureau)
  ?r dcterms:publisher ?b ; pk:year ?year ; pk:fullText ?full ; pk:hasSection/pk:hasMeasure ?m .
  ?m pk:status pk:Problem ; rdfs:label ?problem ; pk:start ?start ; pk:end ?end .
  BIND(SUBSTR(?full, ?start + 1, ?end - ?start) AS ?text)
}"""),
    Example("来年工作计划 · A bureau's plans for the next year", """\
SELECT ?year ?plan (GROUP_CONCAT(DISTINCT ?program; separator="; ") AS ?programs)
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .  # the bureau (drop this line for every bureau)
  ?r dcterms:publisher ?b ; pk:year ?year ; pk:hasSection/pk:hasMeasure ?m .
  ?m pk:status pk:Planned ; rdfs:label ?plan .
  OPTIONAL { ?m pk:implements/rdfs:label ?program }
}
GROUP BY ?year ?plan
ORDER BY ?year ?plan"""),
    Example("平台按使用单位数排序 · Platforms by the bureaus that name them (the first 100)", """\
# the ranking the analysis keeps (pk:bureauRank: by bureaus, then reports; its first 100 places) and the
# counts: reports, measures using the platform (pk:usesPlatform); the bureaus of one platform: its page
SELECT ?platform ?bureaus ?reports ?measures ?first
WHERE {
  GRAPH pkr:analysis { ?x pk:bureauRank ?rank ; pk:bureauCount ?bureaus ; pk:reportCount ?reports ;
                       pk:measureCount ?measures ; pk:firstYear ?first }
  FILTER EXISTS { ?x a pk:Platform }
  ?x rdfs:label ?platform .
}
ORDER BY ?rank ?platform
LIMIT 100"""),
    Example("合作单位 · Who a bureau works with", """\
SELECT ?partner (COUNT(DISTINCT ?r) AS ?reports) (SAMPLE(?s) AS ?sentence)
WHERE {
  ?b rdfs:label "慈溪市公安局"@zh .  # the bureau (drop this line for every bureau)
  ?r dcterms:publisher ?b .
  GRAPH ?r {
    ?u pk:cooperatesWith ?x . ?x rdfs:label ?partner .
    ?st rdf:subject ?u ; rdf:predicate pk:cooperatesWith ; rdf:object ?x ; pk:evidence/pk:sentence ?s .
  }
}
GROUP BY ?partner
ORDER BY DESC(?reports) ?partner"""),
    Example("一个局实施项目的单位 · Which of a bureau's units carry out a program", """\
# a unit performs a measure implementing the program (pk:performedBy), or implements it itself,
# in the bureau's reports (change the bureau or the program)
SELECT ?unit (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?r) AS ?reports)
WHERE {
  VALUES (?bureau ?program) { ("慈溪市公安局"@zh "一窗通办"@zh) }
  ?b rdfs:label ?bureau . ?r dcterms:publisher ?b .
  ?p rdfs:label ?program ; a pk:Program .
  GRAPH ?r { { ?m pk:implements ?p ; pk:performedBy ?u } UNION { ?u a pk:PoliceUnit ; pk:implements ?p } }
  ?u rdfs:label ?unit .
}
GROUP BY ?unit
ORDER BY DESC(?measures) ?unit"""),
    Example("一个局报告中提及项目的句子 · The sentences of a bureau's reports that name a program", """\
# year by year (change the bureau or the program)
SELECT DISTINCT ?year ?sentence
WHERE {
  VALUES (?bureau ?program) { ("慈溪市公安局"@zh "谁执法谁普法"@zh) }
  ?b rdfs:label ?bureau . ?r dcterms:publisher ?b ; pk:year ?year .
  ?p rdfs:label ?program ; a pk:Program .
  GRAPH ?r { ?mention pk:mentionOf ?p ; pk:sentence ?sentence }
}
ORDER BY ?year ?sentence"""),
)
