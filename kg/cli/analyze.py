"""`policekg analyze …`: the network analyses as tables (a thin layer over `kg.network`).

`centrality` and `communities` read the results stored in the analysis graph, recomputing them
first when the reports changed, so the CLI, SPARQL and the graph pages agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from policekg.kg.cli.common import StoreOpt, fail, open_store, out
from policekg.kg.cli.output import FormatOpt, check_format, emit

if TYPE_CHECKING:
    from policekg.kg.network.analysis import Metrics
    from policekg.kg.network.views import Node

analyze = typer.Typer(help="Network analysis: central entities, communities, paths, similar bureaus.",
                      no_args_is_help=True)

Views = ("entity", "cooccurrence")


def _label(nodes: dict[str, Node], iri: str) -> str:
    return nodes[iri].label if iri in nodes else iri


@analyze.command()
def centrality(
    store: StoreOpt = None,
    view: Annotated[
        str, typer.Option(help="entity (stated relations) or cooccurrence (named in one measure)")
    ] = "entity",
    cls: Annotated[
        str | None, typer.Option("--class", help="Only this class (Program, PoliceUnit, LegalInstrument, Law, …)")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows to print")] = 20,
    fmt: FormatOpt = "table",
) -> None:
    """Entities ranked by PageRank, with degree, betweenness and community."""
    check_format(fmt)
    from policekg.kg.network.analysis import analyse, current_metrics
    from policekg.kg.network.views import cooccurrence_graph, entity_nodes
    from policekg.kg.read.sparql import main_class

    if view not in Views:
        fail(f"unknown view {view!r}; use one of {', '.join(Views)}")
    with open_store(store, write=False) as db:
        nodes = entity_nodes(db)
        metrics: dict[str, Metrics] = (
            current_metrics(db) if view == "entity" else analyse(cooccurrence_graph(db))
        )
    rows = [(iri, m) for iri, m in metrics.items()
            if iri in nodes and (cls is None or cls in (nodes[iri].cls, main_class([nodes[iri].cls])))]
    rows.sort(key=lambda r: (-r[1].pagerank, r[0]))
    emit(("rank", "name", "class", "degree", "betweenness", "pagerank", "community", "iri"),
         ((rank, nodes[iri].label, nodes[iri].cls, m.degree, round(m.betweenness, 4), round(m.pagerank, 4),
           m.community, iri) for rank, (iri, m) in enumerate(rows[:top], start=1)), fmt)


@analyze.command()
def communities(
    store: StoreOpt = None,
    members: Annotated[int, typer.Option(min=1, help="Members to list per community (a table only)")] = 12,
    fmt: FormatOpt = "table",
) -> None:
    """Louvain communities of the entity graph (seeded: the same every run), largest first.

    CSV and JSON list every member of every community, the lone entities too (community size 1)."""
    check_format(fmt)
    from policekg.kg.network.analysis import current_metrics
    from policekg.kg.network.views import entity_nodes

    with open_store(store, write=False) as db:
        nodes, metrics = entity_nodes(db), current_metrics(db)
    groups: dict[int, list[tuple[float, str]]] = {}
    for iri, m in metrics.items():
        groups.setdefault(m.community, []).append((-m.pagerank, _label(nodes, iri)))
    if fmt != "table":
        emit(("community", "size", "members"), ((n, len(groups[n]), [name for _, name in sorted(groups[n])])
                                               for n in sorted(groups)), fmt)
        return
    alone = [names[0][1] for names in groups.values() if len(names) == 1]
    shown = []
    for number in sorted(n for n, names in groups.items() if len(names) > 1):
        names = [name for _, name in sorted(groups[number])]
        more = f" … (+{len(names) - members})" if len(names) > members else ""
        shown.append((number, len(names), "、".join(names[:members]) + more))
    emit(("community", "size", "members (by PageRank)"), shown, fmt)
    if alone:
        out.print(
            f"{len(alone)} entities have no stated relation (a community each): "
            + "、".join(sorted(alone)[:members])
            + (" …" if len(alone) > members else ""),
            highlight=False,
        )


@analyze.command()
def path(
    source: Annotated[str, typer.Argument(help="An entity: its name, an alias, program/枫桥经验, or its IRI")],
    target: Annotated[str, typer.Argument(help="Another entity")],
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """The shortest chain of stated relations between two entities, with the sentence behind each edge.

    As a table, one line per edge with its sentences below; CSV and JSON give a row per edge."""
    check_format(fmt)
    from policekg.kg.network.analysis import AnalysisError, resolve, shortest_path
    from policekg.kg.network.views import entity_graph, short_predicate

    with open_store(store, write=False) as db:
        g = entity_graph(db)
    nodes = {iri: data["node"] for iri, data in g.nodes(data=True)}
    try:
        steps = shortest_path(g, resolve(nodes, source), resolve(nodes, target))
    except AnalysisError as e:
        fail(str(e))
    if fmt != "table":
        emit(("from", "relation", "to", "sentences", "reports"),
             ((_label(nodes, st.source), short_predicate(st.predicate), _label(nodes, st.target),
               [ev["sentence"] for ev in st.evidence], [ev["report"] for ev in st.evidence])
              for st in steps), fmt)
        return
    for step in steps:
        out.print(
            f"{_label(nodes, step.source)} —{short_predicate(step.predicate)}→ {_label(nodes, step.target)}",
            highlight=False,
            markup=False,
        )
        for ev in step.evidence:
            out.print(f"    “{ev['sentence']}” ({ev['report']})", highlight=False, markup=False)


@analyze.command()
def similar(
    bureau: Annotated[str, typer.Argument(help="A bureau that published reports: name, alias or IRI")],
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """Other bureaus ranked by the Jaccard similarity of the programs their reports name."""
    check_format(fmt)
    from policekg.kg.network.analysis import AnalysisError, resolve, similar_bureaus
    from policekg.kg.network.views import bureau_program_graph, entity_nodes

    with open_store(store, write=False) as db:
        nodes, bipartite = entity_nodes(db), bureau_program_graph(db)
    publishers = {
        iri: n for iri, n in nodes.items() if iri in bipartite and bipartite.nodes[iri]["bipartite"] == 0
    }
    try:
        iri = resolve(publishers, bureau)
    except AnalysisError as e:
        fail(f"{e} (bureaus that published reports: {', '.join(n.label for n in publishers.values())})")
    emit(("bureau", "jaccard", "shared programs"),
         ((_label(nodes, other), round(score, 3), [_label(nodes, p) for p in shared])
          for other, score, shared in similar_bureaus(bipartite, iri)), fmt)
