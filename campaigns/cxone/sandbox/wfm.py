"""A stand-in for the WFM system's webhook endpoint: verifies the planner's signature, dedupes by key.

POST /wfm/webhook with headers Idempotency-Key, X-Planner-Timestamp and
X-Planner-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the shared secret (knob wfm_secret)>.
2xx = delivered (a repeated key answers 200 with "duplicate": true and is not stored twice); 400 malformed;
401 bad signature; 503 when the wfm_failure_rate knob says so (to exercise the sender's retries).
GET /_sandbox/wfm/events lists what was received.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.cxone.sandbox.auth import sandbox
from campaigns.cxone.sandbox.responses import MAX_BODY_BYTES

REQUIRED_FIELDS = ("eventType", "campaignId", "activationLatencyMs", "timestamp", "conflictsDetected")


def signature(secret: str, body: bytes) -> str:
    """The X-Planner-Signature header value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def receive_webhook(request: Request) -> JSONResponse:
    state = sandbox(request)
    body = await request.body()
    key = request.headers.get("idempotency-key", "").strip()
    if not key or len(key) > 200:
        return _error(400, "idempotency_key.missing", "Idempotency-Key header required")
    if not request.headers.get("x-planner-timestamp", "").strip():
        return _error(400, "timestamp.missing", "X-Planner-Timestamp header required")
    if len(body) > MAX_BODY_BYTES:
        return _error(400, "body.too_large", "body too large")
    expected = signature(state.config.wfm_secret, body)
    if not hmac.compare_digest(expected.encode(), request.headers.get("x-planner-signature", "").encode()):
        return _error(401, "signature.invalid", "X-Planner-Signature does not match the body")
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _error(400, "body.malformed", "body is not JSON")
    if not isinstance(event, dict):
        return _error(400, "body.malformed", "expected a JSON object")
    missing = [field for field in REQUIRED_FIELDS if field not in event]
    if missing:
        return _error(400, "body.incomplete", f"missing fields: {', '.join(missing)}")
    with state.lock:
        if state.roll(state.config.wfm_failure_rate):
            return _error(503, "wfm.unavailable", "WFM is unavailable, try again later")
        seen = state.wfm_deliveries.get(key)
        if seen is not None:
            seen["deliveries"] += 1
            return JSONResponse({"received": True, "duplicate": True})
        state.wfm_deliveries[key] = {
            "idempotencyKey": key,
            "event": event,
            "receivedAt": state.now_iso(),
            "deliveries": 1,
        }
    return JSONResponse({"received": True, "duplicate": False})


async def list_events(request: Request) -> JSONResponse:
    with sandbox(request).lock:
        events = list(sandbox(request).wfm_deliveries.values())
    return JSONResponse({"count": len(events), "events": events})


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


routes = [
    Route("/wfm/webhook", receive_webhook, methods=["POST"]),
    Route("/_sandbox/wfm/events", list_events, methods=["GET"]),
]
