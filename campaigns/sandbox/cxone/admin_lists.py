"""DNC groups, calling lists and the business unit in the sandbox's Admin personality, in the published shapes:
DNC groups wrapped in `resultSet` (size `validRecords`), a group's scrubbed skills paged and 204 with no body when
it scrubs none; calling lists with the skills that dial them, and one list's contact records (state, zip, time
zone) with includeRecords=true."""

from __future__ import annotations

import copy

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from campaigns.sandbox.cxone import pc_shapes
from campaigns.sandbox.cxone.admin_common import admin_error, authorize, paging
from campaigns.sandbox.state import SandboxState


def _result_set(groups: list[dict]) -> dict:
    return {"resultSet": {"totalGroups": len(groups), "dncGroups": [pc_shapes.dnc_group(g) for g in groups]}}


async def dnc_groups(request: Request) -> JSONResponse:
    state = authorize(request)
    with state.lock:
        return JSONResponse(_result_set(list(state.pc.dnc_groups.values())))


def _group_id(request: Request, state: SandboxState) -> str:
    group_id = request.path_params["group_id"]
    if group_id not in state.pc.dnc_groups:
        raise admin_error(404, "NotFound", f"No DNC group {group_id}")
    return group_id


async def dnc_group(request: Request) -> JSONResponse:
    state = authorize(request)
    with state.lock:
        return JSONResponse(_result_set([state.pc.dnc_groups[_group_id(request, state)]]))


async def scrubbed_skills(request: Request) -> Response:
    state = authorize(request)
    skip, top = paging(request)
    with state.lock:
        skills = sorted(state.pc.scrubbed[_group_id(request, state)])
        if not skills:
            return Response(status_code=204)  # none: no body at all
        page = [
            {"skillId": s, "skillName": state.pc.skills[str(s)]["skillName"]} for s in skills[skip : skip + top]
        ]
    base = request.url.path.rsplit("/", 1)[-1]
    links = {"self": f"{base}?skip={skip}&top={top}", "next": None}
    if skip + top < len(skills):
        links["next"] = f"{base}?skip={skip + top}&top={top}"
    return JSONResponse({"totalRecords": len(skills), "_links": links, "scrubbedSkills": page})


async def call_lists(request: Request) -> JSONResponse:
    state = authorize(request)
    skip, top = paging(request)
    with state.lock:
        ids = sorted(state.pc.call_lists, key=int)
        page = [pc_shapes.call_list(state.pc, i) for i in ids[skip : skip + top]]
    return JSONResponse({"totalRecords": len(ids), "callingLists": page})


async def call_list(request: Request) -> JSONResponse:
    state = authorize(request)
    list_id = request.path_params["list_id"]
    with state.lock:
        found = state.pc.call_lists.get(list_id)
        if found is None:
            raise admin_error(404, "NotFound", f"No calling list {list_id}")
        answer = pc_shapes.call_list(state.pc, list_id)
        found = copy.deepcopy(found)
    if request.query_params.get("includeRecords") == "true":
        answer["totalRecords"] = pc_shapes.list_size(found)
        answer["contactRecords"] = list(pc_shapes.records(found))
    return JSONResponse(answer)


async def business_unit(request: Request) -> JSONResponse:
    state = authorize(request)
    with state.lock:
        return JSONResponse({"businessUnits": [copy.deepcopy(state.pc.business_unit)]})
