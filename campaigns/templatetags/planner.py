"""Small display helpers: state badges with text (never colour alone), durations, query strings."""

import json

from django import template
from django.utils.html import format_html

from campaigns.forms import DraftForm
from campaigns.scheduling import BLOCKING, WARNING, zone_or_utc
from campaigns.services.drafts.checks.conflict_index import HORIZON

register = template.Library()

BADGE_KIND = {
    "ACTIVE": "ok",
    "active": "ok",
    "approved": "ok",
    "DRAFT": "info",
    "draft": "info",
    "submitted": "info",
    "activating": "info",
    "PAUSED": "muted",
    "rejected": "muted",
    "withdrawn": "muted",
    "ERROR": "bad",
    "FAILED": "bad",
    "failed": "bad",
    "stale": "warn",
    # Dialling changes.
    "done": "ok",
    "confirming": "info",
    "sending": "info",
    "cancelled": "muted",
    # Activation steps.
    "queued": "info",
    "pushing": "info",
    "polling": "info",
}


@register.simple_tag
def state_badge(state: str, label: str | None = None):
    kind = BADGE_KIND.get(state, "muted")
    return format_html('<span class="badge badge-{}">{}</span>', kind, label or str(state).capitalize())


@register.filter
def minutes(value):
    """480 → "8 h", 90 → "1 h 30 min"."""
    if value in (None, ""):
        return "—"
    hours, mins = divmod(int(value), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def duration_ms(value):
    """A latency in milliseconds, as people read it: 850 → "0.9 s", 75300 → "1 min 15 s"."""
    if value in (None, ""):
        return "—"
    seconds = int(value) / 1000
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60} s"


@register.filter
def wall(value, fmt: str = "%a %d %b %H:%M %Z"):
    """An aware datetime in its own zone, always with the zone named ("Tue 01 Dec 09:00 CST")."""
    if not value:
        return "—"
    return value.strftime(fmt)


@register.filter
def utc(value):
    """The same instant in UTC ("2026-12-01 15:00 UTC")."""
    if not value:
        return "—"
    import datetime as dt

    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@register.filter
def utc_seconds(value):
    """An instant in UTC to the second ("2026-12-01 15:00:07 UTC"), for the audit trail."""
    if not value:
        return "—"
    import datetime as dt

    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@register.filter
def in_zone(value, zone_name: str):
    """An instant shown in a named zone (the campaign's), falling back to UTC for an unknown name."""
    if not value:
        return value
    return value.astimezone(zone_or_utc(zone_name))


# One severity language on every page: a blocking finding reads and looks as an error, a warning never does.
SEVERITY_LOOK = {
    BLOCKING: ("error", "✖", "Error"),
    WARNING: ("warning", "⚠", "Warning"),
    "info": ("info", "ℹ", "Info"),
}


@register.filter
def severity_icon(severity: str) -> str:
    return SEVERITY_LOOK.get(severity, ("", "•", ""))[1]


@register.filter
def severity_class(severity: str) -> str:
    return SEVERITY_LOOK.get(severity, ("info", "", ""))[0]


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITY_LOOK.get(severity, ("", "", str(severity).capitalize()))[2]


@register.filter
def proposal_fields(proposal) -> str:
    """A finding's proposal as the editor's form fields, JSON for a button's data attribute ("" when the form
    has no field for it)."""
    values = DraftForm.proposal_values(proposal)
    return json.dumps(values) if values else ""


@register.filter
def ms_minutes(value):
    """60000 → "1 min" (retry intervals are stored in milliseconds, as CXone carries them)."""
    try:
        return minutes(int(value) // 60_000)
    except (TypeError, ValueError):
        return "—"


@register.filter
def field_label(name: str, form) -> str:
    """A form field's label from its name, for error lists outside the form."""
    field = getattr(form, "fields", {}).get(name)
    return field.label if field else name.replace("_", " ").capitalize()


@register.simple_tag
def horizon_days() -> int:
    """How many days ahead the previews and conflict checks look."""
    return HORIZON.days


@register.filter
def dialling(windows) -> list:
    """The next windows that will dial: those not skipped for a blackout day."""
    return [w for w in windows if not w.get("blackout")]


@register.filter
def skipped(windows) -> list:
    """The next windows a blackout day removes (the editor shows them, marked)."""
    return [w for w in windows if w.get("blackout")]
