"""What every route of the sandbox's Admin personality shares: the API's error shape, the bearer token and the
rate limit (a 429 carries no Retry-After unless the admin_retry_after knob says so), the skill a path names."""

from __future__ import annotations

import math

from starlette.requests import Request

from campaigns.sandbox.cxone.pc_tenant import settle_starts
from campaigns.sandbox.responses import ApiError
from campaigns.sandbox.state import SandboxState, state_of

API = "/inContactAPI/services/{version}"
MAX_TOP = 100


def admin_error(status: int, error: str, description: str, headers: dict | None = None) -> ApiError:
    return ApiError(status, {"error": error, "errorDescription": description}, headers)


def rate_limit(state: SandboxState, client_id: str) -> None:
    wait = state.take_rate_token(client_id)
    if wait > 0:
        headers = {"Retry-After": str(max(1, math.ceil(wait)))} if state.config.admin_retry_after else None
        raise admin_error(429, "TooManyRequests", "Too many requests", headers)


def authorize(request: Request) -> SandboxState:
    state = state_of(request)
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    info = state.token_info(token.strip()) if kind.lower() == "bearer" and token.strip() else None
    if info is None:
        raise admin_error(401, "Unauthorized", "Token missing, unknown or expired")
    rate_limit(state, info.client_id)
    with state.lock:
        settle_starts(state.pc, state.clock.now(), state.now_iso(),
                      lambda skill_id, at: state.stats.record_dialling(skill_id, "ACTIVE", at))  # fmt: skip
    return state


def skill_id_of(request: Request, state: SandboxState, *, outbound: bool = False) -> str:
    """The skill the path names; `outbound`: one that has the outbound parameter groups (a Personal Connection
    skill), else 404 as for no skill."""
    skill_id = request.path_params["skill_id"]
    if skill_id not in state.pc.skills:
        raise admin_error(404, "NotFound", f"No skill {skill_id}")
    if outbound and skill_id not in state.pc.retry:
        raise admin_error(404, "NotFound", f"Skill {skill_id} has no outbound parameters")
    return skill_id


def paging(request: Request, *, default_top: int = MAX_TOP) -> tuple[int, int]:
    """skip and top (1..100) of the query, or 400 InvalidParameter."""
    try:
        skip = int(request.query_params.get("skip", 0))
        top = int(request.query_params.get("top", default_top))
    except ValueError:
        raise admin_error(400, "InvalidParameter", "skip and top must be numbers") from None
    if not 0 < top <= MAX_TOP or skip < 0:
        raise admin_error(400, "InvalidParameter", f"top must be 1-{MAX_TOP}")
    return skip, top
