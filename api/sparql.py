"""The SPARQL endpoint (first cut: GET, SPARQL JSON; the protocol issue completes it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from policekg.api.deps import get_store
from policekg.kg.errors import QueryError
from policekg.kg.formats import results_format
from policekg.kg.store import GraphStore

router = APIRouter()


@router.get("/sparql")
async def sparql_get(query: str, store: GraphStore = Depends(get_store)) -> Response:
    """Answer a query in SPARQL JSON; a malformed query is a 400 carrying the parser's message."""
    fmt = results_format("json")

    def run() -> bytes:
        return store.ox_query(query).serialize(format=fmt.ox)

    try:
        body = await run_in_threadpool(run)
    except QueryError as err:
        raise HTTPException(status_code=400, detail=str(err)) from err
    return Response(body, media_type=fmt.media_type)
