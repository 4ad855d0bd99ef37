"""Login throttling: wrong passwords for one user name, or from one address, slow further tries down.

After LOGIN_FREE_FAILURES failures a key (the user name, the address) must wait 1 s after its last failure, then
2 s, 4 s, ... up to LOGIN_MAX_DELAY_SECONDS: a password guesser gets a few hundred tries a day instead of
thousands a second, while the real user is only ever delayed, never locked out (the count is forgotten
LOGIN_FAILURE_WINDOW_SECONDS after the last failure, and a right password clears the user's count). A refused
try checks no password and does not count, so waiting out the delay is always enough.

The counts live in the cache: Redis when REDIS_URL is set (shared by every web process), else this process's
memory (the embedded default runs one web process). cache.incr is atomic in both."""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("planner.security.login")

PREFIX = "login-throttle"


@dataclass(frozen=True)
class Throttled:
    """The login must wait `seconds` more; `reason` says which count (user or address) holds it back."""

    seconds: int
    reason: str


def keys(username: str, address: str | None) -> dict[str, str]:
    # The user name is hashed: cache keys must be short and safe whatever a client typed.
    user_digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    found = {"user": f"{PREFIX}:user:{user_digest}"}
    if address:
        found["address"] = f"{PREFIX}:ip:{address}"
    return found


def delay_after(failures: int) -> float:
    """Seconds a key must wait after its last failure, having failed `failures` times."""
    over = failures - settings.LOGIN_FREE_FAILURES
    if over < 0:
        return 0.0
    return float(min(settings.LOGIN_MAX_DELAY_SECONDS, 2**min(over, 30)))


def wait_for(username: str, address: str | None, now: float | None = None) -> Throttled | None:
    """How long this login must wait before its password may be checked, or None when it may go ahead."""
    now = time.time() if now is None else now
    longest = None
    for kind, key in keys(username, address).items():
        failures = cache.get(f"{key}:n") or 0
        last = cache.get(f"{key}:t")
        if not failures or last is None:
            continue
        remaining = last + delay_after(failures) - now
        if remaining > 0 and (longest is None or remaining > longest.seconds):
            longest = Throttled(seconds=max(1, math.ceil(remaining)), reason=kind)
    return longest


def record_failure(username: str, address: str | None, now: float | None = None) -> int:
    """Count a wrong password against the user name and the address; the larger count."""
    now = time.time() if now is None else now
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    counts = []
    for key in keys(username, address).values():
        cache.add(f"{key}:n", 0, timeout=window)
        try:
            count = cache.incr(f"{key}:n")
        except ValueError:  # expired between add and incr
            cache.set(f"{key}:n", 1, timeout=window)
            count = 1
        cache.touch(f"{key}:n", timeout=window)
        cache.set(f"{key}:t", now, timeout=window)
        counts.append(count)
    worst = max(counts)
    log.warning(
        "login failed for %r from %s (%d failures in a row)",
        username,
        address or "an unknown address",
        worst,
        extra={"event": "login_failed", "username": username, "address": address, "failures": worst},
    )
    return worst


def record_refusal(username: str, address: str | None, throttled: Throttled) -> None:
    log.warning(
        "login for %r from %s refused unchecked: too many failures by %s, %d s to wait",
        username,
        address or "an unknown address",
        throttled.reason,
        throttled.seconds,
        extra={
            "event": "login_throttled",
            "username": username,
            "address": address,
            "wait_seconds": throttled.seconds,
        },
    )


def record_success(username: str) -> None:
    """A right password clears the user's count (not the address's: one good account must not reset it)."""
    key = keys(username, None)["user"]
    cache.delete_many([f"{key}:n", f"{key}:t"])


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind the TLS proxy named by SECURE_PROXY_SSL_HEADER, the address that proxy saw (the last
    entry of X-Forwarded-For, the one it appended: earlier entries are whatever the client sent)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None
