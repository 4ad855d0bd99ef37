"""Standard Webhooks v1 signing: the reference library (`standardwebhooks`) verifies what we sign, during a
secret rotation too, and malformed secrets are refused with a reason."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from campaigns.wfm.sender import Outcome, WfmSender
from campaigns.wfm.signing import InvalidSecret, new_secret, parse_secrets, signed_headers
from tests.wfm_support import OLD_SECRET, SECRET

BODY = json.dumps({"eventType": "CAMPAIGN_SCHEDULE_UPDATED", "campaignId": "C-1001", "note": "café"}).encode()


def test_the_reference_library_verifies_our_signature():
    headers = signed_headers(parse_secrets(SECRET), "evt-1", int(time.time()), BODY)
    assert Webhook(SECRET).verify(BODY, headers) == json.loads(BODY)
    assert headers["webhook-signature"].startswith("v1,") and " " not in headers["webhook-signature"]


def test_the_reference_library_refuses_a_tampered_body_or_another_secret():
    headers = signed_headers(parse_secrets(SECRET), "evt-1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY + b" ", headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(OLD_SECRET).verify(BODY, headers)


def test_while_rotating_both_signatures_are_sent_and_either_secret_verifies():
    headers = signed_headers(parse_secrets(f"{SECRET} {OLD_SECRET}"), "evt-2", int(time.time()), BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(SECRET).verify(BODY, headers) == json.loads(BODY)
    assert Webhook(OLD_SECRET).verify(BODY, headers) == json.loads(BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)


def test_the_bytes_on_the_wire_verify_with_the_reference_library_while_rotating():
    verified = []

    def receiver(request: httpx.Request) -> httpx.Response:
        for secret in (SECRET, OLD_SECRET):
            verified.append(Webhook(secret).verify(request.content, dict(request.headers)))
        return httpx.Response(204)

    sender = WfmSender(
        "http://wfm.test/hook",
        parse_secrets(f"{SECRET},{OLD_SECRET}"),
        transport=httpx.MockTransport(receiver),
    )
    answer = sender.send("evt-3", BODY)
    assert answer.outcome == Outcome.DELIVERED and answer.status_code == 204
    assert verified == [json.loads(BODY)] * 2


def test_a_new_secret_parses_back_to_its_random_bytes():
    assert len(parse_secrets(new_secret())[0]) == 32
    assert parse_secrets(f" {SECRET}\n{OLD_SECRET} ") == parse_secrets(f"{SECRET},{OLD_SECRET}")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("demo-webhook-secret", "must start with 'whsec_'"),
        ("whsec_not*base64", "not base64"),
        ("whsec_c2hvcnQ=", "decodes to 5 bytes"),
        (f"{SECRET} {OLD_SECRET} {SECRET}", "at most 2"),
        ("  ", "is empty"),
        (f"{SECRET} whsec_c2hvcnQ=", "secret 2 decodes to 5 bytes"),
    ],
)
def test_a_malformed_secret_is_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidSecret, match=reason):
        parse_secrets(raw)
