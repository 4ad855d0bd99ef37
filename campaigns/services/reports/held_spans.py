"""What holds campaigns from dialling over a range, for the Gantt charts: timed pauses (approved, and those still
awaiting approval, which hold nothing yet) and open Stop dialling orders, as the plain spans
campaigns/charts/holds.py draws."""

from __future__ import annotations

import datetime as dt

from campaigns.charts.holds import PAUSE_ASKED, PAUSED, STOPPED, HeldSpan
from campaigns.models import Campaign, DiallingChange, DiallingStop, TimedPause
from campaigns.services.control.holds import OPEN_STOP_STATES

SHOWN_PAUSES = (TimedPause.Status.APPROVED, TimedPause.Status.SUBMITTED)


def held_spans(start: dt.datetime, end: dt.datetime, campaign: Campaign | None = None) -> list[HeldSpan]:
    """Every pause touching [start, end), and every Stop dialling still holding its campaigns that began before
    `end`, one span per campaign (only `campaign`'s when given), by start."""
    spans: list[HeldSpan] = []
    pauses = TimedPause.objects.filter(status__in=SHOWN_PAUSES, starts_at__lt=end, ends_at__gt=start)
    members = TimedPause.campaigns.through.objects.filter(timedpause__in=pauses)
    if campaign is not None:
        members = members.filter(campaign=campaign)
    chosen: dict[int, list[str]] = {}
    for pause_id, cxone_id in members.values_list("timedpause_id", "campaign__cxone_id"):
        chosen.setdefault(pause_id, []).append(cxone_id)
    for pause in pauses.filter(pk__in=chosen).order_by("starts_at", "pk"):
        kind = PAUSED if pause.status == TimedPause.Status.APPROVED else PAUSE_ASKED
        for cxone_id in sorted(chosen[pause.pk]):
            spans.append(HeldSpan(cxone_id, kind, _ts(pause.starts_at), _ts(pause.ends_at), pause.reason,
                                  f"Pause #{pause.pk}"))  # fmt: skip
    stops = DiallingStop.objects.filter(state__in=OPEN_STOP_STATES, created_at__lt=end)
    changes = DiallingChange.objects.filter(stop_order__in=stops, action=DiallingChange.Action.STOP)
    if campaign is not None:
        changes = changes.filter(campaign=campaign)
    stopped: dict[int, set[str]] = {}
    for stop_id, cxone_id in changes.values_list("stop_order_id", "campaign__cxone_id"):
        stopped.setdefault(stop_id, set()).add(cxone_id)
    for order in stops.filter(pk__in=stopped).order_by("created_at", "pk"):
        for cxone_id in sorted(stopped[order.pk]):
            spans.append(HeldSpan(cxone_id, STOPPED, _ts(order.created_at), None, order.reason,
                                  f"Stop dialling #{order.pk}"))  # fmt: skip
    return sorted(spans, key=lambda s: (s.start, s.name, s.campaign))


def _ts(value: dt.datetime) -> int:
    return int(value.timestamp())
