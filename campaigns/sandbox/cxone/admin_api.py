"""The sandbox's second personality: a real tenant's ACD Admin API (shared/design/cxone-admin-api.md, its
"Exact shapes"; campaigns/cxone/contract/admin-api.json holds them as data), at the same paths as under a real
tenant's base URL. On with `cxone_sandbox --api admin` (config.api = "admin").

- GET /.well-known/cxone-configuration?tenantId=… → {api_endpoint, auth_endpoint, area, cluster}
- POST /auth/token: the application's client id/secret as HTTP Basic; grant_type=password with the access key
  id/secret as username/password, or grant_type=refresh_token → {access_token, refresh_token, id_token,
  expires_in}. The id_token's payload carries tenantId (unsigned: a stand-in).
- /inContactAPI/services/vNN.0/…: skills (admin_skills.py), their parameter groups (admin_parameters.py), DNC
  groups, calling lists and the business unit (admin_lists.py), in the shapes of pc_shapes.py.
Errors are {error, errorDescription}; a 429 carries no Retry-After unless the admin_retry_after knob says so. The
fault knobs (latency, 5xx, drops, token lifetime, rate limit) apply as to the v2 personality.
"""

from __future__ import annotations

import base64
import hmac
import json
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.sandbox.cxone import admin_lists, admin_parameters, admin_skills
from campaigns.sandbox.cxone.admin_common import API, admin_error, rate_limit
from campaigns.sandbox.cxone.auth import basic_credentials
from campaigns.sandbox.responses import MAX_BODY_BYTES
from campaigns.sandbox.state import state_of


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
    rate_limit(state, client[0])
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


# Literal paths before parameters: /skills/parameters is not the skill "parameters".
routes = [
    Route("/.well-known/cxone-configuration", discovery, methods=["GET"]),
    Route("/auth/token", token, methods=["POST"]),
    Route(API + "/skills", admin_skills.list_skills, methods=["GET"]),
    Route(API + "/skills/parameters", admin_parameters.every_skills_parameters, methods=["GET"]),
    Route(API + "/skills/{skill_id}", admin_skills.get_skill, methods=["GET"]),
    Route(API + "/skills/{skill_id}/parameters", admin_parameters.parameters, methods=["GET"]),
    Route(
        API + "/skills/{skill_id}/parameters/schedule-settings",
        admin_parameters.schedule_settings,
        methods=["GET", "PUT"],
    ),
    Route(
        API + "/skills/{skill_id}/parameters/retry-settings", admin_parameters.retry_settings, methods=["GET", "PUT"]
    ),
    Route(API + "/skills/{skill_id}/parameters/general-settings", admin_parameters.general_settings, methods=["PUT"]),
    Route(API + "/skills/{skill_id}/parameters/time-zones", admin_parameters.time_zones, methods=["GET", "PUT"]),
    Route(API + "/skills/{skill_id}/start", admin_skills.start_skill, methods=["POST"]),
    Route(API + "/skills/{skill_id}/stop", admin_skills.stop_skill, methods=["POST"]),
    Route(API + "/dnc-groups", admin_lists.dnc_groups, methods=["GET"]),
    Route(API + "/dnc-groups/{group_id}", admin_lists.dnc_group, methods=["GET"]),
    Route(API + "/dnc-groups/{group_id}/scrubbed-skills", admin_lists.scrubbed_skills, methods=["GET"]),
    Route(API + "/lists/call-lists", admin_lists.call_lists, methods=["GET"]),
    Route(API + "/lists/call-lists/{list_id}", admin_lists.call_list, methods=["GET"]),
    Route(API + "/business-unit", admin_lists.business_unit, methods=["GET"]),
    Route("/_sandbox/skills/{skill_id}/touch", admin_skills.touch_skill, methods=["POST"]),
]
