"""The layers hold: schema < extract < kg < api < the command line, and no modules import each other.

Every module's imports are read with `ast` (those inside functions and `TYPE_CHECKING` blocks too: a
late import is still a dependency). A module may import its own layer or the ones below; the command
line (`kg/cli/`, `api/cli.py`, `api/__main__.py`) sits on top of everything, so nothing else imports
it. A cycle is any set of modules that reach each other through imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("schema", "extract", "kg", "api", "cli")
#: Modules (or packages, by prefix) of the command-line layer, wherever their files live.
CLI_MODULES = ("policekg.kg.cli", "policekg.api.cli", "policekg.api.__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(("policekg",) + (parts[:-1] if parts[-1] == "__init__" else parts))


MODULES: dict[str, Path] = {
    _module_name(path): path
    for top in LAYERS[:-1] for path in sorted((ROOT / top).rglob("*.py"))
}


def layer(module: str) -> int:
    """The layer a module belongs to (its index in LAYERS)."""
    if any(module == m or module.startswith(m + ".") for m in CLI_MODULES):
        return LAYERS.index("cli")
    return LAYERS.index(module.split(".")[1])


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    is_package = MODULES[importer].name == "__init__.py"
    base = package[: len(package) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> set[str]:
    """The project modules `module` imports (a `from package import submodule` names the submodule)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target for a in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found - {module}


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    graph.add_edges_from((m, target) for m in MODULES for target in imports(m))
    return graph


def test_the_modules_are_found() -> None:
    """The walk sees every layer (an empty walk would make the tests below pass on nothing)."""
    assert {layer(m) for m in MODULES} == set(range(len(LAYERS)))
    assert imports("policekg.kg.rdf.triples") >= {"policekg.kg.rdf.iris", "policekg.extract.model"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module: str) -> None:
    above = sorted(t for t in imports(module) if layer(t) > layer(module))
    assert not above, f"{module} ({LAYERS[layer(module)]}) imports a higher layer: {', '.join(above)}"


def test_no_modules_import_each_other() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert not cycles, f"modules importing each other: {cycles}"
