"""Login throttling: wrong passwords slow further tries from where they came, never the real user elsewhere.

Failures are counted three ways, each forgotten LOGIN_FAILURE_WINDOW_SECONDS after its last failure:
- the account from this address (someone here guessing this password);
- this address, for any accounts (someone here trying a common password on many accounts);
- the account, from any address (many addresses guessing one password).
After LOGIN_FREE_FAILURES failures a count holds tries back 1 s after its last failure, then 2 s, 4 s, ... up to
LOGIN_MAX_DELAY_SECONDS. The account's own count applies only to addresses that have failed for that account:
an address that has not failed is never refused, so nobody can keep the real user out by failing on purpose
from elsewhere (rotating X-Forwarded-For, a botnet). A refused try checks no password and does not count, so
waiting is always enough; a right password clears the account's counts (and takes its typos off the address's).

"This address" is client_address(): the connection's own, or behind TRUSTED_PROXY_HOPS proxies the one the
outermost of them saw. The counts live in the cache: Redis when REDIS_URL is set (shared by every web process),
else this process's memory (the embedded default runs one web process). cache.incr is atomic in both.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("planner.security.login")

PREFIX = "login-throttle"
REASONS = {
    "pair": "failures for this account from this address",
    "address": "failures from this address",
    "account": "failures for this account from several addresses",
}


@dataclass(frozen=True)
class Throttled:
    """The login must wait `seconds` more; `reason` says which count holds it back (a key of REASONS)."""

    seconds: int
    reason: str


def keys(username: str, address: str | None) -> dict[str, str]:
    """The cache keys of the three counts (without an address, only the account's)."""
    # Hashed: cache keys must be short and safe whatever a client typed.
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    found = {}
    if address:  # the narrowest first: a refusal names it when counts tie
        found["pair"] = f"{PREFIX}:pair:{account}:{address}"
        found["address"] = f"{PREFIX}:ip:{address}"
    found["account"] = f"{PREFIX}:user:{account}"
    return found


def delay_after(failures: int) -> float:
    """Seconds a count must wait after its last failure, having failed `failures` times."""
    over = failures - settings.LOGIN_FREE_FAILURES
    if over < 0:
        return 0.0
    return float(min(settings.LOGIN_MAX_DELAY_SECONDS, 2**min(over, 30)))


def wait_for(username: str, address: str | None, now: float | None = None) -> Throttled | None:
    """How long this login must wait before its password may be checked, or None when it may go ahead."""
    now = time.time() if now is None else now
    found = keys(username, address)
    counts = {kind: (cache.get(f"{key}:n") or 0, cache.get(f"{key}:t")) for kind, key in found.items()}
    if address and not counts["pair"][0]:
        # This address has not failed for this account: the account's count (failures from elsewhere) may not
        # hold it back; only the address's own, if it failed for other accounts.
        counts.pop("account")
    longest = None
    for kind, (failures, last) in counts.items():
        if not failures or last is None:
            continue
        remaining = last + delay_after(failures) - now
        if remaining > 0 and (longest is None or remaining > longest.seconds):
            longest = Throttled(seconds=max(1, math.ceil(remaining)), reason=kind)
    return longest


def record_failure(username: str, address: str | None, now: float | None = None) -> int:
    """Count a wrong password against the three counts; logs it, and returns this address's failures for the
    account (the account's when the address is unknown)."""
    now = time.time() if now is None else now
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    counts = {}
    for kind, key in keys(username, address).items():
        cache.add(f"{key}:n", 0, timeout=window)
        try:
            count = cache.incr(f"{key}:n")
        except ValueError:  # expired between add and incr
            cache.set(f"{key}:n", 1, timeout=window)
            count = 1
        cache.touch(f"{key}:n", timeout=window)
        cache.set(f"{key}:t", now, timeout=window)
        counts[kind] = count
    here = counts.get("pair", counts["account"])
    log.warning(
        "login failed for %r from %s (%d failures in a row from there, %d for the account)",
        username,
        address or "an unknown address",
        here,
        counts["account"],
        extra={
            "event": "login_failed",
            "username": username,
            "address": address,
            "failures": here,
            "account_failures": counts["account"],
        },
    )
    return here


def record_refusal(username: str, address: str | None, throttled: Throttled) -> None:
    log.warning(
        "login for %r from %s refused unchecked: too many %s, %d s to wait",
        username,
        address or "an unknown address",
        REASONS.get(throttled.reason, throttled.reason),
        throttled.seconds,
        extra={
            "event": "login_throttled",
            "username": username,
            "address": address,
            "reason": throttled.reason,
            "wait_seconds": throttled.seconds,
        },
    )


def record_success(username: str, address: str | None) -> None:
    """A right password clears the account's counts: the real user is back, and their typos from this address
    come off the address's count. The address's other failures stay: one good account must not reset the count
    of someone trying many accounts from there."""
    found = keys(username, address)
    if address:
        typos = cache.get(f"{found['pair']}:n") or 0
        if typos:
            try:
                if cache.decr(f"{found['address']}:n", typos) < 0:
                    cache.set(f"{found['address']}:n", 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
            except ValueError:  # the address's count expired meanwhile
                pass
    cache.delete_many([f"{found[kind]}:{part}" for kind in ("pair", "account") if kind in found for part in "nt"])
    log.info(
        "login succeeded for %r from %s",
        username,
        address or "an unknown address",
        extra={"event": "login_succeeded", "username": username, "address": address},
    )


def client_address(request) -> str | None:
    """Who is asking: REMOTE_ADDR; behind TRUSTED_PROXY_HOPS proxies, the address the outermost of them saw (the
    TRUSTED_PROXY_HOPS-th entry of X-Forwarded-For from the end: each proxy appends the address it saw, so the
    entries before are whatever the client sent). A header with fewer entries than trusted hops did not come
    through them all, and anything that is not an IP address is no one's: both fall back to REMOTE_ADDR."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= hops and entries[-hops]:
            seen = ip_or_none(entries[-hops])
            if seen:
                return seen
    return ip_or_none(request.META.get("REMOTE_ADDR") or "")


def ip_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
