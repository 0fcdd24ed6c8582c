"""A bureau's profile, `/bureau/{name}`: its reports by year, the programs each year names (new,
continued, dropped), its figures as small charts over the years, its sub-units, and the bureaus of the
same level in its province beside it.

The page's JSON twin is the whole profile (the charts draw from it: `bureau_charts.js`); its CSV twin is
the profile in long form, one row per program and year or per figure and year.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.rendering import LIST_TYPES, Document, compute, respond, wanted
from policekg.api.urls import raw_local_path, split_suffix
from policekg.kg.rdf.iris import unsegment
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.bureau import BureauProfile, bureau_profile

#: What a program's row in the CSV says about it, by the list of `ProgramYear` holding it.
_PROGRAM_STATUS = ("new", "continued", "dropped")


async def bureau(request: Request, path: str, store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/bureau/"), LIST_TYPES)
    fmt = wanted(request, suffix)
    profile = await compute(request, bureau_profile, store, unsegment(local))
    context = {"b": profile, "url": f"/bureau/{local}"}
    return await respond(request, fmt, Document("bureau.html", context, profile, profile_rows(profile),
                                                f"bureau-{profile.label}"))


def profile_rows(profile: BureauProfile) -> list[dict[str, Any]]:
    """The profile as one table: a row per program and year (new / continued / dropped), then a row per
    indicator and year (the value the chart shows)."""
    rows = [{"what": "program", "year": y.year, "name": n.label, "status": status, "value": None,
             "unit": None, "iri": n.iri}
            for y in profile.programs for status in _PROGRAM_STATUS for n in getattr(y, status)]
    rows += [{"what": "figure", "year": p.year, "name": s.label, "status": None, "value": p.value,
              "unit": s.unit, "iri": s.indicator}
             for s in profile.series for p in s.points]
    return rows
