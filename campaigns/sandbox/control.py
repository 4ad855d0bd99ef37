"""The sandbox's own control API under /_sandbox/ (no auth: the sandbox serves loopback only). Not to be
confused with CXone's Admin API, the second personality (cxone/admin_api.py).

GET   /_sandbox/config                  the knobs (secret masked)
PATCH /_sandbox/config                  {"server_error_rate": 0.2, "latency_ms": "50-200", ...} → 200 or 422
GET   /_sandbox/stats                   requests by route and status, PUTs per campaign, activations
POST  /_sandbox/stats/reset             zero the stats (and forget WFM deliveries)
POST  /_sandbox/wfm/down                {"seconds": 60}: the WFM stand-in is down that long (see wfm.py)
POST  /_sandbox/reset                   reseed the tenant from the config (seed, campaigns)
POST  /_sandbox/tokens/revoke           forget every issued token (the next API call gets a 401)
POST  /_sandbox/clock/advance           {"seconds": 5}: move the sandbox clock (activations, tokens, buckets)
POST  /_sandbox/campaigns/{id}/touch    someone edits the campaign in CXone's UI: version + 1, optional changes:
                                        {"name"}, {"state": "PAUSED"}, {"schedule": {any of its fields}} (v2);
                                        under the Admin API the skill (id = skill id): {"scheduleSettings": {…},
                                        "retrySettings": {…}, "isRunning": false} (cxone/skill_edits.py)
DELETE /_sandbox/campaigns/{id}         the campaign disappears from CXone
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.sandbox.cxone.skill_edits import SkillEditRefused, edit_skill
from campaigns.sandbox.cxone.validation import CAMPAIGN_STATES, schedule_problems
from campaigns.sandbox.responses import ApiError, not_found, read_json, unprocessable
from campaigns.sandbox.state import edited_schedule, state_of

TOUCHABLE = {"name": str, "state": str, "schedule": dict}
SCHEDULE_FIELDS = ("timezone", "cronExpression", "durationMinutes", "startTime", "endTime", "retryPolicy")


async def get_config(request: Request) -> JSONResponse:
    return JSONResponse(state_of(request).config.as_dict())


async def patch_config(request: Request) -> JSONResponse:
    state = state_of(request)
    changes = await read_json(request)
    with state.lock:
        problems = state.config.update(changes)
    if problems:
        raise ApiError(422, {"code": "validation.failed", "details": problems})
    return JSONResponse(state.config.as_dict())


async def get_stats(request: Request) -> JSONResponse:
    state = state_of(request)
    with state.lock:
        state.settle()
        return JSONResponse(state.stats.as_dict())


async def reset_stats(request: Request) -> JSONResponse:
    state_of(request).reset_stats()
    return JSONResponse({"reset": True})


async def reset_tenant(request: Request) -> JSONResponse:
    state = state_of(request)
    state.reset()
    return JSONResponse({"reset": True, "campaigns": len(state.campaigns)})


async def revoke_tokens(request: Request) -> JSONResponse:
    return JSONResponse({"revoked": state_of(request).revoke_tokens()})


async def advance_clock(request: Request) -> JSONResponse:
    body = await read_json(request)
    seconds = body.get("seconds") if isinstance(body, dict) else None
    state = state_of(request)
    with state.lock:
        try:
            state.clock.advance(seconds)
        except ValueError as exc:
            raise unprocessable("seconds", str(exc)) from exc
        state.settle()
    return JSONResponse({"now": state.now_iso()})


async def touch_campaign(request: Request) -> JSONResponse:
    raw = await request.body()
    changes = await read_json(request) if raw.strip() else {}
    if not isinstance(changes, dict):
        raise unprocessable("", "expected a JSON object")
    state = state_of(request)
    if state.config.api == "admin":
        return touch_skill(state, request.path_params["campaign_id"], changes)
    for field, value in changes.items():
        if field not in TOUCHABLE or not isinstance(value, TOUCHABLE[field]) or not value:
            raise unprocessable(str(field), f"only {', '.join(TOUCHABLE)} can be changed here")
    if "state" in changes and changes["state"] not in CAMPAIGN_STATES:
        raise unprocessable("state", f"must be one of {', '.join(CAMPAIGN_STATES)}")
    unknown = [name for name in changes.get("schedule", {}) if name not in SCHEDULE_FIELDS]
    if unknown:
        raise unprocessable(f"schedule.{unknown[0]}", f"a schedule has only {', '.join(SCHEDULE_FIELDS)}")
    with state.lock:  # checked and applied at once: a PUT cannot land between the two
        current = state.campaigns.get(request.path_params["campaign_id"])
        if current is None:
            raise not_found("campaign")
        if "schedule" in changes:
            problems = schedule_problems(edited_schedule(current.get("schedule") or {}, changes["schedule"]))
            if problems:
                raise ApiError(422, {"code": "validation.failed", "details": problems})
        return JSONResponse(state.touch(request.path_params["campaign_id"], changes))


def touch_skill(state, skill_id: str, changes: dict) -> JSONResponse:
    """The Admin personality's touch: someone edits the skill's week, retry fields or running state."""
    with state.lock:
        if skill_id not in state.pc.skills:
            raise not_found("skill")
        try:
            edited = edit_skill(
                state.pc,
                skill_id,
                changes,
                now_iso=state.now_iso(),
                time_format=state.config.admin_time_format,
            )
        except SkillEditRefused as refused:
            raise unprocessable(refused.field, refused.message) from None
    return JSONResponse(edited)


async def delete_campaign(request: Request) -> JSONResponse:
    if not state_of(request).remove(request.path_params["campaign_id"]):
        raise not_found("campaign")
    return JSONResponse({"deleted": True})


routes = [
    Route("/_sandbox/config", get_config, methods=["GET"]),
    Route("/_sandbox/config", patch_config, methods=["PATCH", "POST"]),
    Route("/_sandbox/stats", get_stats, methods=["GET"]),
    Route("/_sandbox/stats/reset", reset_stats, methods=["POST"]),
    Route("/_sandbox/reset", reset_tenant, methods=["POST"]),
    Route("/_sandbox/tokens/revoke", revoke_tokens, methods=["POST"]),
    Route("/_sandbox/clock/advance", advance_clock, methods=["POST"]),
    Route("/_sandbox/campaigns/{campaign_id}/touch", touch_campaign, methods=["POST"]),
    Route("/_sandbox/campaigns/{campaign_id}", delete_campaign, methods=["DELETE"]),
]
