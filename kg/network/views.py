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

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph
from scipy import sparse

from policekg.kg.rdf.errors import QueryError
from policekg.kg.rdf.iris import PK, local_path
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.sparql import sparql_iri
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

_ENTITY_EDGES = """
SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?r { ?x ?p ?o . VALUES ?p { %s } %s }
  %s
}"""

_EVIDENCE = """
SELECT ?x ?p ?o ?sentence ?r WHERE {
  GRAPH ?r { ?st a rdf:Statement ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?o ;
                 pk:evidence/pk:sentence ?sentence . }
  %s
}"""

_PERFORMERS = """
SELECT ?m ?s WHERE {
  GRAPH ?r { ?m a pk:Measure . OPTIONAL { ?m pk:performedBy ?performer } ?r dcterms:publisher ?publisher .
             BIND(COALESCE(?performer, ?publisher) AS ?s) }
  %s
}"""

_ENTITIES = """
SELECT DISTINCT ?e ?c ?label ?r WHERE {
  GRAPH ?r { ?e a ?c ; rdfs:label ?label . VALUES ?c { %s } }
  ?r a pk:Report .
  %s
}"""

_ENTITY_IRIS = "SELECT DISTINCT ?e WHERE { GRAPH ?r { ?e a ?c . VALUES ?c { %s } } %s }"

_ALIASES = "SELECT DISTINCT ?e ?alt WHERE { ?e skos:altLabel ?alt ; a ?c . VALUES ?c { %s } }"

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

_NAMING_REPORTS = """
SELECT ?r ?b (SAMPLE(?sentence) AS ?s) WHERE {
  GRAPH ?r { VALUES ?e { %s } ?e pk:mentionedIn ?r . ?r a pk:Report ; dcterms:publisher ?b .
             OPTIONAL { ?n pk:mentionOf ?e ; pk:sentence ?sentence } }
} GROUP BY ?r ?b"""

# A program typed in a report graph is named by that report. Two plain scans joined in Python are
# several times faster than the join in SPARQL (benchmarks/RESULTS.md, "The /graph overview at size").
_REPORT_PROGRAMS = "SELECT ?r ?prog WHERE { GRAPH ?r { ?prog a pk:Program } %s }"
_PUBLISHERS = "SELECT ?r ?b WHERE { GRAPH ?r { ?r a pk:Report ; dcterms:publisher ?b } %s }"

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
    if not reports:
        return ""
    return f"VALUES ?r {{ {' '.join(sparql_iri(r) for r in reports)} }}"


def _most_specific(classes: set[str]) -> str:
    """`Law` over `LegalInstrument`: the order of ENTITY_CLASSES puts the specific ones first."""
    return next(c for c in ENTITY_CLASSES if c in classes)


def entity_nodes(store: GraphStore, reports: list[str] | None = None) -> dict[str, Node]:
    """Every entity named in the (given) reports, with class, label, aliases and reports."""
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    named_in: dict[str, set[str]] = defaultdict(set)
    for row in store.ox_query(_ENTITIES % (_CLASS_VALUES, _reports_filter(reports))):
        iri = row["e"].value
        classes[iri].add(row["c"].value[len(PK):])
        labels.setdefault(iri, row["label"].value)
        named_in[iri].add(row["r"].value)
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.ox_query(_ALIASES % _CLASS_VALUES):
        aliases[row["e"].value].add(row["alt"].value)
    return {
        iri: Node(iri, _most_specific(classes[iri]), labels[iri], sorted(aliases[iri] - {labels[iri]}),
                  sorted(named_in[iri]))
        for iri in sorted(classes)
    }


def _evidence(store: GraphStore, reports: list[str] | None) -> dict[tuple[str, str, str], list[dict]]:
    """Evidence sentences keyed by the edge they support, measures projected as in `_PROJECT`.

    The projection is done here rather than in SPARQL: joining every statement with the UNION of
    `_PROJECT` is far slower than two plain queries (benchmarks/RESULTS.md, "Figures behind kg's tricks").
    """
    performers: dict[str, list[str]] = defaultdict(list)
    for row in store.ox_query(_PERFORMERS % _reports_filter(reports)):
        performers[row["m"].value].append(row["s"].value)
    found: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in store.ox_query(_EVIDENCE % _reports_filter(reports)):
        x, p, o = row["x"].value, row["p"].value, row["o"].value
        if x in performers and p == str(PK.performedBy):
            continue
        for s in performers.get(x, [x]):
            found[(s, p, o)].append({"sentence": row["sentence"].value, "report": row["r"].value})
    return found


def construct(store: GraphStore, sparql: str) -> Graph:
    """The rdflib graph a CONSTRUCT query answers (QueryError when it is malformed or not a CONSTRUCT)."""
    result = store.query(sparql)
    if result.type != "CONSTRUCT" or result.graph is None:
        raise QueryError(f"expected a CONSTRUCT query, got a {result.type} query")
    return result.graph


def _to_multidigraph(graph: Graph) -> nx.MultiDiGraph:
    """rdflib's own converter, with plain-string nodes and the predicate as edge key."""
    return rdflib_to_networkx_multidigraph(
        graph,
        edge_attrs=lambda s, p, o: {"key": str(p), "predicate": str(p)},
        transform_s=str,
        transform_o=str,
    )


def _structure(store: GraphStore, reports: list[str] | None) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The entity graph's node IRIs and its (subject, predicate, object) edges, sorted: the same graph
    every run, whatever order the store answers in."""
    only = _reports_filter(reports)
    nodes = sorted(row["e"].value for row in store.ox_query(_ENTITY_IRIS % (_CLASS_VALUES, only)))
    edges = sorted((s.value, p.value, o.value)
                   for s, p, o in store.ox_query(_ENTITY_EDGES % (_RELATION_VALUES, _PROJECT, only)))
    return nodes, edges


def entity_structure(store: GraphStore, reports: list[str] | None = None) -> nx.DiGraph:
    """The entity graph as the analysis reads it: every entity a node, one edge per ordered pair whose
    `weight` counts the relations stated from one to the other; no names, no evidence sentences (they
    cost several times as much to read) and no edge per relation (a multigraph of the whole store took
    most of the analysis's memory)."""
    nodes, edges = _structure(store, reports)
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    for s, _, o in edges:
        if g.has_edge(s, o):
            g[s][o]["weight"] += 1
        else:
            g.add_edge(s, o, weight=1)
    return g


def entity_graph(store: GraphStore, reports: list[str] | None = None) -> nx.MultiDiGraph:
    """The entity graph (see the module docstring); node attribute `node` holds a `Node`.

    Entities no relation touches are still nodes (degree 0): they were named, and filters by class
    or report should show them.
    """
    iris, edges = _structure(store, reports)
    g = nx.MultiDiGraph()
    g.add_nodes_from(iris)
    g.add_edges_from((s, o, p, {"predicate": p}) for s, p, o in edges)
    nodes = entity_nodes(store, reports)
    evidence = _evidence(store, reports)
    for s, o, key, data in g.edges(keys=True, data=True):
        data["evidence"] = evidence.get((s, key, o), [])
    for iri in g.nodes:
        g.nodes[iri]["node"] = nodes.get(iri) or Node(iri, "Thing", iri)
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
    known = entity_nodes(store)
    for iri in g.nodes:
        node = known.get(iri) or _node_from(result, iri)
        node.properties = sorted((str(p), str(o)) for p, o in result.predicate_objects(URIRef(iri))
                                 if isinstance(o, Literal))
        g.nodes[iri]["node"] = node
    evidence = _evidence(store, None)
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

def naming_reports(store: GraphStore, iris: list[str]) -> dict[str, tuple[str, str | None]]:
    """Report → (its issuer, a sentence naming one of `iris`) for every report that names one of them."""
    rows = store.ox_query(_NAMING_REPORTS % " ".join(sparql_iri(i) for i in iris))
    return {row["r"].value: (row["b"].value, row["s"].value if row["s"] else None) for row in rows}


def neighbourhood_graph(store: GraphStore, iri: str, radius: int = 1) -> nx.MultiDiGraph:
    """The entities within `radius` steps of `iri`, read from the reports that name them.

    Every bureau whose report names the entity is in it: where that report states no relation between
    them, an edge `entity pk:mentionedIn bureau` (with a sentence naming the entity) says so. Only the
    reports naming the centre (then, for radius 2, its neighbours) are read, never the whole store.
    KeyError when no report names `iri`.
    """
    own = naming_reports(store, [iri])
    if not own:
        raise KeyError(iri)
    found = own
    for step in range(1, radius + 1):
        g = entity_graph(store, sorted(found))
        _add_issuers(g, iri, own)
        ego = nx.ego_graph(g, iri, radius=step, undirected=True)
        if step < radius:
            found = naming_reports(store, sorted(ego))
    return ego


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
    links = [(i, j, int(w), sorted(set(shared[:, i].indices) & set(shared[:, j].indices))[:LISTED_BUREAUS])
             for i, j, w in zip(co.row, co.col, co.data) if w >= least]
    labels = _labels(store, sorted({programs[i] for i in kept} | {bureaus[b] for *_, both in links for b in both}))
    g = nx.Graph()
    for i in kept:
        g.add_node(programs[i], node=Node(programs[i], "Program", labels[programs[i]]), reach=int(reach[i]))
    for i, j, w, both in links:
        g.add_edge(programs[kept[i]], programs[kept[j]], weight=w,
                   bureaus=[(bureaus[b], labels[bureaus[b]]) for b in both])
    return SharedView(g, len(programs) - len(kept))


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
