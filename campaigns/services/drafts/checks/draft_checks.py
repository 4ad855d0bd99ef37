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

import datetime as dt
import zoneinfo

from django.utils import timezone

from campaigns import scheduling
from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign, ScheduleDraft
from campaigns.scheduling import blackouts
from campaigns.scheduling.summary import summarise
from campaigns.services import schedule_values
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts.checks import blackout_conflicts, conflict_index, skill_findings
from campaigns.services.drafts.checks.report import Report, invalid  # noqa: F401 (views call draft_checks.invalid)
from campaigns.services.pools import lookup as pools

PREVIEW_WINDOWS = 8
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
    calendars: blackout_days.CalendarsRead | None = None,
) -> Report:
    """THE findings of a draft as saved, computed now: what workflow.submit and workflow.approve (and the
    activation push, before it sends anything to CXone) rely on. `report.blocking` lists what refuses it.
    Never trust findings handed over by a caller or stored earlier: call this."""
    return evaluate_values(
        draft.campaign, schedule_values.draft_values(draft), index=index, calendars=calendars
    )


def evaluate_values(
    campaign: Campaign,
    values: dict,
    *,
    now: dt.datetime | None = None,
    conflicts: bool = True,
    index: scheduling.ConflictIndex | None = None,
    blackout_rules: tuple | None = None,
    calendars: blackout_days.CalendarsRead | None = None,
) -> Report:
    """Validate, expand and check one schedule of `campaign` (draft field values). `conflicts=False` skips the
    what-if, for lists that show many campaigns at once; `index` lets a page that checks several drafts fetch
    the index once."""
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

    now = now or timezone.now()
    start = max(now, spec.effective_start) if spec.effective_start else now
    end = spec.effective_end or start + dt.timedelta(days=OPEN_ENDED_DAYS)
    limit = start + dt.timedelta(days=MAX_CHECKED_DAYS)
    api = capabilities().api
    report = Report(
        checked_from=start,
        checked_until=min(end, limit),
        period_cut_short=end > limit,
        rules_version=scheduling.load_rules().version,
        api=api,
    )
    report.horizon_start, report.horizon_end = start, min(end, start + HORIZON)
    # The campaign's blackout days (approved calendars) remove their windows before anything is checked:
    # compliance, DST, frequency and conflicts see only the windows that will dial.
    if calendars is not None:
        blackout_rules = calendars.of(campaign.cxone_id)
    days = blackout_days.campaign_days(
        campaign, spec.timezone, start, report.checked_until, rules=blackout_rules
    )
    every = _windows(spec, start, report.checked_until)
    windows = _without(every, days, spec.timezone)
    report.checked_windows = len(windows)
    report.window_count = _count_before(windows, report.horizon_end)
    dst = scheduling.dst_findings(spec, windows)
    dst_by_start = {d.window_start: d for d in dst}
    for window in every[: _count_before(every, report.horizon_end)]:
        if len(report.windows) >= PREVIEW_WINDOWS:
            break
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
    findings = list(
        scheduling.check_compliance(
            windows,
            campaign_zone=spec.timezone,
            contact_zones=None if breakdown else [spec.timezone],
            breakdown=breakdown,
            dnc_rules=campaign.dnc_rules,
        ).findings
    )
    findings += scheduling.dnc_readiness(campaign.dnc_rules, campaign.dnc_list_state)
    findings += scheduling.retry_policy_findings(
        schedule_values.retry_policy_of(values),
        api=api,
        purpose=values.get("purpose") or campaign.purpose,
        breakdown=breakdown,
        as_of=start.date(),
        until=report.checked_until.date(),
        windows=windows,
    )
    findings += [note.as_finding() for note in dst]
    if skill_findings.admin_backend():
        findings += skill_findings.skill_findings(
            values, skill_zone=campaign.timezone or None, time_constraints=campaign.time_constraints or ()
        )
    report.findings = scheduling.FindingsReport.of(findings).findings

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
        added, removed = blackout_conflicts.what_if(
            load, campaign, index or conflict_index.current(now), attached=calendars and calendars.attached
        )
        report.conflicts_added, report.conflicts_removed = summarise(added, removed, zone=spec.timezone)
    return report


def _without(windows: list[scheduling.Window], days: dict, zone_name: str) -> list[scheduling.Window]:
    """The windows that do not open on a blackout day (on the schedule's own wall clock)."""
    return _kept(windows, blackouts.day_spans(days, zone_name)) if days else windows


def _kept(windows: list[scheduling.Window], spans: list[tuple[int, int]]) -> list[scheduling.Window]:
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
    blackout_rules: tuple | None = None,
) -> Report | None:
    """The findings of the campaign's current schedule, or None when it has none."""
    values = campaign_schedule_values(campaign)
    if not values:
        return None
    return evaluate_values(campaign, values, conflicts=conflicts, now=now, blackout_rules=blackout_rules)


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
) -> dict:
    """What a supervisor needs to decide: current → proposed, each with its next windows, and the findings.
    Conflicts are those the proposal adds or relieves; the current schedule's own are not asked for."""
    current_values = campaign_schedule_values(draft.campaign)
    return {
        "current": evaluate_values(draft.campaign, current_values, conflicts=False, calendars=calendars)
        if current_values
        else None,
        "current_values": current_values,
        "proposed": evaluate_draft(draft, index=index, calendars=calendars),
    }
