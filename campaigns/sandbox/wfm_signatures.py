"""How the WFM stand-in verifies a Standard Webhooks signature (https://www.standardwebhooks.com/), as any
receiver would: its own code, not the planner's signing code (campaigns/wfm/). Pure: the knobs (config.py) use
it to check a new wfm_secret, the receiver (wfm.py) to check each webhook."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

DEMO_SECRET = "whsec_cGxhbm5lci1kZW1vLXdlYmhvb2stc2lnbmluZy1rZXk="  # what `make run` gives the planner


def receiver_keys(secret_text: str) -> list[bytes]:
    """The key bytes of each "whsec_<base64>" secret in the knob; ValueError when one is not."""
    keys = []
    for part in (p for p in re.split(r"[\s,]+", secret_text) if p):
        if not part.startswith("whsec_"):
            raise ValueError("expected whsec_ secrets (Standard Webhooks)")
        try:
            keys.append(base64.b64decode(part[6:], validate=True))
        except (binascii.Error, ValueError):
            raise ValueError("the part after whsec_ is not base64") from None
    if not keys:
        raise ValueError("expected at least one whsec_ secret")
    return keys


def expected_signature(key: bytes, webhook_id: str, timestamp: str, body: bytes) -> bytes:
    return hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()


def signature_matches(keys: list[bytes], webhook_id: str, timestamp: str, body: bytes, header: str) -> bool:
    for part in header.split():
        version, _, encoded = part.partition(",")
        if version != "v1" or not encoded:
            continue
        try:
            given = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        if any(hmac.compare_digest(expected_signature(k, webhook_id, timestamp, body), given) for k in keys):
            return True
    return False
