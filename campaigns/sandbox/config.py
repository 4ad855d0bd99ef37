"""The sandbox's knobs: set at start (command-line flags) and at run time (PATCH /_sandbox/config)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from dataclasses import dataclass, field
from typing import Any

from campaigns.sandbox.wfm_signatures import DEMO_SECRET, receiver_keys

ALL_SCOPES = (
    "outbound:campaign:read",
    "outbound:campaign:write",
    "outbound:dnc:read",
    "outbound:contactlist:read",
)


def parse_range(value: Any) -> tuple[float, float]:
    """ "1-5" → (1.0, 5.0); "2" or 2 → (2.0, 2.0); [1, 5] → (1.0, 5.0). ValueError when not a range of
    non-negative finite numbers with low ≤ high."""
    if isinstance(value, bool):
        raise ValueError("expected a number or a range such as 1-5")
    if isinstance(value, int | float):
        low = high = float(value)
    elif isinstance(value, str):
        parts = value.strip().split("-")
        if len(parts) not in (1, 2) or not all(part.strip() for part in parts):
            raise ValueError("expected a number or a range such as 1-5")
        low, high = float(parts[0]), float(parts[-1])
    elif (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        low, high = float(value[0]), float(value[1])
    else:
        raise ValueError("expected a number or a range such as 1-5")
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < low:
        raise ValueError("expected 0 <= low <= high")
    return low, high


@dataclass
class SandboxConfig:
    # Seed data (changing these at run time takes effect on POST /_sandbox/reset).
    campaigns: int = 40
    seed: int = 1
    # Which API the sandbox speaks (set at start): "outbound-v2" (cxone-api.md) or "admin" (a real tenant's ACD
    # Admin API, cxone-admin-api.md: discovery, access-key tokens, Personal Connection skills; 429 never carries
    # Retry-After there). The same tenant, knobs and stats either way.
    api: str = "outbound-v2"
    tenant_id: str = "sandbox-tenant"
    access_key_id: str = "demo-key"
    access_key_secret: str = "demo-key-secret"
    admin_time_format: str = "%H:%M"  # the only time format the Admin personality accepts in schedule-settings
    # What the Admin API's sources leave open (cxone-admin-api.md), one knob each:
    # a schedule-settings PUT with an inactive day or a zero-length window is refused (InvalidParameter), as a
    # live tenant was reported to do; off: any week is taken.
    admin_require_all_days: bool = True
    admin_retry_get: str = "flat"  # GET retry-settings answers flat (as published) or "wrapped" {retrySettings}
    admin_zone_name_field: str = "name"  # the combined read's zone rows say "name" (published) or "standardName"
    admin_retry_after: bool = False  # the Admin personality's 429s carry Retry-After (reported: they do not)
    # Auth.
    client_id: str = "demo"
    client_secret: str = "demo-secret"
    granted_scopes: tuple[str, ...] = ALL_SCOPES
    token_lifetime: int = 3600
    # Rate limit: a token bucket per client.
    rate_limit: float = 5.0
    burst: int = 20
    omit_retry_after: bool = False
    # Activation after a PUT: delay range in seconds and how it ends.
    activation_delay: tuple[float, float] = (1.0, 5.0)
    failure_rate: float = 0.0  # → FAILED (platform failure)
    error_rate: float = 0.0  # → ERROR with errors[] (server-side validation), besides the inactive-DNC rule
    reject_inactive_dnc: bool = True  # a campaign whose DNC list is INACTIVE ends in ERROR
    # Faults on /api/v2 (latency also on /oauth2/token).
    server_error_rate: float = 0.0
    latency_ms: tuple[float, float] = (0.0, 0.0)
    drop_rate: float = 0.0
    # WFM webhook stand-in (wfm.py): the receiver's Standard Webhooks secret(s) and how it misbehaves.
    wfm_secret: str = DEMO_SECRET  # what `make run` gives the planner
    wfm_failure_rate: float = 0.0  # share of webhooks answered 500
    wfm_status: int = 0  # answer every webhook with this status (500, 410, 429, ...); 0 = answer normally
    wfm_retry_after: int = 0  # seconds of Retry-After sent with wfm_status; 0 = no header
    wfm_hang_seconds: float = 0.0  # wait this long before answering
    # Someone deletes this campaign in CXone right after the first page of a campaign listing is served (once;
    # the knob then clears itself): skip/top paging shifts under the client. "" = off.
    delete_while_paging: str = ""
    # Requests to these exact /api paths always get 503 (one contact list CXone cannot serve, say).
    failing_paths: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict, repr=False)

    RATES = ("failure_rate", "error_rate", "server_error_rate", "drop_rate", "wfm_failure_rate")
    RANGES = ("activation_delay", "latency_ms")
    BOOLS = ("omit_retry_after", "reject_inactive_dnc", "admin_require_all_days", "admin_retry_after")
    CHOICES = {
        "api": ("outbound-v2", "admin"),
        "admin_time_format": ("%H:%M", "%H:%M:%S"),
        "admin_retry_get": ("flat", "wrapped"),
        "admin_zone_name_field": ("name", "standardName"),
    }
    STRINGS = ("client_id", "client_secret", "wfm_secret", "tenant_id", "access_key_id", "access_key_secret")
    SECONDS = ("wfm_hang_seconds",)
    OPTIONAL_STRINGS = ("delete_while_paging",)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("extra")
        data["granted_scopes"] = list(self.granted_scopes)
        data["failing_paths"] = list(self.failing_paths)
        for name in self.RANGES:
            data[name] = list(getattr(self, name))
        data["client_secret"] = "***"
        data["access_key_secret"] = "***"
        data["wfm_secret"] = "***"
        return data

    def update(self, changes: Any) -> list[dict[str, str]]:
        """Apply the knobs in `changes` (all or nothing); the problems as [{field, message}] if any."""
        if not isinstance(changes, dict):
            return [{"field": "", "message": "expected a JSON object of knobs"}]
        known = {f.name for f in dataclasses.fields(self)} - {"extra"}
        problems, values = [], {}
        for name, raw in changes.items():
            if name not in known:
                problems.append({"field": str(name), "message": "unknown knob"})
                continue
            try:
                values[name] = self._coerce(name, raw)
            except (TypeError, ValueError) as exc:
                problems.append({"field": name, "message": str(exc) or "invalid value"})
        if not problems:
            for name, value in values.items():
                setattr(self, name, value)
        return problems

    def _coerce(self, name: str, raw: Any) -> Any:
        if name in self.RATES:
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
                raise ValueError("expected a rate between 0 and 1")
            return float(raw)
        if name in self.RANGES:
            return parse_range(raw)
        if name in self.BOOLS:
            if not isinstance(raw, bool):
                raise ValueError("expected true or false")
            return raw
        if name in self.STRINGS:
            if not isinstance(raw, str) or not raw:
                raise ValueError("expected a non-empty string")
            if name == "wfm_secret":
                receiver_keys(raw)
            return raw
        if name in self.SECONDS:
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 3600:
                raise ValueError("expected seconds from 0 to 3600")
            return float(raw)
        if name in self.CHOICES:
            if raw not in self.CHOICES[name]:
                raise ValueError(f"expected {' or '.join(self.CHOICES[name])}")
            return raw
        if name == "wfm_status":
            if isinstance(raw, bool) or not isinstance(raw, int) or not (raw == 0 or 200 <= raw <= 599):
                raise ValueError("expected an HTTP status from 200 to 599, or 0 to answer normally")
            return raw
        if name in self.OPTIONAL_STRINGS:
            if not isinstance(raw, str):
                raise ValueError("expected a string (empty for none)")
            return raw
        if name == "failing_paths":
            if not isinstance(raw, list | tuple) or not all(isinstance(p, str) for p in raw):
                raise ValueError("expected a list of paths")
            return tuple(raw)
        if name == "granted_scopes":
            if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
                raise ValueError("expected a list of scope names")
            return tuple(raw)
        if name == "rate_limit":
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw < math.inf:
                raise ValueError("expected requests per second > 0")
            return float(raw)
        # campaigns, seed, burst, token_lifetime: whole numbers.
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError("expected a whole number")
        minimum = {"campaigns": 1, "seed": 0, "burst": 1, "token_lifetime": 0, "wfm_retry_after": 0}[name]
        if raw < minimum or raw > 10**9:
            raise ValueError(f"expected a whole number from {minimum}")
        return raw


class Clock:
    """Wall-clock seconds, which tests can move forward instead of sleeping."""

    # Every answer carries instants as ISO dates: past the year 9999 Python cannot write one, and every request
    # after such an advance would fail until a restart. No test needs a clock beyond this.
    LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward; ValueError (and the clock unmoved) for a move it could not show."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < math.inf:
            raise ValueError("must be a number >= 0")
        room = self.LATEST.timestamp() - self.now()
        if seconds > room:
            raise ValueError(
                f"would move the clock past {self.LATEST:%Y-%m-%d}: at most {max(0, int(room))} seconds from now"
            )
        self.offset += seconds
