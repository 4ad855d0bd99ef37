"""What holds a campaign from dialling over a WFM event's horizon: the blackout days of its approved calendars (its
own or its pool's) and its approved timed pauses. CXone's schedule knows nothing of either, so the windows expanded
from the cron alone would tell WFM the campaign dials when the workers hold it stopped.

Open Stop dialling orders are not here: they have no end to plan with, and WFM hears of them (and of their
resume) as dialling.stopped / dialling.resumed events.
"""

from __future__ import annotations

import datetime as dt

from campaigns import scheduling
from campaigns.models import Campaign, TimedPause
from campaigns.scheduling import blackouts
from campaigns.scheduling.held_windows import BLACKOUT, PAUSED, Hold
from campaigns.services.blackouts import days as blackout_days


def holds_of(campaign: Campaign, zone_name: str, start: dt.datetime, end: dt.datetime) -> list[Hold]:
    """The blackout days (on the wall clock of `zone_name`, the zone the schedule's windows open in) and the
    approved pauses of `campaign` that touch [start, end), in that order."""
    zone = scheduling.zone_or_utc(zone_name).key
    days = blackout_days.campaign_days(campaign, zone, start, end)
    spans = blackouts.day_spans(days, zone)
    holds = [
        Hold(BLACKOUT, _instant(low), _instant(high), "; ".join(names), day=day)
        for (day, names), (low, high) in zip(days.items(), spans, strict=True)
    ]
    pauses = TimedPause.objects.filter(
        campaigns=campaign, status=TimedPause.Status.APPROVED, starts_at__lt=end, ends_at__gt=start
    ).order_by("starts_at", "pk")
    holds += [Hold(PAUSED, p.starts_at, p.ends_at, p.reason, pause_id=p.pk) for p in pauses]
    return holds


def held_item(hold: Hold, removed: int) -> dict:
    """One entry of the payload's `windows.held`: when, why, what it is called, and the windows it removed."""
    item = {
        "from": scheduling.isoformat_utc(hold.start),
        "until": scheduling.isoformat_utc(hold.end),
        "why": hold.why,
        "windows": removed,
    }
    if hold.why == BLACKOUT:
        item.update(name=hold.label, day=hold.day.isoformat() if hold.day else None)
    else:
        item.update(reason=hold.label, pauseId=hold.pause_id)
    return item


def _instant(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, dt.UTC)
