"""What holds a campaign stopped: an open Stop dialling, an approved timed pause, or an off interval — a partial
week's off days (where the tenant refuses days off and the product holds them) and the blackout days of its
approved calendars.

`off_intervals(campaign, start, end)` is the hook: every UTC interval inside [start, end) over which the
workers keep the campaign stopped. A start is sent only if `held_stopped` finds no reason against it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q

from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign, CampaignVersion, DiallingChange, DiallingStop, TimedPause
from campaigns.scheduling import ScheduleSpec, expand_instants
from campaigns.scheduling.held_weeks import OffInterval, blackout_interval, has_days_off
from campaigns.scheduling.held_weeks import off_intervals as week_off_intervals
from campaigns.services.blackouts import days as blackout_days

OPEN_STOP_STATES = (DiallingStop.State.STOPPING, DiallingStop.State.RESUME_REQUESTED)


def intended_week(campaign: Campaign) -> ScheduleSpec | None:
    """The week with days off the product holds for `campaign`: its approved schedule, when the tenant refuses
    days off (capabilities.holds_partial_weeks) and that schedule has some."""
    if not capabilities().holds_partial_weeks:
        return None
    version = (
        CampaignVersion.objects.filter(campaign=campaign, source=CampaignVersion.Source.APPROVED, draft__isnull=False)
        .select_related("draft")
        .order_by("-pk")
        .first()
    )
    draft = version.draft if version else None
    if draft is None or not draft.cron_expression or not draft.duration_minutes:
        return None
    if not has_days_off(draft.cron_expression, draft.duration_minutes):
        return None
    return ScheduleSpec(draft.cron_expression, draft.timezone or campaign.timezone or "UTC", draft.duration_minutes)


def partial_week_intervals(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> list[OffInterval]:
    spec = intended_week(campaign)
    return week_off_intervals(spec, start, end) if spec else []


def blackout_intervals(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> list[OffInterval]:
    """The campaign's blackout days touching [start, end) (its approved calendars, or its pool's), each held
    stopped from its local midnight until the last window that opened on the day has closed (held_weeks.
    blackout_interval): CXone's schedule knows nothing of them, under either API."""
    days = blackout_days.blackout_days(campaign, start, end)
    if not days:
        return []
    windows = _running_windows(campaign, days[0].start - dt.timedelta(days=1), days[-1].end + LOOK_AHEAD)
    return [blackout_interval(day.start, day.end, windows) for day in days]


LOOK_AHEAD = dt.timedelta(days=8)  # far enough to find the next window of any weekly schedule


def _running_windows(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> tuple[tuple[int, int], ...]:
    """The windows CXone runs for the campaign (its mirrored schedule), or none when it has none it can expand."""
    if not (campaign.cron_expression and campaign.duration_minutes):
        return ()
    spec = ScheduleSpec(campaign.cron_expression, campaign.timezone or "UTC", campaign.duration_minutes)
    try:
        return expand_instants(spec, start, end)
    except ValueError:
        return ()


DIALLING_STATES = ("ACTIVE", "DRAFT")  # dialling, or about to once its activation ends


def off_intervals(campaign: Campaign, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Every interval the workers hold `campaign` stopped that touches [start, end), sorted: the days off of a
    week the tenant cannot hold, and blackout days."""
    weeks = [(i.stop_at, i.start_at) for i in partial_week_intervals(campaign, start, end)]
    # A blackout day holds until its last window has closed; from then CXone's hours keep it quiet by themselves.
    days = [(i.stop_at, i.quiet_from or i.start_at) for i in blackout_intervals(campaign, start, end)]
    return sorted(weeks + days)


def held_stopped(campaign: Campaign, *, at: dt.datetime, ignoring: DiallingChange | None = None) -> str:
    """Why `campaign` must not dial at `at` ("" when nothing holds it): a start wanted by `ignoring` does not
    count its own stop order or pause."""
    stops = DiallingStop.objects.filter(state__in=OPEN_STOP_STATES, changes__campaign=campaign)
    if ignoring is not None and ignoring.stop_order_id:
        stops = stops.exclude(pk=ignoring.stop_order_id)
    stop = stops.first()
    if stop is not None:
        return f"Stop dialling #{stop.pk} holds it ({stop.reason})"
    pauses = TimedPause.objects.filter(
        campaigns=campaign, status=TimedPause.Status.APPROVED, starts_at__lte=at, ends_at__gt=at
    )
    if ignoring is not None and ignoring.timed_pause_id:
        pauses = pauses.exclude(pk=ignoring.timed_pause_id)
    pause = pauses.first()
    if pause is not None:
        return f"paused until {pause.ends_at:%Y-%m-%d %H:%M} UTC ({pause.reason})"
    if campaign.effective_end and campaign.effective_end <= at:
        return "its schedule has ended"
    for off_start, off_end in off_intervals(campaign, at - dt.timedelta(days=1), at + dt.timedelta(days=1)):
        if off_start <= at < off_end:
            return f"held off until {off_end:%Y-%m-%d %H:%M} UTC (a day off in its week, or a blackout day)"
    return ""


def running_wanted(campaign_ids, since: Mapping[int, dt.datetime] | None = None) -> dict[int, bool]:
    """campaign id → whether the controls want it dialling (True) or stopped (False) now: the last finished or
    unfinished change of each campaign that is due (drift detection asks, so a stop is not "changed in CXone").
    `since`: per campaign, the instant the version it is held to was recorded; a change due before it says
    nothing any more (a supervisor's "Keep CXone's" after it, or a schedule approved since, is newer)."""
    now = dt.datetime.now(dt.UTC)
    since = since or {}
    wanted: dict[int, bool] = {}
    rows = (
        DiallingChange.objects.filter(campaign_id__in=list(campaign_ids), due_at__lte=now)
        .filter(~Q(step__in=(DiallingChange.Step.CANCELLED, DiallingChange.Step.FAILED)))
        .order_by("campaign_id", "due_at", "pk")
        .values_list("campaign_id", "action", "due_at")
    )
    for campaign_id, action, due_at in rows:
        if campaign_id in since and due_at < since[campaign_id]:
            continue
        wanted[campaign_id] = action == DiallingChange.Action.START
    return wanted
