"""The schedule values of a campaign and of a draft, in the draft's terms: one small place that the workflow
(which stores them) and the checks (which judge them) both import, so neither has to import the other to
know what a schedule is."""

from __future__ import annotations

from campaigns.scheduling import RetryPolicy

EDITABLE_FIELDS = (
    "timezone", "cron_expression", "duration_minutes", "effective_start", "effective_end",
    "retry_max_attempts", "retry_interval_ms", "retry_on_busy", "retry_on_no_answer",
    "retry_restricted_minutes", "retry_restricted_max_attempts", "purpose", "agents_required",
)  # fmt: skip
# Draft retry fields ← keys of the campaign's CXone retry policy (the restricted-calling keys are the Admin
# API's; a v2 campaign has none).
RETRY_KEYS = {
    "retry_max_attempts": "maxAttempts", "retry_interval_ms": "retryIntervalMs",
    "retry_on_busy": "retryOnBusy", "retry_on_no_answer": "retryOnNoAnswer",
    "retry_restricted_minutes": "restrictedCallingMinutes",
    "retry_restricted_max_attempts": "restrictedCallingMaxAttempts",
}  # fmt: skip
# What a campaign without a retry policy is checked with (CXone's defaults: one attempt, a minute apart).
RETRY_DEFAULTS = {"retry_max_attempts": 1, "retry_interval_ms": 60_000}
SCHEDULE_CORE = ("cron_expression", "timezone", "duration_minutes")


def campaign_schedule(campaign) -> dict:
    """The campaign's current remote schedule as draft field values (empty ones left out), and its purpose."""
    policy = campaign.retry_policy or {}
    values = {f: getattr(campaign, f) for f in EDITABLE_FIELDS if f not in RETRY_KEYS}
    values.update({f: policy[key] for f, key in RETRY_KEYS.items() if key in policy})
    return {f: v for f, v in values.items() if v not in (None, "")}


def retry_policy_of(values: dict) -> RetryPolicy:
    """The retry policy a draft's (or a campaign's) values say, in the backend-neutral shape."""
    return RetryPolicy(
        max_attempts=values.get("retry_max_attempts", RETRY_DEFAULTS["retry_max_attempts"]),
        retry_interval_ms=values.get("retry_interval_ms", RETRY_DEFAULTS["retry_interval_ms"]),
        restricted_minutes=values.get("retry_restricted_minutes") or 0,
        restricted_max_attempts=values.get("retry_restricted_max_attempts") or 0,
        retry_on_busy=values.get("retry_on_busy", True),
        retry_on_no_answer=values.get("retry_on_no_answer", True),
    )


def campaign_values(campaign) -> dict | None:
    """The campaign's current schedule ready to be checked, or None when CXone gave it none. A schedule that runs
    until someone changes it (open_ended) is checked as open-ended: its mirrored end is only where drafts start."""
    values = campaign_schedule(campaign)
    if not all(values.get(name) for name in SCHEDULE_CORE):
        return None
    if getattr(campaign, "open_ended", False):
        values.pop("effective_end", None)
    return {**RETRY_DEFAULTS, **values}


def draft_values(draft) -> dict:
    """A draft's schedule, as saved."""
    return {name: getattr(draft, name) for name in EDITABLE_FIELDS}


def schedule_snapshot(campaign) -> dict:
    """campaign_schedule as JSON values, kept on a draft as the schedule it was drafted from."""
    return {f: as_json(v) for f, v in campaign_schedule(campaign).items()}


def as_json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
