"""The activation and webhook rows behind the dashboards: latency per approval, failures by reason, and WFM
deliveries by day, as the plain data campaigns/charts builds figures from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from campaigns.charts import dashboards as dashboard_charts
from campaigns.charts import latency as latency_charts
from campaigns.models import Activation, WebhookDelivery


def _utc_day(value: dt.datetime) -> dt.date:
    return value.astimezone(dt.UTC).date()


def activation_latency(
    since: dt.datetime, until: dt.datetime, now: dt.datetime | None = None
) -> list[latency_charts.ApprovalLatency]:
    """The approvals from `since` up to `until` (now, included) as the latency charts count them
    (charts/latency.py says the rule): each approval once, with every push it took (a supervisor's Retry is a
    new Activation of the same draft), from its approval to the first time CXone was seen ACTIVE."""
    now = now or timezone.now()
    rows = (
        Activation.objects.filter(approved_at__gte=since)
        .order_by("approved_at", "pk")
        .values_list("draft_id", "step", "approved_at", "observed_active_at", "latency_ms", "retry_of_id")
    )
    pushes: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        pushes[row[0]].append(row)
    approvals = []
    slo = dt.timedelta(seconds=latency_charts.SLO_SECONDS)
    for tries in pushes.values():
        _draft, _step, approved_at, _seen, _ms, retry_of = tries[0]
        if retry_of is not None or approved_at > until:
            continue  # a retry of an approval before the range, or approved after it
        seconds = _first_active_seconds(tries, approved_at)
        if seconds is None:
            last_step = tries[-1][1]
            if last_step == Activation.Step.STALE:
                continue  # CXone changed the campaign first: not latency
            if last_step in Activation.UNFINISHED_STEPS and now - approved_at < slo:
                continue  # too young to judge
        approvals.append(latency_charts.ApprovalLatency(_utc_day(approved_at), seconds, len(tries)))
    return approvals


def _first_active_seconds(tries: list[tuple], approved_at: dt.datetime) -> float | None:
    """Seconds from the approval to the first push seen ACTIVE (None: none was)."""
    seen = []
    for _draft, step, own_approval, observed, latency_ms, _retry_of in tries:
        if step != Activation.Step.ACTIVE:
            continue
        if observed is None and latency_ms is not None:
            observed = own_approval + dt.timedelta(milliseconds=latency_ms)
        if observed is not None:
            seen.append(observed)
    return (min(seen) - approved_at).total_seconds() if seen else None


def failure_reasons(since: dt.datetime, until: dt.datetime) -> list[tuple[str, int]]:
    """Failed activations approved from `since` up to `until`, by their outcome (or the first line of the error)."""
    counts: dict[str, int] = defaultdict(int)
    rows = Activation.objects.filter(
        step=Activation.Step.FAILED, approved_at__gte=since, approved_at__lte=until
    ).values_list("outcome", "error")
    for outcome, error in rows:
        reason = (outcome or "").strip()
        if not reason:
            lines = (error or "").strip().splitlines()
            reason = lines[0] if lines else "(no reason recorded)"
        counts[reason[:80]] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def webhook_health(since: dt.datetime, until: dt.datetime) -> list[dashboard_charts.DayDeliveries]:
    """Deliveries created from `since` up to `until`, per UTC day, by where they are now. Pending after a failed
    attempt is "retrying"; pending and never tried is "waiting"."""
    days: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = WebhookDelivery.objects.filter(created_at__gte=since, created_at__lte=until).values_list(
        "created_at", "status", "attempts"
    )
    for created_at, status, attempts in rows:
        counts = days[_utc_day(created_at)]
        if status == WebhookDelivery.Status.DELIVERED:
            counts[0] += 1
        elif status in (WebhookDelivery.Status.DEAD, WebhookDelivery.Status.GONE):
            # Stopped because the endpoint answered 410: like a dead letter, nothing more happens without a person.
            counts[3] += 1
        elif attempts:
            counts[1] += 1
        else:
            counts[2] += 1
    return [dashboard_charts.DayDeliveries(day, *counts) for day, counts in sorted(days.items())]
