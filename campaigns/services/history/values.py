"""What a version of a campaign holds, read from the mirror, from CXone's answer or from a stored version, and
which parts of two versions differ, in the parts people name: its calling windows ("schedule"), its effective
period, its retry policy, its zones, whether it dials ("running") and, under the Admin API, its cadences'
per-number calling windows ("cadences": a second place where calling hours live).

Only what the backend holds as the campaign's own settings is compared (capabilities: periods_held, zones_held):
under the Admin API a skill's effective period is made up from its last update and v2's zones are where the
contacts live, and neither is anybody's edit. Running state: ACTIVE dials, PAUSED does not; DRAFT, ERROR and
FAILED say neither (v2 passes through them on its way to ACTIVE), so only a change between dialling and not
dialling counts."""

from __future__ import annotations

import json

from campaigns.cxone import schemas
from campaigns.cxone.capabilities import Capabilities
from campaigns.models import Campaign, CampaignVersion
from campaigns.services.schedule_values import RETRY_KEYS

VALUE_FIELDS = (
    "timezone", "cron_expression", "duration_minutes", "effective_start", "effective_end", "retry_policy",
    "zones", "running", "time_constraints",
)  # fmt: skip
# The parts of a version as people name them, and the fields each covers.
ASPECTS = {
    "schedule": ("timezone", "cron_expression", "duration_minutes"),
    "period": ("effective_start", "effective_end"),
    "retry": ("retry_policy",),
    "zones": ("zones",),
    "running": ("running",),
    "cadences": ("time_constraints",),
}
ASPECT_WORDS = {
    "schedule": "calling windows",
    "period": "effective period",
    "retry": "retry policy",
    "zones": "zones",
    "running": "running state",
    "cadences": "cadence windows",
}
# What a draft can carry back to CXone (a push writes the schedule; zones and dialling are not a draft's).
DRAFTABLE = ("schedule", "period", "retry")


def running_of(state: str) -> bool | None:
    return {"ACTIVE": True, "PAUSED": False}.get(state)


def zones_of(breakdown) -> list[str]:
    return sorted(
        {zone for row in breakdown or [] if isinstance(row, dict) for zone in row.get("timezones") or []}
    )


def of_campaign(campaign: Campaign) -> dict:
    """The mirror's values of `campaign` (as the last sync or push read CXone)."""
    return {
        "timezone": campaign.timezone or "",
        "cron_expression": campaign.cron_expression or "",
        "duration_minutes": campaign.duration_minutes,
        "effective_start": campaign.effective_start,
        "effective_end": campaign.effective_end,
        "retry_policy": dict(campaign.retry_policy or {}),
        # A skill's zones are its own setting (its time-zone settings); else where the contacts are.
        "zones": list(campaign.called_zones or []) or zones_of(campaign.contact_list_breakdown),
        "running": running_of(campaign.state),
        "time_constraints": list(campaign.time_constraints or []),
        "remote_version": campaign.remote_version,
    }


def of_remote(remote: schemas.Campaign, campaign: Campaign) -> dict:
    """CXone's answer about `campaign` (what a push saw live); the zones, which the answer does not carry, from
    the mirror."""
    schedule = remote.schedule
    duration = schedule.duration_minutes if schedule else None
    return {
        "timezone": schedule.timezone if schedule else "",
        "cron_expression": schedule.cron_expression if schedule else "",
        "duration_minutes": duration if duration else None,
        "effective_start": schedule.start_time if schedule else None,
        "effective_end": schedule.end_time if schedule else None,
        "retry_policy": schedule.retry_policy.to_api() if schedule and schedule.retry_policy else {},
        "zones": list(remote.called_zones or []) or zones_of(campaign.contact_list_breakdown),
        "running": running_of(remote.state),
        "time_constraints": [tc.to_api() for tc in remote.time_constraints]
        if remote.time_constraints is not None
        else list(campaign.time_constraints or []),  # a read without the cadences: the mirror's
        "remote_version": max(0, remote.version),
    }


def of_version(version: CampaignVersion) -> dict:
    return {name: getattr(version, name) for name in (*VALUE_FIELDS, "remote_version")}


def held_aspects(caps: Capabilities) -> tuple[str, ...]:
    """The parts of a version that CXone holds as the campaign's own settings under this backend."""
    return tuple(
        aspect
        for aspect in ASPECTS
        if (aspect != "period" or caps.periods_held)
        and (aspect != "zones" or caps.zones_held)
        and (aspect != "cadences" or caps.weekly_schedules_only)  # a Personal Connection skill's cadences
    )


def differences(
    held: dict, seen: dict, caps: Capabilities, *, running_wanted: bool | None = None
) -> list[str]:
    """The aspects in which `seen` differs from `held`, the version it is held to. `running_wanted`: what our own
    controls want now, which stands in for the held running state."""
    found = []
    for aspect in held_aspects(caps):
        if aspect == "running":
            expected = held["running"] if running_wanted is None else running_wanted
            if expected is not None and seen["running"] is not None and expected != seen["running"]:
                found.append(aspect)
        elif aspect == "cadences":
            # Versions recorded before cadence windows were kept hold None: unknown is not a change.
            if held.get("time_constraints") is not None and _cadences(held) != _cadences(seen):
                found.append(aspect)
        elif aspect == "retry" and not seen.get("retry_policy") and not seen.get("cron_expression"):
            # CXone's week cannot be said as one schedule here (different hours on different days), and the
            # mirror keeps a retry policy only with a schedule: unknown is not a change (the schedule's is).
            continue
        elif any(_normal(held[name]) != _normal(seen[name]) for name in ASPECTS[aspect]):
            found.append(aspect)
    return found


def same(one: dict, other: dict, caps: Capabilities) -> bool:
    """The two hold the same settings (what the backend holds), running state included where both say one."""
    return not differences(one, other, caps)


def draft_fields(values: dict) -> dict:
    """A version's values as draft fields (start_draft's); the retry policy's keys it has."""
    fields = {
        name: values[name]
        for name in ASPECTS["schedule"] + ASPECTS["period"]
        if values[name] not in (None, "")
    }
    policy = values.get("retry_policy") or {}
    fields.update({name: policy[key] for name, key in RETRY_KEYS.items() if key in policy})
    return fields


def version_fields(values: dict) -> dict:
    """Values as CampaignVersion fields."""
    return {name: values[name] for name in (*VALUE_FIELDS, "remote_version")}


def _cadences(values: dict) -> list[str]:
    """Cadence windows in an order of their own (CXone's may vary between reads)."""
    return sorted(json.dumps(item, sort_keys=True) for item in values.get("time_constraints") or [])


def _normal(value):
    if value in (None, ""):
        return None
    return value
