"""The OpenAPI description (/openapi.json, /docs) of what each operation takes and answers.

FastAPI infers parameters from handler signatures, but the protocol routes read theirs from the
request (the SPARQL and Graph Store protocols define them, repeated and in several bodies), and
every handler answers a `Response` in the negotiated format rather than a JSON model. So the answers
come from the route map (`Route.formats`), the protocols' parameters and bodies from the tables here,
and the internal `suffix` parameter (the `/reports.csv` alias) is left out.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from policekg.api.rendering import LIST_TYPES, RDF_TYPES
from policekg.api.routes import ROUTES, Route
from policekg.kg.rdf.formats import RDF_FORMATS, RESULTS_FORMATS

Schema = dict[str, Any]

_TEXT: Schema = {"type": "string"}
_IRI: Schema = {"type": "string", "format": "uri"}
_IRIS: Schema = {"type": "array", "items": _IRI}
#: Starlette's path converters (`{path:path}`), which OpenAPI paths do not spell.
_CONVERTER = re.compile(r"\{(\w+):\w+\}")
_JSON_TYPES = ("application/json", "application/sparql-results+json", "application/ld+json")


def _param(name: str, description: str, schema: Schema = _TEXT, *, required: bool = False) -> Schema:
    param = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if schema.get("type") == "array":
        param.update(style="form", explode=True)
    return param


#: The name `?format=` gives each media type a route answers in.
_FORMAT_NAMES = {**{f.media_type: f.name for f in RESULTS_FORMATS}, **{t: n for n, t in RDF_TYPES.items()},
                 **{t: n for n, t in LIST_TYPES.items()}}


def _format(route: Route) -> Schema:
    """`?format=` with the names the route takes: the protocols give HTML to browsers by negotiation only."""
    media_types = route.formats if route.page else tuple(t for t in route.formats if t != "text/html")
    names = list(dict.fromkeys(_FORMAT_NAMES[t] for t in media_types))
    return _param("format", "The answer's format by name (overrides the Accept header)",
                  {"type": "string", "enum": names})


_DATASET = [_param("default-graph-uri", "A graph whose merge is the query's default graph (repeatable)", _IRIS),
            _param("named-graph-uri", "A graph the query may name in GRAPH (repeatable)", _IRIS)]
_GRAPH = [_param("graph", "The named graph's IRI (or ?default)", _IRI),
          _param("default", "The default graph, the merge of the named graphs (no value)")]
#: Writes name a graph: the default graph is the merge of the named graphs, not written itself.
_WRITE_GRAPH = [_param("graph", "The named graph's IRI", _IRI, required=True)]
_FORM: Schema = {"type": "object", "properties": {
    "query": {**_TEXT, "description": "A SPARQL 1.1 query"},
    "update": {**_TEXT, "description": "A SPARQL 1.1 update (needs the update token)"},
    "default-graph-uri": _IRIS, "named-graph-uri": _IRIS},
    "oneOf": [{"required": ["query"]}, {"required": ["update"]}]}
_SPARQL_TEXT: Schema = {"type": "string", "minLength": 1}
_TOKEN = [{"updateToken": []}]
_RDF_BODY = {"required": True, "content": {f.media_type: {"schema": _TEXT} for f in RDF_FORMATS}}

#: The protocols' parameters and bodies, by (method, path).
_PROTOCOL: dict[tuple[str, str], Schema] = {
    ("GET", "/sparql"): {"parameters": [
        _param("query", "A SPARQL 1.1 query; without one, the service description (or the query page)"),
        *_DATASET]},
    ("POST", "/sparql"): {
        "parameters": _DATASET,
        "requestBody": {"required": True, "content": {
            "application/sparql-query": {"schema": _SPARQL_TEXT},
            "application/sparql-update": {"schema": _SPARQL_TEXT},
            "application/x-www-form-urlencoded": {"schema": _FORM}}},
        "security": [{}, *_TOKEN]},  # a query needs nothing, an update the token
    ("GET", "/rdf-graphs"): {"parameters": _GRAPH},
    ("PUT", "/rdf-graphs"): {"parameters": _WRITE_GRAPH, "requestBody": _RDF_BODY, "security": _TOKEN},
    ("POST", "/rdf-graphs"): {"parameters": _WRITE_GRAPH, "requestBody": _RDF_BODY, "security": _TOKEN},
    ("DELETE", "/rdf-graphs"): {"parameters": _WRITE_GRAPH, "security": _TOKEN},
}

#: What an error comes as: plain text on the protocols, the page (or its JSON twin) on pages.
_ERROR_TYPES = {False: ("text/plain",), True: ("text/html", "application/json", "text/plain")}


def _content(media_types: tuple[str, ...]) -> Schema:
    return {t: {"schema": {} if t in _JSON_TYPES else _TEXT} for t in media_types}


_CREATED = {"201": {"description": "The graph was created"}, "204": {"description": "The graph was written"}}
#: Answers without a body, by (method, path); every other operation answers 200 in its formats.
_EMPTY: dict[tuple[str, str], Schema] = {
    ("POST", "/sparql"): {"204": {"description": "The update was applied"}},  # beside a query's 200
    ("PUT", "/rdf-graphs"): _CREATED,
    ("POST", "/rdf-graphs"): _CREATED,
    ("DELETE", "/rdf-graphs"): {"204": {"description": "The graph was deleted"}},
}


def _responses(route: Route, method: str) -> Schema:
    """The success answers (in each of the route's formats) and errors in the route's error formats:
    a status and a message saying what was wrong (every 4xx/5xx the error table knows)."""
    ok = {"200": {"description": "The answer", "content": _content(route.formats)}} if route.formats else {}
    errors = {"description": "An error: what was wrong, in words", "content": _content(_ERROR_TYPES[route.page])}
    return {**ok, **_EMPTY.get((method, route.path), {}), "default": errors}


def _operation(spec: Schema, route: Route, method: str) -> None:
    op = spec["paths"][_CONVERTER.sub(r"{\1}", route.path)][method.lower()]
    op["parameters"] = [p for p in op.get("parameters", []) if p["name"] != "suffix"]
    op.update(_PROTOCOL.get((method, route.path), {}))
    if len(route.formats) > 1:  # FastAPI's own `format` parameter (/export) gets the names too
        op["parameters"] = [p for p in op["parameters"] if p["name"] != "format"] + [_format(route)]
    op["responses"] = _responses(route, method)


def install(app: FastAPI) -> None:
    """Make `app.openapi()` describe the routes of the map as they answer."""
    def openapi() -> Schema:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            spec.setdefault("components", {})["securitySchemes"] = {
                "updateToken": {"type": "http", "scheme": "bearer",
                                "description": "The server's update token (--update-token)"}}
            for route in ROUTES:
                if route.listed:
                    for method in route.methods:
                        _operation(spec, route, method)
            spec["components"].pop("schemas", None)  # FastAPI's validation-error models: unused now
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
