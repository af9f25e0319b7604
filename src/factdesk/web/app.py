"""The web desk's application: ``create_app()`` builds it, ``serve()`` runs it with uvicorn.

Pages (:mod:`factdesk.web.pages`) and the JSON API (:mod:`factdesk.web.api`) are thin shells over
:mod:`factdesk.desk`; both render the dicts of :mod:`factdesk.web.views`.

Safety, because article and draft text is hostile input:

- Templates autoescape everything, and every response carries a Content-Security-Policy that
  allows scripts and styles only from the desk's own ``/static`` files (no inline script, no
  inline event handlers, no ``javascript:`` URLs, no plugins, no framing).
- Request bodies are capped (``max_request_bytes``) before any parsing; each input is also held
  to :class:`~factdesk.ingest.ReadLimits` like the CLI.
- URLs are fetched through :mod:`factdesk.fetch`, which refuses private addresses.
- Bound to loopback, the desk answers only to loopback ``Host`` names (a DNS-rebinding page
  cannot read it) and refuses cross-site form posts. Bound to anything else it requires a token
  (``FACTDESK_TOKEN``) and refuses to start without one.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from factdesk.errors import (
    ConfigError,
    FactdeskError,
    IngestError,
    ModelError,
    NotFound,
    StorageError,
    TooLargeError,
)
from factdesk.ingest import ReadLimits
from factdesk.store import Store, open_store

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names that reach only this machine.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Largest request body accepted, in bytes (uploads included), before anything is parsed.
MAX_REQUEST_BYTES = 25 * 1024 * 1024
TOKEN_COOKIE = "factdesk_token"

# Scripts and styles only from /static: article text that slipped through escaping still
# could not run. 'data:' images are for the favicon only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

# HTTP status for each error class (the most specific class listed wins).
_STATUS: tuple[tuple[type[FactdeskError], int], ...] = (
    (NotFound, 404),
    (TooLargeError, 413),
    (IngestError, 422),
    (ConfigError, 400),
    (ModelError, 503),
    (StorageError, 503),
)
_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    500: "internal-error",
    501: "not-available",
    503: "unavailable",
}


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the desk reachable from this machine only."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """How one desk app is set up. ``allowed_hosts`` None accepts any ``Host`` header."""

    db: str
    token: str | None = None
    allowed_hosts: frozenset[str] | None = None
    max_request_bytes: int = MAX_REQUEST_BYTES
    read_limits: ReadLimits = field(default_factory=ReadLimits)


def error_body(message: str, code: str, status: int) -> dict[str, Any]:
    """The one error body of the web desk and its API."""
    return {"ok": False, "error": message, "code": code, "status": status}


def status_for(exc: FactdeskError) -> int:
    """The HTTP status of a library error (400 when no more specific one applies)."""
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("factdesk.web", "templates"),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from factdesk.web import pages

    pages.install_filters(env)
    return env


def _wants_json(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    if path.startswith(("/api/", "/openapi")) or path == "/api":
        return True
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    return "text/html" not in accept


def error_response(scope: Scope, message: str, code: str, status: int) -> Response:
    """JSON for the API and non-browser clients, an HTML page with the same fields for pages."""
    body = error_body(message, code, status)
    if _wants_json(scope):
        return JSONResponse(body, status_code=status)
    app = scope.get("app")
    env: jinja2.Environment = app.state.templates if app is not None else _templates()
    html = env.get_template("error.html").render(
        error=body, title=f"Error {status}", request_path="", api_url=None
    )
    return HTMLResponse(html, status_code=status)


def _cookie_value(token: str) -> str:
    # The cookie holds a MAC of the token, not the token itself.
    return hmac.new(token.encode(), b"factdesk-web-session", hashlib.sha256).hexdigest()


class _Guard:
    """Pure ASGI middleware: host, token, cross-site and size checks; security headers."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [h for h in _SECURITY_HEADERS if h[0] not in names]
                message["headers"] = headers
            await send(message)

        refusal = self._refusal(scope)
        if isinstance(refusal, Response):
            await refusal(scope, receive, send_with_headers)
            return
        if scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
            body = await self._read_body(scope, receive)
            if body is None:
                limit = self.settings.max_request_bytes
                response = error_response(
                    scope,
                    f"The request is larger than the limit of {limit:,} bytes; send fewer or "
                    "smaller files.",
                    TooLargeError.code,
                    413,
                )
                await response(scope, receive, send_with_headers)
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        allowed = self.settings.allowed_hosts
        if allowed is not None:
            name = urlsplit(f"//{host}").hostname or ""
            if name not in allowed:
                return error_response(
                    scope,
                    f"Host {host!r} is not served here; open the desk at http://127.0.0.1 "
                    "(a page on another site cannot read the desk through its own name).",
                    "forbidden-host",
                    403,
                )
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            cross = headers.get("sec-fetch-site") == "cross-site"
            if cross or (origin and origin != "null" and urlsplit(origin).netloc != host):
                return error_response(
                    scope,
                    "Cross-site requests may not change the desk; use the desk's own pages.",
                    "cross-origin",
                    403,
                )
        token = self.settings.token
        if token and not str(scope["path"]).startswith("/static/"):
            return self._check_token(scope, headers, token)
        return None

    def _check_token(self, scope: Scope, headers: dict[str, str], token: str) -> Response | None:
        supplied = headers.get("authorization", "")
        if supplied.lower().startswith("bearer ") and hmac.compare_digest(
            supplied[7:].strip().encode(), token.encode()
        ):
            return None
        cookies = dict(
            part.strip().split("=", 1)
            for part in headers.get("cookie", "").split(";")
            if "=" in part
        )
        if hmac.compare_digest(
            cookies.get(TOKEN_COOKIE, "").encode(), _cookie_value(token).encode()
        ):
            return None
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = [v for k, v in query if k == "token"]
        if given and hmac.compare_digest(given[0].encode(), token.encode()):
            # Trade the token in the URL for a cookie, and drop it from the address bar. Lax, so
            # a link from a mail or chat opens the desk; cross-site posts are refused anyway.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            response = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), 303)
            response.set_cookie(
                TOKEN_COOKIE, _cookie_value(token), httponly=True, samesite="lax", path="/"
            )
            return response
        return error_response(
            scope,
            "This desk needs its token: send 'Authorization: Bearer TOKEN', or open "
            "/?token=TOKEN once in the browser (the value of FACTDESK_TOKEN where it runs).",
            "unauthorized",
            401,
        )

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None when it is over the limit (declared or actual)."""
        limit = self.settings.max_request_bytes
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def create_app(
    db: str = "factdesk.db",
    *,
    token: str | None = None,
    allowed_hosts: frozenset[str] | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    read_limits: ReadLimits | None = None,
) -> FastAPI:
    """Build the desk app over the store at ``db`` (opened at startup, closed at shutdown).

    Args:
        db: the store target, as for :func:`factdesk.store.open_store`.
        token: when set, every request but ``/static`` needs it (bearer header, or a cookie
            the browser gets by opening ``/?token=…`` once).
        allowed_hosts: ``Host`` header names to answer (None: any); :func:`serve` passes the
            loopback names when bound to loopback.
        max_request_bytes: largest request body, uploads included.
        read_limits: per-input limits for Add (size, fetch timeout, redirects).
    """
    from factdesk.web import api, pages

    settings = WebSettings(
        db=db,
        token=token or None,
        allowed_hosts=allowed_hosts,
        max_request_bytes=max_request_bytes,
        read_limits=read_limits or ReadLimits(),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings.db)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="factdesk",
        summary="Which sources say what, on whose authority, and how firmly.",
        version=_version(),
        lifespan=lifespan,
        # Swagger UI loads its scripts from a CDN, which an offline desk cannot reach and the
        # CSP forbids; /docs is a server-rendered page built from the same OpenAPI schema.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.templates = _templates()
    static = resources.files("factdesk.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _install_error_handlers(app)
    app.add_middleware(_Guard, settings=settings)
    return app


def _version() -> str:
    from factdesk import __version__

    return __version__


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(FactdeskError)
    async def _library(request: Request, exc: FactdeskError) -> Response:
        return error_response(request.scope, str(exc), exc.code, status_for(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http-error")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"Nothing at {request.url.path}; the desk's pages start at /stories."
        return error_response(request.scope, message, code, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        )
        return error_response(request.scope, f"Invalid request: {problems}", "invalid-request", 422)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error_response(
            request.scope,
            f"The desk failed on this request ({type(exc).__name__}); the server log has the "
            "details. Please report it.",
            "internal-error",
            500,
        )


def get_store(request: Request) -> Store:
    """The app's store (a dependency for routes)."""
    store: Store = request.app.state.store
    return store


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    log_level: str = "info",
) -> None:
    """Run the desk with uvicorn until interrupted.

    Raises:
        ConfigError: bound to a non-loopback address without a token.
    """
    import uvicorn

    loopback = is_loopback(host)
    if not loopback and not token:
        raise ConfigError(
            f"Refusing to serve on {host!r} without a token: anyone who can reach this machine "
            "could read and change the desk. Set FACTDESK_TOKEN to a long random value, e.g. "
            "export FACTDESK_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe())'), "
            "or serve on 127.0.0.1."
        )
    app = create_app(db, token=token, allowed_hosts=LOOPBACK_NAMES if loopback else None)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
