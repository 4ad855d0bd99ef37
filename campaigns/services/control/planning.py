"""Planning ahead: the stops and starts that hold a partial week's off days and blackout days are
written as rows a day or two before they are due, so that the workers do them with nobody present; a campaign
found dialling inside its days off (an activation started the skill) is stopped again.

`plan(now)` runs every minute (the sweeper) and is idempotent: a change already wanted for the same campaign,
action, origin and instant is not wanted twice. A campaign found inside an off interval that has no stop gets
one due now."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.cxone.factory import capabilities
from campaigns.models import Campaign, CampaignVersion, DiallingChange
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import holds
from campaigns.services.control.wanting import want

Action = DiallingChange.Action
Origin = DiallingChange.Origin
HORIZON = dt.timedelta(hours=36)
GOLDEN = 0.6180339887498949
OFF_WORDS = {Origin.PARTIAL_WEEK: "Day off in its week", Origin.BLACKOUT: "Blackout day"}


def start_lead() -> dt.timedelta:
    """How long before the next on day's window a held campaign is started at the latest (its start takes a
    moment); it goes as soon as its last off-day window has closed when that is earlier (OffInterval.start_due)."""
    return dt.timedelta(seconds=settings.CONTROL_START_LEAD_SECONDS)


def spread_of(campaign: Campaign) -> float:
    """Where in its quiet hours a campaign's start goes (OffInterval.start_due): fixed per campaign and evenly
    spread over a portfolio (the golden ratio's multiples of its id, modulo one)."""
    return (campaign.pk * GOLDEN) % 1.0


def alarm_margin() -> dt.timedelta:
    """A stop not confirmed this long before the first off-day window it guards raises the alarm."""
    return dt.timedelta(seconds=settings.CONTROL_ALARM_MARGIN_SECONDS)


def held_campaigns():
    """Campaigns whose approved schedule the product may hold (an approved version from a draft)."""
    ids = CampaignVersion.objects.filter(
        source=CampaignVersion.Source.APPROVED, draft__isnull=False
    ).values_list("campaign_id", flat=True)
    return Campaign.objects.filter(pk__in=ids, missing_since__isnull=True)


def plan(now: dt.datetime | None = None, *, horizon: dt.timedelta = HORIZON, campaigns=None) -> int:
    """Want the partial weeks' stops and starts due before now + horizon; how many rows were written."""
    now = now or timezone.now()
    written = 0
    if capabilities().holds_partial_weeks:  # else the tenant holds days off itself
        for campaign in campaigns if campaigns is not None else held_campaigns():
            for interval in holds.partial_week_intervals(campaign, now, now + horizon):
                written += _hold(campaign, interval, now, Origin.PARTIAL_WEEK)
    # Blackout days under any API: CXone's schedule would dial them.
    for campaign in campaigns if campaigns is not None else blackout_days.campaigns_with_calendars():
        for interval in holds.blackout_intervals(campaign, now, now + horizon):
            written += _hold(campaign, interval, now, Origin.BLACKOUT)
    return written


def _hold(campaign: Campaign, interval, now: dt.datetime, origin: str) -> int:
    stop_due = max(interval.stop_at, now) if interval.start_at > now else None
    start_due = interval.start_due(start_lead(), spread_of(campaign))
    written = 0
    with transaction.atomic():
        existing = DiallingChange.objects.filter(
            campaign=campaign, origin=origin, hold_until=interval.start_at
        )
        stops = existing.filter(action=Action.STOP)
        # Dialling again inside its days off (an activation starts the skill, or someone did in CXone): stop again;
        # not once the last off-day window has closed (from then on our own start may have it running).
        restarted = (
            interval.stop_at <= now < (interval.quiet_from or interval.start_at)
            and campaign.state == Campaign.State.ACTIVE
            and not stops.filter(step__in=DiallingChange.UNFINISHED_STEPS).exists()
        )
        if stop_due is not None and (restarted or not stops.exists()):
            want(
                campaign, Action.STOP, origin=origin, due_at=stop_due,
                hold_until=interval.start_at, alarm_at=interval.first_off_window - alarm_margin(),
                reason=f"{OFF_WORDS[origin]}: stopped until {interval.start_at:%a %Y-%m-%d %H:%M} UTC.",
            )  # fmt: skip
            written += 1
        if not existing.filter(action=Action.START).exists():
            want(
                campaign, Action.START, origin=origin, due_at=start_due,
                hold_until=interval.start_at, reason="The next calling day's window opens.",
            )  # fmt: skip
            written += 1
    return written
