"""Skills in the sandbox's Admin personality: the list (paged, `updatedSince` for what changed since the last
read, `lastPollTime` to pass back next time), one skill, start (202, then running after the activation delay;
409 "Invalid state" while it starts or runs) and stop; and /_sandbox/skills/{id}/touch, someone editing a skill's
schedule in CXone."""

from __future__ import annotations

import copy
import datetime as dt

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from campaigns.sandbox.cxone.admin_common import admin_error, authorize, paging, skill_id_of
from campaigns.sandbox.cxone.pc_tenant import skill_copy
from campaigns.sandbox.state import state_of
from campaigns.scheduling.weekly import DAY_FIELDS


def instant(value: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise admin_error(400, "InvalidParameter", f"{name} must be an ISO-8601 date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


async def list_skills(request: Request) -> JSONResponse:
    state = authorize(request)
    skip, top = paging(request)
    since = request.query_params.get("updatedSince")
    after = instant(since, "updatedSince") if since else None
    with state.lock:
        poll_time = state.now_iso()
        ids = sorted(state.pc.skills, key=int)
        if after is not None:  # inclusive: a change in the same instant as the last poll is shown again
            ids = [i for i in ids if instant(state.pc.skills[i]["lastUpdateTime"], "lastUpdateTime") >= after]
        page = [skill_copy(state.pc, i) for i in ids[skip : skip + top]]
    links = {"self": f"skills?skip={skip}&top={top}", "next": None}
    if skip + top < len(ids):
        links["next"] = f"skills?skip={skip + top}&top={top}"
    return JSONResponse(
        {"_links": links, "businessUnitId": 4600001, "lastPollTime": poll_time, "totalRecords": len(ids),
         "skills": page}
    )  # fmt: skip


async def get_skill(request: Request) -> JSONResponse:
    state = authorize(request)
    with state.lock:
        return JSONResponse({"skills": [skill_copy(state.pc, skill_id_of(request, state))]})


async def start_skill(request: Request) -> Response:
    state = authorize(request)
    skill_id = skill_id_of(request, state)
    with state.lock:
        if state.pc.skills[skill_id]["isRunning"] or skill_id in state.pc.starting:
            raise admin_error(409, "InvalidState", "Invalid state")
        low, high = state.config.activation_delay
        # failure_rate and error_rate: the start is accepted, but the skill never runs (as a dialer that fails).
        fails = state.roll(state.config.failure_rate) or state.roll(state.config.error_rate)
        state.pc.starting[skill_id] = (state.clock.now() + state.rng.uniform(low, high), not fails)
    return Response(status_code=202)


async def stop_skill(request: Request) -> Response:
    state = authorize(request)
    skill_id = skill_id_of(request, state)
    with state.lock:
        if not state.pc.skills[skill_id]["isRunning"] and skill_id not in state.pc.starting:
            raise admin_error(404, "NotFound", "Skill is not running")
        state.pc.starting.pop(skill_id, None)
        state.pc.skills[skill_id]["isRunning"] = False
        state.pc.touched(skill_id, state.now_iso())
        state.stats.record_dialling(skill_id, "PAUSED", state.clock.now())
    return Response(status_code=202)


async def touch_skill(request: Request) -> JSONResponse:
    """Someone edits the skill's schedule in CXone: every active day starts an hour later (for stale tests)."""
    state = state_of(request)
    skill_id = skill_id_of(request, state)
    with state.lock:
        settings = state.pc.schedules[skill_id]
        for day in DAY_FIELDS:
            hour, minute = settings[day + "StartTime"].split(":")[:2]
            settings[day + "StartTime"] = f"{(int(hour) + 1) % 24:02d}:{minute}"
        state.pc.touched(skill_id, state.now_iso())
        return JSONResponse(copy.deepcopy(settings))
