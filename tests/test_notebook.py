"""notebooks/explore.ipynb runs from top to bottom on a fresh kernel, so it cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"


def _outputs(nb) -> str:
    """Every text and HTML output of the executed notebook, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k in ("text/plain", "text/html"))
    return "\n".join(parts)


def test_explore_notebook_runs_and_draws_the_graph(tmp_path: Path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert not any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), (
        "stored without outputs"
    )
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = _outputs(nb)
    assert "https://w3id.org/policekg/id/report/慈溪市公安局/2022" in text  # the reports DataFrame
    assert "Observation" in text and "pagerank" in text
    assert '<iframe srcdoc="' in text and "graph-data" in text  # the inline graph, escaped into srcdoc
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
