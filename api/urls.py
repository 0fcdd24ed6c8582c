"""Every URL the pages link to, made in one place (as Datasette's url_builder does).

An instance IRI `https://w3id.org/policekg/id/{path}` is served at `/id/{path}` (a report at
`/report/{issuer}/{year}`); its neighbourhood graph, drawn by the graph pages, at `/graph/entity/{path}`.
Paths keep the IRI's own percent-encoding (`segment()` escapes only what would break the IRI), so
a name holding `/` or `%` round-trips: `raw_local_path` reads it back from the raw request path.
"""

from __future__ import annotations

from urllib.parse import unquote, urlencode

from starlette.requests import Request

from policekg.kg.rdf.iris import PKR, local_path, segment, unsegment

_REPORT_PARTS = 3  # report/{issuer}/{year}
_BUREAU_PARTS = 2  # unit/{name}: a bureau; a sub-unit has three parts


def page_url(iri: str | None) -> str | None:
    """The page of one of our IRIs (None for IRIs of other vocabularies: they have no page here)."""
    local = local_path(iri) if iri else None
    if not local:
        return None
    parts = local.split("/")
    if parts[0] == "report" and len(parts) == _REPORT_PARTS:
        return "/" + local
    return "/id/" + local


def report_name(iri: str | None) -> str | None:
    """`…/report/慈溪市公安局/2022/measure/4-1` → `慈溪市公安局 2022`: whose report a thing belongs to."""
    parts = (local_path(iri) or "").split("/") if iri else []
    if len(parts) >= _REPORT_PARTS and parts[0] == "report":
        return f"{unsegment(parts[1])} {parts[2]}"
    return None


def graph_url(iri: str) -> str | None:
    """The neighbourhood graph of an entity (served by the graph pages)."""
    local = local_path(iri)
    return f"/graph/entity/{local}" if local else None


def compare_url(iri: str, cls: str | None) -> str | None:
    """The cross-report comparison of a program (a formulation is one) or an indicator."""
    local = local_path(iri)
    if not local or cls not in ("Program", "Formulation", "Indicator"):
        return None
    return f"/compare/{local}"


def bureau_url(iri: str | None) -> str | None:
    """The profile of a bureau (`pkr:unit/慈溪市公安局` → `/bureau/慈溪市公安局`); None for a sub-unit."""
    local = local_path(iri) if iri else None
    parts = local.split("/") if local else []
    return f"/bureau/{parts[1]}" if len(parts) == _BUREAU_PARTS and parts[0] == "unit" else None


def twin_url(url: str, suffix: str) -> str:
    """`/id/program/枫桥经验` → `/id/program/枫桥经验.ttl`."""
    return f"{url}.{suffix}"


def raw_local_path(request: Request, prefix: str) -> str:
    """The IRI path after `prefix` as `segment()` writes it, read from the *raw* request path.

    Starlette's decoded path turns `%2F` into `/`, losing the difference between a slash inside a
    name and one between segments; the raw path keeps it. Each segment is decoded and re-encoded the
    way IRIs are minted, so `/id/program/%E6%9E%AB…` and `/id/program/枫…` name the same thing.
    """
    raw = raw_path(request)
    rest = raw.removeprefix(prefix)
    return "/".join(segment(unquote(part)) for part in rest.split("/"))


def raw_path(request: Request) -> str:
    """The request path exactly as the client sent it (still percent-encoded)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    return raw.decode("ascii", "replace").split("?", 1)[0]


def split_suffix(local: str, known: set[str] | dict[str, str]) -> tuple[str, str | None]:
    """`program/枫桥经验.ttl` → (`program/枫桥经验`, `ttl`) when `ttl` is a known suffix, else (local, None)."""
    stem, dot, ext = local.rpartition(".")
    if dot and "/" not in ext and ext in known and stem:
        return stem, ext
    return local, None


def iri_for(local: str) -> str:
    """The instance IRI of a local path (`program/枫桥经验`)."""
    return f"{PKR}{local}"


def with_params(request: Request, **changes: object) -> str:
    """The current URL with some query parameters changed (None removes one): pagination and exports."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    query = urlencode(params)
    return raw_path(request) + (f"?{query}" if query else "")
