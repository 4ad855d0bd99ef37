"""The body of a WFM event: what a workforce-management system plans with, under 20 KB.

Two kinds: an activation's outcome (build_payload), and a campaign changed in CXone behind the product's back
(build_drift_payload, `campaign.drifted`: what CXone runs now, to plan with, beside the version it is held to).

The seed's fields stay at the top level for receivers written against it (eventType, campaignId,
activationLatencyMs, timestamp, conflictsDetected); the rest is what the contract (cxone-api.md, "WFM webhook")
adds: the Standard Webhooks `type`, ids, versions, approval and activation times, the schedule, the windows of
the next 14 days in UTC and local time, the agents required and the conflicts found at approval.

The windows are those that will dial: a window on one of the campaign's blackout days, or wholly inside one of its
approved timed pauses, is left out of `count` and `items`, and `windows.held` says which days and pauses held how
many (services/webhooks/held.py, scheduling/held_windows.py).
"""

from __future__ import annotations

import datetime as dt
import json

from campaigns import scheduling
from campaigns.models import Activation, Campaign, CampaignVersion, Drift, ScheduleDraft
from campaigns.scheduling.held_windows import sort_held
from campaigns.services.webhooks import held

# activation step → (eventType of the seed, Standard Webhooks `type`)
EVENTS = {
    Activation.Step.ACTIVE: ("CAMPAIGN_SCHEDULE_UPDATED", "campaign_schedule.activated"),
    Activation.Step.FAILED: ("CAMPAIGN_ACTIVATION_FAILED", "campaign_schedule.activation_failed"),
}
# A change found in CXone: (eventType beside the seed's, Standard Webhooks `type`).
DRIFT_EVENT = ("CAMPAIGN_DRIFTED", "campaign.drifted")
WINDOW_DAYS = 14
MAX_BYTES = 20_000  # Standard Webhooks: payloads under 20 KB
MAX_WINDOWS = 60  # a every-5-minutes cron has 4,032 windows in 14 days; the count says how many there are
MAX_CONFLICTS = 20
MAX_HELD = 40  # 14 blackout days at most, and pauses: more than this many holds are cut, heldCount stays


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
        "windows": windows_of(in_force, now, campaign),
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


def build_drift_payload(drift: Drift, event_id: str, now: dt.datetime) -> dict:
    """The `campaign.drifted` event of `drift`'s latest change: what CXone runs now (the schedule, its windows of
    the next 14 days, its running state and zones), what changed, and the version the campaign is held to."""
    campaign: Campaign = drift.campaign
    seen, held = drift.seen, drift.reference
    schedule = version_schedule(seen)
    payload = {
        "eventType": DRIFT_EVENT[0],
        "type": DRIFT_EVENT[1],
        "eventId": event_id,
        "timestamp": iso(drift.last_seen_at),
        "campaignId": campaign.cxone_id,
        "campaignName": campaign.name,
        # The seed's fields, which receivers written against it require: no activation, no conflicts found here.
        "activationLatencyMs": None,
        "conflictsDetected": 0,
        "driftId": drift.pk,
        "firstSeenAt": iso(drift.first_seen_at),
        "changed": list(drift.changed),
        "version": seen.remote_version,
        "schedule": schedule,
        "running": seen.running,
        "zones": list(seen.zones),
        "windows": windows_of(schedule, now, campaign),
        "heldTo": {
            "source": held.source,
            "draftId": held.draft_id,
            "recordedAt": iso(held.recorded_at),
            "version": held.remote_version,
            "schedule": version_schedule(held),
            "running": held.running,
            "zones": list(held.zones),
        },
        "agentsRequired": campaign.agents_required,
    }
    while len(body_bytes(payload)) >= MAX_BYTES and trim_windows(payload["windows"]):
        pass
    if len(body_bytes(payload)) >= MAX_BYTES:
        raise ValueError("a WFM event cannot be made smaller than 20 KB")
    return payload


def version_schedule(version: CampaignVersion) -> dict | None:
    if not version.has_schedule:
        return None
    return {
        "timezone": version.timezone,
        "cronExpression": version.cron_expression,
        "durationMinutes": version.duration_minutes,
        "startTime": iso(version.effective_start),
        "endTime": iso(version.effective_end),
        "retryPolicy": version.retry_policy or None,
    }


def windows_of(schedule: dict | None, now: dt.datetime, campaign: Campaign | None = None) -> dict:
    """The schedule's windows starting in the next 14 days that will dial, UTC and local (the engine expands
    them); with `campaign`, those its blackout days and approved pauses hold are left out and listed in `held`."""
    end = now + dt.timedelta(days=WINDOW_DAYS)
    result = {
        "from": iso(now),
        "to": iso(end),
        "count": 0,
        "items": [],
        "truncated": False,
        "held": [],
        "heldCount": 0,
    }
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
    holds = held.holds_of(campaign, spec.timezone, now, end) if campaign is not None else []
    parted = sort_held(windows, holds)
    dialling = parted.dialling
    result["count"] = len(dialling)
    result["truncated"] = len(dialling) > MAX_WINDOWS
    result["items"] = [
        {**window_item(w), "partlyPaused": True} if n in parted.partly_paused else window_item(w)
        for n, w in enumerate(dialling[:MAX_WINDOWS])
    ]
    result["held"] = [held.held_item(h, n) for h, n in zip(holds, parted.removed, strict=True)][:MAX_HELD]
    result["heldCount"] = parted.held_count
    if len(holds) > MAX_HELD:
        result["heldTruncated"] = True
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
    """Keep the body under MAX_BYTES: drop conflict details first, then windows from the end, then held days and
    pauses from the end (the counts stay)."""
    while len(body_bytes(payload)) >= MAX_BYTES:
        if payload["conflicts"]:
            payload["conflicts"] = payload["conflicts"][: len(payload["conflicts"]) // 2]
            payload["conflictsTruncated"] = True
        elif trim_windows(payload["windows"]):
            continue
        elif payload.get("error", {}).get("message"):
            payload["error"]["message"] = payload["error"]["message"][:200]
            if len(body_bytes(payload)) >= MAX_BYTES:
                raise ValueError("a WFM event cannot be made smaller than 20 KB")
        else:
            raise ValueError("a WFM event cannot be made smaller than 20 KB")
    return payload


def trim_windows(windows: dict) -> bool:
    """Halve the window items, else the held entries (each flagged as cut); False when nothing is left to cut."""
    if windows["items"]:
        windows["items"] = windows["items"][: len(windows["items"]) // 2]
        windows["truncated"] = True
        return True
    if windows.get("held"):
        windows["held"] = windows["held"][: len(windows["held"]) // 2]
        windows["heldTruncated"] = True
        return True
    return False
