"""Guardrails of the endpoint: read-only unless a token is given, no SERVICE / LOAD, a time limit that
really stops the query (the worker's CPU goes quiet), a row cap with a flag, clean 500s.

One server of our own (2 s limit, 10-row cap, an update token) over a private copy of the seed store.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import copy_of, serving

from policekg.api.guardrails import remote_operations

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update"}
#: A triple cross product of the seed (~10^10 rows): far beyond any limit.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def guarded(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """(base URL, server pid) of a server with a 2 s limit, a 10-row cap and an update token."""
    store = copy_of(seed_store_path, tmp_path_factory.mktemp("guarded"))
    with serving(store, "--update-token", TOKEN,
                 env={"POLICEKG_QUERY_TIMEOUT": "2", "POLICEKG_ROW_LIMIT": "10"}) as server:
        yield server.base, server.pid


# -- the SERVICE / LOAD check, alone --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
    "select * where { service <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE {\n  SeRvIcE\n\tSILENT <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE# a comment\n<http://evil.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE?endpoint { ?s ?p ?o } }",
    "PREFIX : <http://evil.example/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "PREFIX ex: <http://evil.example/> SELECT * WHERE { SERVICEex:x { ?s ?p ?o } }",
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a\\# SERVICE <http://evil.example/> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "x" SERVICE <http://evil.example/> {} }',
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<?s)SERVICE<http://evil.example/>{} }",
    "load <http://evil.example/data.ttl>",
    "LOAD\nSILENT <http://evil.example/x> INTO GRAPH <http://g>",
    "PREFIX : <http://evil.example/> LOAD:x",
])
def test_remote_operations_are_found_however_they_are_written(text: str) -> None:
    assert remote_operations(text)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> {}" }',
    "SELECT * WHERE { ?s ?p '''LOAD\nSERVICE''' }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o }",
    "SELECT ?service ?load WHERE { ?service <http://x/p> ?load }",
    "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:service ex:load }",
    'SELECT * WHERE { ?s ?p "x"@en-service }',
])
def test_words_in_strings_iris_comments_and_names_are_not_operations(text: str) -> None:
    assert not remote_operations(text)


# -- over HTTP ------------------------------------------------------------------------------------

def test_service_is_refused_by_get_and_post(guarded: tuple[str, int]) -> None:
    base, _ = guarded
    query = "select * where {\n service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    for resp in (httpx.get(f"{base}/sparql", params={"query": query}),
                 httpx.post(f"{base}/sparql", data={"query": query}),
                 httpx.post(f"{base}/sparql", content=query,
                            headers={"Content-Type": "application/sparql-query"})):
        assert resp.status_code == 403 and "SERVICE" in resp.text and "POLICEKG_ALLOW_REMOTE" in resp.text
    ok = httpx.get(f"{base}/sparql", params={"query": 'ASK { FILTER("SERVICE" != "LOAD") }'})
    assert ok.status_code == 200


def test_a_fresh_service_answers_its_first_queries_under_a_limit_shorter_than_a_worker_s_start(
        seed_store_path: Path, tmp_path: Path) -> None:
    """Query workers start on the first query (imports of a second or more): that wait is not the query's,
    so a 0.2 s limit still answers the first query and the ones arriving while the workers start."""
    with serving(copy_of(seed_store_path, tmp_path), env={"POLICEKG_QUERY_TIMEOUT": "0.2"}) as server:
        asks = [httpx.get(f"{server.base}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
                for _ in range(3)]
    assert [r.status_code for r in asks] == [200, 200, 200], asks[0].text


def test_updates_need_the_token(guarded: tuple[str, int], live_server: str) -> None:
    base, _ = guarded
    insert = ('INSERT DATA { GRAPH <http://example.org/g> '
              '{ <http://example.org/a> <http://example.org/p> "v" } }')
    read_only = httpx.post(f"{live_server}/sparql", content=insert, headers=UPDATE)
    assert read_only.status_code == 403 and "read-only" in read_only.text
    assert httpx.post(f"{base}/sparql", content=insert, headers=UPDATE).status_code == 403
    wrong = httpx.post(f"{base}/sparql", data={"update": insert}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert httpx.post(f"{base}/sparql", content=insert, headers=UPDATE | AUTH).status_code == 204
    seen = httpx.get(f"{base}/sparql", params={"query": "SELECT ?o WHERE { GRAPH <http://example.org/g> "
                                                         "{ ?s ?p ?o } }"})
    assert [b["o"]["value"] for b in seen.json()["results"]["bindings"]] == ["v"]  # the workers see the write
    load = httpx.post(f"{base}/sparql", content="LOAD <http://127.0.0.1:9/x.ttl>", headers=UPDATE | AUTH)
    assert load.status_code == 403 and "LOAD" in load.text
    bad = httpx.post(f"{base}/sparql", content="INSERT DATA { <x> }", headers=UPDATE | AUTH)
    assert bad.status_code == 400 and "error at" in bad.text


def test_graph_store_writes_need_the_token(guarded: tuple[str, int]) -> None:
    base, _ = guarded
    url, params = f"{base}/rdf-graphs", {"graph": "http://example.org/put"}
    body, ttl = '<http://example.org/s> <http://example.org/p> "新" .', {"Content-Type": "text/turtle"}
    assert httpx.put(url, params=params, content=body, headers=ttl).status_code == 403
    assert httpx.put(url, params=params, content=body, headers=ttl | AUTH).status_code == 201
    got = httpx.get(url, params=params, headers={"Accept": "application/n-triples"})
    assert got.text.strip() == '<http://example.org/s> <http://example.org/p> "新" .'
    assert httpx.put(url, params=params, content="<broken", headers=ttl | AUTH).status_code == 400
    assert httpx.get(url, params=params).status_code == 200  # a bad body loses nothing
    assert httpx.delete(url, params=params).status_code == 403
    assert httpx.delete(url, params=params, headers=AUTH).status_code == 204
    assert httpx.get(url, params=params).status_code == 404


def test_row_cap_truncates_with_a_visible_flag(guarded: tuple[str, int]) -> None:
    base, _ = guarded
    resp = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert resp.headers["X-Policekg-Truncated"] == "true" and resp.headers["X-Policekg-Row-Limit"] == "10"
    assert len(resp.json()["results"]["bindings"]) == 10
    small = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s a pk:Report }"})
    assert "X-Policekg-Truncated" not in small.headers


def _workers(server_pid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server_pid:
                pids.append(int(entry))
    return pids


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _running_the_query(workers: list[int], before: dict[int, int]) -> int:
    """The worker that has taken the query: the first seen using CPU (5 ticks) since `before`, waited for
    rather than guessed after a fixed sleep, which under load can land before the query starts."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        grown = {pid: _cpu_ticks([pid]) - before[pid] for pid in workers}
        busy = max(grown, key=grown.__getitem__)
        if grown[busy] >= 5:
            return busy
        time.sleep(0.01)
    raise AssertionError(f"none of the workers {workers} started the query within 10 s")


def _run_in_background(base: str) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        outcome["resp"] = httpx.get(f"{base}/sparql", params={"query": EXPENSIVE}, timeout=60)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_time_limit_stops_the_query_and_others_are_still_answered(guarded: tuple[str, int]) -> None:
    base, server_pid = guarded
    workers = _workers(server_pid)
    thread, outcome = _run_in_background(base)
    time.sleep(0.3)
    while thread.is_alive():  # meanwhile the other worker answers
        quick = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s a pk:Report }"}, timeout=5)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        time.sleep(0.2)
    resp = outcome["resp"]
    assert resp.status_code == 503 and "2 s limit" in resp.text
    assert 1.9 < outcome["seconds"] < 8
    time.sleep(0.5)
    # The worker that ran it was killed; the others are idle (its replacement, starting up, is not counted).
    survivors = [pid for pid in workers if pid in _workers(server_pid)]
    assert len(survivors) == len(workers) - 1
    before = _cpu_ticks(survivors)
    time.sleep(1.5)
    assert _cpu_ticks(survivors) - before < 30  # < 0.3 s CPU in 1.5 s: nothing still counting
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_dying_worker_is_a_500_without_traceback_and_is_replaced(guarded: tuple[str, int]) -> None:
    base, server_pid = guarded
    workers = _workers(server_pid)
    before = {pid: _cpu_ticks([pid]) for pid in workers}
    thread, outcome = _run_in_background(base)
    os.kill(_running_the_query(workers, before), signal.SIGKILL)
    thread.join()
    resp = outcome["resp"]
    assert resp.status_code == 500 and "worker died" in resp.text and "Traceback" not in resp.text
    deadline = time.monotonic() + 20
    while len(_workers(server_pid)) < len(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200


def test_in_memory_stores_get_the_503_at_the_limit_too() -> None:
    """In-memory stores cannot be shared with a worker process: the query runs in a thread, and the
    caller still hears at the limit (the thread finishes on its own; serve real data from disk)."""
    import asyncio

    from policekg.api.errors import Unavailable
    from policekg.api.query_exec import Job
    from policekg.api.query_pool import ThreadRunner
    from policekg.kg.rdf.store import GraphStore

    store = GraphStore()
    store.update("INSERT DATA { GRAPH <http://g> { "
                    + " ".join(f"<http://s/{i}> <http://p> {i} ." for i in range(200)) + " } }")
    runner = ThreadRunner(store, timeout=0.1)
    started = time.monotonic()
    with pytest.raises(Unavailable, match="0.1 s limit"):
        asyncio.run(runner.run(Job(EXPENSIVE)))
    assert time.monotonic() - started < 1.0
    answer = asyncio.run(ThreadRunner(store, timeout=5).run(Job("ASK { ?s ?p 7 }")))
    assert b"true" in answer.body
