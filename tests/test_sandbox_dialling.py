"""The sandbox's pause and resume (cxone-api.md, "Pausing and resuming dialling"), spoken to with plain HTTP and
through the v2 client: 202 and the new state after the activation delay, repeatable, 409 campaign.state from
DRAFT, ERROR or FAILED, 404 for an unknown campaign, no version change; every take recorded in the stats."""

from __future__ import annotations

import pytest

from campaigns.cxone import errors as cx
from campaigns.sandbox import create_app
from tests.cxone_support import asgi_client, fast_config
from tests.test_cxone_sandbox import CAMPAIGNS, bearer, http


@pytest.fixture
def app():
    return create_app(fast_config())


def an_active(app) -> str:
    return next(cid for cid, c in sorted(app.state.campaigns.items()) if c["state"] == "ACTIVE")


async def test_a_pause_is_accepted_and_the_campaign_is_paused_after_the_delay_with_the_same_version(app):
    campaign_id = an_active(app)
    version = app.state.campaigns[campaign_id]["version"]
    async with http(app) as client:
        headers = await bearer(client)
        response = await client.post(f"{CAMPAIGNS}/{campaign_id}/pause", headers=headers)
        assert response.status_code == 202
        assert (await client.get(f"{CAMPAIGNS}/{campaign_id}", headers=headers)).json()["state"] == "ACTIVE"
        app.state.clock.advance(1.5)
        body = (await client.get(f"{CAMPAIGNS}/{campaign_id}", headers=headers)).json()
    assert body["state"] == "PAUSED" and body["version"] == version
    assert [e["state"] for e in app.state.stats.dialling[campaign_id]] == ["PAUSED"]


async def test_pausing_a_paused_campaign_and_resuming_an_active_one_change_nothing(app):
    campaign_id = an_active(app)
    async with http(app) as client:
        headers = await bearer(client)
        assert (await client.post(f"{CAMPAIGNS}/{campaign_id}/resume", headers=headers)).status_code == 202
        app.state.clock.advance(1.5)
        assert (await client.get(f"{CAMPAIGNS}/{campaign_id}", headers=headers)).json()["state"] == "ACTIVE"
        for _ in range(2):
            assert (await client.post(f"{CAMPAIGNS}/{campaign_id}/pause", headers=headers)).status_code == 202
        app.state.clock.advance(1.5)
        assert (await client.post(f"{CAMPAIGNS}/{campaign_id}/pause", headers=headers)).status_code == 202
        app.state.clock.advance(1.5)
        assert (await client.get(f"{CAMPAIGNS}/{campaign_id}", headers=headers)).json()["state"] == "PAUSED"
    assert [e["state"] for e in app.state.stats.dialling[campaign_id]] == ["PAUSED"]


@pytest.mark.parametrize("state", ["DRAFT", "ERROR", "FAILED"])
async def test_a_campaign_in_a_state_that_cannot_dial_answers_409_campaign_state(app, state):
    campaign_id = an_active(app)
    app.state.campaigns[campaign_id]["state"] = state
    async with http(app) as client:
        headers = await bearer(client)
        for verb in ("pause", "resume"):
            response = await client.post(f"{CAMPAIGNS}/{campaign_id}/{verb}", headers=headers)
            assert response.status_code == 409 and response.json()["code"] == "campaign.state"


async def test_an_unknown_campaign_is_404_and_a_read_only_token_is_refused(app):
    async with http(app) as client:
        assert (await client.post(f"{CAMPAIGNS}/C-0/pause", headers=await bearer(client))).status_code == 404
        read_only = await bearer(client, "outbound:campaign:read")
        assert (await client.post(f"{CAMPAIGNS}/{an_active(app)}/pause", headers=read_only)).status_code == 403


async def test_the_v2_client_stops_and_starts_dialling_and_types_the_refusals(app):
    client = asgi_client(app)
    campaign_id = an_active(app)
    await client.stop_dialling(campaign_id)
    app.state.clock.advance(1.5)
    assert (await client.get_campaign(campaign_id)).state == "PAUSED"
    await client.start_dialling(campaign_id)
    app.state.clock.advance(1.5)
    assert (await client.get_campaign(campaign_id)).state == "ACTIVE"
    app.state.campaigns[campaign_id]["state"] = "ERROR"
    with pytest.raises(cx.InvalidState):
        await client.start_dialling(campaign_id)
    with pytest.raises(cx.NotFound):
        await client.stop_dialling("C-0")
    await client.aclose()
