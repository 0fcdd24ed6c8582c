"""networkx views of the store: the graphs the analyses and the graph pages are computed on.

Views a reader of the reports understands:
- the entity graph: units, bodies, programs, laws, platforms and places, with one typed edge per
  relation the reports state. Most relations have a *measure* as subject (a measure implements a
  program); measures are report-local, so such an edge is drawn from whoever performs the measure
  (its `pk:performedBy`, else the bureau that published the report). That is what connects reports.
- the co-occurrence graph: two entities are tied when named in the same measure, weighted by how
  many measures name both.
- the bureau × program bipartite graph across reports: which bureau's reports name which programs.
- the shared view (the /graph overview): programs tied by the number of bureaus naming both, the
  programs one bureau names folded away: what reports have in common, not one cluster per report.
- the neighbourhood of one entity, read from the reports naming it, with every bureau whose report
  names it (an entity named in a report may have no stated relation with its issuer).

Every edge of the entity graph carries the evidence sentences of the statements behind it, so a
path or a clicked edge can say why it exists. Nodes carry class, canonical name, aliases, reports.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from sys import intern

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph
from scipy import sparse

from policekg.kg.rdf.iris import PK, local_path, report_of_part
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.reports import list_reports, newest_first
from policekg.kg.read.sparql import each_graph, iri_rows, sparql_iri, values
from policekg.schema.vocabulary import ENTITY_CLASSES as VOCABULARY_CLASSES
from policekg.schema.vocabulary import RELATION_NAMES

#: Entity classes drawn as nodes: the classes the extractor names and the parents they are grouped
#: under (indicators are what figures measure, not nodes). A subclass comes before its parent, so the
#: first class a node has is its most specific.
ENTITY_CLASSES: tuple[str, ...] = tuple(
    c.name for c in VOCABULARY_CLASSES if c.extracted or any(k.parent == c.name for k in VOCABULARY_CLASSES))
RELATIONS: tuple[str, ...] = RELATION_NAMES

_CLASS_VALUES = " ".join(f"pk:{c}" for c in ENTITY_CLASSES)
_RELATION_VALUES = " ".join(f"pk:{p}" for p in RELATIONS)
#: The same lists for `FILTER(?c IN (…))`: a filter on a pattern whose subject is bound keeps Oxigraph
#: reading by that subject, where a `VALUES` of classes or predicates would lead the join and scan them.
_CLASS_LIST = ", ".join(f"pk:{c}" for c in ENTITY_CLASSES)
_RELATION_LIST = ", ".join(f"pk:{p}" for p in RELATIONS)

# ?x ?p ?o inside GRAPH ?r → ?s: the entity itself, or the performer of a measure (else the publisher).
_PROJECT = f"""
  ?o a ?oc . VALUES ?oc {{ {_CLASS_VALUES} }}
  {{ ?x a ?xc . VALUES ?xc {{ {_CLASS_VALUES} }} BIND(?x AS ?s) }}
  UNION
  {{ ?x a pk:Measure .
     OPTIONAL {{ ?x pk:performedBy ?performer }}
     ?r dcterms:publisher ?publisher .
     BIND(COALESCE(?performer, ?publisher) AS ?s) BIND(true AS ?viaMeasure) }}
  FILTER(?s != ?o && !(BOUND(?viaMeasure) && ?p = pk:performedBy))
"""

# SELECT, not CONSTRUCT: turning a CONSTRUCT answer into an rdflib graph costs more than the query. Of
# some reports, read in each report's graph by name (`each_graph`; `?r` in `_PROJECT` is then the report
# that graph's publisher statement is about): a `VALUES ?r` lets Oxigraph read every graph first.
_EDGES_BODY = f"?x ?p ?o . VALUES ?p {{ {_RELATION_VALUES} }} {_PROJECT}"
# The whole store's, in plain scans of the merge (each statement once, however many reports state it)
# joined in Python (`_merged_edges`): the join above over every report graph costs twice as much.
_MERGED_RELATIONS = f"SELECT ?x ?p ?o WHERE {{ ?x ?p ?o VALUES ?p {{ {_RELATION_VALUES} }} }}"
_MERGED_PERFORMERS = "SELECT ?m ?s WHERE { ?m pk:performedBy ?s }"
_MERGED_PUBLISHERS = "SELECT ?r ?b WHERE { ?r a pk:Report ; dcterms:publisher ?b }"
_EDGES_IN = "SELECT DISTINCT ?s ?p ?o WHERE { %s }"

# %s: the reports (`VALUES ?r`) or the objects (`VALUES ?o`) the statements are read for. Only
# statements have an `rdf:object`; asking for their type too makes Oxigraph scan them all first.
_EVIDENCE_BODY = "?st rdf:object ?o ; rdf:subject ?x ; rdf:predicate ?p ; pk:evidence/pk:sentence ?sentence ."
_EVIDENCE = "SELECT ?x ?p ?o ?sentence ?r WHERE { %s GRAPH ?r { " + _EVIDENCE_BODY + " } }"
_EVIDENCE_IN = "SELECT ?x ?p ?o ?sentence ?r WHERE { %s }"

_STATEMENTS = """
SELECT ?x ?p ?o ?r ?sentence WHERE {
  %s GRAPH ?r { ?st rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?o ; pk:evidence/pk:sentence ?sentence . }
}"""

# %s: the reports (`VALUES ?r`) or the measures (`VALUES ?m`) whose performers are read.
_PERFORMERS = """
SELECT ?m ?s ?r WHERE {
  %s
  GRAPH ?r { ?m a pk:Measure . OPTIONAL { ?m pk:performedBy ?performer } ?r dcterms:publisher ?publisher .
             BIND(COALESCE(?performer, ?publisher) AS ?s) }
}"""

_ENTITIES = f"""
SELECT DISTINCT ?e ?c ?label ?r WHERE {{
  %s
  GRAPH ?r {{ ?e a ?c ; rdfs:label ?label FILTER(?c IN ({_CLASS_LIST})) }}
  ?r a pk:Report .
}}"""
# Some entities, read by entity in every graph naming them (the graphs are kept to reports in Python:
# joining `?r a pk:Report` here makes Oxigraph read every report first).
_ENTITY_BODY = f"?e a ?c ; rdfs:label ?label FILTER(?c IN ({_CLASS_LIST}))"
_ENTITIES_BY_IRI = "SELECT ?e ?c ?label ?r WHERE { %s GRAPH ?r { " + _ENTITY_BODY + " } }"
_ENTITIES_IN = "SELECT ?e ?c ?label ?r WHERE { %s }"

_ENTITY_IRIS = "SELECT DISTINCT ?e WHERE { GRAPH ?r { ?e a ?c . VALUES ?c { %s } } %s }"

_ALIASES = f"""
SELECT DISTINCT ?e ?alt WHERE {{ %s ?e skos:altLabel ?alt ; a ?c FILTER(?c IN ({_CLASS_LIST})) }}"""

_MEASURE_ENTITIES = """
SELECT DISTINCT ?m ?title ?r ?e WHERE {
  GRAPH ?r {
    ?m a pk:Measure ; rdfs:label ?title .
    { ?m pk:start ?ms ; pk:end ?me . ?n pk:mentionOf ?e ; pk:start ?ns . FILTER(?ns >= ?ms && ?ns < ?me) }
    UNION { ?m ?p ?e . VALUES ?p { %s } }
    ?e a ?c . VALUES ?c { %s }
  }
  %s
}"""

# Which reports name some entities (their issuers and years are in the kept list of reports), then a
# sentence naming one of them in each report drawn.
_NAMING_REPORTS = "SELECT DISTINCT ?r WHERE { %s GRAPH ?r { ?e pk:mentionedIn ?r } }"
_NAMING_SENTENCES = "SELECT ?r ?s WHERE { %s GRAPH ?r { ?n pk:mentionOf ?e ; pk:sentence ?s } }"

# A program typed in a report graph is named by that report. Two plain scans joined in Python are
# several times faster than the join in SPARQL (benchmarks/RESULTS.md, "The /graph overview at size").
_REPORT_PROGRAMS = "SELECT ?r ?prog WHERE { GRAPH ?r { ?prog a pk:Program } %s }"
_PUBLISHERS = "SELECT ?r ?b WHERE { GRAPH ?r { ?r a pk:Report ; dcterms:publisher ?b } %s }"
# The reports naming some programs, read by program.
_PROGRAM_REPORTS = "SELECT ?prog ?r WHERE { %s GRAPH ?r { ?prog a pk:Program } }"

# What a neighbourhood reads, by entity (%s: `_scope`): the triples pointing at them, and those whose
# subject is one of them or a measure one of them performs or publishes (projected in `_project`). A
# class asked as `FILTER(?t = …)`, not `a pk:Measure`: a constant there makes Oxigraph read every measure.
_TRIPLES_TO = f"""
SELECT ?x ?p ?o ?r WHERE {{ %s GRAPH ?r {{ ?x ?p ?c FILTER(?p IN ({_RELATION_LIST})) BIND(?c AS ?o) }} }}"""
_TRIPLES_FROM = f"""
SELECT ?x ?p ?o ?r WHERE {{ %s
  {{ GRAPH ?r {{ ?c ?p ?o BIND(?c AS ?x) }} }}
  UNION {{ GRAPH ?r {{ ?x pk:performedBy ?c ; a ?t ; ?p ?o FILTER(?t = pk:Measure) }} }}
  UNION {{ GRAPH ?r {{ ?r dcterms:publisher ?c . ?x a ?t ; ?p ?o FILTER(?t = pk:Measure) }} }}
  FILTER(?p IN ({_RELATION_LIST}))
}}"""
# By (entity, report) pairs. A measure's performer and its report's publisher are read apart: an OPTIONAL
# inside the GRAPH makes Oxigraph read every measure before joining the pairs.
_TYPES = "SELECT ?e ?c ?r WHERE { %s GRAPH ?r { ?e a ?c } }"
_PERFORMED_BY = "SELECT ?e ?s WHERE { %s GRAPH ?r { ?e pk:performedBy ?s } }"
_MEASURES = "SELECT ?e ?r WHERE { %s GRAPH ?r { ?e a ?t FILTER(?t = pk:Measure) } }"
_PUBLISHED_BY = "SELECT ?r ?s WHERE { %s GRAPH ?r { ?r dcterms:publisher ?s } }"

_LABELS = "SELECT ?e (SAMPLE(?l) AS ?label) WHERE { VALUES ?e { %s } GRAPH ?g { ?e rdfs:label ?l } } GROUP BY ?e"

_BUREAU_PROGRAMS = """
SELECT ?b ?prog (COUNT(DISTINCT ?r) AS ?n) WHERE {
  GRAPH ?r { ?r a pk:Report ; dcterms:publisher ?b . ?prog a pk:Program ; pk:mentionedIn ?r . }
} GROUP BY ?b ?prog"""


@dataclass
class Node:
    """What a reader sees of an entity: its class, canonical name, other names, and where it comes from."""

    iri: str
    cls: str
    label: str
    aliases: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    #: (predicate IRI, value) of the literals a CONSTRUCT result says about a node.
    properties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The IRI's kind segment (`unit`, `program`, …): what pages and filters call the class."""
        path = local_path(self.iri)
        return path.split("/", 1)[0] if path is not None else "other"


def short_predicate(iri: str) -> str:
    """`pk:implements` → `implements` (edge labels); other vocabularies keep their full IRI."""
    return iri[len(PK):] if iri.startswith(str(PK)) else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _reports_filter(reports: list[str] | None) -> str:
    """`VALUES ?r {…}` restricting a query to some report graphs; QueryError for a malformed IRI."""
    return values("r", reports)


#: Up to this many (entity, report) pairs, a neighbourhood's queries look each pair up; above, they read
#: the entities in every graph and keep the reports' rows in Python (Oxigraph joins a `VALUES` of the
#: entities with one of the reports as a product, so both cannot simply be given).
PAIR_LOOKUPS = 10_000


def _scope(var: str, entities: set[str], reports: set[str] | None) -> str:
    """`VALUES` binding ?var to `entities` (and ?r to `reports` when the pairs are few enough to look up)."""
    if reports is not None and len(entities) * len(reports) <= PAIR_LOOKUPS:
        return _pairs(var, {(e, r) for e in entities for r in reports})
    return f"VALUES ?{var} {{ {' '.join(sparql_iri(i) for i in sorted(entities))} }}"


def _pairs(var: str, pairs: set[tuple[str, str]]) -> str:
    """`VALUES (?var ?r)` of some (IRI, report graph) pairs."""
    rows = " ".join(f"({sparql_iri(e)} {sparql_iri(r)})" for e, r in sorted(pairs))
    return f"VALUES (?{var} ?r) {{ {rows} }}"


def _most_specific(classes: set[str]) -> str:
    """`Law` over `LegalInstrument`: the order of ENTITY_CLASSES puts the specific ones first."""
    return next(c for c in ENTITY_CLASSES if c in classes)


def entity_nodes(store: GraphStore, reports: list[str] | None = None,
                 only: set[str] | None = None) -> dict[str, Node]:
    """Every entity named in the (given) reports, with class, label, aliases and reports; with `only`,
    just those entities (read by entity, so the work is theirs, not the reports')."""
    if only is not None and not only:
        return {}
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    named_in: dict[str, set[str]] = defaultdict(set)
    if only is None:
        found, within = store.ox_query(_ENTITIES % _reports_filter(reports)), None
    elif reports and len(only) * len(reports) > PAIR_LOOKUPS:  # too many pairs: every entity of the reports
        within = set(reports)
        found = (row for where in each_graph(reports, _ENTITY_BODY, "r")
                 for row in store.ox_query(_ENTITIES_IN % where) if row["e"].value in only)
    else:
        within = set(reports) if reports else {str(r) for r in store.report_graphs()}
        found = store.ox_query(_ENTITIES_BY_IRI % _scope("e", only, within))
    for row in found:
        iri, report = row["e"].value, row["r"].value
        if within is not None and report not in within:
            continue
        classes[iri].add(row["c"].value[len(PK):])
        labels.setdefault(iri, row["label"].value)
        named_in[iri].add(report)
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.ox_query(_ALIASES % values("e", only or ())):
        aliases[row["e"].value].add(row["alt"].value)
    return {
        iri: Node(iri, _most_specific(classes[iri]), labels[iri], sorted(aliases[iri] - {labels[iri]}),
                  sorted(named_in[iri]))
        for iri in sorted(classes)
    }


def _evidence(store: GraphStore, reports: list[str] | None,
              objects: set[str] | None = None) -> dict[tuple[str, str, str], list[dict]]:
    """Evidence sentences keyed by the edge they support, measures projected as in `_PROJECT`; with
    `objects`, only the statements about them (read by object, kept to `reports`).

    The projection is done here rather than in SPARQL: joining every statement with the UNION of
    `_PROJECT` is far slower than two plain queries (benchmarks/RESULTS.md, "Figures behind kg's tricks").
    """
    if objects is not None and not objects:
        return {}
    within = set(reports) if reports else None
    restrict = _reports_filter(reports)
    if objects is None or not reports:
        queries = [_EVIDENCE % (restrict if objects is None else values("o", objects))]
    else:  # about some entities in some reports: every statement of each report's graph (kept below)
        queries = [_EVIDENCE_IN % where for where in each_graph(reports, _EVIDENCE_BODY, "r")]
    statements = [(row["x"].value, row["p"].value, row["o"].value, row["sentence"].value, row["r"].value)
                  for query in queries for row in store.ox_query(query)]
    statements = [st for st in statements if (within is None or st[4] in within)
                  and (objects is None or st[2] in objects)]
    if objects is not None:
        performers = _performers(store, {(st[0], st[4]) for st in statements})
    else:
        performers = defaultdict(list)
        for row in store.ox_query(_PERFORMERS % restrict) if statements else ():
            performers[row["m"].value].append(row["s"].value)
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for x, p, o, sentence, report in statements:
        if x in performers and p == str(PK.performedBy):
            continue
        for s in performers.get(x, [x]):
            found[(s, p, o)].append({"sentence": sentence, "report": report})
    return found


def _to_multidigraph(graph: Graph) -> nx.MultiDiGraph:
    """rdflib's own converter, with plain-string nodes and the predicate as edge key."""
    return rdflib_to_networkx_multidigraph(
        graph,
        edge_attrs=lambda s, p, o: {"key": str(p), "predicate": str(p)},
        transform_s=str,
        transform_o=str,
    )


def _edges(store: GraphStore, reports: list[str] | None,
           entities: set[str] | None = None) -> list[tuple[str, str, str]]:
    """The entity graph's (subject, predicate, object) edges, measures projected (`_PROJECT`), sorted:
    the same graph every run, whatever order the store answers in. Of the whole store, from the merge
    (`_merged_edges`; `entities`: its entity IRIs, when the caller has them)."""
    if not reports:
        return _merged_edges(store, set(_entity_iris(store, None)) if entities is None else entities)
    queries = [_EDGES_IN % where for where in each_graph(reports, _EDGES_BODY, "graph")]
    return sorted({(intern(s.value), intern(p.value), intern(o.value))  # one string an IRI, however many rows
                   for query in queries for s, p, o in store.ox_query(query)})


def _merged_edges(store: GraphStore, entities: set[str]) -> list[tuple[str, str, str]]:
    """The edges of every report, as `_PROJECT` makes them, from plain scans of the merge joined here. A
    measure is a report part (`…/measure/4-1`: `report_of_part`), so its relations hang on each
    of its performers, else on its report's publisher; a relation counts when its object is an entity."""
    publishers = dict(iri_rows(store, _MERGED_PUBLISHERS))
    performers: dict[str, list[str]] = defaultdict(list)
    for measure, performer in iri_rows(store, _MERGED_PERFORMERS):
        performers[measure].append(performer)
    performed_by, edges = str(PK.performedBy), set()
    for x, p, o in iri_rows(store, _MERGED_RELATIONS):
        if o not in entities:
            continue
        if x in entities:
            edges.add((x, p, o))
        elif (report := report_of_part(x, "measure")) in publishers and p != performed_by:
            edges.update((s, p, o) for s in performers.get(x) or (publishers[report],) if s != o)
    return sorted(edges)


def _entity_iris(store: GraphStore, reports: list[str] | None) -> list[str]:
    """The entities the (given) reports name, sorted."""
    return sorted(intern(row["e"].value) for row in store.ox_query(
        _ENTITY_IRIS % (_CLASS_VALUES, _reports_filter(reports))))


def entity_structure(store: GraphStore, reports: list[str] | None = None) -> nx.DiGraph:
    """The entity graph as the analysis reads it: every entity a node, one edge per ordered pair whose
    `weight` counts the relations stated from one to the other; no names, no evidence sentences (they
    cost several times as much to read) and no edge per relation (a multigraph of the whole store took
    most of the analysis's memory)."""
    g = nx.DiGraph()
    entities = _entity_iris(store, reports)
    g.add_nodes_from(entities)
    for s, _, o in _edges(store, reports, set(entities)):
        if g.has_edge(s, o):
            g[s][o]["weight"] += 1
        else:
            g.add_edge(s, o, weight=1)
    return g


def _relations(store: GraphStore, reports: list[str] | None) -> nx.MultiDiGraph:
    """The stated relations of the (given) reports, measures projected (`_PROJECT`), predicate as key;
    no node or edge attributes yet."""
    g = nx.MultiDiGraph()
    g.add_edges_from((s, o, p, {"predicate": p}) for s, p, o in _edges(store, reports))
    return g


def _describe(g: nx.MultiDiGraph, nodes: dict[str, Node],
              evidence: dict[tuple[str, str, str], list[dict]]) -> None:
    """Give every node its `Node` and every edge without evidence yet its evidence sentences."""
    for s, o, key, data in g.edges(keys=True, data=True):
        data.setdefault("evidence", evidence.get((s, key, o), []))
    for iri in g.nodes:
        g.nodes[iri]["node"] = nodes.get(iri) or Node(iri, "Thing", iri)


def entity_graph(store: GraphStore, reports: list[str] | None = None) -> nx.MultiDiGraph:
    """The entity graph (see the module docstring); node attribute `node` holds a `Node`.

    Entities no relation touches are still nodes (degree 0): they were named, and filters by class
    or report should show them.
    """
    g = _relations(store, reports)
    nodes = entity_nodes(store, reports)
    g.add_nodes_from(nodes)
    _describe(g, nodes, _evidence(store, reports))
    return g


def simple_graph(g: nx.MultiDiGraph | nx.DiGraph) -> nx.Graph:
    """The undirected graph under a multigraph (or a weighted directed graph), weight = number of
    parallel edges either way (an edge's own `weight` counts as that many)."""
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    for s, o, w in g.edges(data="weight", default=1):
        if simple.has_edge(s, o):
            simple[s][o]["weight"] += w
        else:
            simple.add_edge(s, o, weight=w)
    return simple


def cooccurrence_graph(store: GraphStore, reports: list[str] | None = None) -> nx.Graph:
    """Entities named in the same measure; weight = number of measures, `measures` lists them and
    `evidence` gives each measure's title and report (the why of the edge, as on entity edges)."""
    per_measure: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    query = _MEASURE_ENTITIES % (_RELATION_VALUES, _CLASS_VALUES, _reports_filter(reports))
    for row in store.ox_query(query):
        per_measure[(row["m"].value, row["title"].value, row["r"].value)].add(row["e"].value)
    nodes = entity_nodes(store, reports)
    g = nx.Graph()
    g.add_nodes_from((iri, {"node": node}) for iri, node in nodes.items())
    for (measure, title, report), entities in sorted(per_measure.items()):
        for a, b in itertools.combinations(sorted(entities), 2):
            if not g.has_edge(a, b):
                g.add_edge(a, b, weight=0, measures=[], evidence=[])
            edge = g[a][b]
            edge["weight"] += 1
            edge["measures"].append(measure)
            edge["evidence"].append({"sentence": title, "report": report})
    return g


def bureau_program_graph(store: GraphStore) -> nx.Graph:
    """Bureaus (report publishers) × programs their reports name; weight = number of reports.

    Node attribute `bipartite` is 0 for bureaus and 1 for programs, as networkx.bipartite expects.
    """
    g = nx.Graph()
    for row in store.ox_query(_BUREAU_PROGRAMS):
        bureau, program = row["b"].value, row["prog"].value
        g.add_node(bureau, bipartite=0)
        g.add_node(program, bipartite=1)
        g.add_edge(bureau, program, weight=int(row["n"].value))
    return g


def construct_view(store: GraphStore, result: Graph) -> nx.MultiDiGraph:
    """A CONSTRUCT result as a graph: resources are nodes, resource-valued triples are edges.

    Literals are not nodes: they become the node's `properties` (its `rdfs:label` its name), and
    `rdf:type` becomes its class instead of an edge to a hub node. Entities of the store keep their
    class, names and reports; relation edges keep their evidence.
    """
    edges = Graph()
    for s, p, o in result:
        if not isinstance(o, Literal) and p != RDF.type:
            edges.add((s, p, o))
    g = _to_multidigraph(edges)
    g.add_nodes_from(str(s) for s in result.subjects())
    known = entity_nodes(store, only=set(g.nodes))
    for iri in g.nodes:
        node = known.get(iri) or _node_from(result, iri)
        node.properties = sorted((str(p), str(o)) for p, o in result.predicate_objects(URIRef(iri))
                                 if isinstance(o, Literal))
        g.nodes[iri]["node"] = node
    evidence = _evidence(store, None, objects=set(g.nodes))
    for s, o, key, data in g.edges(keys=True, data=True):
        data["evidence"] = evidence.get((s, key, o), [])
    return g


def _node_from(result: Graph, iri: str) -> Node:
    """A node the store knows no entity for: its label and class as far as the result says."""
    ref = URIRef(iri)
    label = result.value(ref, RDFS.label)
    types = sorted(str(t)[len(PK):] for t in result.objects(ref, RDF.type) if str(t).startswith(str(PK)))
    name = str(label) if label is not None else iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return Node(iri, types[0] if types else "Thing", name)


# -- the neighbourhood of one entity ------------------------------------------------------------------

def naming_reports(store: GraphStore, iris: list[str],
                   most: int | None = None) -> dict[str, tuple[str, str | None]]:
    """Report → (its issuer, a sentence naming one of `iris`) for every report that names one of them, or
    for the `most` newest of them (`kg.read.reports.newest_first`)."""
    return _naming(store, iris, most)[0]


def _naming(store: GraphStore, iris: list[str], most: int | None,
            sentences: bool = True) -> tuple[dict[str, tuple[str, str | None]], int]:
    """`naming_reports` (without sentences unless asked), and how many reports name one of `iris`."""
    if not iris:
        return {}, 0
    named = {row["r"].value for row in store.ox_query(_NAMING_REPORTS % values("e", iris))}
    chosen = sorted((r for r in list_reports(store) if r["report"] in named), key=newest_first)[:most]
    said: dict[str, str] = {}
    for row in store.ox_query(_NAMING_SENTENCES % _scope("e", set(iris), {r["report"] for r in chosen})) \
            if sentences and chosen else ():
        report, sentence = row["r"].value, row["s"].value
        said[report] = min(said.get(report, sentence), sentence)
    return {r["report"]: (r["issuer"], said.get(r["report"])) for r in chosen}, len(named)


class TooManyNodes(ValueError):
    """A graph larger than a page may draw, found before its nodes and evidence were read."""

    def __init__(self, nodes: int, limit: int) -> None:
        super().__init__(f"this graph has {nodes} nodes, more than the {limit} a page draws")
        self.nodes, self.limit = nodes, limit


def neighbourhood_graph(store: GraphStore, iri: str, radius: int = 1, max_nodes: int | None = None,
                        most: int | None = None) -> nx.MultiDiGraph:
    """The entities within `radius` steps of `iri` in the entity graph of the reports naming it (for
    radius 2, naming it or a neighbour), or of the `most` newest of those reports: a program nearly
    every report names is drawn from some of them, and `graph["drawn"]` says from how many of how many
    (`reports`, `of`).

    Every bureau whose report names the entity is in it: where that report states no relation between
    them, an edge `entity pk:mentionedIn bureau` (with a sentence naming the entity) says so. Radius 1 is
    read entity by entity (the relations touching the centre, then those among its neighbours), radius 2
    from the reports naming a neighbour; names and evidence are read for the entities kept only. So the
    work grows with the neighbourhood, not with the store. KeyError when no report names `iri`;
    TooManyNodes, before names and evidence are read, when it has more than `max_nodes`.
    """
    own, named = _naming(store, [iri], most)
    if not own:
        raise KeyError(iri)
    found = set(own)
    near = _first_ring(store, iri, {issuer for issuer, _ in own.values()} - {iri}, found)
    drawn = None
    if radius == 1:
        # a `performedBy` from outside the ring draws nothing in it: its subject is an entity outside, or a
        # measure (whose own `performedBy` is the projection, not an edge)
        into = [t for t in _triples(store, _TRIPLES_TO, near, found) if t[0] in near or t[1] != _PERFORMED]
        projected = _project(store, into, found, near)
        drawn = {raw: kept for raw, subjects in projected.items()
                 if (kept := [s for s in subjects if s in near])}
        g = nx.MultiDiGraph()
        g.add_nodes_from(near)
        g.add_edges_from((s, o, p, {"predicate": p})
                         for (_, p, o, _), subjects in drawn.items() for s in subjects)
    else:
        around, named = _naming(store, sorted(near), most, sentences=False)
        found = set(around)
        g = _relations(store, sorted(found))
        g.add_node(iri)
    _add_issuers(g, iri, own)
    if radius > 1:
        near = set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), iri, cutoff=radius))
    if max_nodes is not None and len(near) > max_nodes:
        raise TooManyNodes(len(near), max_nodes)
    g = g.subgraph(near).copy()
    reports = sorted(found)
    evidence = _evidence_of(store, drawn) if drawn is not None else _evidence(store, reports, objects=near)
    _describe(g, entity_nodes(store, reports, only=near), evidence)
    g.graph["drawn"] = {"reports": len(found), "of": named}
    return g


def _first_ring(store: GraphStore, iri: str, issuers: set[str], reports: set[str]) -> set[str]:
    """`iri`, the entities one relation away from it in the entity graph of `reports`, and `issuers`
    (the bureaus `_add_issuers` ties to it)."""
    return {iri} | issuers | {n for s, _, o in _touching(store, {iri}, reports) for n in (s, o)}


def _touching(store: GraphStore, entities: set[str], reports: set[str]) -> set[tuple[str, str, str]]:
    """The relations of the entity graph of `reports` with one end among `entities`."""
    triples = [*_triples(store, _TRIPLES_TO, entities, reports),
               *_triples(store, _TRIPLES_FROM, entities, reports)]
    return {(s, p, o) for (_, p, o, _), subjects in _project(store, triples, reports).items()
            for s in subjects if s in entities or o in entities}


def _triples(store: GraphStore, query: str, entities: set[str],
             reports: set[str]) -> list[tuple[str, str, str, str]]:
    """(subject, predicate, object, report graph) of a `_TRIPLES_…` query about `entities` in `reports`."""
    return [(row["x"].value, row["p"].value, row["o"].value, row["r"].value)
            for row in store.ox_query(query % _scope("c", entities, reports))]


_PERFORMED = str(PK.performedBy)


def _project(store: GraphStore, triples: list[tuple[str, str, str, str]], reports: set[str],
             inside: set[str] | None = None) -> dict[tuple[str, str, str, str], list[str]]:
    """Which of `triples` in `reports` are entity-graph edges, and the subjects they are drawn from: the
    triple's own, or a measure's performer (else the report's publisher), as `_PROJECT` does in SPARQL;
    both ends typed in that report's graph. With `inside`, a subject outside it is only asked whether it
    is a measure (as an entity it would draw an edge from outside)."""
    kept = [t for t in triples if t[3] in reports]
    subjects = {(x, r) for x, _, _, r in kept}
    outside = {(x, r) for x, r in subjects if x not in inside} if inside is not None else set()
    types = _types(store, {(o, r) for _, _, o, r in kept} | (subjects - outside))
    for row in store.ox_query(_MEASURES % _pairs("e", outside)) if outside else ():
        types[(row["e"].value, row["r"].value)].add("Measure")
    performers = _performers(store, {(x, r) for x, _, _, r in kept}, types)
    classes = set(ENTITY_CLASSES)
    edges = {}
    for x, p, o, r in kept:
        if not types[(o, r)] & classes:
            continue
        if types[(x, r)] & classes:
            subjects = [x]
        elif x in performers and p != _PERFORMED:
            subjects = performers[x]
        else:
            continue
        edges[(x, p, o, r)] = [s for s in subjects if s != o]
    return edges


def _evidence_of(store: GraphStore, drawn: dict[tuple[str, str, str, str], list[str]],
                 ) -> dict[tuple[str, str, str], list[dict]]:
    """Evidence sentences of the edges drawn from some triples (triple → subjects, as `_project` says),
    read triple by triple."""
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    if not drawn:
        return found
    triples = " ".join(f"({' '.join(sparql_iri(t) for t in raw)})" for raw in sorted(drawn))
    for row in store.ox_query(_STATEMENTS % f"VALUES (?x ?p ?o ?r) {{ {triples} }}"):
        raw = (row["x"].value, row["p"].value, row["o"].value, row["r"].value)
        for s in drawn[raw]:
            found[(s, raw[1], raw[2])].append({"sentence": row["sentence"].value, "report": raw[3]})
    return found


def _types(store: GraphStore, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """(IRI, report) → its pk: classes in that report's graph."""
    types: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in store.ox_query(_TYPES % _pairs("e", pairs)) if pairs else ():
        types[(row["e"].value, row["r"].value)].add(row["c"].value[len(PK):])
    return types


def _performers(store: GraphStore, pairs: set[tuple[str, str]],
                types: dict[tuple[str, str], set[str]] | None = None) -> dict[str, list[str]]:
    """Measure → who performs it (its `pk:performedBy`, else its report's publisher), for those of the
    (IRI, report) pairs that are measures."""
    types = types if types is not None else _types(store, pairs)
    measures = {(m, r) for m, r in pairs if "Measure" in types[(m, r)]}
    if not measures:
        return {}
    by: dict[str, list[str]] = defaultdict(list)
    for row in store.ox_query(_PERFORMED_BY % _pairs("e", measures)):
        by[row["e"].value].append(row["s"].value)
    reports = {r for _, r in measures}
    publisher = {row["r"].value: row["s"].value
                 for row in store.ox_query(_PUBLISHED_BY % values("r", reports))}
    return {m: by[m] or ([publisher[r]] if r in publisher else []) for m, r in measures}


def _add_issuers(g: nx.MultiDiGraph, iri: str, found: dict[str, tuple[str, str | None]]) -> None:
    """An edge `iri pk:mentionedIn issuer` for each naming report whose issuer states no relation with it."""
    mentioned = str(PK.mentionedIn)
    for report, (issuer, sentence) in sorted(found.items()):
        stated = [k for a, b in ((issuer, iri), (iri, issuer)) for k in g.get_edge_data(a, b) or {}
                  if k != mentioned]
        if issuer == iri or stated:
            continue
        if not g.has_edge(iri, issuer, key=mentioned):
            g.add_edge(iri, issuer, key=mentioned, predicate=mentioned, evidence=[])
        g[iri][issuer][mentioned]["evidence"].append({"sentence": sentence or "", "report": report})


# -- what is shared across reports -------------------------------------------------------------------

#: How many bureaus an edge of the shared view names (the rest are counted, not listed).
LISTED_BUREAUS = 12


@dataclass
class SharedView:
    """Programs linked by the bureaus whose reports name both, and what was folded away."""

    graph: nx.Graph
    #: How many programs only one bureau names (the report-local long tail) were left out.
    folded: int


def shared_graph(store: GraphStore, reports: list[str] | None = None, *, everything: bool = False) -> SharedView:
    """Programs, each tied to every other program a bureau's reports name too.

    Node attribute `reach` = the number of bureaus naming the program; edge `weight` = the number of
    bureaus naming both, `bureaus` = (IRI, name) of the first `LISTED_BUREAUS` of them by IRI. Unless
    `everything`, programs and pairs only one bureau names are folded away: what is left is what reports
    share. The pair counts are one sparse product (bureaus × programs)ᵀ(bureaus × programs); names are
    read for what is kept only.
    """
    only = _reports_filter(reports)
    publisher = {row["r"].value: row["b"].value for row in store.ox_query(_PUBLISHERS % only)}
    named = {(publisher[row["r"].value], row["prog"].value) for row in store.ox_query(_REPORT_PROGRAMS % only)
             if row["r"].value in publisher}
    bureaus, programs, incidence = _incidence(named)
    reach = incidence.sum(axis=0).A1
    least = 1 if everything else 2
    kept = [i for i in range(len(programs)) if reach[i] >= least]
    shared = incidence[:, kept].tocsc()
    co = sparse.triu(shared.T @ shared, k=1).tocoo()
    naming = [set(shared.indices[shared.indptr[i]:shared.indptr[i + 1]]) for i in range(len(kept))]
    links = [(i, j, int(w), sorted(naming[i] & naming[j])[:LISTED_BUREAUS])
             for i, j, w in zip(co.row, co.col, co.data) if w >= least]
    labels = _labels(store, sorted({programs[i] for i in kept} | {bureaus[b] for *_, both in links for b in both}))
    g = nx.Graph()
    for i in kept:
        g.add_node(programs[i], node=Node(programs[i], "Program", labels[programs[i]]), reach=int(reach[i]))
    for i, j, w, both in links:
        g.add_edge(programs[kept[i]], programs[kept[j]], weight=w,
                   bureaus=[(bureaus[b], labels[bureaus[b]]) for b in both])
    return SharedView(g, len(programs) - len(kept))


def naming_both(store: GraphStore, a: str, b: str, reports: list[str] | None = None, limit: int | None = None,
                ) -> tuple[int, list[tuple[str, str, list[str], list[str]]]]:
    """How many bureaus' reports (of `reports`, else all) name both programs `a` and `b`, and the first
    `limit` of them by name: (IRI, name, its reports naming `a`, those naming `b`). The why of an edge of
    the shared view, whose `bureaus` keeps a few; read by program, so the work grows with the reports
    naming them."""
    within = set(reports or ())
    listed = [r for r in list_reports(store) if r["issuer"] and (not within or r["report"] in within)]
    issuer = {r["report"]: r["issuer"] for r in listed}
    naming: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
    for program, report in store.ox_query(_PROGRAM_REPORTS % values("prog", [a, b])):
        if (bureau := issuer.get(report.value)) is not None:
            naming[program.value == b].setdefault(bureau, []).append(report.value)
    both = naming[0].keys() & naming[1].keys()
    label = {r["issuer"]: r["issuer_label"] or r["issuer"] for r in listed if r["issuer"] in both}
    first = sorted(both, key=lambda bureau: (label[bureau], bureau))[:limit]
    return len(both), [(bureau, label[bureau], sorted(naming[0][bureau]), sorted(naming[1][bureau]))
                       for bureau in first]


def _incidence(named: set[tuple[str, str]]) -> tuple[list[str], list[str], sparse.csr_matrix]:
    """Bureaus, programs, and the bureaus × programs 0/1 matrix of the (bureau, program) pairs."""
    pairs = sorted(named)
    bureaus = sorted({b for b, _ in pairs})
    programs = sorted({p for _, p in pairs})
    b_at = {b: i for i, b in enumerate(bureaus)}
    p_at = {p: i for i, p in enumerate(programs)}
    matrix = sparse.csr_matrix(([1] * len(pairs), ([b_at[b] for b, _ in pairs], [p_at[p] for _, p in pairs])),
                               shape=(len(bureaus), len(programs)), dtype=int)
    return bureaus, programs, matrix


def _labels(store: GraphStore, iris: list[str]) -> dict[str, str]:
    """A name for each IRI (its `rdfs:label` in some report; the IRI when it has none)."""
    found = {}
    if iris:
        query = _LABELS % " ".join(sparql_iri(i) for i in iris)
        found = {row["e"].value: row["label"].value for row in store.ox_query(query)}
    return {iri: found.get(iri, iri) for iri in iris}
