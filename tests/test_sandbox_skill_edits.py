"""The Admin personality's touch control: someone edits a Personal Connection skill in the CXone UI (its week,
its retry fields, whether it runs), and the Admin API answers with the edit; edits a skill cannot hold are
refused whole."""

from __future__ import annotations

import httpx
import pytest

from campaigns.sandbox import create_app
from campaigns.sandbox.cxone.skill_edits import SkillEditRefused, edit_skill
from tests.cxone_support import admin_config

API = "/inContactAPI/services/v31.0"
SKILL = "1001"


@pytest.fixture
def app():
    return create_app(admin_config(campaigns=4))


def http(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")


async def bearer(client) -> dict:
    answer = await client.post(
        "/auth/token",
        data={"grant_type": "password", "username": "demo-key", "password": "demo-key-secret"},
        auth=("demo", "demo-secret"),
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def test_a_week_edited_in_cxone_is_what_the_admin_api_answers_next(app):
    app.state.clock.advance(60)  # CXone's lastUpdateTime moves on with the edit
    earlier = app.state.pc.skills[SKILL]["lastUpdateTime"]
    async with http(app) as client:
        touched = await client.post(
            f"/_sandbox/campaigns/{SKILL}/touch",
            json={"scheduleSettings": {"mondayStartTime": "06:30", "saturdayIsActive": False}},
        )
        auth = await bearer(client)
        week = (await client.get(f"{API}/skills/{SKILL}/parameters/schedule-settings", headers=auth)).json()
        skill = (await client.get(f"{API}/skills/{SKILL}", headers=auth)).json()["skills"][0]
    assert touched.status_code == 200
    assert (week["mondayStartTime"], week["saturdayIsActive"]) == ("06:30", False)
    assert skill["lastUpdateTime"] == touched.json()["skill"]["lastUpdateTime"] != earlier


async def test_a_skill_stopped_in_cxone_no_longer_runs_even_if_it_was_starting(app):
    app.state.pc.starting[SKILL] = (app.state.clock.now() + 5, True)
    async with http(app) as client:
        touched = await client.post(f"/_sandbox/campaigns/{SKILL}/touch", json={"isRunning": False})
        app.state.clock.advance(10)
        auth = await bearer(client)
        skill = (await client.get(f"{API}/skills/{SKILL}", headers=auth)).json()["skills"][0]
    assert touched.status_code == 200 and skill["isRunning"] is False


def test_retry_fields_are_kept_beside_the_week(app):
    state = app.state
    edited = edit_skill(
        state.pc, SKILL, {"retrySettings": {"maximumAttempts": 5, "finalizeWhenExhausted": True}},
        now_iso=state.now_iso(), time_format="%H:%M",
    )  # fmt: skip
    edited = edit_skill(
        state.pc, SKILL, {"retrySettings": {"maximumAttempts": 6}}, now_iso="x", time_format="%H:%M"
    )
    # The named fields change; the skill's other retry settings stay as they were.
    assert edited["retrySettings"]["maximumAttempts"] == 6
    assert edited["retrySettings"]["finalizeWhenExhausted"] is True
    assert edited["retrySettings"]["minimumRetryMinutes"] == state.pc.retry[SKILL]["minimumRetryMinutes"]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"scheduleSettings": {"mondayStartTime": "6 o'clock"}}, "scheduleSettings.mondayStartTime"),
        ({"scheduleSettings": {"funday": True}}, "scheduleSettings.funday"),
        ({"retrySettings": {"maximumAttempts": 301}}, "retrySettings.maximumAttempts"),
        ({"retrySettings": {"retryOnFullMoon": True}}, "retrySettings.retryOnFullMoon"),
        ({"isRunning": "no"}, "isRunning"),
        ({"name": "Renamed"}, "name"),
    ],
)
async def test_an_edit_a_skill_cannot_hold_is_refused_whole(app, edit, field):
    before = (dict(app.state.pc.schedules[SKILL]), dict(app.state.pc.skills[SKILL]))
    async with http(app) as client:
        refused = await client.post(f"/_sandbox/campaigns/{SKILL}/touch", json={"isRunning": False, **edit})
    assert refused.status_code == 422 and refused.json()["details"][0]["field"] == field
    assert (app.state.pc.schedules[SKILL], app.state.pc.skills[SKILL]) == before


async def test_an_unknown_skill_is_not_found(app):
    async with http(app) as client:
        answer = await client.post("/_sandbox/campaigns/4242/touch", json={"isRunning": False})
    assert answer.status_code == 404


def test_a_skill_without_a_week_of_its_own_cannot_be_edited_so(app):
    with pytest.raises(SkillEditRefused):
        edit_skill(app.state.pc, "9001", {"isRunning": False}, now_iso="x", time_format="%H:%M")
