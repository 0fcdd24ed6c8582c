"""Which provinces' bureaus name a program or report an indicator: `/map/program/{name}`,
`/map/indicator/{name}`.

The map is drawn on the comparison pages (`province_map.js`, ECharts with the served GeoJSON of
China's provinces) from this page's JSON twin; the CSV twin is the same counts, one row per province.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.responses import Response
from starlette.requests import Request

from policekg.api.deps import get_store
from policekg.api.errors import NotFound
from policekg.api.rendering import LIST_TYPES, Document, compute, respond, wanted
from policekg.api.urls import iri_for, raw_local_path, split_suffix
from policekg.kg.rdf.store import GraphStore
from policekg.kg.read.provinces import ProvinceMap, province_map

#: What a map can be drawn for: the kind in the URL → its name on the page.
MAPPED = {"program": "Program", "indicator": "Indicator"}


async def province_map_page(request: Request, path: str, store: GraphStore = Depends(get_store)) -> Response:
    local, suffix = split_suffix(raw_local_path(request, "/map/"), LIST_TYPES)
    kind = local.split("/", 1)[0]
    if kind not in MAPPED:
        raise NotFound("a province map is drawn for a program (/map/program/…) or an indicator "
                       "(/map/indicator/…)")
    fmt = wanted(request, suffix)
    found = await compute(request, province_map, store, kind, iri_for(local))
    context = {"p": found, "cls": MAPPED[kind], "url": f"/map/{local}", "compare": f"/compare/{local}"}
    return await respond(request, fmt, Document("province_map.html", context, found, map_rows(found),
                                                f"map-{kind}-{found.label or 'unnamed'}"))


def map_rows(found: ProvinceMap) -> list[dict[str, Any]]:
    """One row per province (and one for the bureaus no province could be found for)."""
    rows = [{"province": c.province, "bureaus": c.bureaus, "reports": c.reports, "names": c.names}
            for c in found.provinces]
    if found.unplaced:
        rows.append({"province": None, "bureaus": len(found.unplaced), "reports": None,
                     "names": found.unplaced})
    return rows
