"""The read side of a campaign's history: every version in words, a side-by-side comparison of any two, and the
change found in CXone that the campaign page shows (what CXone runs beside the version it is held to).

Rows show what the backend holds (capabilities): the effective period only where CXone keeps one, the zones only
where they are the campaign's own setting, version numbers only where they mean something to people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign, CampaignVersion, Drift
from campaigns.services.history import answers, values, versions, words

Source = CampaignVersion.Source


@dataclass
class VersionLine:
    version: CampaignVersion
    source: str  # "Approved here: draft #12, approved by sam"
    summary: str  # "Weekdays 09:00–17:00 CST; retry 3 attempts, every 1 min; dialling"
    is_reference: bool  # the version the campaign is held to now

    @property
    def pk(self) -> int:
        return self.version.pk


def history(campaign: Campaign) -> list[VersionLine]:
    """Every version of the campaign, newest first."""
    reference = versions.reference_of(campaign)
    shown = capabilities().versions_shown
    found = campaign.versions.select_related("decided_by").order_by("-recorded_at", "-pk")
    return [
        VersionLine(
            version,
            words.source(version, versions_shown=shown),
            words.summary(values.of_version(version)),
            reference is not None and version.pk == reference.pk,
        )
        for version in found
    ]


def compare(left: dict, right: dict, *, at: dt.datetime | None = None) -> list[dict]:
    """The rows of two versions side by side ({label, left, right, changed, left_code, right_code}); `changed`
    marks a row whose values differ."""
    caps = capabilities()
    at = at or timezone.now()

    def row(label, fields, say, code=None):
        return {
            "label": label,
            "left": say(left),
            "right": say(right),
            "changed": any(left.get(f) != right.get(f) for f in fields),
            "left_code": code(left) if code else "",
            "right_code": code(right) if code else "",
        }

    rows = [
        row("Calling windows", values.ASPECTS["schedule"], lambda v: words.schedule(v, at), _cron),
        row("Time zone", ("timezone",), lambda v: v.get("timezone") or "—"),
        row("Window length", ("duration_minutes",), lambda v: words.length(v.get("duration_minutes"))),
    ]
    if caps.periods_held:
        rows.append(row("Effective", values.ASPECTS["period"], words.period))
    rows.append(row("Retry policy", ("retry_policy",), lambda v: words.retry(v.get("retry_policy"))))
    if caps.zones_held:
        rows.append(row("Zones called", ("zones",), lambda v: words.zones(v.get("zones"))))
    if caps.weekly_schedules_only:  # a Personal Connection skill's cadences: per-number calling windows
        rows.append(
            row("Cadence windows", ("time_constraints",), lambda v: words.cadences(v.get("time_constraints")))
        )
    rows.append(row("Running", ("running",), lambda v: words.running(v.get("running"))))
    if caps.versions_shown:  # which version CXone was at, for reference: not a setting that changed
        rows.append(row("CXone version", (), lambda v: str(v.get("remote_version") or "—")))
    return rows


def _cron(v: dict) -> str:
    return v.get("cron_expression") or ""


@dataclass
class DriftFinding:
    """The change found in CXone that the campaign page shows, and what can be done about it."""

    drift: Drift
    held_to: str  # where the version the campaign is held to came from, in words
    rows: list[dict]  # held to (left) → CXone now (right)
    changed: str  # "calling windows and running state"
    answerable: bool
    restore_under_way: bool
    keep_refusal: str | None = None
    restore_refusal: str | None = None


def drift_finding(campaign: Campaign, user) -> DriftFinding | None:
    """The campaign's latest change found in CXone, while it is a question (open, or a restore that went
    nowhere) or a restore is under way; None otherwise."""
    drift = (
        Drift.objects.filter(campaign=campaign)
        .select_related("seen", "reference__decided_by", "restore_draft", "answered_by")
        .order_by("-pk")
        .first()
    )
    if drift is None:
        return None
    answerable = answers.answerable(drift)
    under_way = drift.answer == Drift.Answer.RESTORING and not answerable
    if not (answerable or under_way):
        return None
    return DriftFinding(
        drift=drift,
        held_to=words.source(drift.reference, versions_shown=capabilities().versions_shown),
        rows=compare(values.of_version(drift.reference), values.of_version(drift.seen)),
        changed=words.aspects(drift.changed),
        answerable=answerable,
        restore_under_way=under_way,
        keep_refusal=answers.keep_refusal(drift, user) if answerable else None,
        restore_refusal=answers.restore_refusal(drift, user) if answerable else None,
    )


def drift_log(campaign: Campaign) -> list[Drift]:
    """Every change found in CXone for the campaign, newest first, with its answer."""
    found = list(
        Drift.objects.filter(campaign=campaign)
        .select_related("answered_by", "restore_draft", "seen")
        .order_by("-first_seen_at", "-pk")
    )
    for drift in found:
        drift.changed_words = words.aspects(drift.changed)
    return found


def changed_in_cxone() -> Exists:
    """Annotates a campaign query: the campaign has a change in CXone nobody answered yet (the list's badge and
    filter, one subquery for the whole page)."""
    return Exists(Drift.objects.filter(campaign=OuterRef("pk"), answered_at__isnull=True))
