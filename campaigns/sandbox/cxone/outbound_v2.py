"""The /api/v2/outbound routes of the contract: campaigns (list, get, put, pause, resume), DNC lists, contact
lists."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.sandbox.cxone.auth import authorize
from campaigns.sandbox.cxone.validation import CAMPAIGN_STATES, is_int, validate_put
from campaigns.sandbox.responses import ApiError, int_param, not_found, read_json, unprocessable
from campaigns.sandbox.state import state_of

CAMPAIGNS = "/api/v2/outbound/campaigns"
MAX_TOP = 100
MAX_IDS = 500


async def list_campaigns(request: Request) -> JSONResponse:
    authorize(request, "outbound:campaign:read")
    state = state_of(request)
    skip = int_param(request, "skip", 0, 0, 10**9)
    top = int_param(request, "top", 50, 1, MAX_TOP)
    wanted_state = request.query_params.get("state")
    if wanted_state is not None and wanted_state not in CAMPAIGN_STATES:
        raise unprocessable("state", f"must be one of {', '.join(CAMPAIGN_STATES)}")
    ids = request.query_params.getlist("id")
    if len(ids) > MAX_IDS:
        raise unprocessable("id", f"at most {MAX_IDS} ids per request")
    wanted_ids = set(ids)
    with state.lock:
        state.settle()
        matching = [
            campaign
            for campaign_id, campaign in sorted(state.campaigns.items())
            if (not wanted_ids or campaign_id in wanted_ids)
            and (wanted_state is None or campaign["state"] == wanted_state)
        ]
        page = copy.deepcopy(matching[skip : skip + top])
        if skip == 0 and not ids and state.config.delete_while_paging:
            state.remove(state.config.delete_while_paging)  # the list shifts before the next page is read
            state.config.delete_while_paging = ""
    links = {"self": _link(skip, top, wanted_state, ids)}
    if skip + top < len(matching):
        links["next"] = _link(skip + top, top, wanted_state, ids)
    return JSONResponse({"totalRecords": len(matching), "campaigns": page, "_links": links})


def _link(skip: int, top: int, state: str | None, ids: list[str]) -> str:
    params: list[tuple[str, str | int]] = [("skip", skip), ("top", top)]
    if state:
        params.append(("state", state))
    params.extend(("id", campaign_id) for campaign_id in ids)
    return f"{CAMPAIGNS}?{urlencode(params)}"


async def get_campaign(request: Request) -> JSONResponse:
    authorize(request, "outbound:campaign:read")
    campaign = state_of(request).campaign(request.path_params["campaign_id"])
    if campaign is None:
        raise not_found("campaign")
    return JSONResponse(campaign)


async def put_campaign(request: Request) -> JSONResponse:
    authorize(request, "outbound:campaign:write")
    state = state_of(request)
    campaign_id = request.path_params["campaign_id"]
    body = await read_json(request)
    with state.lock:
        state.settle()
        current = state.campaigns.get(campaign_id)
        if current is None:
            raise not_found("campaign")
        if campaign_id in state.pending:
            raise ApiError(
                403, {"code": "campaign.locked", "message": "An earlier activation is still pending"}
            )
        if not isinstance(body, dict):
            raise unprocessable("", "expected a JSON object")
        version = body.get("version")
        if not is_int(version):
            raise unprocessable("version", "is required: the version read + 1")
        if version != current["version"] + 1:
            raise ApiError(
                409,
                {
                    "code": "version.mismatch",
                    "currentVersion": current["version"],
                    "message": "Version mismatch",
                },
            )
        known = {"skills": state.skills, "contact_lists": state.contact_lists, "dnc_lists": state.dnc_lists}
        problems = validate_put(body, campaign_id, known)
        if problems:
            raise ApiError(422, {"code": "validation.failed", "details": problems})
        return JSONResponse(state.store_put(campaign_id, body))


async def pause_campaign(request: Request) -> JSONResponse:
    """202; PAUSED after the activation delay. 409 campaign.state from DRAFT, ERROR or FAILED; repeatable."""
    return _dialling(request, "PAUSED")


async def resume_campaign(request: Request) -> JSONResponse:
    """202; ACTIVE after the activation delay. As pause otherwise."""
    return _dialling(request, "ACTIVE")


def _dialling(request: Request, wanted: str) -> JSONResponse:
    authorize(request, "outbound:campaign:write")
    state = state_of(request)
    campaign_id = request.path_params["campaign_id"]
    with state.lock:
        state.settle()
        current = state.campaigns.get(campaign_id)
        if current is None:
            raise not_found("campaign")
        if current["state"] not in ("ACTIVE", "PAUSED") or campaign_id in state.pending:
            raise ApiError(
                409, {"code": "campaign.state", "message": f"Cannot change dialling of a {current['state']} campaign"}
            )
        state.want_dialling(campaign_id, wanted)
    return JSONResponse({"id": campaign_id, "state": current["state"]}, status_code=202)


async def get_dnc_list(request: Request) -> JSONResponse:
    authorize(request, "outbound:dnc:read")
    found = state_of(request).dnc_lists.get(request.path_params["dnc_id"])
    if found is None:
        raise not_found("dnc_list")
    return JSONResponse(found)


async def get_contact_list(request: Request) -> JSONResponse:
    authorize(request, "outbound:contactlist:read")
    found = state_of(request).contact_lists.get(request.path_params["list_id"])
    if found is None:
        raise not_found("contact_list")
    return JSONResponse(found)


routes = [
    Route(CAMPAIGNS, list_campaigns, methods=["GET"]),
    Route(CAMPAIGNS + "/{campaign_id}", get_campaign, methods=["GET"]),
    Route(CAMPAIGNS + "/{campaign_id}", put_campaign, methods=["PUT"]),
    Route(CAMPAIGNS + "/{campaign_id}/pause", pause_campaign, methods=["POST"]),
    Route(CAMPAIGNS + "/{campaign_id}/resume", resume_campaign, methods=["POST"]),
    Route("/api/v2/outbound/dnc/{dnc_id}", get_dnc_list, methods=["GET"]),
    Route("/api/v2/outbound/contact-lists/{list_id}", get_contact_list, methods=["GET"]),
]
