"""What every request and answer passes through: a body size limit, HEAD, CORS and security headers.

One ASGI middleware (outermost, so it sees every request before routing reads anything):

- Body size: a Content-Length over `Settings.max_body_bytes` is answered 413 before the app runs; a
  body sent without one (chunked) is counted as it arrives and the read that passes the limit raises
  `BodyTooLarge`, which the app's error handlers answer 413.
- HEAD: answered as the GET of the same URL without its body (FastAPI routes declare GET only).
- CORS: anyone may read (GET / HEAD everywhere, POST queries to /sparql), as public SPARQL services
  allow; nothing that writes is allowed cross-origin: a preflight never allows PUT / DELETE or an
  Authorization header, and no write's answer carries Access-Control-Allow-Origin.
- Security headers on every answer: a CSP with no inline script and no framing, X-Frame-Options,
  Referrer-Policy and nosniff. (Inline styles stay allowed: the graph legend sets colours with them.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders

from policekg.api.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}
#: Cross-origin reads: the methods and request headers a preflight may ask for, by path.
_READ_METHODS = ("GET", "HEAD")
_CORS_RULES = {"/sparql": ("GET", "HEAD", "POST")}
_CORS_HEADERS = frozenset({"accept", "content-type"})
_UPDATE_TYPE = "application/sparql-update"


class BodyTooLarge(ApiError):
    status = 413


def too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"the request body is too large: this server reads at most {limit} bytes "
                        "(POLICEKG_MAX_BODY_BYTES sets the limit)")


def _cors_methods(path: str) -> tuple[str, ...]:
    return _CORS_RULES.get(path, _READ_METHODS)


def _cross_origin_read(scope: Scope, headers: Headers) -> bool:
    """Whether this (actual, not preflight) request may be read by a page of another origin."""
    method = scope["method"]
    if method in _READ_METHODS:
        return True
    return (method in _cors_methods(scope["path"]) and "authorization" not in headers
            and not headers.get("content-type", "").startswith(_UPDATE_TYPE))


def _preflight_headers(scope: Scope, headers: Headers) -> dict[str, str]:
    """The CORS answer to a preflight: allowed read methods and headers, or nothing (the browser then
    refuses the request)."""
    methods = _cors_methods(scope["path"])
    asked = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")} - {""}
    if headers["access-control-request-method"] not in methods or not asked <= _CORS_HEADERS:
        return {}
    return {"access-control-allow-origin": "*", "access-control-allow-methods": ", ".join(methods),
            "access-control-allow-headers": ", ".join(sorted(_CORS_HEADERS)), "access-control-max-age": "600"}


class Limits:
    """The middleware; `max_body` is the body size limit in bytes."""

    def __init__(self, app: App, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        extra = SECURITY_HEADERS | (
            {"access-control-allow-origin": "*"} if "origin" in headers and _cross_origin_read(scope, headers)
            else {})
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await _answer(send, 204, b"", SECURITY_HEADERS | _preflight_headers(scope, headers))
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:  # the server rejects a malformed one
            await _answer(send, 413, (str(too_large(self.max_body)) + "\n").encode(), extra)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        await self.app(scope, self._counting(receive), _sending(send, extra, head))

    def _counting(self, receive: Receive) -> Receive:
        """`receive`, raising BodyTooLarge once more than `max_body` bytes have come."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise too_large(self.max_body)
            return message

        return counted


def _sending(send: Send, extra: dict[str, str], head: bool) -> Send:
    """`send` adding `extra` headers (unless the app set them) and, for HEAD, dropping the body."""
    done = False

    async def sending(message: Message) -> None:
        nonlocal done
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in extra.items():
                headers.setdefault(name, value)
        elif message["type"] == "http.response.body" and head:
            if done:
                return
            done = True
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return sending


async def _answer(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    headers = headers | {"content-type": "text/plain; charset=utf-8", "content-length": str(len(body))}
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI) -> None:
    """Put the middleware around `app`, with the limit its settings give."""
    app.add_middleware(Limits, max_body=app.state.settings.max_body_bytes)
