"""The store's one writer process (issue 15): every write runs there, under a time and a memory limit,
never in the server process. Real `policekg serve` processes over private copies of the seed store;
the runaway updates are cross joins of the seed's own triples.
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
from conftest import Server, children, copy_of, serving, start_server

TOKEN = "writer-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {**AUTH, "Content-Type": "application/sparql-update"}
LIMIT_S = 2
#: Hours of work and little memory: a count of the seed's triples cubed.
COUNTING = ("INSERT { GRAPH <http://example.org/n> { <http://example.org/a> <http://example.org/n> ?n } } "
            "WHERE { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?h ?i ?j } } }")
#: Memory without bound: every pair of the seed's triples, inserted.
GROWING = ("INSERT { GRAPH <http://example.org/pairs> { ?a <http://example.org/with> ?d . ?d ?e ?c } } "
           "WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } }")
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
_http = httpx.Client(timeout=120)


@pytest.fixture(scope="module")
def limited(seed_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A service whose writes may run 2 s, with a parser depth guard too loose to protect the parser."""
    env = {"POLICEKG_UPDATE_TIMEOUT": str(LIMIT_S), "POLICEKG_QUERY_WORKERS": "1",
           "POLICEKG_MAX_DEPTH": "100000"}
    with serving(copy_of(seed_store_path, tmp_path_factory.mktemp("writer")), "--update-token", TOKEN,
                 env=env) as server:
        yield server


def writer_of(server: Server) -> int:
    """The pid of the server's writer process, waiting (a bounded while) for a replacement to start."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for pid in children(server.pid):
            try:
                if b"policekg.api.writer_process" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return pid
            except FileNotFoundError:
                pass
        time.sleep(0.1)
    raise AssertionError("the service has no writer process")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def quads(base: str) -> int:
    resp = _http.get(f"{base}/sparql", params={"query": QUADS}, headers={"Accept": "application/json"})
    return int(resp.json()["results"]["bindings"][0]["n"]["value"])


def rss_kb(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def note_written(base: str, text: str) -> bool:
    """Write a small note through the service and read it back."""
    note = f'GRAPH <http://example.org/notes> {{ <http://example.org/a> <http://example.org/says> "{text}" }}'
    written = _http.post(f"{base}/sparql", content=f"INSERT DATA {{ {note} }}", headers=UPDATE)
    assert written.status_code == 204, written.text
    asked = _http.get(f"{base}/sparql", params={"query": f"ASK {{ {note} }}"},
                      headers={"Accept": "application/json"})
    return asked.json()["boolean"]


def test_writes_run_in_a_writer_process_the_server_does_not_hold_the_store(limited: Server) -> None:
    writer = writer_of(limited)
    assert writer != limited.pid
    assert note_written(limited.base, "first")
    assert writer_of(limited) == writer  # one writer for every write


def test_a_runaway_update_is_stopped_at_the_limit_and_nothing_of_it_is_stored(limited: Server) -> None:
    before, writer = quads(limited.base), writer_of(limited)
    resp = _http.post(f"{limited.base}/sparql", content=COUNTING, headers=UPDATE)
    assert resp.status_code == 503
    assert f"{LIMIT_S:g} s limit" in resp.text and "POLICEKG_UPDATE_TIMEOUT" in resp.text
    assert not alive(writer)  # its CPU is freed: the process is gone
    assert quads(limited.base) == before
    assert writer_of(limited) != writer
    assert note_written(limited.base, "after the runaway")


def test_graph_store_writes_go_through_the_writer_and_pages_see_them_at_once(limited: Server) -> None:
    graph = "http://example.org/put"
    body = "<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> \"放进去\" ."
    put = _http.put(f"{limited.base}/rdf-graphs", params={"graph": graph}, content=body.encode(),
                    headers={**AUTH, "Content-Type": "text/turtle"})
    assert put.status_code == 201
    got = _http.get(f"{limited.base}/rdf-graphs", params={"graph": graph}, headers={"Accept": "text/turtle"})
    assert "放进去" in got.text
    bad = _http.put(f"{limited.base}/rdf-graphs", params={"graph": graph}, content=b"<x> <y> .",
                    headers={**AUTH, "Content-Type": "text/turtle"})
    assert bad.status_code == 400 and "does not parse" in bad.text
    deleted = _http.delete(f"{limited.base}/rdf-graphs", params={"graph": graph}, headers=AUTH)
    assert deleted.status_code == 204
    assert _http.get(f"{limited.base}/rdf-graphs", params={"graph": graph}).status_code == 404


def test_a_malformed_update_is_400_with_the_position_in_the_clients_text(limited: Server) -> None:
    resp = _http.post(f"{limited.base}/sparql", content="INSERT DATA { <http://example.org/a> ",
                      headers=UPDATE)
    assert resp.status_code == 400 and "error at 1:" in resp.text


def test_an_update_that_crashes_the_parser_costs_the_writer_not_the_server(limited: Server) -> None:
    """Nested deeper than Oxigraph's recursive parser survives (the guard here is set too loose)."""
    depth = 20_000
    deep = ("INSERT { <http://example.org/a> <http://example.org/b> 1 } WHERE { FILTER("
            + "(" * depth + "1" + ")" * depth + ") }")
    writer = writer_of(limited)
    resp = _http.post(f"{limited.base}/sparql", content=deep, headers=UPDATE)
    assert resp.status_code == 500 and "writer died" in resp.text
    assert alive(limited.pid) and not alive(writer)
    assert note_written(limited.base, "after the crash")


def test_a_growing_update_is_stopped_at_the_memory_limit_in_the_writer(seed_store_path: Path,
                                                                       tmp_path: Path) -> None:
    env = {"POLICEKG_UPDATE_TIMEOUT": "600", "POLICEKG_WORKER_MEMORY_MB": "400",
           "POLICEKG_QUERY_WORKERS": "1"}
    with serving(copy_of(seed_store_path, tmp_path), "--update-token", TOKEN, env=env) as server:
        before, writer, server_kb = quads(server.base), writer_of(server), rss_kb(server.pid)
        resp = _http.post(f"{server.base}/sparql", content=GROWING, headers=UPDATE, timeout=600)
        assert resp.status_code == 503 and "used more than 400 MB" in resp.text
        assert not alive(writer) and writer_of(server) != writer
        assert rss_kb(server.pid) < server_kb + 100 * 1024  # the 400 MB were the writer's, not the server's
        assert quads(server.base) == before
        assert note_written(server.base, "after the memory limit")


def test_sigterm_during_a_runaway_update_stops_the_service_and_its_writer(seed_store_path: Path,
                                                                         tmp_path: Path) -> None:
    env = {"POLICEKG_UPDATE_TIMEOUT": "600", "POLICEKG_SHUTDOWN_GRACE": "1"}
    proc, base = start_server(copy_of(seed_store_path, tmp_path), "--update-token", TOKEN, env=env)
    try:
        writer = writer_of(Server(base, proc.pid))
        threading.Thread(target=_post_ignoring_errors, args=(base, COUNTING), daemon=True).start()
        while _cpu_seconds(writer) < 0.5:  # the update is running in the writer
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) is not None
        deadline = time.monotonic() + 30
        while alive(writer) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(writer)
    finally:
        proc.kill()


def _post_ignoring_errors(base: str, update: str) -> None:
    try:
        httpx.post(f"{base}/sparql", content=update, headers=UPDATE, timeout=600)
    except httpx.HTTPError:
        pass


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_the_about_page_states_the_limits_the_service_enforces(limited: Server) -> None:
    with httpx.Client(cookies={"lang": "en"}, timeout=120) as english:
        page = english.get(f"{limited.base}/about")
    assert page.status_code == 200
    assert f'Time a write may take (s)</th><td class="num">{LIMIT_S}</td>' in page.text
    assert page.text.count("POLICEKG_UPDATE_TIMEOUT") == 1  # one table, in the page's body


def test_the_writer_runs_below_the_readers_priority(limited: Server) -> None:
    assert os.getpriority(os.PRIO_PROCESS, writer_of(limited)) > os.getpriority(os.PRIO_PROCESS, limited.pid)


def test_a_writer_killed_while_idle_is_replaced_for_the_next_write(limited: Server) -> None:
    writer = writer_of(limited)
    os.kill(writer, signal.SIGKILL)
    while alive(writer) or _threads(writer) > 1:  # a zombie whose other threads still exit holds the pipe
        time.sleep(0.05)
    assert note_written(limited.base, "after an outside kill")
    assert writer_of(limited) != writer


def _threads(pid: int) -> int:
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir()))
    except FileNotFoundError:  # reaped
        return 0
