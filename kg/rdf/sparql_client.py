"""Talking to a SPARQL 1.1 server over HTTP: the protocol requests a remote store sends, and their failures.

Every failure becomes one of our errors with a message that names the server and the problem, so the
CLI prints one line and the web layer answers 502 / 503 (`RemoteError.status`):
- the server cannot be reached, or the answer does not come within the time limit: RemoteUnavailable (503);
  a read that runs over the client's deadline is cancelled (its connection closed), so nothing hangs;
- the server reports a timeout of its own (Virtuoso `MaxQueryExecutionTime`: an `S1T00` error, or a
  200 with `X-SQL-State` for a cut answer; Oxigraph `--timeout-s`: a 200 answer that breaks off with
  "cancelled"): RemoteUnavailable too;
- the server rejects the query as malformed (400): QueryError with the server's own message;
- any other error status: RemoteError (502) with the start of the server's message.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass

import httpcore
import httpx

from policekg.kg.rdf.errors import QueryError, RemoteError, RemoteUnavailable, RemoteUnreachable

#: Words in an error answer that mean the server stopped the query at its own time limit.
_TIMEOUT_MARKERS = ("S1T00", "timed out", "timeout", "cancelled")
#: Seconds to wait for a connection: a server that does not accept one in this time is down.
CONNECT_TIMEOUT = 5.0
#: How much of a server's error message goes into ours.
_MESSAGE_CHARS = 300
#: The largest head (status line and headers) of an answer we read. Virtuoso echoes every named graph
#: of a query's dataset in a header of its answer, about 75 bytes a graph: 151 KB at 2,000 reports, past
#: the 100 KB httpcore reads by default (httpx has no option for it, hence the class attribute).
MAX_HEAD_BYTES = 64 * 2**20
httpcore.HTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = MAX_HEAD_BYTES
httpcore.AsyncHTTP11Connection.MAX_INCOMPLETE_EVENT_SIZE = MAX_HEAD_BYTES


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server takes queries, updates and (optionally) Graph Store requests, and who we are."""

    query: str
    update: str
    gsp: str | None = None
    user: str | None = None
    password: str | None = None


class _ChallengeAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's challenge names (Virtuoso's /sparql-auth wants Digest,
    Fuseki and GraphDB Basic); the scheme found is kept for the following requests."""

    def __init__(self, user: str, password: str) -> None:
        self._schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code == 401 and scheme in self._schemes:
            self._chosen = self._schemes[scheme]
            yield from self._chosen.auth_flow(request)


class SparqlClient:
    """One server's endpoints, one connection pool; safe to share between threads."""

    def __init__(self, endpoints: Endpoints, *, query_timeout: float, write_timeout: float) -> None:
        self.endpoints = endpoints
        self.query_timeout = query_timeout
        self.write_timeout = write_timeout
        auth = _ChallengeAuth(endpoints.user, endpoints.password or "") if endpoints.user else None
        self._http = httpx.Client(auth=auth, follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    def query(self, sparql: str, accept: str, dataset: dict[str, list[str]]) -> tuple[str, bytes]:
        """POST a query (form-encoded, with the dataset's protocol parameters); (content type, body)."""
        data = {"query": sparql, **dataset}
        return self._send("POST", self.endpoints.query, self.query_timeout, accept, data=data)

    def update(self, sparql: str) -> None:
        """POST one update request: the server runs it as one transaction."""
        self._send(
            "POST",
            self.endpoints.update,
            self.write_timeout,
            "*/*",
            content=sparql.encode(),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )

    def get_graph(self, iri: str, accept: str) -> tuple[str, bytes]:
        """GET one graph from the Graph Store Protocol endpoint (only when one is configured)."""
        assert self.endpoints.gsp is not None
        return self._send("GET", self.endpoints.gsp, self.query_timeout, accept, params={"graph": iri})

    def _send(self, method: str, url: str, limit: float, accept: str, **kwargs) -> tuple[str, bytes]:
        """One request, read to its end within `limit` seconds (plus the connect time) or cancelled."""
        headers = {"Accept": accept, **kwargs.pop("headers", {})}
        timeout = httpx.Timeout(limit, connect=CONNECT_TIMEOUT)
        deadline = time.monotonic() + CONNECT_TIMEOUT + limit
        try:
            with self._http.stream(method, url, headers=headers, timeout=timeout, **kwargs) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if time.monotonic() > deadline:  # closing the stream cancels the request
                        raise RemoteUnavailable(
                            f"the SPARQL server at {url} did not answer within {limit:g} s"
                        )
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise RemoteUnreachable(
                f"cannot reach the SPARQL server at {url}: {err or type(err).__name__}; is it running?"
            ) from err
        except httpx.RemoteProtocolError as err:  # it answered, but not in HTTP we can read
            raise RemoteError(
                f"the SPARQL server at {url} sent an answer that cannot be read: {err}"
            ) from err
        except httpx.TimeoutException as err:
            raise RemoteUnavailable(
                f"the SPARQL server at {url} did not answer within {limit:g} s ({type(err).__name__})"
            ) from err
        except httpx.TransportError as err:
            raise RemoteUnavailable(
                f"cannot reach the SPARQL server at {url}: {err or type(err).__name__}; is it running?"
            ) from err
        return _checked(url, response, bytes(body))


def _checked(url: str, response: httpx.Response, body: bytes) -> tuple[str, bytes]:
    """(content type, body) of a good answer; the matching error for a bad one (see the module docstring)."""
    status = response.status_code
    message = body.decode("utf-8", "replace").strip()[:_MESSAGE_CHARS]
    if status < 300:
        if response.headers.get("x-sql-state"):  # Virtuoso's "anytime" answer: cut at its time limit
            raise RemoteUnavailable(
                f"the SPARQL server at {url} stopped the query at its time limit "
                f"and sent a partial answer ({response.headers.get('x-sql-message', '')})"
            )
        return response.headers.get("content-type", "").split(";")[0].strip().lower(), body
    if any(marker.lower() in message.lower() for marker in _TIMEOUT_MARKERS):
        raise RemoteUnavailable(f"the SPARQL server at {url} stopped the query at its time limit: {message}")
    if status == 400:
        raise QueryError(f"the SPARQL server rejected the request: {message}")
    if status in (401, 403):
        raise RemoteError(
            f"the SPARQL server at {url} refused us ({status}); give an account allowed to "
            "write with POLICEKG_STORE_USER / POLICEKG_STORE_PASSWORD"
        )
    if status == 404:
        raise RemoteError(f"{url} is no SPARQL endpoint (404); check --store / --update-url / --gsp-url")
    raise RemoteError(f"the SPARQL server at {url} answered {status}: {message}")


def broken_answer(url: str, body: bytes, err: Exception) -> RemoteError:
    """The error for a 200 answer we cannot read: cut short by the server's time limit, or garbled."""
    tail = body[-200:].decode("utf-8", "replace")
    if any(marker.lower() in tail.lower() for marker in _TIMEOUT_MARKERS):
        return RemoteUnavailable(f"the SPARQL server at {url} stopped the query at its time limit")
    return RemoteError(f"the SPARQL server at {url} sent an answer that cannot be read ({err}): …{tail}")
