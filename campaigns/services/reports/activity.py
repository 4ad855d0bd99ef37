"""The activation and webhook rows behind the dashboards: latency per approval, failures by reason, and WFM
deliveries by day, as the plain data campaigns/charts builds figures from.

Counted in the database (GROUP BY, filtered aggregates): a busy tenant's 100 000 activations and 200 000
deliveries are never loaded into Python. Only the few rows the rules need one by one come back: the drafts that
were never seen ACTIVE (to read their last step), and ACTIVE rows from before observed_active_at was recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.charts import dashboards as dashboard_charts
from campaigns.charts import latency as latency_charts
from campaigns.models import Activation, WebhookDelivery

Step = Activation.Step
Status = WebhookDelivery.Status


def _utc_day(value: dt.datetime) -> dt.date:
    return value.astimezone(dt.UTC).date()


def activation_latency(
    since: dt.datetime, until: dt.datetime, now: dt.datetime | None = None
) -> list[latency_charts.ApprovalLatency]:
    """The approvals from `since` up to `until` (now, included) as the latency charts count them
    (charts/latency.py says the rule): each approval once, with every push it took (a supervisor's Retry is a
    new Activation of the same draft), from its approval to the first time CXone was seen ACTIVE."""
    now = now or timezone.now()
    rows = Activation.objects.filter(approved_at__gte=since)
    per_draft = (
        rows.order_by()
        .values("draft_id")
        .annotate(
            first_approved=Min("approved_at"),
            first_original=Min("approved_at", filter=Q(retry_of__isnull=True)),
            first_pk=Min("pk"),
            tries=Count("pk"),
            seen=Min("observed_active_at", filter=Q(step=Step.ACTIVE)),
            by_latency=Count(
                "pk", filter=Q(step=Step.ACTIVE, observed_active_at__isnull=True, latency_ms__isnull=False)
            ),
        )
        .filter(first_approved__lte=until)  # HAVING: approvals after the range are not counted
    )
    # The last step of drafts never seen ACTIVE (failed, stale, or still on their way): one row each matters.
    never_active = rows.exclude(draft_id__in=rows.filter(step=Step.ACTIVE).values("draft_id"))
    last_step = dict(never_active.order_by("approved_at", "pk").values_list("draft_id", "step"))
    approvals = []
    slo = dt.timedelta(seconds=latency_charts.SLO_SECONDS)
    for draft in sorted(per_draft, key=lambda d: (d["first_approved"], d["first_pk"])):
        approved_at = draft["first_approved"]
        if draft["first_original"] != approved_at:
            continue  # a retry of an approval before the range
        seen = draft["seen"]
        if draft["by_latency"]:  # rows from before observed_active_at: their latency says when
            seen = _first_seen_by_latency(rows.filter(draft_id=draft["draft_id"]), seen)
        seconds = (seen - approved_at).total_seconds() if seen is not None else None
        if seconds is None:
            step = last_step.get(draft["draft_id"])
            if step == Step.STALE:
                continue  # CXone changed the campaign first: not latency
            if step in Activation.UNFINISHED_STEPS and now - approved_at < slo:
                continue  # too young to judge
        approvals.append(latency_charts.ApprovalLatency(_utc_day(approved_at), seconds, draft["tries"]))
    return approvals


def _first_seen_by_latency(tries, seen: dt.datetime | None) -> dt.datetime | None:
    for approved_at, latency_ms in tries.filter(
        step=Step.ACTIVE, observed_active_at__isnull=True, latency_ms__isnull=False
    ).values_list("approved_at", "latency_ms"):
        observed = approved_at + dt.timedelta(milliseconds=latency_ms)
        seen = observed if seen is None else min(seen, observed)
    return seen


def failure_reasons(since: dt.datetime, until: dt.datetime) -> list[tuple[str, int]]:
    """Failed activations approved from `since` up to `until`, by their outcome (or the first line of the error)."""
    counts: dict[str, int] = defaultdict(int)
    rows = (
        Activation.objects.filter(step=Step.FAILED, approved_at__gte=since, approved_at__lte=until)
        .order_by()
        .values_list("outcome", "error")
        .annotate(n=Count("pk"))
    )
    for outcome, error, n in rows:
        reason = (outcome or "").strip()
        if not reason:
            lines = (error or "").strip().splitlines()
            reason = lines[0] if lines else "(no reason recorded)"
        counts[reason[:80]] += n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def webhook_health(since: dt.datetime, until: dt.datetime) -> list[dashboard_charts.DayDeliveries]:
    """Deliveries created from `since` up to `until`, per UTC day, by where they are now. Pending after a failed
    attempt is "retrying"; pending and never tried is "waiting"."""
    # Stopped because the endpoint answered 410: like a dead letter, nothing more happens without a person.
    stopped = Q(status__in=[Status.DEAD, Status.GONE])
    settled = Q(status=Status.DELIVERED) | stopped
    rows = (
        WebhookDelivery.objects.filter(created_at__gte=since, created_at__lte=until)
        .annotate(day=TruncDate("created_at", tzinfo=dt.UTC))
        .order_by()
        .values("day")
        .annotate(
            delivered=Count("pk", filter=Q(status=Status.DELIVERED)),
            retrying=Count("pk", filter=~settled & ~Q(attempts=0)),
            waiting=Count("pk", filter=~settled & Q(attempts=0)),
            dead=Count("pk", filter=stopped),
        )
        .order_by("day")
    )
    return [
        dashboard_charts.DayDeliveries(row["day"], row["delivered"], row["retrying"], row["waiting"], row["dead"])
        for row in rows
    ]
