"""The OpenAPI description (/openapi.json) says what each operation takes and answers, and a real
server answers as it says (what schemathesis's content-type and schema checks hold it to; the run's
numbers are in benchmarks/RESULTS.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import copy_of, serving


@pytest.fixture(scope="module")
def server(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of our own: the graph pages asked here store the analysis they compute."""
    with serving(copy_of(seed_store_path, tmp_path_factory.mktemp("openapi"))) as running:
        yield running.base


@pytest.fixture(scope="module")
def spec(server: str) -> dict:
    answer = httpx.get(f"{server}/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def _operations(spec: dict):
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            yield method.upper(), path, op


def _documented(op: dict, status: int) -> set[str]:
    answer = op["responses"].get(str(status), op["responses"]["default"])
    return set(answer.get("content", {}))


def test_the_protocols_parameters_and_bodies_are_described_and_no_internal_one_leaks(spec: dict) -> None:
    ops = {(m, p): op for m, p, op in _operations(spec)}
    assert not [(m, p) for (m, p), op in ops.items() if any(x["name"] == "suffix" for x in op["parameters"])]
    names = {key: {x["name"] for x in op["parameters"]} for key, op in ops.items()}
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= names["GET", "/sparql"]
    assert set(ops["POST", "/sparql"]["requestBody"]["content"]) == {
        "application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded"}
    put = ops["PUT", "/rdf-graphs"]
    assert "text/turtle" in put["requestBody"]["content"] and put["security"] == [{"updateToken": []}]
    assert [x["required"] for x in put["parameters"] if x["name"] == "graph"] == [True]
    assert _documented(ops["GET", "/reports"], 200) == {"text/html", "application/json", "text/csv"}
    assert "text/turtle" in _documented(ops["GET", "/id/{path}"], 200)


def test_every_format_an_operation_names_comes_back_as_documented(spec: dict, server: str) -> None:
    checked = 0
    for method, path, op in _operations(spec):
        fmt = next((x for x in op["parameters"] if x["name"] == "format"), None)
        if method != "GET" or "{" in path or fmt is None:
            continue
        params = {"query": "ASK {}"} if path == "/sparql" else {}
        for name in fmt["schema"]["enum"]:
            answer = httpx.get(f"{server}{path}", params={**params, "format": name}, timeout=30)
            media_type = answer.headers["content-type"].split(";")[0]
            assert answer.status_code < 500, (path, name, answer.text)
            assert media_type in _documented(op, answer.status_code), (path, name, answer.status_code)
            checked += 1
    assert checked > 20
