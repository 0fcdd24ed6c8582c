"""`viz.standalone_html`: the graph page as one self-contained file (the notebook saves it).

Report text is untrusted, and here it travels inside the same document as inline scripts: a name or an
evidence sentence holding `</script>` must not end the data block or start a script of its own.
"""

from __future__ import annotations

import json
import re

import networkx as nx

from policekg.api.viz import standalone_html
from policekg.kg.network.analysis import Metrics
from policekg.kg.network.views import Node
from policekg.kg.rdf.iris import PKR

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def _graph() -> tuple[nx.MultiDiGraph, dict[str, Metrics]]:
    unit, program = f"{PKR}unit/某市公安局", f"{PKR}program/{HOSTILE}"
    report = f"{PKR}report/某市公安局/2023"
    g = nx.MultiDiGraph()
    g.add_node(unit, node=Node(unit, "PoliceUnit", "某市公安局", reports=[report]))
    g.add_node(program, node=Node(program, "Program", HOSTILE, aliases=[HOSTILE], reports=[report]))
    g.add_edge(unit, program, predicate="https://w3id.org/policekg/ontology#implements",
               evidence=[{"sentence": f"某市公安局推行{HOSTILE}。", "report": report}])
    metrics = {unit: Metrics(1, 0.0, 0.5, 0), program: Metrics(1, 0.0, 0.5, 0)}
    return g, metrics


def test_standalone_page_is_self_contained_and_keeps_report_text_inert() -> None:
    g, metrics = _graph()
    page = standalone_html(g, metrics, f"图 {HOSTILE}")
    assert "<script src=" not in page and "<link" not in page  # everything inline: no server, no CDN
    assert HOSTILE not in page and "<img src=x" not in page  # the text appears only escaped
    data = re.search(r'id="graph-data">(.*?)</script>', page, re.DOTALL).group(1)
    payload = json.loads(data)
    assert payload["info"]["nodes"][f"{PKR}program/{HOSTILE}"]["label"] == HOSTILE
    edge = next(iter(payload["info"]["edges"].values()))
    assert HOSTILE in edge["evidence"][0]["sentence"] and edge["predicate"] == "pk:implements"
    assert f"<title>图 {HOSTILE}" not in page and "图 &lt;/script&gt;" in page
