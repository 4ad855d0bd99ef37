"""A version of a campaign in planners' words: "Weekdays 09:00–17:00 CST", "3 attempts, every 5 min",
"dialling"; where it came from ("Approved here: draft #12, approved by sam"); what changed ("calling windows and
running state"). Version numbers appear only where they mean something to people (capabilities.versions_shown):
never the Admin API's fingerprints."""

from __future__ import annotations

import datetime as dt

from campaigns.models import CampaignVersion
from campaigns.scheduling import zone_or_utc
from campaigns.scheduling.describe import describe_schedule
from campaigns.services.history.values import ASPECT_WORDS

TIME_FORMAT = "%Y-%m-%d %H:%M %Z"


def length(minutes: int | None) -> str:
    if not minutes:
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def schedule(values: dict, at: dt.datetime | None = None) -> str:
    """The calling windows in words, or the cron and length where words cannot say it plainly."""
    cron, minutes, zone = (
        values.get("cron_expression"),
        values.get("duration_minutes"),
        values.get("timezone"),
    )
    if not (cron and minutes and zone):
        return "no schedule"
    said = describe_schedule(cron, minutes, zone, at or dt.datetime.now(dt.UTC))
    return said or f"{cron} for {length(minutes)} ({zone})"


def retry(policy: dict | None) -> str:
    if not policy or "maxAttempts" not in policy:
        return "—"
    interval = policy.get("retryIntervalMs")
    every = f", every {length(int(interval) // 60_000)}" if isinstance(interval, int) else ""
    on = [
        label for key, label in (("retryOnBusy", "busy"), ("retryOnNoAnswer", "no answer")) if policy.get(key)
    ]
    attempts = policy["maxAttempts"]
    return f"{attempts} attempt{'s' if attempts != 1 else ''}{every}" + (
        f", on {' and '.join(on)}" if on else ""
    )


def running(value: bool | None) -> str:
    return {True: "dialling", False: "not dialling"}.get(value, "—")


def zones(value: list[str] | None) -> str:
    return ", ".join(value) if value else "—"


def cadences(value: list[dict] | None) -> str:
    """A skill's cadence windows: "Mobile numbers: Weekday 10:00–20:00; …" (— for none, "not kept" when the
    version was recorded before they were)."""
    if value is None:
        return "not kept"
    said = [
        f"{item.get('cadence') or 'a cadence'}: {item.get('dayType') or '?'} "
        f"{item.get('startTime') or '?'}–{item.get('endTime') or '?'}"
        for item in value
        if isinstance(item, dict)
    ]
    return "; ".join(said) or "—"


def period(values: dict) -> str:
    start, end = values.get("effective_start"), values.get("effective_end")
    if not (start or end):
        return "—"
    zone = zone_or_utc(values.get("timezone") or "UTC")
    shown = [moment.astimezone(zone).strftime(TIME_FORMAT) if moment else "—" for moment in (start, end)]
    return " → ".join(shown)


def aspects(changed: list[str]) -> str:
    """["schedule", "running"] → "calling windows and running state"."""
    names = [ASPECT_WORDS.get(name, name) for name in changed]
    if len(names) <= 1:
        return "".join(names) or "nothing"
    return ", ".join(names[:-1]) + " and " + names[-1]


def summary(values: dict) -> str:
    """One line: "Weekdays 09:00–17:00 CST; retry 3 attempts, every 1 min; dialling"."""
    parts = [schedule(values)]
    if values.get("retry_policy"):
        parts.append(f"retry {retry(values['retry_policy'])}")
    if values.get("running") is not None:
        parts.append(running(values["running"]))
    return "; ".join(parts)


def source(version: CampaignVersion, *, versions_shown: bool) -> str:
    """Where a version came from, with who decided: "Approved here: draft #12, approved by sam"."""
    who = version.decided_by.get_username() if version.decided_by_id else ""
    kind = CampaignVersion.Source
    if version.source == kind.APPROVED:
        said = f"Approved here: draft #{version.draft_id}" + (f", approved by {who}" if who else "")
    elif version.source == kind.KEPT_FROM_CXONE:
        said = "Kept from CXone" + (f": decided by {who}" if who else "")
    elif version.source == kind.SEEN_IN_CXONE:
        said = "Seen in CXone (changed there, not here)"
    else:
        said = "As first mirrored from CXone"
    if versions_shown and version.remote_version:
        said += f" · CXone version {version.remote_version}"
    return said
