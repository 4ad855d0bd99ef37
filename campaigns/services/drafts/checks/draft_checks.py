"""Everything the editor, the campaign page and the approval queue say about a schedule, from the engine.

The engine (campaigns/scheduling) is pure; this module feeds it from the mirror (the campaign's contact-list
breakdown, DNC rules, the other campaigns of its pool) and turns its answers into plain dicts that templates show
and that a submitted draft stores as its findings. It works on schedule values (services/schedule_values.py);
the editor's view turns its form into values first.

The retry policy is judged as the configured backend will dial it (`capabilities().api`): v2's interval and
attempts, or the Admin API's retry settings with their restricted-calling window; the purpose of the draft (or
the campaign) says which frequency limits apply.

Two horizons. The next-windows preview looks 14 days ahead. The findings (calling hours, DST, frequency limits)
cover the whole effective period from today (or its start) to its end, or the next 400 days when it has no end:
a schedule that is legal all winter can break the law the week the clocks change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

from django.utils import timezone

from campaigns import scheduling
from campaigns.cxone.admin_lists import ZONES_LIST_PREFIX
from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign, ScheduleDraft
from campaigns.scheduling import blackouts
from campaigns.scheduling.findings import CALLING_HOURS, FREQUENCY, SKILL, UNCHECKED
from campaigns.scheduling.summary import summarise
from campaigns.services import schedule_values
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import pausing
from campaigns.services.drafts.checks import (
    blackout_conflicts,
    cadence_checks,
    conflict_index,
    skill_findings,
)
from campaigns.services.drafts.checks.report import Report, invalid  # noqa: F401 (views call draft_checks.invalid)
from campaigns.services.pools import lookup as pools

PREVIEW_WINDOWS = 8
BUDGET_SECONDS = scheduling.CHECK_SECONDS  # each check's time budget (read at each check: tests shrink it)
# The kind a part's "not checked" finding takes; DST notes are advisory and conflicts no finding at all, so theirs
# are of their own kind (which blocks).
PART_KINDS = {"calling hours": CALLING_HOURS, "retry policy": FREQUENCY, "skill": SKILL}
HORIZON = conflict_index.HORIZON  # the previews and the conflict index look as far ahead
OPEN_ENDED_DAYS = 400  # a whole DST cycle in every zone, and then some
# An effective period longer than this is checked for its first MAX_CHECKED_DAYS (the report says so): three
# years of windows repeat every pattern of weekdays, DST and holidays, and keep a keystroke's check fast.
MAX_CHECKED_DAYS = 3 * 366

# For the time-zone field's suggestions: canonical IANA names only (aliases are accepted but not offered).
ZONE_NAMES = sorted(
    name
    for name in zoneinfo.available_timezones()
    if "/" in name
    and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/"))
)


def evaluate_draft(
    draft: ScheduleDraft,
    *,
    index: scheduling.ConflictIndex | None = None,
    deadline: scheduling.Deadline | None = None,
    calendars: blackout_days.CalendarsRead | None = None,
    paused: pausing.PausedSpans | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """THE findings of a draft as saved, computed now: what workflow.submit and workflow.approve (and the
    activation push, before it sends anything to CXone) rely on. `report.blocking` lists what refuses it —
    including any part the time budget cut short. Never trust findings handed over by a caller or stored
    earlier: call this."""
    return evaluate_values(
        draft.campaign,
        schedule_values.draft_values(draft),
        index=index,
        deadline=deadline,
        calendars=calendars,
        paused=paused,
        now=now,
    )


def evaluate_values(
    campaign: Campaign,
    values: dict,
    *,
    now: dt.datetime | None = None,
    conflicts: bool = True,
    index: scheduling.ConflictIndex | None = None,
    deadline: scheduling.Deadline | None = None,
    blackout_rules: tuple | None = None,
    calendars: blackout_days.CalendarsRead | None = None,
    paused: pausing.PausedSpans | None = None,
) -> Report:
    """Validate, expand and check one schedule of `campaign` (draft field values). `conflicts=False` skips the
    what-if, for lists that show many campaigns at once; `index` lets a page that checks several drafts fetch
    the index once, `calendars` and `paused` (pausing.paused_spans over the index's horizon) what holds
    campaigns. Within `deadline` (2 s from now unless given): a part it cuts short is a blocking
    "not checked" finding, never silence."""
    deadline = deadline or scheduling.Deadline(BUDGET_SECONDS)
    spec = scheduling.ScheduleSpec(
        cron_expression=values.get("cron_expression"),
        timezone=values.get("timezone"),
        duration_minutes=values.get("duration_minutes"),
        effective_start=values.get("effective_start"),
        effective_end=values.get("effective_end"),
    )
    errors = scheduling.validate_spec(spec)
    if errors:
        report = Report()
        for error in errors:
            report.field_errors.setdefault(error.field, []).append(error.message)
        return report

    caps = capabilities()
    if not caps.periods_held:
        # This backend writes no period: a skill's week dials from the push until someone changes it. What will
        # dial is what is judged: from now, with no end, whatever period the draft names (skill_findings says so).
        spec = dataclasses.replace(spec, effective_start=None, effective_end=None)
    now = now or timezone.now()
    start = max(now, spec.effective_start) if spec.effective_start else now
    end = spec.effective_end or start + dt.timedelta(days=OPEN_ENDED_DAYS)
    limit = start + dt.timedelta(days=MAX_CHECKED_DAYS)
    api = caps.api
    report = Report(
        checked_from=start,
        checked_until=min(end, limit),
        period_cut_short=end > limit,
        rules_version=scheduling.load_rules().version,
        api=api,
    )
    report.horizon_start, report.horizon_end = start, min(end, start + HORIZON)
    # The campaign's blackout days (approved calendars) remove their windows before anything is checked:
    # compliance, DST, frequency and conflicts see only the windows that will dial. The whole period by local
    # day (scheduling/period.py): the checks cost its days, not its windows.
    if calendars is not None:
        blackout_rules = calendars.of(campaign.cxone_id)
    days = blackout_days.campaign_days(
        campaign, spec.timezone, start, report.checked_until, rules=blackout_rules
    )
    every = scheduling.period_of(spec, start, report.checked_until)
    period = every.without_days(days)
    report.checked_windows = len(period)
    report.window_count = period.count_before(report.horizon_end)
    findings: list[scheduling.Finding] = []
    budget = _Budget(deadline, report, findings)
    dst = budget.run("DST", lambda: scheduling.dst_findings(spec, period.near_transitions(deadline))) or []
    dst_by_start = {d.window_start: d for d in dst}
    for window in every.first_windows(min(PREVIEW_WINDOWS, every.count_before(report.horizon_end))):
        mark = dst_by_start.get(window.start)
        report.windows.append(
            {
                "start": window.start,
                "end": window.end,
                "local_start": window.local_start,
                "local_end": window.local_end,
                "dst": mark.message if mark else "",
                "blackout": "; ".join(days.get(window.local_start.date(), ())),
            }
        )

    breakdown = campaign.contact_list_breakdown or None

    def calling_hours(windows: scheduling.Period) -> scheduling.FindingsReport:  # the schedule's, a cadence's
        return scheduling.check_period_compliance(
            windows,
            campaign_zone=spec.timezone,
            contact_zones=None if breakdown else [spec.timezone],
            breakdown=breakdown,
            dnc_rules=campaign.dnc_rules,
            deadline=deadline,
        )

    compliance = budget.run("calling hours", lambda: calling_hours(period))
    findings += compliance.findings if compliance else []
    # A skill with no calling list has no contacts: its "list" is its zones (none here), nothing to locate.
    dials_a_list = campaign.contact_list_id and not campaign.contact_list_id.startswith(ZONES_LIST_PREFIX)
    list_name = (campaign.contact_list_name or campaign.contact_list_id) if dials_a_list else ""
    findings += scheduling.contact_list_unread(list_name, breakdown)
    findings += scheduling.dnc_readiness(campaign.dnc_rules, campaign.dnc_list_state)
    findings += (
        budget.run(
            "retry policy",
            lambda: scheduling.retry_policy_findings(
                schedule_values.retry_policy_of(values),
                api=api,
                purpose=values.get("purpose") or campaign.purpose,
                breakdown=breakdown,
                as_of=start.date(),
                until=report.checked_until.date(),
                windows=period,
            ),
        )
        or []
    )
    findings += [note.as_finding() for note in dst]
    if skill_findings.admin_backend():
        findings += (
            budget.run(
                "skill",
                lambda: skill_findings.skill_findings(
                    values,
                    skill_zone=campaign.timezone or None,
                    time_constraints=campaign.time_constraints or (),
                    now=now,
                )
                + cadence_checks.cadence_compliance(
                    spec,
                    campaign.time_constraints or (),
                    start,
                    report.checked_until,
                    blackout_days=days,
                    calling_hours=calling_hours,
                    known=compliance.findings if compliance else (),
                ),
            )
            or []
        )

    pool = pools.key_of_campaign(campaign) if conflicts else ""  # a supervisor's pool, else the skill's
    if pool:
        load = scheduling.CampaignLoad(
            id=campaign.cxone_id,
            cron_expression=spec.cron_expression,
            timezone=spec.timezone,
            duration_minutes=spec.duration_minutes,
            pool=pool,
            agents=values.get("agents_required") or campaign.agents_required,
            contact_list=campaign.contact_list_id or None,
            effective_start=spec.effective_start,
            effective_end=spec.effective_end,
        )
        what_if = budget.run(
            "conflicts",
            lambda: blackout_conflicts.what_if(
                load,
                campaign,
                index or conflict_index.current(now),
                attached=calendars and calendars.attached,
                paused=paused,
            ),
        )
        if what_if is not None:
            added, removed = what_if
            report.conflicts_added, report.conflicts_removed = summarise(added, removed, zone=spec.timezone)
    report.findings = scheduling.FindingsReport.of(findings).findings
    return report


class _Budget:
    """Runs each part of the checks unless the deadline has passed, before or during it; a part cut short adds
    a blocking "not checked" finding (of the part's own kind, so its card never reads as "nothing found")."""

    def __init__(self, deadline: scheduling.Deadline, report: Report, findings: list):
        self.deadline, self.report, self.findings = deadline, report, findings

    def run(self, part: str, check):
        try:
            self.deadline.check(part)
            return check()
        except scheduling.CutShort:
            self.report.cut_short.append(part)
            self.findings.append(unchecked(part, self.deadline))
            return None


def unchecked(part: str, deadline: scheduling.Deadline) -> scheduling.Finding:
    """The finding of a part of the checks the time budget cut short: it blocks until a full check completes."""
    return scheduling.Finding(
        kind=PART_KINDS.get(part, UNCHECKED),
        rule="not-checked",
        message=f"not checked: {part} cut short after {deadline.words()}; check again (a full check must "
        f"complete before the schedule can be submitted, approved or pushed)",
        source="the checks' time budget",
        facts={"part": part},
    )


def _kept(windows: list[scheduling.Window], spans: list[tuple[int, int]]) -> list[scheduling.Window]:
    """The windows that do not open in a blacked-out day's span (on the schedule's own wall clock)."""
    if not spans:
        return windows
    kept = set(blackouts.without_blackouts([(int(w.start.timestamp()), 0) for w in windows], spans))
    return [w for w in windows if (int(w.start.timestamp()), 0) in kept]


def _windows(spec: scheduling.ScheduleSpec, start: dt.datetime, end: dt.datetime) -> list[scheduling.Window]:
    """The windows starting in [start, end). Expanded from the top of the hour, so that every keystroke of an
    hour reuses the engine's cached expansion; the windows of the past minutes are dropped."""
    floor = start.replace(minute=0, second=0, microsecond=0)
    if floor >= end:
        return []
    windows = scheduling.expand_windows(spec, floor, end, long_period=end - floor > HORIZON)
    return windows[_count_before(windows, start) :]


def _count_before(windows: list[scheduling.Window], moment: dt.datetime) -> int:
    low, high = 0, len(windows)
    while low < high:
        middle = (low + high) // 2
        if windows[middle].start < moment:
            low = middle + 1
        else:
            high = middle
    return low


def campaign_schedule_values(campaign: Campaign) -> dict | None:
    """The campaign's current remote schedule in the draft's terms, or None when CXone gave it none."""
    return schedule_values.campaign_values(campaign)


def evaluate_campaign(
    campaign: Campaign,
    *,
    conflicts: bool = True,
    now: dt.datetime | None = None,
    deadline: scheduling.Deadline | None = None,
    blackout_rules: tuple | None = None,
) -> Report | None:
    """The findings of the campaign's current schedule, or None when it has none."""
    values = campaign_schedule_values(campaign)
    if not values:
        return None
    return evaluate_values(
        campaign, values, conflicts=conflicts, now=now, deadline=deadline, blackout_rules=blackout_rules
    )


def next_window(
    campaign: Campaign, *, now: dt.datetime | None = None, blackout_spans: list[tuple[int, int]] | None = None
) -> dict | None:
    """The campaign's next window in the next 14 days ({"start", "end", "local_start", "local_end"}), or None;
    cheap enough for every row of a list (the expansion is cached for the hour). A list passes each row's
    blackout days as UTC spans (services/blackouts/days.days_by_campaign, a few queries for the whole page)."""
    values = campaign_schedule_values(campaign)
    if values is None:
        return None
    spec = scheduling.ScheduleSpec(
        values["cron_expression"], values["timezone"], values["duration_minutes"],
        values.get("effective_start"), values.get("effective_end"),
    )  # fmt: skip
    now = now or timezone.now()
    try:
        windows = _windows(spec, now, now + HORIZON)
        if blackout_spans is None:
            days = blackout_days.campaign_days(campaign, spec.timezone, now, now + HORIZON)
            blackout_spans = blackouts.day_spans(days, spec.timezone)
        windows = _kept(windows, blackout_spans)
    except ValueError:  # InvalidSchedule: the stored findings say what is wrong with it
        return None
    if not windows:
        return None
    first = windows[0]
    return {
        "start": first.start,
        "end": first.end,
        "local_start": first.local_start,
        "local_end": first.local_end,
    }


def review(
    draft: ScheduleDraft,
    *,
    index: scheduling.ConflictIndex | None = None,
    calendars: blackout_days.CalendarsRead | None = None,
    paused: pausing.PausedSpans | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """What a supervisor needs to decide: current → proposed, each with its next windows, and the findings.
    Conflicts are those the proposal adds or relieves; the current schedule's own are not asked for."""
    current_values = campaign_schedule_values(draft.campaign)
    return {
        "current": evaluate_values(
            draft.campaign, current_values, conflicts=False, calendars=calendars, now=now
        )
        if current_values
        else None,
        "current_values": current_values,
        "proposed": evaluate_draft(draft, index=index, calendars=calendars, paused=paused, now=now),
    }
