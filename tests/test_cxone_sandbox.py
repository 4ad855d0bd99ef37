"""The sandbox itself, spoken to with plain HTTP: seed data, every status code of the contract, knobs, stats,
and bad input that never gets a 500."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.sandbox import create_app
from campaigns.sandbox.cxone.seed import ZONES
from tests.cxone_support import fast_config

CAMPAIGNS = "/api/v2/outbound/campaigns"
FORM = {"grant_type": "client_credentials", "client_id": "demo", "client_secret": "demo-secret"}


def http(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")


async def bearer(client: httpx.AsyncClient, scope: str | None = None) -> dict[str, str]:
    response = await client.post("/oauth2/token", data={**FORM, **({"scope": scope} if scope else {})})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def app():
    return create_app(fast_config())


def test_the_same_seed_gives_the_same_tenant_and_another_seed_another():
    first, again, other = (create_app(fast_config(seed=s)).state for s in (7, 7, 8))
    assert first.campaigns == again.campaigns and first.contact_lists == again.contact_lists
    assert first.campaigns != other.campaigns


def test_the_seed_covers_what_planners_meet_in_real_tenants():
    state = create_app(fast_config(campaigns=40)).state
    campaigns = list(state.campaigns.values())
    zones = {c["schedule"]["timezone"] for c in campaigns}
    assert len(zones & set(ZONES)) >= 6 and {"America/St_Johns", "Pacific/Honolulu"} <= zones
    assert len(state.skills) >= 3
    assert {d["state"] for d in state.dnc_lists.values()} == {"ACTIVE", "INACTIVE"}
    assert any(c["dncListId"] in ("D-5", "D-6") for c in campaigns)
    shapes = {"nested" if "regulatory" in r else "flat" for c in campaigns for r in c["dncRules"]}
    assert shapes == {"nested", "flat"}
    tags = [{r.get("type") or r["regulatory"]["type"] for r in c["dncRules"]} for c in campaigns]
    assert any("STATE_DNC" not in t for t in tags) and any("STATE_DNC" in t for t in tags)
    regions = {e["state"] for cl in state.contact_lists.values() for e in cl["breakdown"]}
    assert {"FL", "TX"} <= regions
    assert any(len(e["timezones"]) > 1 for cl in state.contact_lists.values() for e in cl["breakdown"])
    pairs = {(c["skill"]["id"], c["contactList"]["id"]) for c in campaigns}
    assert len(pairs) < len(campaigns)  # some campaigns share a skill and a contact list
    assert {c["state"] for c in campaigns} >= {"ACTIVE", "PAUSED", "ERROR"}


async def test_the_token_endpoint_answers_every_status_of_the_contract():
    app = create_app(fast_config(rate_limit=0.001, burst=2, granted_scopes=["outbound:campaign:read"]))
    async with http(app) as client:
        ok = await client.post("/oauth2/token", data={**FORM, "scope": "outbound:campaign:read"})
        wrong = await client.post("/oauth2/token", data={**FORM, "client_secret": "nope"})
        scope = await client.post("/oauth2/token", data={**FORM, "scope": "outbound:dnc:read"})
        limited = await client.post("/oauth2/token", data=FORM)
        grant = await client.post("/oauth2/token", data={**FORM, "grant_type": "password"})
        not_form = await client.post("/oauth2/token", json=FORM)
    assert ok.status_code == 200 and ok.json()["token_type"] == "Bearer" and ok.json()["expires_in"] == 3600
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (scope.status_code, scope.json()["error"]) == (403, "insufficient_scope")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    assert not_form.status_code == 400


async def test_api_calls_need_a_valid_bearer_token_with_the_right_scope(app):
    async with http(app) as client:
        missing = await client.get(f"{CAMPAIGNS}/C-1001")
        unknown = await client.get(f"{CAMPAIGNS}/C-1001", headers={"Authorization": "Bearer forged"})
        read_only = await bearer(client, "outbound:campaign:read")
        no_scope = await client.get("/api/v2/outbound/dnc/D-1", headers=read_only)
        app.state.clock.advance(3601)
        expired = await client.get(f"{CAMPAIGNS}/C-1001", headers=read_only)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert unknown.status_code == 401
    assert (no_scope.status_code, no_scope.json()["code"]) == (403, "scope.missing")
    assert expired.status_code == 401


async def test_the_rate_limit_answers_429_with_or_without_retry_after():
    app = create_app(fast_config(rate_limit=1, burst=2))
    async with http(app) as client:
        auth = await bearer(client)
        assert (await client.get(f"{CAMPAIGNS}/C-1001", headers=auth)).status_code == 200
        limited = await client.get(f"{CAMPAIGNS}/C-1001", headers=auth)
        app.state.config.update({"omit_retry_after": True})
        bare = await client.get(f"{CAMPAIGNS}/C-1001", headers=auth)
        app.state.clock.advance(1)
        again = await client.get(f"{CAMPAIGNS}/C-1001", headers=auth)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert bare.status_code == 429 and "Retry-After" not in bare.headers
    assert again.status_code == 200


async def test_list_parameters_outside_the_contract_get_422(app):
    async with http(app) as client:
        auth = await bearer(client)
        answers = [
            await client.get(CAMPAIGNS, params=params, headers=auth)
            for params in ({"top": 101}, {"top": 0}, {"skip": -1}, {"skip": "x"}, {"state": "SLEEPING"})
        ]
    assert [a.status_code for a in answers] == [422] * 5
    assert answers[0].json()["details"][0]["field"] == "top"


async def put(client, auth, campaign_id: str, body) -> httpx.Response:
    return await client.put(f"{CAMPAIGNS}/{campaign_id}", json=body, headers=auth)


async def current(client, auth, campaign_id: str = "C-1001") -> dict:
    return (await client.get(f"{CAMPAIGNS}/{campaign_id}", headers=auth)).json()


async def test_a_put_is_validated_field_by_field(app):
    async with http(app) as client:
        auth = await bearer(client)
        body = {**(await current(client, auth)), "state": "DRAFT"}
        body["version"] += 1
        cases = {
            "schedule.cronExpression": {"cronExpression": "0 9 * * 1-5 2026"},
            "schedule.timezone": {"timezone": "America/Gotham"},
            "schedule.durationMinutes": {"durationMinutes": 0},
            "schedule.endTime": {"startTime": "2027-01-01T00:00:00Z", "endTime": "2026-01-01T00:00:00Z"},
            "schedule.retryPolicy.maxAttempts": {
                "retryPolicy": {"maxAttempts": 11, "retryIntervalMs": 60000}
            },
            "schedule.retryPolicy.retryIntervalMs": {
                "retryPolicy": {"maxAttempts": 3, "retryIntervalMs": 59999}
            },
        }
        for field, change in cases.items():
            answer = await put(client, auth, "C-1001", {**body, "schedule": {**body["schedule"], **change}})
            assert answer.status_code == 422, field
            assert field in [d["field"] for d in answer.json()["details"]], (field, answer.json())
        malformed = await client.put(f"{CAMPAIGNS}/C-1001", content=b"{not json", headers=auth)
        unparseable_cron = {**body["schedule"], "cronExpression": "61 9 * * 1-5"}
        cron = await put(client, auth, "C-1001", {**body, "schedule": unparseable_cron})
    assert malformed.status_code == 422 and malformed.json()["details"][0]["message"] == "malformed JSON"
    assert cron.status_code == 422


async def test_a_put_answers_404_409_and_403_locked_as_the_contract_says(app):
    async with http(app) as client:
        auth = await bearer(client)
        body = {**(await current(client, auth)), "state": "DRAFT"}
        stale = await put(client, auth, "C-1001", body)  # same version, not version + 1
        missing = await put(client, auth, "C-0404", body)
        body["version"] += 1
        accepted = await put(client, auth, "C-1001", body)
        locked = await put(client, auth, "C-1001", {**body, "version": body["version"] + 1})
        app.state.clock.advance(1)
        after = await current(client, auth)
    assert stale.status_code == 409 and stale.json() == {
        "code": "version.mismatch",
        "currentVersion": body["version"] - 1,
        "message": "Version mismatch",
    }
    assert (missing.status_code, missing.json()["code"]) == (404, "campaign.not_found")
    assert accepted.status_code == 200 and accepted.json()["state"] == "DRAFT"
    assert (locked.status_code, locked.json()["code"]) == (403, "campaign.locked")
    assert after["state"] == "ACTIVE" and after["version"] == body["version"]


async def test_activation_outcomes_follow_the_failure_knobs():
    app = create_app(fast_config(failure_rate=1.0))
    async with http(app) as client:
        auth = await bearer(client)
        body = {**(await current(client, auth)), "state": "DRAFT"}
        body["version"] += 1
        assert (await put(client, auth, "C-1001", body)).status_code == 200
        app.state.clock.advance(1)
        failed = await current(client, auth)
        app.state.config.update({"failure_rate": 0.0, "error_rate": 1.0})
        body["version"] += 1
        await put(client, auth, "C-1001", body)
        app.state.clock.advance(1)
        errored = await current(client, auth)
        stats = (await client.get("/_sandbox/stats")).json()
    assert failed["state"] == "FAILED" and failed["errors"][0]["code"] == "platform.failure"
    assert errored["state"] == "ERROR" and errored["errors"]
    assert stats["putsPerCampaign"] == {"C-1001": 2}
    assert [a["outcome"] for a in stats["activations"]["C-1001"]] == ["FAILED", "ERROR"]
    assert stats["becameActive"] == {}


async def test_the_stats_tell_requests_by_route_and_status_and_when_campaigns_became_active(app):
    async with http(app) as client:
        auth = await bearer(client)
        body = {**(await current(client, auth)), "state": "DRAFT"}
        body["version"] += 1
        await put(client, auth, "C-1001", body)
        await client.get(f"{CAMPAIGNS}/C-0404", headers=auth)
        app.state.clock.advance(1)
        stats = (await client.get("/_sandbox/stats")).json()
    assert stats["requests"]["GET /api/v2/outbound/campaigns/{campaign_id}"] == {"200": 1, "404": 1}
    assert stats["requests"]["PUT /api/v2/outbound/campaigns/{campaign_id}"] == {"200": 1}
    assert stats["tokensIssued"] == 1
    assert stats["becameActive"]["C-1001"] == stats["activations"]["C-1001"][0]["endedAt"]


async def test_knobs_change_at_run_time_through_the_admin_api(app):
    async with http(app) as client:
        changed = await client.patch("/_sandbox/config", json={"server_error_rate": 1.0, "latency_ms": "0-1"})
        refused = await client.patch("/_sandbox/config", json={"drop_rate": 2, "warp_speed": 9})
        auth = await bearer(client)
        failing = await client.get(f"{CAMPAIGNS}/C-1001", headers=auth)
        config = (await client.get("/_sandbox/config")).json()
    assert (
        changed.status_code == 200 and config["server_error_rate"] == 1.0 and config["latency_ms"] == [0, 1]
    )
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["details"]} == {"drop_rate", "warp_speed"}
    assert failing.status_code == 503
    assert config["client_secret"] == "***"


async def test_the_admin_api_can_change_or_remove_a_campaign_behind_the_planners_back(app):
    async with http(app) as client:
        auth = await bearer(client)
        before = await current(client, auth, "C-1002")
        touched = await client.post("/_sandbox/campaigns/C-1002/touch", json={"name": "Renamed"})
        deleted = await client.delete("/_sandbox/campaigns/C-1003")
        gone = await client.get(f"{CAMPAIGNS}/C-1003", headers=auth)
        bad = await client.post("/_sandbox/campaigns/C-1002/touch", json={"version": 1})
    assert touched.json()["version"] == before["version"] + 1 and touched.json()["name"] == "Renamed"
    assert deleted.status_code == 200 and gone.status_code == 404 and bad.status_code == 422


@pytest.mark.parametrize("seconds", [1e18, 10**30, 1e308, 40 * 365 * 86400 * 1000])
async def test_a_clock_advance_it_could_not_show_is_refused_and_the_sandbox_keeps_working(app, seconds):
    async with http(app) as client:
        refused = await client.post("/_sandbox/clock/advance", json={"seconds": seconds})
        later = await client.post("/_sandbox/clock/advance", json={"seconds": 60})
        touched = await client.post("/_sandbox/campaigns/C-1002/touch", json={"name": "Renamed"})
        listed = await client.get(CAMPAIGNS, headers=await bearer(client))
    assert refused.status_code == 422
    detail = refused.json()["details"][0]
    assert detail["field"] == "seconds" and detail["message"].startswith("would move the clock past 3000-01-01")
    assert later.status_code == 200 and touched.status_code == 200 and listed.status_code == 200


async def test_the_touch_control_changes_schedule_fields_as_someone_in_the_cxone_ui_would(app):
    async with http(app) as client:
        auth = await bearer(client)
        before = await current(client, auth, "C-1002")
        edit = {"schedule": {"cronExpression": "0 10 * * 1-5", "retryPolicy": {"maxAttempts": 7}}}
        touched = await client.post("/_sandbox/campaigns/C-1002/touch", json=edit)
        after = await current(client, auth, "C-1002")
    schedule = after["schedule"]
    assert touched.status_code == 200 and after["version"] == before["version"] + 1
    assert schedule["cronExpression"] == "0 10 * * 1-5" and schedule["retryPolicy"]["maxAttempts"] == 7
    # Only the fields named change: the rest of the schedule and of its retry policy stay as they were.
    assert schedule["durationMinutes"] == before["schedule"]["durationMinutes"]
    kept = {k: v for k, v in schedule["retryPolicy"].items() if k != "maxAttempts"}
    assert kept == {k: v for k, v in before["schedule"]["retryPolicy"].items() if k != "maxAttempts"}


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"cronExpression": "0 9 * *"}, "schedule.cronExpression"),
        ({"durationMinutes": 0}, "schedule.durationMinutes"),
        ({"timezone": "Mars/Olympus_Mons"}, "schedule.timezone"),
        ({"retryPolicy": {"retryIntervalMs": 1000}}, "schedule.retryPolicy.retryIntervalMs"),
        ({"colour": "red"}, "schedule.colour"),
    ],
)
async def test_a_schedule_edit_cxone_would_refuse_is_refused_and_changes_nothing(app, edit, field):
    async with http(app) as client:
        auth = await bearer(client)
        before = await current(client, auth, "C-1002")
        refused = await client.post("/_sandbox/campaigns/C-1002/touch", json={"schedule": edit})
        after = await current(client, auth, "C-1002")
    assert refused.status_code == 422 and field in {d["field"] for d in refused.json()["details"]}
    assert after == before


async def test_a_campaign_can_be_deleted_while_a_client_pages_through_the_list(app):
    async with http(app) as client:
        auth = await bearer(client)
        knob = await client.patch("/_sandbox/config", json={"delete_while_paging": "C-1002"})
        first = (await client.get(CAMPAIGNS, params={"skip": 0, "top": 10}, headers=auth)).json()
        second = (await client.get(CAMPAIGNS, params={"skip": 10, "top": 10}, headers=auth)).json()
        again = (await client.get(CAMPAIGNS, params={"skip": 0, "top": 10}, headers=auth)).json()
        refused = await client.patch("/_sandbox/config", json={"delete_while_paging": 7})
    assert knob.status_code == 200 and refused.status_code == 422
    # C-1002 was on the first page; deleting it shifts the list, so the second page skips C-1011.
    assert "C-1002" in [c["id"] for c in first["campaigns"]]
    assert [c["id"] for c in second["campaigns"]][0] == "C-1012" and second["totalRecords"] == 39
    assert "C-1002" not in [c["id"] for c in again["campaigns"]] and again["totalRecords"] == 39


async def test_chosen_paths_can_be_made_to_fail_with_503(app):
    async with http(app) as client:
        auth = await bearer(client)
        await client.patch(
            "/_sandbox/config", json={"failing_paths": ["/api/v2/outbound/contact-lists/L-72"]}
        )
        failing = await client.get("/api/v2/outbound/contact-lists/L-72", headers=auth)
        other = await client.get("/api/v2/outbound/contact-lists/L-71", headers=auth)
        refused = await client.patch("/_sandbox/config", json={"failing_paths": "L-72"})
    assert (failing.status_code, other.status_code, refused.status_code) == (503, 200, 422)


async def test_unknown_routes_and_methods_get_json_errors_not_500(app):
    async with http(app) as client:
        unknown = await client.get("/api/v2/outbound/nothing-here")
        method = await client.delete(f"{CAMPAIGNS}/C-1001")
    assert unknown.status_code == 404 and unknown.json()["code"] == "route.not_found"
    assert method.status_code == 405


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
put_fields = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "name": json_values,
        "state": st.sampled_from(["DRAFT", "ACTIVE", 1]),
        "version": st.one_of(json_values, st.just("next")),
        "skill": st.one_of(json_values, st.fixed_dictionaries({"id": st.sampled_from(["S-10", "S-x", 5])})),
        "contactList": json_values,
        "dncListId": json_values,
        "dncRules": json_values,
        "schedule": st.one_of(
            json_values,
            st.fixed_dictionaries(
                {},
                optional={
                    "timezone": st.one_of(
                        json_values, st.sampled_from(["America/Chicago", "../../etc/passwd", ""])
                    ),
                    "cronExpression": st.one_of(json_values, st.sampled_from(["0 9 * * 1-5", "* * * * * *"])),
                    "durationMinutes": json_values,
                    "startTime": json_values,
                    "endTime": json_values,
                    "retryPolicy": json_values,
                },
            ),
        ),
    },
)


@settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(json_values, put_fields),
    raw=st.binary(max_size=30),
    query=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30),
)
async def test_bad_input_never_gets_a_500(body, raw, query):
    app = create_app(fast_config())
    async with http(app) as client:
        auth = await bearer(client)
        version = app.state.campaigns["C-1001"]["version"]
        if isinstance(body, dict) and body.get("version") == "next":
            body["version"] = version + 1
        answers = [
            await put(client, auth, "C-1001", body),
            await client.put(f"{CAMPAIGNS}/C-1001", content=raw, headers=auth),
            await client.get(f"{CAMPAIGNS}?{query}", headers=auth),
            await client.post(
                "/oauth2/token", content=raw, headers={"Content-Type": "application/x-www-form-urlencoded"}
            ),
            await client.patch("/_sandbox/config", json=body),
            await client.post(
                "/wfm/webhook",
                content=raw,
                headers={"webhook-id": "k", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
            ),
        ]
    assert all(answer.status_code < 500 for answer in answers), [a.text for a in answers]
