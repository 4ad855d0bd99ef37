"""Everything the editor, the campaign page and the approval queue say about a schedule, from the engine.

The engine (campaigns/scheduling) is pure; this module feeds it from the mirror (the campaign's contact-list
breakdown, DNC rules, the other campaigns of its pool) and turns its answers into plain dicts that templates show
and that a submitted draft stores as its findings.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns import scheduling
from campaigns.models import Campaign, ScheduleDraft
from campaigns.scheduling.summary import summarise
from campaigns.services import conflict_index, workflow

PREVIEW_WINDOWS = 8
HORIZON = conflict_index.HORIZON  # the previews and the conflict index look as far ahead

# For the time-zone field's suggestions: canonical IANA names only (aliases are accepted but not offered).
ZONE_NAMES = sorted(
    name
    for name in zoneinfo.available_timezones()
    if "/" in name
    and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/"))
)


@dataclass
class Report:
    """What the checks found about one schedule. `field_errors` stop everything else from being computed."""

    field_errors: dict[str, list[str]] = field(default_factory=dict)
    windows: list[dict] = field(default_factory=list)
    window_count: int = 0
    dst: list[dict] = field(default_factory=list)
    compliance: list[dict] = field(default_factory=list)
    dnc: list[dict] = field(default_factory=list)
    retry: list[dict] = field(default_factory=list)
    conflicts_added: list[dict] = field(default_factory=list)
    conflicts_removed: list[dict] = field(default_factory=list)
    horizon_start: dt.datetime | None = None
    horizon_end: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return not self.field_errors

    @property
    def blocking(self) -> list[str]:
        """What must change before the schedule may be submitted or approved: invalid input, a window outside
        the law (errors, not low-confidence warnings), and a DNC setup CXone would dial without."""
        problems = [f"{name}: {msg}" for name, msgs in self.field_errors.items() for msg in msgs]
        problems += [f["message"] for f in self.compliance if f["severity"] == "error"]
        problems += [f["message"] for f in self.dnc if f["severity"] == "error"]
        return problems

    @property
    def finding_count(self) -> int:
        return len(self.compliance) + len(self.dnc) + len(self.retry) + len(self.dst)

    def as_json(self) -> dict:
        def plain(rows):
            return [
                {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}
                for row in rows
            ]

        return {
            "checked_at": timezone.now().isoformat(),
            "blocking": self.blocking,
            "field_errors": self.field_errors,
            "dst": plain(self.dst),
            "compliance": plain(self.compliance),
            "dnc": plain(self.dnc),
            "retry": plain(self.retry),
            "conflicts_added": plain(self.conflicts_added),
            "conflicts_removed": plain(self.conflicts_removed),
        }


def evaluate_form(campaign: Campaign, form, *, draft: ScheduleDraft | None = None) -> Report:
    """Check what the editor's form holds now. An invalid form reports its field errors and nothing else."""
    if not form.is_bound:
        return evaluate_draft(draft) if draft else Report()
    if not form.is_valid():
        return Report(field_errors={name: list(errors) for name, errors in form.errors.items()})
    return evaluate_values(campaign, form.draft_fields(draft))


def evaluate_draft(draft: ScheduleDraft, *, index: scheduling.ConflictIndex | None = None) -> Report:
    values = {name: getattr(draft, name) for name in workflow.EDITABLE_FIELDS}
    return evaluate_values(draft.campaign, values, index=index)


def evaluate_values(
    campaign: Campaign,
    values: dict,
    *,
    now: dt.datetime | None = None,
    conflicts: bool = True,
    index: scheduling.ConflictIndex | None = None,
) -> Report:
    """Validate, expand and check one schedule of `campaign`. `conflicts=False` skips the what-if, for lists
    that show many campaigns at once; `index` lets a page that checks several drafts fetch the index once."""
    spec = scheduling.ScheduleSpec(
        cron_expression=values["cron_expression"],
        timezone=values["timezone"],
        duration_minutes=values["duration_minutes"],
        effective_start=values.get("effective_start"),
        effective_end=values.get("effective_end"),
    )
    errors = scheduling.validate_spec(spec)
    if errors:
        report = Report()
        for error in errors:
            report.field_errors.setdefault(error.field, []).append(error.message)
        return report

    now = now or timezone.now()
    start = max(now, spec.effective_start) if spec.effective_start else now
    end = start + HORIZON
    if spec.effective_end:
        end = min(end, spec.effective_end)
    windows = scheduling.expand_windows(spec, start, end) if start < end else []
    report = Report(horizon_start=start, horizon_end=end, window_count=len(windows))
    dst = scheduling.dst_findings(spec, windows)
    dst_by_start = {d.window_start: d for d in dst}
    report.dst = [{"window_start": d.window_start, "kind": d.kind, "message": d.message} for d in dst]
    for window in windows[:PREVIEW_WINDOWS]:
        mark = dst_by_start.get(window.start)
        report.windows.append(
            {
                "start": window.start,
                "end": window.end,
                "local_start": window.local_start,
                "local_end": window.local_end,
                "dst": mark.message if mark else "",
            }
        )

    breakdown = campaign.contact_list_breakdown or None
    compliance = scheduling.check_compliance(
        windows,
        campaign_zone=spec.timezone,
        contact_zones=None if breakdown else [spec.timezone],
        breakdown=breakdown,
        dnc_rules=campaign.dnc_rules,
    )
    report.compliance = [finding_row(f) for f in compliance.findings]
    report.dnc = [
        finding_row(f) for f in scheduling.dnc_readiness(campaign.dnc_rules, campaign.dnc_list_state)
    ]
    report.retry = [
        finding_row(f)
        for f in scheduling.retry_policy_findings(
            values.get("retry_max_attempts", 1), values.get("retry_interval_ms", 60_000), breakdown=breakdown
        )
    ]

    if conflicts and campaign.pool_id:
        load = scheduling.CampaignLoad(
            id=campaign.cxone_id,
            cron_expression=spec.cron_expression,
            timezone=spec.timezone,
            duration_minutes=spec.duration_minutes,
            pool=campaign.pool.cxone_skill_id,
            agents=values.get("agents_required") or campaign.agents_required,
            contact_list=campaign.contact_list_id or None,
            effective_start=spec.effective_start,
            effective_end=spec.effective_end,
        )
        what_if = (index or conflict_index.current(now)).what_if(load)
        report.conflicts_added, report.conflicts_removed = summarise(
            what_if.added, what_if.removed, zone=spec.timezone
        )
    return report


def finding_row(finding) -> dict:
    """Any engine finding as a dict with at least severity, rule and message (for templates and storage)."""
    row = (
        dict(vars(finding))
        if hasattr(finding, "__dict__")
        else {name: getattr(finding, name) for name in finding.__dataclass_fields__}
    )
    row.setdefault("severity", "error")
    row.setdefault("rule", row.get("code", ""))
    return row


def campaign_schedule_values(campaign: Campaign) -> dict | None:
    """The campaign's current remote schedule in the draft's terms, or None when CXone gave it none."""
    values = workflow.campaign_schedule(campaign)
    if not all(values.get(name) for name in ("cron_expression", "timezone", "duration_minutes")):
        return None
    return {"retry_max_attempts": 1, "retry_interval_ms": 60_000, **values}


def evaluate_campaign(campaign: Campaign, *, conflicts: bool = True) -> Report | None:
    values = campaign_schedule_values(campaign)
    return evaluate_values(campaign, values, conflicts=conflicts) if values else None


def review(draft: ScheduleDraft, *, index: scheduling.ConflictIndex | None = None) -> dict:
    """What a supervisor needs to decide: current → proposed, each with its next windows, and the findings.
    Conflicts are those the proposal adds or relieves; the current schedule's own are not asked for."""
    current_values = campaign_schedule_values(draft.campaign)
    return {
        "current": evaluate_values(draft.campaign, current_values, conflicts=False)
        if current_values
        else None,
        "current_values": current_values,
        "proposed": evaluate_draft(draft, index=index),
    }
