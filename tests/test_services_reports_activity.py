"""The dashboards' counts, aggregated in the database, are the numbers the Python loops gave before (kept here
as the reference): latency per approval, failures by reason, WFM deliveries per day."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest

from campaigns.charts import dashboards as dashboard_charts
from campaigns.charts import latency as latency_charts
from campaigns.models import Activation, WebhookDelivery
from campaigns.services.reports import activity
from tests.conftest import make_campaign, make_draft

Step = Activation.Step
Status = WebhookDelivery.Status
NOW = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)
SINCE, UNTIL = NOW - dt.timedelta(days=14), NOW


# ---- the reference: the loops over every row, as the dashboards ran them before ------------------------------


def latency_before(since, until, now):
    rows = (
        Activation.objects.filter(approved_at__gte=since)
        .order_by("approved_at", "pk")
        .values_list("draft_id", "step", "approved_at", "observed_active_at", "latency_ms", "retry_of_id")
    )
    pushes = defaultdict(list)
    for row in rows:
        pushes[row[0]].append(row)
    approvals = []
    slo = dt.timedelta(seconds=latency_charts.SLO_SECONDS)
    for tries in pushes.values():
        approved_at, retry_of = tries[0][2], tries[0][5]
        if retry_of is not None or approved_at > until:
            continue
        seen = []
        for _d, step, own, observed, ms, _r in tries:
            if step == Step.ACTIVE:
                if observed is None and ms is not None:
                    observed = own + dt.timedelta(milliseconds=ms)
                if observed is not None:
                    seen.append(observed)
        seconds = (min(seen) - approved_at).total_seconds() if seen else None
        if seconds is None:
            if tries[-1][1] == Step.STALE:
                continue
            if tries[-1][1] in Activation.UNFINISHED_STEPS and now - approved_at < slo:
                continue
        approvals.append(latency_charts.ApprovalLatency(approved_at.date(), seconds, len(tries)))
    return approvals


def failures_before(since, until):
    counts = defaultdict(int)
    for outcome, error in Activation.objects.filter(
        step=Step.FAILED, approved_at__gte=since, approved_at__lte=until
    ).values_list("outcome", "error"):
        reason = (outcome or "").strip()
        if not reason:
            lines = (error or "").strip().splitlines()
            reason = lines[0] if lines else "(no reason recorded)"
        counts[reason[:80]] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def webhooks_before(since, until):
    days = defaultdict(lambda: [0, 0, 0, 0])
    for created_at, status, attempts in WebhookDelivery.objects.filter(
        created_at__gte=since, created_at__lte=until
    ).values_list("created_at", "status", "attempts"):
        counts = days[created_at.astimezone(dt.UTC).date()]
        if status == Status.DELIVERED:
            counts[0] += 1
        elif status in (Status.DEAD, Status.GONE):
            counts[3] += 1
        elif attempts:
            counts[1] += 1
        else:
            counts[2] += 1
    return [dashboard_charts.DayDeliveries(day, *counts) for day, counts in sorted(days.items())]


# ---- a busy fortnight of every kind of row ----------------------------------------------------------------------


@pytest.fixture
def fortnight(db, planner):
    rng = random.Random(24)
    campaigns = [make_campaign(f"C-{2000 + n}") for n in range(60)]  # one open draft per campaign
    drafts = [make_draft(campaign, planner) for campaign in campaigns]
    for draft in drafts:
        approved = NOW - dt.timedelta(days=rng.uniform(-1, 16), seconds=rng.randrange(86400))
        first = None
        tries = rng.choice([1, 1, 1, 2, 3])
        for attempt in range(tries):
            steps = [Step.ACTIVE, Step.ACTIVE, Step.FAILED, Step.STALE]
            if attempt == tries - 1:  # only the last push of a draft can be unfinished
                steps += [Step.QUEUED, Step.POLLING]
            step = rng.choice(steps)
            own = approved + dt.timedelta(minutes=20 * attempt)
            values = {}
            if step == Step.ACTIVE:
                values["latency_ms"] = rng.randrange(2000, 900_000)
                if rng.random() < 0.8:  # older rows have only the latency
                    values["observed_active_at"] = own + dt.timedelta(milliseconds=values["latency_ms"])
            if step == Step.FAILED:
                values["outcome"] = rng.choice(["", "ERROR", "timed out"])
                values["error"] = rng.choice(["", "dnc.list_inactive: D-5\nmore", "refused"])
            first = Activation.objects.create(
                draft=draft, campaign=draft.campaign, step=step, approved_at=own, retry_of=first, **values
            )
    for _ in range(400):
        delivery = WebhookDelivery.objects.create(
            event_type="CAMPAIGN_SCHEDULE_UPDATED",
            campaign=rng.choice(campaigns),
            payload={},
            status=rng.choice(list(Status)),
            attempts=rng.choice([0, 0, 1, 3]),
        )
        created = NOW - dt.timedelta(days=rng.uniform(-1, 16))
        WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=created)
    return campaigns


def test_latency_per_approval_counts_as_before(fortnight):
    counted = activity.activation_latency(SINCE, UNTIL, NOW)
    assert len(counted) > 20
    assert sorted(counted, key=repr) == sorted(latency_before(SINCE, UNTIL, NOW), key=repr)


def test_failures_by_reason_count_as_before(fortnight):
    counted = activity.failure_reasons(SINCE, UNTIL)
    assert counted and counted == failures_before(SINCE, UNTIL)


def test_deliveries_per_day_count_as_before(fortnight):
    counted = activity.webhook_health(SINCE, UNTIL)
    assert len(counted) >= 14 and counted == webhooks_before(SINCE, UNTIL)
