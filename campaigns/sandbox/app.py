"""The sandbox as an ASGI app: `create_app()` for in-process use (httpx.ASGITransport), served by uvicorn
for a real socket (see server.py and `manage.py cxone_sandbox`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.sandbox import control, wfm
from campaigns.sandbox.config import Clock, SandboxConfig
from campaigns.sandbox.cxone import admin_api, auth, outbound_v2
from campaigns.sandbox.faults import FaultsAndStats
from campaigns.sandbox.responses import ApiError
from campaigns.sandbox.state import SandboxState


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = {404: "route.not_found", 405: "method.not_allowed"}.get(exc.status_code, "request.invalid")
    if request.app.state.sandbox.config.api == "admin":  # each personality answers in its API's error shape
        error = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "InvalidRequest")
        body = {"error": error, "errorDescription": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return JSONResponse(
        {"code": code, "message": exc.detail}, status_code=exc.status_code, headers=exc.headers
    )


class SandboxApp(FaultsAndStats):
    """The ASGI callable; `.state` is the SandboxState (tenant, knobs, stats, clock) for tests to inspect."""


def create_app(config: SandboxConfig | None = None, *, clock: Clock | None = None) -> SandboxApp:
    state = SandboxState(config, clock)
    if state.config.api == "admin":  # the second personality: a real tenant's Admin API (cxone/admin_api.py)
        all_routes = admin_api.routes + control.routes + wfm.routes
    else:
        all_routes = [Route("/oauth2/token", auth.token_endpoint, methods=["POST"])]
        all_routes += outbound_v2.routes + control.routes + wfm.routes
    starlette = Starlette(
        routes=all_routes, exception_handlers={ApiError: _api_error, HTTPException: _http_error}
    )
    starlette.state.sandbox = state
    return SandboxApp(starlette, state, all_routes)
