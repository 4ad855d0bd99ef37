"""The sandbox's second personality: a real tenant's ACD Admin API (shared/design/cxone-admin-api.md), at the
same paths as under a real tenant's base URL. On with `cxone_sandbox --api admin` (config.api = "admin").

- GET /.well-known/cxone-configuration?tenantId=… → {api_endpoint, auth_endpoint, area, cluster}
- POST /auth/token: the application's client id/secret as HTTP Basic; grant_type=password with the access key
  id/secret as username/password, or grant_type=refresh_token → {access_token, refresh_token, id_token,
  expires_in}. The id_token's payload carries tenantId (unsigned: a stand-in).
- /inContactAPI/services/vNN.0/…: skills (paged, top ≤ 100), one skill, schedule-settings and time-zones (GET,
  PUT), start (202 | 409 "Invalid state"), stop, dnc-groups (+ one, + scrubbed-skills), business-unit.
Errors are {error, errorDescription}; 429 never carries Retry-After. The fault knobs (latency, 5xx, drops,
token lifetime, rate limit) apply as to the v2 personality.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hmac
import json
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.sandbox.cxone.auth import basic_credentials
from campaigns.sandbox.cxone.pc_tenant import settle_starts, skill_copy
from campaigns.sandbox.responses import MAX_BODY_BYTES, ApiError, read_json
from campaigns.sandbox.state import SandboxState, state_of
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.weekly import DAY_FIELDS

API = "/inContactAPI/services/{version}"
MAX_TOP = 100


def admin_error(status: int, error: str, description: str, headers: dict | None = None) -> ApiError:
    return ApiError(status, {"error": error, "errorDescription": description}, headers)


def _rate_limit(state: SandboxState, client_id: str) -> None:
    if state.take_rate_token(client_id) > 0:
        raise admin_error(429, "TooManyRequests", "Too many requests")  # never a Retry-After here


def _authorize(request: Request) -> SandboxState:
    state = state_of(request)
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    info = state.token_info(token.strip()) if kind.lower() == "bearer" and token.strip() else None
    if info is None:
        raise admin_error(401, "Unauthorized", "Token missing, unknown or expired")
    _rate_limit(state, info.client_id)
    with state.lock:
        settle_starts(state.pc, state.clock.now(), state.now_iso())
    return state


def _id_token(tenant_id: str) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part({'tenantId': tenant_id, 'iss': 'cxone-sandbox'})}.sandbox"


async def discovery(request: Request) -> JSONResponse:
    state = state_of(request)
    if request.query_params.get("tenantId") != state.config.tenant_id:
        raise admin_error(404, "NotFound", "Unknown tenantId")
    base = str(request.base_url).rstrip("/")
    return JSONResponse({"api_endpoint": base, "auth_endpoint": base, "area": "na1", "cluster": "sandbox"})


async def token(request: Request) -> JSONResponse:
    state, config = state_of(request), state_of(request).config
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise admin_error(400, "invalid_request", "body too large")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    client = basic_credentials(request.headers.get("authorization"))
    if client is None or not (
        hmac.compare_digest(client[0].encode(), config.client_id.encode())
        and hmac.compare_digest(client[1].encode(), config.client_secret.encode())
    ):
        return JSONResponse({"error": "invalid_client", "error_description": "unknown application"}, 401)
    _rate_limit(state, client[0])
    grant = form.get("grant_type")
    if grant == "password":
        if not (
            hmac.compare_digest(form.get("username", "").encode(), config.access_key_id.encode())
            and hmac.compare_digest(form.get("password", "").encode(), config.access_key_secret.encode())
        ):
            return JSONResponse({"error": "invalid_grant", "error_description": "unknown access key"}, 400)
    elif grant == "refresh_token":
        with state.lock:
            if state.refresh_tokens.pop(form.get("refresh_token", ""), None) != client[0]:
                return JSONResponse(
                    {"error": "invalid_grant", "error_description": "unknown refresh token"}, 400
                )
    else:
        return JSONResponse({"error": "unsupported_grant_type", "error_description": str(grant)}, 400)
    access, lifetime = state.issue_token(client[0], frozenset())
    refresh = f"r-{access}"
    with state.lock:
        state.refresh_tokens[refresh] = client[0]
    return JSONResponse(
        {"access_token": access, "token_type": "Bearer", "expires_in": lifetime, "refresh_token": refresh,
         "id_token": _id_token(config.tenant_id)},
        headers={"Cache-Control": "no-store"},
    )  # fmt: skip


def _skill_id(request: Request, state: SandboxState) -> str:
    skill_id = request.path_params["skill_id"]
    if skill_id not in state.pc.skills:
        raise admin_error(404, "NotFound", f"No skill {skill_id}")
    return skill_id


async def list_skills(request: Request) -> JSONResponse:
    state = _authorize(request)
    try:
        skip = int(request.query_params.get("skip", 0))
        top = int(request.query_params.get("top", MAX_TOP))
    except ValueError:
        raise admin_error(400, "InvalidParameter", "skip and top must be numbers") from None
    if not 0 < top <= MAX_TOP or skip < 0:
        raise admin_error(400, "InvalidParameter", f"top must be 1-{MAX_TOP}")
    with state.lock:
        ids = sorted(state.pc.skills, key=int)
        page = [skill_copy(state.pc, i) for i in ids[skip : skip + top]]
        return JSONResponse({"businessUnitId": 4600001, "totalRecords": len(ids), "skills": page})


async def get_skill(request: Request) -> JSONResponse:
    state = _authorize(request)
    with state.lock:
        return JSONResponse({"skills": [skill_copy(state.pc, _skill_id(request, state))]})


async def schedule_settings(request: Request) -> JSONResponse:
    state = _authorize(request)
    skill_id = _skill_id(request, state)
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
    with state.lock:
        if skill_id in state.pc.starting:
            raise admin_error(409, "InvalidState", "Skill is starting")
        state.pc.schedules[skill_id] = stored
        state.pc.skills[skill_id]["lastUpdateTime"] = state.now_iso()
        state.stats.puts[skill_id] += 1
    return JSONResponse({}, status_code=200)


async def parameters(request: Request) -> JSONResponse:
    """The combined read: every parameter group, scheduleSettings in its {isScheduled, schedules: [...]} shape."""
    state = _authorize(request)
    skill_id = _skill_id(request, state)
    with state.lock:
        settings = copy.deepcopy(state.pc.schedules[skill_id])
        scheduled = settings.pop("isScheduled", True)
        return JSONResponse(
            {
                "skillId": int(skill_id),
                "scheduleSettings": {"isScheduled": scheduled, "schedules": [settings]},
                "timeZoneSettings": copy.deepcopy(state.pc.zones[skill_id]),
            }
        )


def _is_time(value: object, time_format: str) -> bool:
    try:
        dt.datetime.strptime(str(value), time_format)
    except ValueError:
        return False
    return isinstance(value, str)


async def time_zones(request: Request) -> JSONResponse:
    state = _authorize(request)
    skill_id = _skill_id(request, state)
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
    return JSONResponse({"timeZoneSettings": accepted, "errors": refused})  # 200 even with refused items


async def start_skill(request: Request) -> JSONResponse:
    state = _authorize(request)
    skill_id = _skill_id(request, state)
    with state.lock:
        if state.pc.skills[skill_id]["isRunning"] or skill_id in state.pc.starting:
            raise admin_error(409, "InvalidState", "Invalid state")
        low, high = state.config.activation_delay
        # failure_rate and error_rate: the start is accepted, but the skill never runs (as a dialer that fails).
        fails = state.roll(state.config.failure_rate) or state.roll(state.config.error_rate)
        state.pc.starting[skill_id] = (state.clock.now() + state.rng.uniform(low, high), not fails)
    return JSONResponse({}, status_code=202)


async def stop_skill(request: Request) -> JSONResponse:
    state = _authorize(request)
    skill_id = _skill_id(request, state)
    with state.lock:
        state.pc.starting.pop(skill_id, None)
        state.pc.skills[skill_id].update(isRunning=False, lastUpdateTime=state.now_iso())
    return JSONResponse({}, status_code=202)


async def dnc_groups(request: Request) -> JSONResponse:
    state = _authorize(request)
    with state.lock:
        return JSONResponse({"dncGroups": [copy.deepcopy(g) for g in state.pc.dnc_groups.values()]})


def _group(request: Request, state: SandboxState) -> str:
    group_id = request.path_params["group_id"]
    if group_id not in state.pc.dnc_groups:
        raise admin_error(404, "NotFound", f"No DNC group {group_id}")
    return group_id


async def dnc_group(request: Request) -> JSONResponse:
    state = _authorize(request)
    with state.lock:
        return JSONResponse({"dncGroups": [copy.deepcopy(state.pc.dnc_groups[_group(request, state)])]})


async def scrubbed_skills(request: Request) -> JSONResponse:
    state = _authorize(request)
    with state.lock:
        skills = state.pc.scrubbed[_group(request, state)]
        return JSONResponse({"skills": [{"skillId": s} for s in skills]})


async def business_unit(request: Request) -> JSONResponse:
    state = _authorize(request)
    with state.lock:
        return JSONResponse({"businessUnits": [copy.deepcopy(state.pc.business_unit)]})


async def touch_skill(request: Request) -> JSONResponse:
    """Someone edits the skill's schedule in CXone: every active day starts an hour later (for stale tests)."""
    state = state_of(request)
    skill_id = _skill_id(request, state)
    with state.lock:
        settings = state.pc.schedules[skill_id]
        for day in DAY_FIELDS:
            hour, minute = settings[day + "StartTime"].split(":")[:2]
            settings[day + "StartTime"] = f"{(int(hour) + 1) % 24:02d}:{minute}"
        state.pc.skills[skill_id]["lastUpdateTime"] = state.now_iso()
        return JSONResponse(copy.deepcopy(settings))


routes = [
    Route("/.well-known/cxone-configuration", discovery, methods=["GET"]),
    Route("/auth/token", token, methods=["POST"]),
    Route(API + "/skills", list_skills, methods=["GET"]),
    Route(API + "/skills/{skill_id}", get_skill, methods=["GET"]),
    Route(API + "/skills/{skill_id}/parameters", parameters, methods=["GET"]),
    Route(API + "/skills/{skill_id}/parameters/schedule-settings", schedule_settings, methods=["GET", "PUT"]),
    Route(API + "/skills/{skill_id}/parameters/time-zones", time_zones, methods=["GET", "PUT"]),
    Route(API + "/skills/{skill_id}/start", start_skill, methods=["POST"]),
    Route(API + "/skills/{skill_id}/stop", stop_skill, methods=["POST"]),
    Route(API + "/dnc-groups", dnc_groups, methods=["GET"]),
    Route(API + "/dnc-groups/{group_id}", dnc_group, methods=["GET"]),
    Route(API + "/dnc-groups/{group_id}/scrubbed-skills", scrubbed_skills, methods=["GET"]),
    Route(API + "/business-unit", business_unit, methods=["GET"]),
    Route("/_sandbox/skills/{skill_id}/touch", touch_skill, methods=["POST"]),
]
