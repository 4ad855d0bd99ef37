"""The audit trail in planners' words, for the audit page, the histories and the CSV export.

An audit row stores codes and JSON ("campaigns.draft.edited", "scheduledraft" #5, retry_interval_ms 900000,
ISO instants): exact, and what a database browser shows. A planner reads "Edited", "Draft #5 of Renewals East",
"Retry: interval 15 min", "2026-11-30 06:01 CST". This module turns the one into the other; the ids stay
available as secondary text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

from campaigns.cxone.factory import capabilities
from campaigns.models import AuditEntry, Campaign, DraftStatus, ScheduleDraft
from campaigns.scheduling import PURPOSES, zone_or_utc
from campaigns.scheduling.describe import describe_schedule, describe_starts

# Audit action → what it is called on the pages. New actions (activations, webhooks) add a line here; an unknown
# one still reads as words ("campaigns.activation.timed_out" → "Activation timed out").
ACTION_LABELS = {
    "campaigns.draft.created": "Draft started",
    "campaigns.draft.revised": "Draft started as a revision",
    "campaigns.draft.edited": "Draft edited",
    "campaigns.draft.submitted": "Submitted for approval",
    "campaigns.draft.withdrawn": "Withdrawn from review",
    "campaigns.draft.approved": "Approved",
    "campaigns.draft.rejected": "Rejected",
    "campaigns.draft.rebased": "Rebased on CXone's current version",
    "campaigns.draft.marked_stale": "Marked stale",
    "campaigns.draft.behind_remote": "Fell behind CXone",
    "campaigns.campaign.synced": "Updated from CXone",
    "campaigns.campaign.purpose_changed": "Purpose changed",
    "admin.object.added": "Added in the admin",
    "admin.object.changed": "Changed in the admin",
    "admin.object.deleted": "Deleted in the admin",
    "campaigns.drift.found": "Changed in CXone",
    "campaigns.drift.changed_again": "Changed again in CXone",
    "campaigns.drift.changed_back": "Changed back in CXone",
    "campaigns.drift.kept": "Kept CXone's version",
    "campaigns.drift.restore_started": "Restore of the approved version started",
    "campaigns.drift.replaced": "Change in CXone replaced by an approved draft",
    "campaigns.draft.started_from_version": "Draft started from an earlier version",
    "campaigns.webhook.redelivered": "WFM delivery sent again",
    "campaigns.webhook.endpoint_resumed": "WFM endpoint resumed",
    "campaigns.pool.created": "Pool defined",
    "campaigns.pool.changed": "Pool changed",
    "campaigns.pool.removed": "Pool removed",
    "campaigns.calendar.created": "Blackout calendar drafted",
    "campaigns.calendar.revised": "Blackout calendar revision started",
    "campaigns.calendar.edited": "Blackout calendar revision edited",
    "campaigns.calendar.submitted": "Blackout calendar submitted for approval",
    "campaigns.calendar.withdrawn": "Blackout calendar withdrawn from review",
    "campaigns.calendar.discarded": "Blackout calendar revision discarded",
    "campaigns.calendar.approved": "Blackout calendar approved",
    "campaigns.calendar.rejected": "Blackout calendar rejected",
    "campaigns.calendar.attachments_proposed": "Blackout calendar attachments proposed",
    "campaigns.calendar.attached": "Blackout calendar attached",
}

# Objects named in words rather than by their model's name ("webhookdelivery #1"), with the page that lists
# them ("" where that page is not everyone's: a planner may not open the Webhooks page).
OBJECT_WORDS = {
    "webhookdelivery": ("WFM delivery", ""),
    "webhookendpoint": ("The WFM endpoint", ""),
    "agentpool": ("Pool", "pools"),
    "blackoutcalendar": ("Blackout calendar", "calendars"),
    "calendarrevision": ("Blackout calendar revision", "calendars"),
}

# Instants shown in the schedule's own zone (the editor types them as local dates there); others in the viewer's.
SCHEDULE_INSTANTS = {"effective_start", "effective_end"}
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
TIME_FORMAT = "%Y-%m-%d %H:%M %Z"


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    parts = action.split(".")
    words = " ".join(parts[-2:]).replace("_", " ")
    return words[:1].upper() + words[1:]


def local_time(moment: dt.datetime | None, zone, fmt: str = TIME_FORMAT) -> str:
    """An instant in `zone`, with the zone named ("2026-11-30 06:01 CST")."""
    return moment.astimezone(zone).strftime(fmt) if moment else "—"


@dataclass
class ChangeRow:
    field: str
    label: str
    before: str
    after: str
    after_words: str = ""  # a cron's new value said in words


@dataclass
class AuditLine:
    """One audit row as the pages and the CSV show it."""

    entry: AuditEntry
    when: str  # in the viewer's zone, zone named
    when_utc: str
    who: str
    action: str
    object_name: str  # "Draft #5 of Renewals East"
    object_url: str | None
    object_ref: str  # the raw "scheduledraft #5", as secondary text
    campaign_name: str
    campaign_ref: str  # the CXone id
    changes: list[ChangeRow]


VERSION_FIELDS = {"remote_version", "base_version", "pushed_version"}


def lines(entries, viewer_zone) -> list[AuditLine]:
    """The rows of one page (or one chunk of the export): one query for the zones of the drafts named."""
    entries = list(entries)
    draft_ids = {
        int(e.object_id) for e in entries if e.object_type == "scheduledraft" and e.object_id.isdigit()
    }
    zones = dict(ScheduleDraft.objects.filter(pk__in=draft_ids).values_list("pk", "timezone"))
    return [line(e, viewer_zone, draft_zones=zones) for e in entries]


def line(entry: AuditEntry, viewer_zone, *, draft_zones: dict | None = None) -> AuditLine:
    campaign = entry.campaign
    # The Admin API's "versions" are fingerprints of a skill's week: nine digits that say nothing to people.
    versions_shown = capabilities().versions_shown
    name, url = object_name(entry)
    zone_name = _schedule_zone(entry, draft_zones or {})
    schedule_zone = zone_or_utc(zone_name)
    return AuditLine(
        entry=entry,
        when=local_time(entry.created_at, viewer_zone, "%Y-%m-%d %H:%M:%S %Z"),
        when_utc=local_time(entry.created_at, dt.UTC, "%Y-%m-%d %H:%M:%S UTC"),
        who=entry.actor.get_username() if entry.actor else "system",
        action=action_label(entry.action),
        object_name=name,
        object_url=url,
        object_ref=f"{entry.object_type} #{entry.object_id}",
        campaign_name=campaign.name if campaign else "",
        campaign_ref=campaign.cxone_id if campaign else "",
        changes=[
            ChangeRow(
                field,
                field_label(field, entry.object_type),
                value_text(field, pair[0], viewer_zone, schedule_zone),
                value_text(field, pair[1], viewer_zone, schedule_zone),
                cron_words(entry, pair[1], zone_name) if field == "cron_expression" else "",
            )
            for field, pair in (entry.changes or {}).items()
            if isinstance(pair, list | tuple) and len(pair) == 2 and (versions_shown or field not in VERSION_FIELDS)
        ],
    )


def cron_words(entry: AuditEntry, cron, zone_name: str) -> str:
    """The new cron in words: with its window length when the same change recorded it, else when it opens."""
    if not isinstance(cron, str) or not cron:
        return ""
    duration = (entry.changes or {}).get("duration_minutes")
    length = duration[1] if isinstance(duration, list | tuple) and len(duration) == 2 else None
    if isinstance(length, int) and length > 0:
        words = describe_schedule(cron, length, zone_name or "UTC", entry.created_at)
    else:
        words = describe_starts(cron, zone_name or "UTC", entry.created_at)
    return words or ""


def object_name(entry: AuditEntry) -> tuple[str, str | None]:
    """ "Draft #5 of Renewals East" and its page; the campaign's name and page for a campaign."""
    campaign = entry.campaign
    if entry.object_type == "scheduledraft" and entry.object_id.isdigit():
        of = f" of {campaign.name}" if campaign else ""
        return f"Draft #{entry.object_id}{of}", reverse("draft-editor", args=[int(entry.object_id)])
    if entry.object_type == "campaign" and campaign:
        return f"Campaign {campaign.name}", reverse("campaign-detail", args=[campaign.pk])
    if entry.object_type == "drift" and campaign:
        return f"Change in CXone of {campaign.name}", reverse("campaign-history", args=[campaign.pk])
    of = f" of {campaign.name}" if campaign else ""
    if entry.object_type == "activation":
        url = reverse("activation-list") + (f"?campaign={campaign.pk}" if campaign else "")
        return f"Activation #{entry.object_id}{of}", url
    if entry.object_type in OBJECT_WORDS:
        words, page = OBJECT_WORDS[entry.object_type]
        number = f" #{entry.object_id}" if entry.object_type != "webhookendpoint" else ""
        return f"{words}{number}{of}", reverse(page) if page else None
    words = entry.object_type.replace("_", " ").capitalize()
    return f"{words} #{entry.object_id}", None


def field_label(name: str, object_type: str) -> str:
    model = Campaign if object_type == "campaign" else ScheduleDraft
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name.replace("_", " ")
    label = {
        "retry: interval (ms)": "retry: interval",
        "duration (minutes)": "window length",
        "rules version": "calling-hours rules",
    }.get(label, label)
    return label[:1].upper() + label[1:]


def value_text(name: str, value, viewer_zone, schedule_zone) -> str:
    """A stored value as a planner reads it: "15 min", "8 h", "yes", instants with their zone named."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "revised_from" and isinstance(value, int):
        return f"draft #{value}"
    if name == "status" and value in DraftStatus.values:
        return str(DraftStatus(value).label)
    if name == "purpose" and value in PURPOSES:
        return PURPOSES[value]
    if name == "duration_minutes" and isinstance(value, int):
        return duration_text(value)
    if name == "retry_interval_ms" and isinstance(value, int):
        return duration_text(value // 60_000) if value % 60_000 == 0 else f"{value / 1000:g} s"
    if name == "retry_policy" and isinstance(value, dict):
        return retry_text(value)
    if isinstance(value, str) and ISO_INSTANT.match(value):
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if instant.tzinfo is None:
            return value
        zone = schedule_zone if name in SCHEDULE_INSTANTS else viewer_zone
        return local_time(instant, zone)
    if isinstance(value, list | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 120 else text[:117] + "…"
    return str(value)


def duration_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def retry_text(policy: dict) -> str:
    interval = policy.get("retryIntervalMs")
    every = value_text("retry_interval_ms", interval, None, None) if isinstance(interval, int) else "?"
    on = [w for key, w in (("retryOnBusy", "busy"), ("retryOnNoAnswer", "no answer")) if policy.get(key)]
    text = f"{policy.get('maxAttempts', '?')} attempts, every {every}"
    if policy.get("restrictedCallingMinutes") and policy.get("restrictedCallingMaxAttempts"):
        text += (
            f", at most {policy['restrictedCallingMaxAttempts']} in "
            f"{duration_text(policy['restrictedCallingMinutes'])}"
        )
    return f"{text}, on {' and '.join(on)}" if on else text


def _schedule_zone(entry: AuditEntry, draft_zones: dict) -> str:
    """The zone a schedule's effective dates are read in: the one the change set, else the draft's (or the
    campaign's) zone."""
    change = (entry.changes or {}).get("timezone")
    if isinstance(change, list | tuple) and len(change) == 2 and change[1]:
        return change[1]
    if entry.object_type == "scheduledraft" and entry.object_id.isdigit():
        zone = draft_zones.get(int(entry.object_id))
        if zone:
            return zone
    return entry.campaign.timezone if entry.campaign else ""
