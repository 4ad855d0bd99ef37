"""The sandbox tenant: campaigns, skills, DNC and contact lists, tokens, rate-limit buckets, pending
activations.

Activations are evaluated lazily: a PUT records when its activation ends and how; every request first settles
the activations that are due (`settle()`), so the outcome and `activatedAt` are exact whatever the event loop
(an in-process ASGITransport or a uvicorn server) and tests can move the clock instead of sleeping."""

from __future__ import annotations

import copy
import datetime as dt
import random
import secrets
import threading
from dataclasses import dataclass

from starlette.requests import Request

from campaigns.sandbox.config import Clock, SandboxConfig
from campaigns.sandbox.cxone.pc_tenant import build_pc_tenant
from campaigns.sandbox.cxone.seed import build, default_epoch, iso
from campaigns.sandbox.stats import Stats


def edited_schedule(schedule: dict, edit: dict) -> dict:
    """`schedule` with the fields `edit` names replaced; a retryPolicy in `edit` replaces only its own keys."""
    merged = {**schedule, **edit}
    if isinstance(edit.get("retryPolicy"), dict) and isinstance(schedule.get("retryPolicy"), dict):
        merged["retryPolicy"] = {**schedule["retryPolicy"], **edit["retryPolicy"]}
    return merged


def state_of(request: Request) -> SandboxState:
    """The SandboxState of the app serving `request` (every route of every personality finds it here)."""
    return request.app.state.sandbox


@dataclass
class IssuedToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float


@dataclass
class PendingActivation:
    version: int
    put_at: float
    due_at: float
    outcome: str  # ACTIVE | ERROR | FAILED
    errors: list


class TokenBucket:
    """`rate` tokens per second, at most `burst` banked. take() → 0 when allowed, else seconds until it would
    be."""

    def __init__(self, rate: float, burst: int, now: float):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.updated = now

    def take(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class SandboxState:
    def __init__(self, config: SandboxConfig | None = None, clock: Clock | None = None):
        self.config = config or SandboxConfig()
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.stats = Stats()
        self.wfm_deliveries: dict[str, dict] = {}  # webhook-id → first delivery + how many times seen
        self.wfm_down_until = 0.0  # the WFM stand-in breaks off every webhook until then (clock seconds)
        self.reset()

    def reset(self) -> None:
        """Reseed the tenant from the config (stats and WFM deliveries are kept; see reset_stats)."""
        with self.lock:
            data = build(self.config.seed, self.config.campaigns, default_epoch(self.clock.now()))
            self.skills, self.dnc_lists = data.skills, data.dnc_lists
            self.contact_lists, self.campaigns = data.contact_lists, data.campaigns
            self.pending: dict[str, PendingActivation] = {}
            # campaign id → (when a pause or resume takes, the state it leads to)
            self.dialling: dict[str, tuple[float, str]] = {}
            self.tokens: dict[str, IssuedToken] = {}
            self.buckets: dict[str, TokenBucket] = {}
            self.rng = random.Random(self.config.seed)
            self.pc = build_pc_tenant(self.campaigns, self.dnc_lists, self.contact_lists, self.now_iso())
            self.refresh_tokens: dict[str, str] = {}  # Admin API refresh token → client id

    def reset_stats(self) -> None:
        with self.lock:
            self.stats.reset()
            self.wfm_deliveries.clear()

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    def now_iso(self, at: float | None = None) -> str:
        return iso(dt.datetime.fromtimestamp(self.clock.now() if at is None else at, dt.UTC))

    # --- Auth and rate limit ----------------------------------------------------------------------------

    def issue_token(self, client_id: str, scopes: frozenset[str]) -> tuple[str, int]:
        with self.lock:
            lifetime = self.config.token_lifetime
            token = secrets.token_urlsafe(24)
            self.tokens[token] = IssuedToken(client_id, scopes, self.clock.now() + lifetime)
            self.stats.tokens_issued += 1
            return token, lifetime

    def token_info(self, token: str) -> IssuedToken | None:
        """The token if it is known and not expired."""
        with self.lock:
            info = self.tokens.get(token)
            if info is None or self.clock.now() >= info.expires_at:
                return None
            return info

    def revoke_tokens(self) -> int:
        with self.lock:
            count = len(self.tokens)
            self.tokens.clear()
            return count

    def take_rate_token(self, client_id: str) -> float:
        """0 when the client may go on, else the seconds until its bucket allows one more request."""
        with self.lock:
            now = self.clock.now()
            bucket = self.buckets.get(client_id)
            if bucket is None or (bucket.rate, bucket.burst) != (self.config.rate_limit, self.config.burst):
                bucket = self.buckets[client_id] = TokenBucket(self.config.rate_limit, self.config.burst, now)
            return bucket.take(now)

    # --- Campaigns and activations ----------------------------------------------------------------------

    def settle(self) -> None:
        """Finish every activation whose delay has passed."""
        with self.lock:
            now = self.clock.now()
            self._settle_dialling(now)
            for campaign_id, pending in list(self.pending.items()):
                if pending.due_at > now:
                    continue
                del self.pending[campaign_id]
                campaign = self.campaigns.get(campaign_id)
                if campaign is None or campaign["version"] != pending.version:
                    continue
                ended = self.now_iso(pending.due_at)
                campaign.update(state=pending.outcome, errors=pending.errors, updatedAt=ended)
                if pending.outcome == "ACTIVE":
                    campaign["activatedAt"] = ended
                self.stats.record_activation(
                    campaign_id, pending.version, pending.outcome, self.now_iso(pending.put_at), ended
                )

    def want_dialling(self, campaign_id: str, wanted: str) -> None:
        """A pause (wanted PAUSED) or resume (ACTIVE) accepted: it takes after the activation delay; one already
        in that state, or on its way there, changes nothing."""
        with self.lock:
            campaign = self.campaigns[campaign_id]
            pending = self.dialling.get(campaign_id)
            if campaign["state"] == wanted:
                self.dialling.pop(campaign_id, None)
            elif pending is None or pending[1] != wanted:
                low, high = self.config.activation_delay
                self.dialling[campaign_id] = (self.clock.now() + self.rng.uniform(low, high), wanted)

    def _settle_dialling(self, now: float) -> None:
        for campaign_id, (due, wanted) in list(self.dialling.items()):
            if due > now:
                continue
            del self.dialling[campaign_id]
            campaign = self.campaigns.get(campaign_id)
            if campaign is not None and campaign["state"] in ("ACTIVE", "PAUSED"):
                campaign.update(state=wanted, updatedAt=self.now_iso(due))
                self.stats.record_dialling(campaign_id, wanted, due)

    def campaign(self, campaign_id: str) -> dict | None:
        with self.lock:
            self.settle()
            found = self.campaigns.get(campaign_id)
            return copy.deepcopy(found) if found is not None else None

    def store_put(self, campaign_id: str, body: dict) -> dict:
        """Store a validated PUT as DRAFT and schedule its activation."""
        with self.lock:
            now = self.clock.now()
            stored = {key: value for key, value in body.items() if key not in ("errors", "activatedAt")}
            skill = self.skills[body["skill"]["id"]]
            contact_list = self.contact_lists[body["contactList"]["id"]]
            stored.update(
                id=campaign_id,
                state="DRAFT",
                skill=dict(skill),
                contactList={"id": contact_list["id"], "name": contact_list["name"]},
                errors=[],
                updatedAt=self.now_iso(now),
                activatedAt=None,
            )
            self.campaigns[campaign_id] = stored
            low, high = self.config.activation_delay
            outcome, errors = self._activation_outcome(stored)
            self.pending[campaign_id] = PendingActivation(
                version=stored["version"],
                put_at=now,
                due_at=now + self.rng.uniform(low, high),
                outcome=outcome,
                errors=errors,
            )
            self.stats.puts[campaign_id] += 1
            return copy.deepcopy(stored)

    def _activation_outcome(self, campaign: dict) -> tuple[str, list]:
        dnc = self.dnc_lists.get(campaign.get("dncListId") or "")
        if self.config.reject_inactive_dnc and dnc is not None and dnc["state"] == "INACTIVE":
            return "ERROR", [{"code": "dnc.list_inactive", "message": f"DNC list {dnc['id']} is INACTIVE"}]
        if self.roll(self.config.failure_rate):
            return "FAILED", [{"code": "platform.failure", "message": "Dialer platform failed to activate"}]
        if self.roll(self.config.error_rate):
            return "ERROR", [
                {"code": "schedule.rejected", "message": "Schedule rejected by dialer validation"}
            ]
        return "ACTIVE", []

    def touch(self, campaign_id: str, changes: dict) -> dict | None:
        """Someone changed the campaign in CXone: next version, `changes` applied. A "schedule" in `changes`
        changes only the schedule's fields it names (and of a "retryPolicy" in it, only the keys it names)."""
        with self.lock:
            self.settle()
            campaign = self.campaigns.get(campaign_id)
            if campaign is None:
                return None
            changes = dict(changes)
            if isinstance(changes.get("schedule"), dict):
                changes["schedule"] = edited_schedule(campaign.get("schedule") or {}, changes["schedule"])
            campaign.update(changes)
            campaign.update(version=campaign["version"] + 1, updatedAt=self.now_iso())
            return copy.deepcopy(campaign)

    def remove(self, campaign_id: str) -> bool:
        with self.lock:
            self.pending.pop(campaign_id, None)
            return self.campaigns.pop(campaign_id, None) is not None
