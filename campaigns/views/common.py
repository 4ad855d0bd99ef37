import datetime as dt
import html
import time

from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe

from campaigns.models import ScheduleDraft
from campaigns.scheduling import PURPOSES, TELEMARKETING, zone_or_utc
from campaigns.scheduling.describe import describe_schedule
from campaigns.templatetags.planner import minutes, ms_minutes


def draft_with_campaign(pk: int) -> ScheduleDraft:
    return get_object_or_404(
        ScheduleDraft.objects.select_related("campaign", "campaign__pool", "author", "approver"), pk=pk
    )


def lock_version_from(data, name: str = "lock_version") -> int:
    """The version of the draft the user's page was showing. Missing or garbled counts as "unknown" (0), which
    never matches a saved draft, so the service refuses the change instead of overwriting blindly."""
    try:
        return int(data.get(name, ""))
    except (TypeError, ValueError):
        return 0


def readable_changes(changes: dict, zone_name: str) -> list[tuple[str, str, str]]:
    """{field: [before, after]} of a draft as (label, before, after) in planners' terms: the field's label,
    instants in the draft's zone with the zone named, durations in hours and minutes, yes/no."""
    rows = []
    for name, (before, after) in changes.items():
        if before == after:
            continue
        try:
            label = str(ScheduleDraft._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name.replace("_", " ")
        rows.append(
            (
                label[:1].upper() + label[1:],
                readable(name, before, zone_name),
                readable(name, after, zone_name),
            )
        )
    return rows


def readable(name: str, value, zone_name: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name in {"effective_start", "effective_end"}:
        instant = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return instant.astimezone(zone_or_utc(zone_name)).strftime("%Y-%m-%d %H:%M %Z")
    if name == "duration_minutes":
        return minutes(value)
    if name == "retry_interval_ms":
        return ms_minutes(value)
    return str(value)


# The rows of the queue's side-by-side view, and the draft fields each row shows.
ROW_FIELDS = {
    "timezone": ("timezone",),
    "cron_expression": ("cron_expression",),
    "duration_minutes": ("duration_minutes",),
    "effective": ("effective_start", "effective_end"),
    "retry": (
        "retry_max_attempts", "retry_interval_ms", "retry_on_busy", "retry_on_no_answer",
        "retry_restricted_minutes", "retry_restricted_max_attempts",
    ),
    "purpose": ("purpose",),
    "agents_required": ("agents_required",),
}  # fmt: skip


def schedule_rows(schedule, compared_with: dict | None = None) -> list[dict]:
    """The side-by-side rows of a schedule (a draft, or the campaign's values as a dict) for the queue; with
    `compared_with` (the current schedule's values), each row says whether the schedule changes it, so the
    supervisor sees the change at a glance. With nothing to compare with, every row is new."""

    def get(name):
        return schedule.get(name) if isinstance(schedule, dict) else getattr(schedule, name)

    zone = get("timezone") or "UTC"
    retry_on = [
        label for name, label in (("retry_on_busy", "busy"), ("retry_on_no_answer", "no answer")) if get(name)
    ]
    retry = f"{get('retry_max_attempts')} attempts, every {ms_minutes(get('retry_interval_ms'))}"
    if get("retry_restricted_minutes") and get("retry_restricted_max_attempts"):
        within = minutes(get("retry_restricted_minutes"))
        retry += f", at most {get('retry_restricted_max_attempts')} in {within}"
    values = {
        "timezone": ("Time zone", zone),
        "cron_expression": ("Cron expression", get("cron_expression")),
        "duration_minutes": ("Window length", minutes(get("duration_minutes"))),
        "effective": (
            "Effective",
            f"{readable('effective_start', get('effective_start'), zone)} → "
            f"{readable('effective_end', get('effective_end'), zone)}",
        ),
        "retry": ("Retry", f"{retry}, on {' and '.join(retry_on)}" if retry_on else retry),
        "purpose": ("Purpose", PURPOSES.get(get("purpose") or TELEMARKETING, get("purpose"))),
        "agents_required": ("Agents", get("agents_required")),
    }

    def changed(row):
        if compared_with is None:
            return False
        if not compared_with:
            return True
        return any(name in compared_with and compared_with[name] != get(name) for name in ROW_FIELDS[row])

    words = describe_schedule(get("cron_expression") or "", get("duration_minutes"), zone, timezone.now())
    return [
        {
            "label": label,
            "value": value,
            "changed": changed(key),
            "code": key == "cron_expression",
            "words": (words or "") if key == "cron_expression" else "",
        }
        for key, (label, value) in values.items()
    ]


# The filter's campaigns, per page, for a minute per process: reading 10 000 names on every request cost more
# than the rest of the page; a campaign that just appeared joins the menu within a minute.
OPTIONS_FRESH_SECONDS = 60.0
_option_rows: dict[str, tuple[float, list[tuple[int, str]]]] = {}


def campaign_options(campaigns, chosen: str, *, kept_as: str = ""):
    """The <option>s of the campaign filter (audit, activations), joined here rather than by a template loop or
    format_html per row: with 10 000 campaigns either took a page past its budget. Names are escaped. With
    `kept_as`, the rows are read at most once a minute under that name."""
    kept = _option_rows.get(kept_as) if kept_as else None
    if kept is None or time.monotonic() - kept[0] > OPTIONS_FRESH_SECONDS:
        kept = (time.monotonic(), list(campaigns.values_list("pk", "name")))
        if kept_as:
            _option_rows[kept_as] = kept
    return mark_safe(  # noqa: S308 (every value below is escaped or an integer)
        "".join(
            f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>{html.escape(name)}</option>'
            for pk, name in kept[1]
        )
    )


def forget_options() -> None:
    """Drop the kept filter rows (tests)."""
    _option_rows.clear()
