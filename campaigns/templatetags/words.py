"""Template tags that say things in planners' words: schedules, times in the viewer's zone, audit rows."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html

from campaigns.scheduling.describe import describe_schedule
from campaigns.services.drafts.checks import conflict_words
from campaigns.services.reports import audit_words
from campaigns.templatetags.planner import minutes
from campaigns.viewer import viewer_zone

register = template.Library()


@register.simple_tag
def in_words(cron, duration_minutes, zone_name):
    """The schedule said in words with its zone ("Weekdays 11:00–14:00 CST"); the cron stays beside it for
    experts. Nothing when the expression is not plain enough to say (the cron alone is then shown)."""
    words = describe_schedule(cron or "", duration_minutes, zone_name or "UTC", timezone.now())
    if not words:
        return ""
    return format_html('<span class="in-words" title="{} in {}">{}</span>', cron, zone_name or "UTC", words)


@register.simple_tag
def schedule_cell(cron, duration_minutes, zone_name):
    """A schedule in a table cell: the words first, the cron as secondary text; the cron, length and zone when
    there are no plain words for it."""
    if not cron:
        return "—"
    words = schedule_words(cron, duration_minutes, zone_name)
    if words:
        return format_html(
            '<span class="in-words">{}</span><br>'
            '<code class="small muted cron" title="Cron expression in {}">{}</code>',
            words,
            zone_name or "UTC",
            cron,
        )
    return format_html("<code>{}</code> for {} in {}", cron, minutes(duration_minutes), zone_name or "UTC")


def schedule_words(cron, duration_minutes, zone_name) -> str:
    return describe_schedule(cron or "", duration_minutes, zone_name or "UTC", timezone.now()) or ""


register.simple_tag(schedule_words, name="schedule_words")


@register.simple_tag(takes_context=True)
def moment(context, value, fmt: str = "%Y-%m-%d %H:%M %Z"):
    """An instant in the viewer's zone with the zone named, UTC on hover: <time title="… UTC">…</time>."""
    if not value:
        return "—"
    zone = viewer_zone(context.get("request"))
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.astimezone(dt.UTC).isoformat(),
        value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        value.astimezone(zone).strftime(fmt),
    )


@register.simple_tag(takes_context=True)
def audit_lines(context, entries):
    return audit_words.lines(entries, viewer_zone(context.get("request")))


@register.filter
def action_label(action: str) -> str:
    return audit_words.action_label(action)


@register.simple_tag
def editor_words(form, draft) -> str:
    """The editor's schedule in words: what the form holds when it was checked, else the saved draft; nothing
    while the cron, length or zone is wrong (the field's error says why)."""
    if form.is_bound:
        data = getattr(form, "cleaned_data", {}) if form.is_valid() else {}
        values = (data.get("cron_expression"), data.get("duration_minutes"), data.get("timezone"))
    else:
        values = (draft.cron_expression, draft.duration_minutes, draft.timezone)
    if not all(values):
        return ""
    return schedule_words(*values)


@register.simple_tag(takes_context=True)
def conflict_lines(context, conflicts, severity="", own=None):
    """The conflicts of a report in words (services/conflict_words.py); `severity` "info" marks relieved ones.
    The names are read once per request, however many reports the page shows."""
    if not conflicts:
        return []
    request = context.get("request")
    book = getattr(request, "_conflict_names", None)
    if book is None:
        book = conflict_words.NameBook()
        if request is not None:
            request._conflict_names = book
    return conflict_words.lines(conflicts, relieves=severity == "info", own=own, book=book)
