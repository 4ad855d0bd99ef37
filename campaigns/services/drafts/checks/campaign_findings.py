"""The stored findings of each campaign's current schedule, so that the campaign list reads them instead of
checking a year of windows per campaign per request.

They are computed when the mirror changes (sync calls `refresh_outdated` after it commits), and lazily, once,
for campaigns that never had them or whose stored ones are outdated: `refresh_unchecked` (one cheap query
when nothing is to do) before the list filters by finding, and `ensure_current` for the rows a page shows.
"Outdated" is told by a key over everything the findings depend on: the schedule, the contact list's
breakdown, the DNC rules and list state, and the calling-hours rules file itself, so a new rules file makes
every stored finding outdated. `python manage.py refresh_findings` recomputes them all (after a deploy that
changes the rules, to spare the first visitor the wait).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign
from campaigns.scheduling import Finding
from campaigns.scheduling.rules import rules_digest
from campaigns.services import schedule_values
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts.checks import draft_checks

log = logging.getLogger(__name__)

FORMAT = (
    "2"  # bump when what is stored (or how it is computed) changes: every stored finding is then outdated
)
MAX_AGE = dt.timedelta(days=1)  # the findings run from "today": a daily pass keeps them about the days ahead
STORED_FIELDS = ["current_findings", "findings_level", "findings_key", "findings_computed_at"]

BLOCKING, WARNING, CLEAR, UNSCHEDULED = "blocking", "warning", "clear", "unscheduled"
LEVELS = {
    BLOCKING: "Blocking findings",
    WARNING: "Warnings only",
    CLEAR: "No findings",
    UNSCHEDULED: "No schedule",
}


def rules_fingerprint() -> str:
    """The calling-hours rules files in force, the backend the retry policy is judged for, and the format of
    what is stored, as a short text."""
    return f"{FORMAT}.{rules_digest()}.{capabilities().api}"


def findings_key(campaign: Campaign) -> str:
    """Changes whenever anything the stored findings depend on changes (the rules file included)."""
    inputs = {
        "schedule": schedule_values.campaign_values(campaign),
        "breakdown": campaign.contact_list_breakdown,
        "dnc_rules": campaign.dnc_rules,
        "dnc_list_state": campaign.dnc_list_state,
    }
    if campaign.time_constraints:  # the cadences' windows (Admin API) are findings too
        inputs["time_constraints"] = campaign.time_constraints
    text = json.dumps(inputs, sort_keys=True, default=_instant)
    return f"{rules_fingerprint()}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def _instant(value):
    # The same instant read back with another offset (a sync's -06:00, the database's UTC) is the same input.
    return (
        value.astimezone(dt.UTC).isoformat()
        if isinstance(value, dt.datetime)
        else schedule_values.as_json(value)
    )


def compute(
    campaign: Campaign, *, now: dt.datetime | None = None, blackout_rules: tuple | None = None
) -> dict:
    """The stored form of the campaign's findings: {"level", **draft_checks.Report.as_json()}. The level is
    blocking exactly when the editor would refuse the schedule (report.blocking). Blackout days count: a window
    they remove is not checked (`blackout_rules` when read for many campaigns at once)."""
    report = draft_checks.evaluate_campaign(campaign, conflicts=False, now=now, blackout_rules=blackout_rules)
    if report is None:
        return {"level": UNSCHEDULED}
    level = BLOCKING if report.blocking else WARNING if report.finding_count else CLEAR
    return {"level": level, **report.as_json()}


def _store(campaigns: list[Campaign], now: dt.datetime) -> int:
    calendars = blackout_days.read_calendars((c.pk, c.cxone_id, c.pool_id) for c in campaigns)
    for campaign in campaigns:
        try:
            findings = compute(campaign, now=now, blackout_rules=calendars.of(campaign.cxone_id))
        except Exception as exc:  # one odd mirror row must not stop a sync or a page; it shows as blocking
            log.exception("Could not check the schedule of campaign %s", campaign.cxone_id)
            why = f"The schedule could not be checked ({type(exc).__name__}); look at this campaign in CXone."
            findings = {"level": BLOCKING, "blocking": [why], "checked_at": now.isoformat()}
        campaign.current_findings = findings
        campaign.findings_level = findings["level"]
        campaign.findings_key = findings_key(campaign)
        campaign.findings_computed_at = now
    Campaign.objects.bulk_update(campaigns, STORED_FIELDS, batch_size=200)
    return len(campaigns)


def refresh(campaign_ids: Iterable[int] | None = None, *, now: dt.datetime | None = None) -> int:
    """Compute and store the findings of these campaigns' current schedules (every campaign when None);
    returns how many."""
    now = now or timezone.now()
    campaigns = Campaign.objects.order_by("pk")
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=list(campaign_ids))
    stored = 0
    batch: list[Campaign] = []
    for campaign in campaigns.iterator(chunk_size=500):
        batch.append(campaign)
        if len(batch) == 500:
            stored += _store(batch, now)
            batch = []
    if batch:
        stored += _store(batch, now)
    return stored


def refresh_outdated(*, now: dt.datetime | None = None) -> int:
    """After a sync: refresh the campaigns whose inputs changed, that were never checked, or whose findings
    are older than MAX_AGE. Returns how many were refreshed."""
    now = now or timezone.now()
    outdated = [
        campaign.pk
        for campaign in Campaign.objects.only(
            "pk", "findings_key", "findings_computed_at", *_KEY_FIELDS
        ).iterator(chunk_size=2000)
        if campaign.findings_computed_at is None
        or campaign.findings_computed_at < now - MAX_AGE
        or campaign.findings_key != findings_key(campaign)
    ]
    if outdated:
        log.info("Refreshing the stored findings of %d campaigns", len(outdated))
    return refresh(outdated, now=now) if outdated else 0


def refresh_unchecked(*, now: dt.datetime | None = None) -> int:
    """Compute, once, the findings of campaigns that have none or whose rules are not the ones in force. One
    indexed query when there is nothing to do, as on nearly every request."""
    unchecked = (
        Campaign.objects.filter(
            Q(findings_computed_at__isnull=True) | ~Q(findings_key__startswith=rules_fingerprint() + ":")
        )
        .order_by()  # any order will do: not a sort of 10 000 names on every view of the list
        .values_list("pk", flat=True)
    )
    ids = list(unchecked)
    return refresh(ids, now=now) if ids else 0


def ensure_current(campaigns: Iterable[Campaign], *, now: dt.datetime | None = None) -> None:
    """The rows a page shows, with findings that match their schedule as it is now (a row changed without a
    sync, by the admin or a test, is checked again and stored)."""
    outdated = [c for c in campaigns if c.findings_key != findings_key(c)]
    if outdated:
        _store(outdated, now or timezone.now())


def badge(findings: dict | None) -> dict:
    """What the list's findings column says about stored findings, counting what the editor shows: the level,
    a short label (the blocking ones, else the warnings), and the reasons for the title and the disclosure:
    every blocking one, then every warning, each saying which it is."""
    findings = findings or {}
    level = findings.get("level") or ""
    if level == UNSCHEDULED or not level:
        return {"level": level, "label": "—", "reasons": [], "count": 0}
    stored = [Finding.from_dict(row) for row in findings.get("findings") or []]
    messages = {finding.message for finding in stored if finding.blocking}
    # Input that is no schedule, or a schedule that could not be checked, blocks without being a finding.
    unchecked = [str(m) for m in findings.get("blocking") or [] if str(m) not in messages]
    blocking = unchecked + [f"Error — {f.title}: {f.message}" for f in stored if f.blocking]
    warnings = [f"Warning — {f.title}: {f.message}" for f in stored if not f.blocking]
    if blocking:
        return {"level": BLOCKING, "label": f"✖ {len(blocking)} blocking", "reasons": blocking + warnings,
                "count": len(blocking)}  # fmt: skip
    if warnings:
        return {"level": WARNING, "label": f"⚠ {len(warnings)}", "reasons": warnings, "count": len(warnings)}
    return {"level": CLEAR, "label": "✔ none", "reasons": [], "count": 0}


# The Campaign fields findings_key reads (so refresh_outdated loads only those).
_KEY_FIELDS = (
    "timezone", "cron_expression", "duration_minutes", "effective_start", "effective_end", "retry_policy",
    "purpose", "agents_required", "contact_list_breakdown", "dnc_rules", "dnc_list_state", "time_constraints",
    "open_ended",
)  # fmt: skip
