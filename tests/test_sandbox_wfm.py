"""The sandbox's WFM stand-in: it verifies Standard Webhooks signatures with its own code, refuses tampered
bodies and stale timestamps, dedupes by webhook-id, counts what it saw, and misbehaves on request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from campaigns.sandbox import create_app
from campaigns.wfm.signing import parse_secrets, signed_headers
from tests.cxone_support import fast_config
from tests.wfm_support import OLD_SECRET, SECRET

EVENT = {
    "eventType": "CAMPAIGN_SCHEDULE_UPDATED",
    "campaignId": "C-1001",
    "activationLatencyMs": 4200,
    "timestamp": "2026-11-30T12:00:09Z",
    "conflictsDetected": 0,
}
BODY = json.dumps(EVENT).encode()


def http(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox")


def headers(webhook_id="evt-1", secret=SECRET, body=BODY, timestamp=None):
    return signed_headers(
        parse_secrets(secret), webhook_id, int(time.time()) if timestamp is None else timestamp, body
    )


@pytest.fixture
def app():
    return create_app(fast_config(wfm_secret=SECRET))


async def test_it_accepts_a_signed_event_once_and_dedupes_a_repeat(app):
    async with http(app) as client:
        first = await client.post("/wfm/webhook", content=BODY, headers=headers())
        repeat = await client.post("/wfm/webhook", content=BODY, headers=headers())
        events = (await client.get("/_sandbox/wfm/events")).json()
    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert repeat.status_code == 200 and repeat.json()["duplicate"] is True
    assert events["count"] == 1 and events["events"][0]["deliveries"] == 2
    assert events["events"][0]["event"] == EVENT and events["events"][0]["webhookId"] == "evt-1"
    assert events["stats"]["received"] == 1 and events["stats"]["duplicates"] == 1


async def test_it_refuses_a_tampered_body_a_forged_signature_and_a_stale_timestamp(app):
    async with http(app) as client:
        tampered = await client.post("/wfm/webhook", content=BODY + b" ", headers=headers())
        forged = await client.post("/wfm/webhook", content=BODY, headers=headers(secret=OLD_SECRET))
        stale = await client.post(
            "/wfm/webhook", content=BODY, headers=headers(timestamp=int(time.time()) - 301)
        )
        early = await client.post(
            "/wfm/webhook", content=BODY, headers=headers(timestamp=int(time.time()) + 301)
        )
        stats = (await client.get("/_sandbox/stats")).json()["wfm"]
    assert tampered.status_code == forged.status_code == 401
    assert tampered.json()["code"] == "signature.invalid"
    assert stale.status_code == early.status_code == 401
    assert stale.json()["code"] == "timestamp.out_of_tolerance"
    assert stats["bad_signatures"] == 2 and stats["stale_timestamps"] == 2 and stats["received"] == 0
    assert app.state.wfm_deliveries == {}


async def test_it_accepts_either_signature_while_the_sender_rotates(app):
    async with http(app) as client:
        rotating = await client.post(
            "/wfm/webhook", content=BODY, headers=headers(secret=f"{OLD_SECRET} {SECRET}")
        )
    assert rotating.status_code == 200


async def test_its_verification_is_its_own_and_agrees_with_the_spec():
    # Computed here from the spec's words, independently of both the sender and the stand-in.
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    timestamp = str(int(time.time()))
    digest = hmac.new(key, f"evt-9.{timestamp}.".encode() + BODY, hashlib.sha256).digest()
    by_hand = {
        "webhook-id": "evt-9",
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }
    async with http(create_app(fast_config(wfm_secret=SECRET))) as client:
        answer = await client.post("/wfm/webhook", content=BODY, headers=by_hand)
    assert answer.status_code == 200


async def test_it_refuses_missing_headers_and_incomplete_events(app):
    incomplete = json.dumps({"eventType": "X"}).encode()
    async with http(app) as client:
        bare = await client.post("/wfm/webhook", content=BODY)
        partial = await client.post("/wfm/webhook", content=incomplete, headers=headers(body=incomplete))
    assert bare.status_code == 400 and bare.json()["code"] == "headers.missing"
    assert partial.status_code == 400 and "campaignId" in partial.json()["message"]


@pytest.mark.parametrize(("knobs", "status"), [({"wfm_status": 410}, 410), ({"wfm_failure_rate": 1.0}, 500)])
async def test_it_can_be_told_to_fail(knobs, status):
    app = create_app(fast_config(wfm_secret=SECRET, **knobs))
    async with http(app) as client:
        answer = await client.post("/wfm/webhook", content=BODY, headers=headers())
    assert answer.status_code == status and app.state.stats.wfm_counts()[f"answered_{status}"] == 1


async def test_a_forced_429_carries_retry_after(app):
    async with http(app) as client:
        await client.patch("/_sandbox/config", json={"wfm_status": 429, "wfm_retry_after": 30})
        answer = await client.post("/wfm/webhook", content=BODY, headers=headers())
    assert answer.status_code == 429 and answer.headers["retry-after"] == "30"


async def test_down_for_a_period_breaks_off_every_webhook_until_it_is_over(app):
    async with http(app) as client:
        assert (await client.post("/_sandbox/wfm/down", json={"seconds": 60})).status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post("/wfm/webhook", content=BODY, headers=headers())
        app.state.clock.advance(61)
        after = await client.post(
            "/wfm/webhook", content=BODY, headers=headers(timestamp=int(app.state.clock.now()))
        )
    assert after.status_code == 200 and app.state.stats.wfm_counts()["dropped"] == 1


async def test_bad_knob_values_are_refused_with_the_field(app):
    async with http(app) as client:
        secret = await client.patch("/_sandbox/config", json={"wfm_secret": "demo-webhook-secret"})
        status = await client.patch("/_sandbox/config", json={"wfm_status": 99})
        down = await client.post("/_sandbox/wfm/down", json={"seconds": -1})
    assert secret.status_code == status.status_code == down.status_code == 422
    assert secret.json()["details"][0]["field"] == "wfm_secret"
