"""A skill's parameter groups in the sandbox's Admin personality: the combined read of one skill and of every
outbound skill at once (GET /skills/parameters), and the groups' own endpoints: schedule-settings, retry-settings
and general-settings (GET flat, PUT wrapped; retry-settings and general-settings share maximumAttempts and
minimumRetryMinutes, so writing one changes the other) and time-zones (a full replace, 200 with per-item
failures). Every write shows the skill as updated in GET /skills?updatedSince."""

from __future__ import annotations

import copy
import datetime as dt

from starlette.requests import Request
from starlette.responses import JSONResponse

from campaigns.sandbox.cxone import pc_shapes
from campaigns.sandbox.cxone.admin_common import admin_error, authorize, skill_id_of
from campaigns.sandbox.cxone.pc_tenant import SHARED_RETRY_FIELDS, is_personal_connection
from campaigns.sandbox.responses import read_json
from campaigns.sandbox.state import SandboxState
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.weekly import DAY_FIELDS

# retry-settings' numbers and their published ranges (None: no bound given).
RETRY_RANGES = {
    "maximumAttempts": (1, 300),
    "minimumRetryMinutes": (0, None),
    "restrictedCallingMinutes": (0, 9999),
    "restrictedCallingMaxAttempts": (0, 10),
    "maximumNumberOfHandledCalls": (0, None),
}


async def parameters(request: Request) -> JSONResponse:
    """The combined read: every parameter group, scheduleSettings one item per weekday."""
    state = authorize(request)
    with state.lock:
        return JSONResponse(pc_shapes.parameters(state.pc, skill_id_of(request, state, outbound=True), state.config))


async def every_skills_parameters(request: Request) -> JSONResponse:
    """GET /skills/parameters: every outbound skill's parameter groups in one answer (skillNo, skillName)."""
    state = authorize(request)
    with state.lock:
        ids = [i for i in sorted(state.pc.skills, key=int) if is_personal_connection(state.pc, i)]
        return JSONResponse({"skills": [pc_shapes.parameters(state.pc, i, state.config, bulk=True) for i in ids]})


async def schedule_settings(request: Request) -> JSONResponse:
    state = authorize(request)
    skill_id = skill_id_of(request, state, outbound=True)
    if request.method == "GET":
        with state.lock:
            return JSONResponse(copy.deepcopy(state.pc.schedules[skill_id]))
    body = await read_json(request)
    settings = body.get("scheduleSettings") if isinstance(body, dict) else None
    if not isinstance(settings, dict):
        raise admin_error(400, "InvalidParameter", "expected {scheduleSettings: {...}}")
    stored = {"isScheduled": bool(settings.get("isScheduled", True))}
    for day in DAY_FIELDS:
        for suffix in ("StartTime", "EndTime"):
            value = settings.get(day + suffix)
            if not _is_time(value, state.config.admin_time_format):
                raise admin_error(400, "InvalidParameter", "")  # as some tenants do: no word on which field
            stored[day + suffix] = value
        stored[day + "IsActive"] = bool(settings.get(day + "IsActive"))
        if state.config.admin_require_all_days and (
            not stored[day + "IsActive"] or stored[day + "StartTime"] == stored[day + "EndTime"]
        ):
            raise admin_error(400, "InvalidParameter", "")  # the live report: bare, for the whole week
    with state.lock:
        if skill_id in state.pc.starting:
            raise admin_error(409, "InvalidState", "Skill is starting")
        state.pc.schedules[skill_id] = stored
        state.pc.touched(skill_id, state.now_iso())
        state.stats.puts[skill_id] += 1
    return JSONResponse({})


def _is_time(value: object, time_format: str) -> bool:
    try:
        dt.datetime.strptime(str(value), time_format)
    except ValueError:
        return False
    return isinstance(value, str)


async def retry_settings(request: Request) -> JSONResponse:
    state = authorize(request)
    skill_id = skill_id_of(request, state, outbound=True)
    if request.method == "GET":
        with state.lock:
            return JSONResponse(pc_shapes.retry_settings(state.pc, skill_id, state.config))
    settings = await _group(request, "retrySettings")
    with state.lock:
        _write_retry(state, skill_id, settings)
    return JSONResponse({})


async def general_settings(request: Request) -> JSONResponse:
    state = authorize(request)
    skill_id = skill_id_of(request, state, outbound=True)
    settings = await _group(request, "generalSettings")
    with state.lock:
        _write_retry(state, skill_id, {k: v for k, v in settings.items() if k in SHARED_RETRY_FIELDS})
    return JSONResponse({})


async def _group(request: Request, name: str) -> dict:
    body = await read_json(request)
    settings = body.get(name) if isinstance(body, dict) else None
    if not isinstance(settings, dict):
        raise admin_error(400, "InvalidParameter", f"expected {{{name}: {{...}}}}")
    for field, (low, high) in RETRY_RANGES.items():
        if field not in settings:
            continue
        value = settings[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            said = f"{low}-{high}" if high else f"at least {low}"
            raise admin_error(400, "InvalidParameter", f"{field} must be a whole number, {said}")
    return settings


def _write_retry(state: SandboxState, skill_id: str, settings: dict) -> None:
    state.pc.retry[skill_id].update(settings)  # general-settings' shared fields land here too: one value each
    state.pc.touched(skill_id, state.now_iso())


async def time_zones(request: Request) -> JSONResponse:
    state = authorize(request)
    skill_id = skill_id_of(request, state, outbound=True)
    if request.method == "GET":
        with state.lock:
            return JSONResponse({"timeZoneSettings": copy.deepcopy(state.pc.zones[skill_id])})
    body = await read_json(request)
    rows = body.get("timeZoneSettings") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise admin_error(400, "InvalidParameter", "expected {timeZoneSettings: [...]}")
    accepted, refused = [], []
    for row in rows:
        name = row.get("standardName") if isinstance(row, dict) else None
        try:
            iana_zone_for(name)
            accepted.append(row)
        except UnknownCXoneZone:
            refused.append({"standardName": name, "error": "InvalidParameter",
                            "errorDescription": f"Unknown time zone {name!r}"})  # fmt: skip
    with state.lock:
        state.pc.zones[skill_id] = accepted  # a full replace: what is left out is off
        state.pc.touched(skill_id, state.now_iso())
    return JSONResponse({"timeZoneSettings": accepted, "errors": refused})  # 200 even with refused items
