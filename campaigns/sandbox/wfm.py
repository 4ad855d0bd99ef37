"""A stand-in for a WFM system's webhook endpoint, verifying what we send as any Standard Webhooks receiver
would (https://www.standardwebhooks.com/), with its own verification code (wfm_signatures.py), not the
planner's signing code.

POST /wfm/webhook with headers webhook-id, webhook-timestamp (integer seconds) and webhook-signature
("v1,<base64 HMAC-SHA256 of '{id}.{timestamp}.{raw body}'>", several space-separated while a secret rotates),
keyed with the receiver's secret (knob wfm_secret: "whsec_<base64>", or several separated by spaces).
- 200 {"received": true, "duplicate": false}; a webhook-id seen before answers 200 with "duplicate": true and
  is not stored twice;
- 400 headers missing or malformed, body not a JSON object with the seed's fields;
- 401 no signature matches, or the timestamp is more than 5 minutes away from the stand-in's clock.
Knobs (PATCH /_sandbox/config): wfm_status (answer every webhook with this status, e.g. 500, 410, 429; 0 = off),
wfm_retry_after (seconds, the Retry-After sent with wfm_status; 0 = none), wfm_failure_rate (share answered 500),
wfm_hang_seconds (wait this long before answering). POST /_sandbox/wfm/down {"seconds": 60}: for that long,
every webhook connection is broken off without an answer, as if WFM were down; {"seconds": 0} brings it back.
GET /_sandbox/wfm/events: what was received; GET /_sandbox/stats: "wfm" counts received, duplicates,
bad_signatures, stale_timestamps, malformed, forced answers and dropped connections.
"""

from __future__ import annotations

import asyncio
import json
import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from campaigns.sandbox.faults import drop_connection
from campaigns.sandbox.responses import MAX_BODY_BYTES, read_json, unprocessable
from campaigns.sandbox.state import state_of
from campaigns.sandbox.wfm_signatures import receiver_keys, signature_matches

REQUIRED_FIELDS = ("eventType", "campaignId", "activationLatencyMs", "timestamp", "conflictsDetected")
TOLERANCE_SECONDS = 5 * 60


class BrokenOff(Response):
    """No answer: the response starts, then the connection is broken off (what a client sees of a WFM that went
    away mid-request; over a socket uvicorn closes the connection)."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope, receive, send) -> None:
        await drop_connection(send)


async def receive_webhook(request: Request) -> Response:
    state = state_of(request)
    config, stats = state.config, state.stats.wfm
    with state.lock:
        down = state.clock.now() < state.wfm_down_until
        fail = not down and state.roll(config.wfm_failure_rate)
    if down:
        stats["dropped"] += 1
        return BrokenOff()
    if config.wfm_hang_seconds > 0:
        await asyncio.sleep(config.wfm_hang_seconds)
    if config.wfm_status:
        stats[f"answered_{config.wfm_status}"] += 1
        headers = {"Retry-After": str(config.wfm_retry_after)} if config.wfm_retry_after else {}
        return _error(config.wfm_status, "wfm.forced", "answer forced by the wfm_status knob", headers)
    if fail:
        stats["answered_500"] += 1
        return _error(500, "wfm.failed", "WFM failed (wfm_failure_rate knob)")

    body = await request.body()
    webhook_id = request.headers.get("webhook-id", "").strip()
    timestamp = request.headers.get("webhook-timestamp", "").strip()
    signature = request.headers.get("webhook-signature", "").strip()
    if not webhook_id or len(webhook_id) > 200 or not timestamp or not signature:
        stats["malformed"] += 1
        return _error(
            400, "headers.missing", "webhook-id, webhook-timestamp and webhook-signature are required"
        )
    if not timestamp.isdigit() or len(timestamp) > 12:
        stats["malformed"] += 1
        return _error(400, "timestamp.malformed", "webhook-timestamp must be integer seconds")
    if len(body) > MAX_BODY_BYTES:
        stats["malformed"] += 1
        return _error(400, "body.too_large", "body too large")
    if abs(state.clock.now() - int(timestamp)) > TOLERANCE_SECONDS:
        stats["stale_timestamps"] += 1
        return _error(401, "timestamp.out_of_tolerance", "webhook-timestamp is more than 5 minutes away")
    keys = receiver_keys(config.wfm_secret)
    if not signature_matches(keys, webhook_id, timestamp, body, signature):
        stats["bad_signatures"] += 1
        return _error(401, "signature.invalid", "no webhook-signature matches the body")
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        event = None
    missing = [f for f in REQUIRED_FIELDS if f not in event] if isinstance(event, dict) else ["a JSON object"]
    if missing:
        stats["malformed"] += 1
        return _error(400, "body.incomplete", f"missing: {', '.join(missing)}")
    with state.lock:
        seen = state.wfm_deliveries.get(webhook_id)
        if seen is not None:
            seen["deliveries"] += 1
            stats["duplicates"] += 1
            return JSONResponse({"received": True, "duplicate": True})
        state.wfm_deliveries[webhook_id] = {
            "webhookId": webhook_id,
            "event": event,
            "receivedAt": state.now_iso(),
            "deliveries": 1,
        }
        stats["received"] += 1
    return JSONResponse({"received": True, "duplicate": False})


async def list_events(request: Request) -> JSONResponse:
    state = state_of(request)
    with state.lock:
        events = list(state.wfm_deliveries.values())
        counts = state.stats.wfm_counts()
    return JSONResponse({"count": len(events), "events": events, "stats": counts})


async def go_down(request: Request) -> JSONResponse:
    body = await read_json(request)
    seconds = body.get("seconds") if isinstance(body, dict) else None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < math.inf:
        raise unprocessable("seconds", "must be a number >= 0")
    state = state_of(request)
    with state.lock:
        state.wfm_down_until = state.clock.now() + seconds if seconds else 0.0
    return JSONResponse({"downForSeconds": seconds})


def _error(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


routes = [
    Route("/wfm/webhook", receive_webhook, methods=["POST"]),
    Route("/_sandbox/wfm/events", list_events, methods=["GET"]),
    Route("/_sandbox/wfm/down", go_down, methods=["POST"]),
]
