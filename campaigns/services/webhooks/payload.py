"""The body of a WFM event: what a workforce-management system plans with, under 20 KB.

The seed's fields stay at the top level for receivers written against it (eventType, campaignId,
activationLatencyMs, timestamp, conflictsDetected); the rest is what the contract (cxone-api.md, "WFM webhook")
adds: the Standard Webhooks `type`, ids, versions, approval and activation times, the schedule, the windows of
the next 14 days in UTC and local time, the agents required and the conflicts found at approval.
"""

from __future__ import annotations

import datetime as dt
import json

from campaigns import scheduling
from campaigns.models import Activation, Campaign, ScheduleDraft

# activation step → (eventType of the seed, Standard Webhooks `type`)
EVENTS = {
    Activation.Step.ACTIVE: ("CAMPAIGN_SCHEDULE_UPDATED", "campaign_schedule.activated"),
    Activation.Step.FAILED: ("CAMPAIGN_ACTIVATION_FAILED", "campaign_schedule.activation_failed"),
}
WINDOW_DAYS = 14
MAX_BYTES = 20_000  # Standard Webhooks: payloads under 20 KB
MAX_WINDOWS = 60  # a every-5-minutes cron has 4,032 windows in 14 days; the count says how many there are
MAX_CONFLICTS = 20


def body_bytes(payload: dict) -> bytes:
    """The exact bytes that are signed and sent (compact, stable key order)."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def iso(value: dt.datetime | None) -> str | None:
    return scheduling.isoformat_utc(value) if value else None


def build_payload(activation: Activation, event_id: str, now: dt.datetime) -> dict:
    """The event of `activation`'s terminal step (active or failed), as sent to WFM."""
    event_type, kind = EVENTS[activation.step]
    draft: ScheduleDraft = activation.draft
    campaign: Campaign = activation.campaign
    conflicts = list((draft.findings or {}).get("conflicts_added") or [])
    active = activation.step == Activation.Step.ACTIVE
    attempted = draft_schedule(draft)
    # What WFM should plan with: the new schedule once active; after a failure, the one still in force.
    in_force = attempted if active else campaign_schedule(campaign)
    payload = {
        "eventType": event_type,
        "type": kind,
        "eventId": event_id,
        "timestamp": iso(activation.observed_active_at if active and activation.observed_active_at else now),
        "campaignId": campaign.cxone_id,
        "campaignName": campaign.name,
        "activationId": activation.pk,
        "draftId": draft.pk,
        "activationLatencyMs": activation.latency_ms,
        "conflictsDetected": len(conflicts),
        "version": activation.pushed_version,
        "previousVersion": draft.base_version,
        "approvedAt": iso(activation.approved_at),
        "activeAt": iso(activation.observed_active_at),
        "remoteActivatedAt": iso(activation.remote_activated_at),
        "agentsRequired": draft.agents_required,
        "pool": (
            {
                "skillId": campaign.pool.cxone_skill_id,
                "name": campaign.pool.name,
                "agents": campaign.pool.agents,
            }
            if campaign.pool_id
            else None
        ),
        "schedule": in_force,
        "windows": windows_of(in_force, now),
        "conflicts": conflicts[:MAX_CONFLICTS],
    }
    if not active:
        payload["attemptedSchedule"] = attempted
        payload["error"] = {"outcome": activation.outcome, "message": activation.error[:2000]}
    return fit(payload)


def draft_schedule(draft: ScheduleDraft) -> dict:
    return {
        "timezone": draft.timezone,
        "cronExpression": draft.cron_expression,
        "durationMinutes": draft.duration_minutes,
        "startTime": iso(draft.effective_start),
        "endTime": iso(draft.effective_end),
        "retryPolicy": draft.retry_policy(),
    }


def campaign_schedule(campaign: Campaign) -> dict | None:
    if not (campaign.timezone and campaign.cron_expression and campaign.duration_minutes):
        return None
    return {
        "timezone": campaign.timezone,
        "cronExpression": campaign.cron_expression,
        "durationMinutes": campaign.duration_minutes,
        "startTime": iso(campaign.effective_start),
        "endTime": iso(campaign.effective_end),
        "retryPolicy": campaign.retry_policy or None,
    }


def windows_of(schedule: dict | None, now: dt.datetime) -> dict:
    """The schedule's windows starting in the next 14 days, UTC and local (the engine expands them)."""
    end = now + dt.timedelta(days=WINDOW_DAYS)
    result = {"from": iso(now), "to": iso(end), "count": 0, "items": [], "truncated": False}
    if not schedule:
        return result
    spec = scheduling.ScheduleSpec(
        cron_expression=schedule["cronExpression"],
        timezone=schedule["timezone"],
        duration_minutes=schedule["durationMinutes"],
        effective_start=_parse(schedule["startTime"]),
        effective_end=_parse(schedule["endTime"]),
    )
    try:
        windows = scheduling.expand_windows(spec, now, end)
    except scheduling.InvalidSchedule as exc:
        result["error"] = str(exc)
        return result
    result["count"] = len(windows)
    result["truncated"] = len(windows) > MAX_WINDOWS
    result["items"] = [window_item(w) for w in windows[:MAX_WINDOWS]]
    return result


def window_item(window: scheduling.Window) -> dict:
    return {
        "startUtc": iso(window.start),
        "endUtc": iso(window.end),
        "localStart": window.local_start.isoformat(),
        "localEnd": window.local_end.isoformat(),
    }


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def fit(payload: dict) -> dict:
    """Keep the body under MAX_BYTES: drop conflict details first, then windows from the end (counts stay)."""
    while len(body_bytes(payload)) >= MAX_BYTES:
        if payload["conflicts"]:
            payload["conflicts"] = payload["conflicts"][: len(payload["conflicts"]) // 2]
            payload["conflictsTruncated"] = True
        elif payload["windows"]["items"]:
            items = payload["windows"]["items"]
            payload["windows"]["items"] = items[: len(items) // 2]
            payload["windows"]["truncated"] = True
        elif payload.get("error", {}).get("message"):
            payload["error"]["message"] = payload["error"]["message"][:200]
            if len(body_bytes(payload)) >= MAX_BYTES:
                raise ValueError("a WFM event cannot be made smaller than 20 KB")
        else:
            raise ValueError("a WFM event cannot be made smaller than 20 KB")
    return payload
