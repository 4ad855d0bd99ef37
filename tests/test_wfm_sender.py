"""The sender against the sandbox's WFM stand-in over a real socket: each kind of answer is told apart, a hung
receiver costs one timeout, nothing listening is an answer too, and redirects are never followed."""

from __future__ import annotations

import json

import httpx

from campaigns.wfm.sender import Outcome, WfmSender, parse_retry_after
from campaigns.wfm.signing import parse_secrets
from tests.wfm_support import SECRET, refused_url, stand_in

EVENT = {
    "eventType": "CAMPAIGN_SCHEDULE_UPDATED",
    "campaignId": "C-1001",
    "activationLatencyMs": 4200,
    "timestamp": "2026-11-30T12:00:09Z",
    "conflictsDetected": 0,
}
BODY = json.dumps(EVENT).encode()


def sender_for(url: str, timeout: float = 2.0) -> WfmSender:
    return WfmSender(url, parse_secrets(SECRET), timeout=timeout)


def test_a_2xx_is_delivered_and_the_stand_in_received_it_once():
    with stand_in() as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
        stats = wfm.state.stats.wfm_counts()
    assert answer.outcome == Outcome.DELIVERED and answer.status_code == 200
    assert json.loads(answer.excerpt) == {"received": True, "duplicate": False}
    assert stats["received"] == 1 and stats["bad_signatures"] == 0


def test_a_410_means_the_endpoint_is_gone():
    with stand_in(wfm_status=410) as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
    assert answer.outcome == Outcome.GONE and answer.status_code == 410


def test_a_429_with_retry_after_throttles_and_says_how_long():
    with stand_in(wfm_status=429, wfm_retry_after=7) as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
    assert answer.outcome == Outcome.THROTTLED and answer.status_code == 429 and answer.retry_after == 7


def test_a_503_without_retry_after_throttles_without_a_hint():
    with stand_in(wfm_status=503) as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
    assert answer.outcome == Outcome.THROTTLED and answer.retry_after is None


def test_a_500_is_a_failure_with_the_answer_kept():
    with stand_in(wfm_status=500) as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
    assert answer.outcome == Outcome.FAILED and answer.status_code == 500 and "wfm.forced" in answer.excerpt


def test_a_hung_receiver_costs_one_timeout():
    with stand_in(wfm_hang_seconds=1.5) as wfm:
        answer = sender_for(wfm.url + "/wfm/webhook", timeout=0.3).send("evt-1", BODY)
    assert answer.outcome == Outcome.FAILED and answer.status_code is None
    assert "no answer within 0.3 s" in answer.error


def test_nothing_listening_is_a_failure_not_an_exception():
    url, holder = refused_url()
    try:
        answer = sender_for(url).send("evt-1", BODY)
    finally:
        holder.close()
    assert answer.outcome == Outcome.FAILED and answer.status_code is None
    assert "could not connect" in answer.error


def test_a_receiver_that_is_down_breaks_off_and_that_is_a_failure():
    with stand_in() as wfm:
        httpx.post(wfm.url + "/_sandbox/wfm/down", json={"seconds": 60})
        answer = sender_for(wfm.url + "/wfm/webhook").send("evt-1", BODY)
        dropped = wfm.state.stats.wfm_counts()["dropped"]
    assert answer.outcome == Outcome.FAILED and "no usable answer" in answer.error and dropped == 1


def test_a_redirect_is_not_followed():
    requests = []

    def receiver(request: httpx.Request) -> httpx.Response:
        requests.append(request.url)
        return httpx.Response(307, headers={"Location": "http://elsewhere.test/"})

    answer = WfmSender(
        "http://wfm.test/hook", parse_secrets(SECRET), transport=httpx.MockTransport(receiver)
    ).send("evt-1", BODY)
    assert answer.outcome == Outcome.FAILED and answer.status_code == 307
    assert "not followed" in answer.error and requests == [httpx.URL("http://wfm.test/hook")]


def test_retry_after_is_read_as_seconds_or_a_date():
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 02 Dec 2026 10:00:30 GMT", now=lambda: 1796205600.0) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
