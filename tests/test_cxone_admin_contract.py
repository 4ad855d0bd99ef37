"""The Admin API's contract (campaigns/cxone/contract/admin-api.json) holds both sides: every answer the sandbox's
Admin personality gives, under every knob for what the sources leave open, and every request our client sends.
A guess either side makes that the published shapes do not allow fails here, whatever the other side does."""

from __future__ import annotations

import asyncio
import json

import httpx
import jsonschema
import pytest

from campaigns.cxone.factory import run_sync
from campaigns.sandbox import create_app
from campaigns.scheduling.weekly import fit_weekly
from tests.admin_contract import AdminContract, ContractTransport, admin_contract
from tests.cxone_support import BASE_URL, admin_asgi_client, admin_config

API = "/inContactAPI/services/v31.0"
# The operations of the contract the client itself never calls (the sandbox serves them; tests reach them).
NOT_CALLED_BY_THE_CLIENT = {"listCallLists"}


def test_every_schema_of_the_contract_is_valid_json_schema():
    contract = admin_contract()
    for name, schema in contract.document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name
    assert {op.operation_id for op in contract.operations} >= {"listSkills", "listSkillParameters", "getCallList"}


def test_the_sandbox_serves_exactly_the_contracts_operations():
    app = create_app(admin_config(campaigns=2))
    contract = admin_contract()
    served = set()
    for route in app.routes:
        if route.path.startswith("/_sandbox/") or route.path.startswith("/wfm/"):
            continue
        for method in route.methods - {"HEAD"}:
            path = route.path.replace("{version}", "v31.0").replace("{skill_id}", "1001")
            path = path.replace("{group_id}", "1").replace("{list_id}", "71")
            op, _ = contract.operation(method, path)
            assert op is not None, f"{method} {route.path} is served but not in the contract"
            served.add(op.operation_id)
    assert served == {op.operation_id for op in contract.operations}


class Tour:
    """Calls the sandbox directly (not through our client) and holds each answer to the contract."""

    def __init__(self, app, contract: AdminContract, *, records: bool = True):
        self.app, self.contract, self.records = app, contract, records
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)
        self.token = ""
        self.problems: list[str] = []
        self.statuses: dict[str, set[int]] = {}

    async def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", None) or ({"Authorization": f"Bearer {self.token}"} if self.token else {})
        response = await self.http.request(method, path, headers=headers, **kwargs)
        self.problems += self.contract.check_response(response.request, response.status_code, response.headers,
                                                      response.content)  # fmt: skip
        op, _ = self.contract.operation(method, response.request.url.path)
        self.statuses.setdefault(op.operation_id if op else "?", set()).add(response.status_code)
        return response

    async def run(self) -> None:
        state = self.app.state
        await self.call("GET", "/.well-known/cxone-configuration", params={"tenantId": "nobody"})
        await self.call("GET", "/.well-known/cxone-configuration", params={"tenantId": "sandbox-tenant"})
        await self.call("POST", "/auth/token", data={"grant_type": "password", "username": "x", "password": "y"},
                        auth=("demo", "demo-secret"))  # fmt: skip
        await self.call("POST", "/auth/token", data={"grant_type": "password", "username": "demo-key",
                        "password": "demo-key-secret"}, auth=("nobody", "nothing"))  # fmt: skip
        answer = await self.call("POST", "/auth/token", auth=("demo", "demo-secret"),
                                 data={"grant_type": "password", "username": "demo-key",
                                       "password": "demo-key-secret"})  # fmt: skip
        refresh = answer.json()["refresh_token"]
        await self.call("POST", "/auth/token", auth=("demo", "demo-secret"),
                        data={"grant_type": "refresh_token", "refresh_token": refresh})  # fmt: skip
        await self.call("GET", f"{API}/skills")  # no token: 401
        self.token = state.issue_token("demo", frozenset())[0]
        poll = (await self.call("GET", f"{API}/skills", params={"skip": 0, "top": 3})).json()["lastPollTime"]
        await self.call("GET", f"{API}/skills", params={"top": 500})
        await self.call("GET", f"{API}/skills", params={"updatedSince": poll})
        await self.call("GET", f"{API}/skills/parameters")
        for skill in ("1001", "9001", "4242"):
            await self.call("GET", f"{API}/skills/{skill}")
            await self.call("GET", f"{API}/skills/{skill}/parameters")
        base = f"{API}/skills/1001/parameters"
        await self.call("GET", base + "/schedule-settings")
        weekdays = fit_weekly("0 9 * * 1-5", 480).schedule.to_settings()
        every_day = fit_weekly("0 9 * * *", 480).schedule.to_settings()
        await self.call("PUT", base + "/schedule-settings", json={"scheduleSettings": weekdays})
        await self.call("PUT", base + "/schedule-settings", json={"scheduleSettings": every_day})
        nine_am = {**every_day, "mondayStartTime": "9am"}
        await self.call("PUT", base + "/schedule-settings", json={"scheduleSettings": nine_am})
        retry = (await self.call("GET", base + "/retry-settings")).json()
        retry = retry.get("retrySettings", retry)
        await self.call("PUT", base + "/retry-settings", json={"retrySettings": {**retry, "maximumAttempts": 4}})
        week_long = {**retry, "restrictedCallingMinutes": 10080}  # 7 days do not fit the field
        await self.call("PUT", base + "/retry-settings", json={"retrySettings": week_long})
        general = {"maximumAttempts": 5, "minimumRetryMinutes": 2}
        await self.call("PUT", base + "/general-settings", json={"generalSettings": general})
        await self.call("GET", base + "/time-zones")
        await self.call("PUT", base + "/time-zones", json={"timeZoneSettings": [
            {"standardName": "Eastern Standard Time", "timeZoneActiveToCall": True},
            {"standardName": "Mars Standard Time", "timeZoneActiveToCall": True}]})  # fmt: skip
        await self.call("POST", f"{API}/skills/1001/stop")
        await self.call("POST", f"{API}/skills/1001/stop")  # not running: 404
        await self.call("POST", f"{API}/skills/1001/start")
        await self.call("POST", f"{API}/skills/1001/start")  # starting: 409
        await self.call("PUT", base + "/schedule-settings", json={"scheduleSettings": every_day})  # starting: 409
        await self.call("GET", f"{API}/dnc-groups")
        for group in state.pc.dnc_groups:
            await self.call("GET", f"{API}/dnc-groups/{group}")
            await self.call("GET", f"{API}/dnc-groups/{group}/scrubbed-skills", params={"skip": 0, "top": 2})
        await self.call("GET", f"{API}/dnc-groups/999")
        await self.call("GET", f"{API}/lists/call-lists")
        some_list = next(iter(state.pc.call_lists))
        if self.records:  # thousands of records to hold to the contract: once is enough (no knob changes them)
            await self.call("GET", f"{API}/lists/call-lists/{some_list}", params={"includeRecords": "true"})
        await self.call("GET", f"{API}/lists/call-lists/{some_list}")
        await self.call("GET", f"{API}/lists/call-lists/999")
        await self.call("GET", f"{API}/business-unit")
        state.config.update({"rate_limit": 0.01, "burst": 1})
        state.buckets.clear()
        await self.call("GET", f"{API}/business-unit")
        await self.call("GET", f"{API}/business-unit")  # 429
        await self.http.aclose()


# Each value of each knob, and every pair of two knobs' values, at least once (a pairwise cover of the 16).
KNOBS = [
    ("flat", "name", False, True),
    ("wrapped", "standardName", True, True),
    ("flat", "standardName", True, False),
    ("wrapped", "name", False, False),
    ("flat", "name", True, False),
    ("wrapped", "standardName", False, True),
]


@pytest.mark.parametrize(("retry_get", "zone_field", "retry_after", "all_days"), KNOBS)
def test_every_answer_of_the_sandbox_is_in_the_contract_under_every_knob(retry_get, zone_field, retry_after,
                                                                         all_days):  # fmt: skip
    app = create_app(admin_config(campaigns=6, admin_retry_get=retry_get, admin_zone_name_field=zone_field,
                                  admin_retry_after=retry_after, admin_require_all_days=all_days))  # fmt: skip
    tour = Tour(app, admin_contract(), records=(retry_get, zone_field, retry_after, all_days) == KNOBS[0])
    asyncio.run(tour.run())
    assert tour.problems == []
    assert 204 in tour.statuses["listScrubbedSkills"] and 429 in tour.statuses["getBusinessUnit"]
    assert (400 in tour.statuses["putScheduleSettings"]) is True  # the time format, and days off when on
    assert tour.statuses["startSkill"] == {202, 409} and tour.statuses["stopSkill"] == {202, 404}


def test_the_contract_refuses_the_guesses_the_client_was_built_on():
    contract = admin_contract()
    request = httpx.Request("GET", f"{BASE_URL}{API}/dnc-groups")
    headers = {"content-type": "application/json"}
    flat_groups = json.dumps({"dncGroups": [{"dncGroupId": 1, "dncGroupName": "x", "recordCount": 5}]}).encode()
    assert contract.check_response(request, 200, headers, flat_groups)  # a top-level dncGroups is not it
    combined = httpx.Request("GET", f"{BASE_URL}{API}/skills/1001/parameters")
    one_item = {"scheduleSettings": {"isScheduled": True, "schedules": [
        {"day": "Monday", "active": True, "startTime": "09:00", "endTime": "17:00"}]},
        "retrySettings": {}, "generalSettings": {}}  # fmt: skip
    assert contract.check_response(combined, 200, headers, json.dumps(one_item).encode())
    scrubbed = httpx.Request("GET", f"{BASE_URL}{API}/dnc-groups/1/scrubbed-skills")
    assert contract.check_response(scrubbed, 200, headers, json.dumps({"skills": [{"skillId": 1}]}).encode())
    flat_put = httpx.Request("PUT", f"{BASE_URL}{API}/skills/1001/parameters/schedule-settings",
                             json=fit_weekly("0 9 * * *", 60).schedule.to_settings(),
                             headers={"Authorization": "Bearer t"})  # fmt: skip
    assert contract.check_request(flat_put)  # the PUT must wrap it in {scheduleSettings: ...}
    guessed_param = httpx.Request("GET", f"{BASE_URL}{API}/skills", params={"since": "2026-01-01T00:00:00Z"},
                                  headers={"Authorization": "Bearer t"})  # fmt: skip
    assert contract.check_request(guessed_param)


def test_a_client_that_leaves_the_contract_fails_the_call():
    app = create_app(admin_config(campaigns=2))
    client = admin_asgi_client(app)
    with pytest.raises(AssertionError, match="not in the contract"):
        run_sync(client._api("GET", "/skills", params={"since": "2026-01-01T00:00:00Z"}))
    run_sync(client.aclose())


def test_every_request_the_client_sends_is_in_the_contract(monkeypatch):
    app = create_app(admin_config(campaigns=6))
    client = admin_asgi_client(app)
    checker: ContractTransport = client.transport.contract

    async def everything():
        page = await client.list_campaigns(top=100)
        campaign = page.campaigns[0]
        await client.get_contact_list(campaign.contact_list.id)
        await client.get_dnc_list(campaign.dnc_list_id)
        await client.changed_campaigns(page.last_poll_time)
        app.state.pc.touched(campaign.id, app.state.now_iso())
        await client.changed_campaigns(page.last_poll_time)
        schedule = campaign.schedule.model_copy(update={"cron_expression": "0 10 * * *", "duration_minutes": 300})
        policy = schedule.retry_policy.model_copy(update={"max_attempts": 2, "restricted_calling_minutes": 1440,
                                                          "restricted_calling_max_attempts": 3})  # fmt: skip
        await client.stop_skill(campaign.id)
        written = campaign.with_schedule(schedule.model_copy(update={"retry_policy": policy}))
        await client.put_campaign_once(written, base_version=campaign.version)
        await client.put_time_zones(campaign.id, [{"standardName": "Eastern Standard Time"}])
        await client.get_time_zones(campaign.id)
        own = admin_asgi_client(app, schedule_read="schedule-settings")
        await own.get_campaign(campaign.id)
        await own.get_contact_list(f"skill-zones-{campaign.id}")
        await own.aclose()
        return own.transport.contract.seen

    seen = {**run_sync(everything())}
    for name, count in checker.seen.items():
        seen[name] = seen.get(name, 0) + count
    assert checker.violations == []
    used = {op.operation_id for op in admin_contract().operations} - NOT_CALLED_BY_THE_CLIENT
    assert used - set(seen) == set()
    run_sync(client.aclose())
