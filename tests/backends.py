"""Real SPARQL servers for the tests: Oxigraph server and Virtuoso, each on free loopback ports in a temp dir.

Each starts once per session (session fixtures in conftest), waits until its endpoint answers, and is
stopped at the end. A server that cannot start fails the tests that need it: a backend is never skipped.

- Oxigraph: `oxigraph serve` from the `oxigraph` wheel (the test extra), with `--timeout-s`. Query at
  /query, update at /update (no authentication), Graph Store at /store.
- Virtuoso: Debian's `virtuoso-opensource` (`.ci/run` installs it). Its virtuoso.ini is written here:
  its own database, ports and DirsAllowed; `MaxQueryExecutionTime` as its time limit;
  `ResultSetMaxRows` above the row cap (its default, 10,000, cuts answers silently). Query at /sparql,
  update at /sparql-auth with HTTP Digest as dba/dba (a new database's administrator), Graph Store at
  /sparql-graph-crud-auth.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

#: The servers' own query time limit in the tests, seconds.
SERVER_TIME_LIMIT = 3
#: How long a server may take to come up (Virtuoso creates its database on first start).
START_WITHIN = 120.0
VIRTUOSO = "/usr/bin/virtuoso-t"
#: Virtuoso's page buffers (8 KB each) and how many may be dirty: 80 MB, plenty for the tests' few reports
#: (its guide gives 170,000 and 130,000 for 2 GB of memory, what a store of thousands of reports wants).
VIRTUOSO_BUFFERS = (10_000, 6_000)

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {limit}
MaxQueryCostEstimationTime = 0
"""


@dataclass(frozen=True)
class SparqlServer:
    """A running server: its endpoints, as `policekg --store … --update-url … --gsp-url …` takes them."""

    name: str
    query: str
    update: str
    gsp: str
    user: str | None
    password: str | None
    proc: subprocess.Popen

    def env(self) -> dict[str, str]:
        """The environment that points policekg at this server."""
        env = {"POLICEKG_STORE": self.query, "POLICEKG_UPDATE_URL": self.update}
        if self.user:
            env |= {"POLICEKG_STORE_USER": self.user, "POLICEKG_STORE_PASSWORD": self.password or ""}
        return env

    def auth(self) -> httpx.Auth | None:
        return httpx.DigestAuth(self.user, self.password or "") if self.user else None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def oxigraph_binary() -> str:
    """The `oxigraph` command of this environment (beside its Python) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no `oxigraph` command: pip install '.[test]' brings it (the oxigraph wheel)")
    return found


def start_oxigraph(workdir: Path, port: int) -> SparqlServer:
    cmd = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(workdir / "db"),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout-s",
        str(SERVER_TIME_LIMIT),
    ]
    base = f"http://127.0.0.1:{port}"
    proc = _spawn(cmd, workdir, workdir / "oxigraph.log")
    server = SparqlServer("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", None, None, proc)
    return _wait(server, workdir / "oxigraph.log")


def start_virtuoso(workdir: Path, sql_port: int, http_port: int) -> SparqlServer:
    if not Path(VIRTUOSO).exists():
        raise RuntimeError(f"no {VIRTUOSO}: apt-get install virtuoso-opensource (.ci/run does)")
    ini = workdir / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(dir=workdir, sql_port=sql_port, http_port=http_port, limit=SERVER_TIME_LIMIT,
                            buffers=VIRTUOSO_BUFFERS[0], dirty=VIRTUOSO_BUFFERS[1])
    )
    proc = _spawn([VIRTUOSO, "+configfile", str(ini), "+foreground"], workdir, workdir / "virtuoso.out")
    base = f"http://127.0.0.1:{http_port}"
    server = SparqlServer(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql-auth",
        f"{base}/sparql-graph-crud-auth",
        "dba",
        "dba",
        proc,
    )
    return _wait(server, workdir / "virtuoso.log")


def _spawn(cmd: list[str], workdir: Path, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:  # a file, not a pipe nobody reads
        return subprocess.Popen(cmd, cwd=workdir, stdout=out, stderr=subprocess.STDOUT)


def _wait(server: SparqlServer, log: Path) -> SparqlServer:
    """The server, once its query endpoint answers ASK {}; RuntimeError with its log if it never does."""
    deadline = time.monotonic() + START_WITHIN
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited ({server.proc.returncode}): {_tail(log)}")
        try:
            if httpx.get(server.query, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within {START_WITHIN:g} s: {_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
