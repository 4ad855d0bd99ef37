"""Standard Webhooks v1 signatures (https://www.standardwebhooks.com/, spec v1.0.0).

The signed content is "{webhook-id}.{webhook-timestamp}.{raw body}", HMAC-SHA256 with the secret's bytes,
sent as `webhook-signature: v1,<base64>`. A secret is "whsec_" + base64 of 24-64 random bytes. While a secret
rotates, WFM_WEBHOOK_SECRET holds two (new and old) and every message carries both signatures, space-separated,
so the receiver verifies with whichever it has.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

SECRET_PREFIX = "whsec_"
MIN_SECRET_BYTES, MAX_SECRET_BYTES = 24, 64
MAX_SECRETS = 2  # the current one and the one being retired


class InvalidSecret(ValueError):
    """A WFM_WEBHOOK_SECRET that is not one or two whsec_ secrets; the message says which and why."""


def parse_secret(text: str) -> bytes:
    """The key bytes of one "whsec_<base64>" secret."""
    if not text.startswith(SECRET_PREFIX):
        raise InvalidSecret(f"must start with {SECRET_PREFIX!r} (a Standard Webhooks secret)")
    encoded = text[len(SECRET_PREFIX) :]
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSecret(f"the part after {SECRET_PREFIX!r} is not base64") from None
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise InvalidSecret(
            f"decodes to {len(key)} bytes; a secret has {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} random bytes"
        )
    return key


def parse_secrets(raw: str | None) -> list[bytes]:
    """The key bytes of WFM_WEBHOOK_SECRET: one or two whsec_ secrets separated by spaces or commas."""
    parts = [part for part in re.split(r"[\s,]+", raw or "") if part]
    if not parts:
        raise InvalidSecret("is empty")
    if len(parts) > MAX_SECRETS:
        raise InvalidSecret(f"holds {len(parts)} secrets; at most {MAX_SECRETS} (new and old) while rotating")
    keys = []
    for number, part in enumerate(parts, start=1):
        try:
            keys.append(parse_secret(part))
        except InvalidSecret as exc:
            which = f"secret {number}" if len(parts) > 1 else "the secret"
            raise InvalidSecret(f"{which} {exc}") from None
    return keys


def new_secret(size: int = 32) -> str:
    """A fresh secret to hand to the WFM team (and to put in WFM_WEBHOOK_SECRET)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(size)).decode("ascii")


def signature(key: bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """One "v1,<base64>" signature of the message."""
    signed = webhook_id.encode() + b"." + str(int(timestamp)).encode() + b"." + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(keys: list[bytes], webhook_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header: one signature per secret, space-separated."""
    if not keys:
        raise InvalidSecret("no secret to sign with")
    return " ".join(signature(key, webhook_id, timestamp, body) for key in keys)


def signed_headers(keys: list[bytes], webhook_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers (and the content type) of one attempt."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": signature_header(keys, webhook_id, timestamp, body),
        "content-type": "application/json",
    }
