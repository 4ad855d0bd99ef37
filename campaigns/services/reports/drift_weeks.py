"""The queries behind the drift dashboards: changes made in CXone per week first seen (Monday 00:00 UTC), where
each stands now, and how long the answers took. From the Drift table: the database is the source of truth."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from campaigns.charts import drift as drift_charts
from campaigns.charts.latency import percentile
from campaigns.models import Drift

STANDING = {
    "": "open",
    Drift.Answer.RESTORING: "restored",
    Drift.Answer.KEPT: "kept",
    Drift.Answer.REVERTED: "reverted",
    Drift.Answer.REPLACED: "replaced",
}


def monday(moment: dt.datetime) -> dt.date:
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def weeks_between(since: dt.datetime, until: dt.datetime) -> list[dt.date]:
    first, last = monday(since), monday(until)
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def drift_per_week(since: dt.datetime, until: dt.datetime) -> list[drift_charts.WeekDrift]:
    """Changes first seen from `since` up to `until`, per week, by where they stand now (every week of the
    range, empty ones too)."""
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Drift.objects.filter(first_seen_at__gte=since, first_seen_at__lte=until).values_list(
        "first_seen_at", "answer"
    )
    for first_seen, answer in rows:
        counts[monday(first_seen)][STANDING.get(answer, "open")] += 1
    return [
        drift_charts.WeekDrift(week, **{name: counts[week][name] for name in STANDING.values()})
        for week in weeks_between(since, until)
    ]


def answer_times(
    since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> tuple[list[drift_charts.WeekAnswers], list[float]]:
    """Of the changes first seen from `since` up to `until`: p50 / p95 hours from first seen to answered, per
    week first seen; and how many hours each one not answered yet has waited until `now`."""
    hours: dict[dt.date, list[float]] = defaultdict(list)
    waiting: list[float] = []
    rows = Drift.objects.filter(first_seen_at__gte=since, first_seen_at__lte=until).values_list(
        "first_seen_at", "answered_at"
    )
    for first_seen, answered in rows:
        if answered is None:
            waiting.append(max(0.0, (now - first_seen).total_seconds() / 3600))
        else:
            hours[monday(first_seen)].append(max(0.0, (answered - first_seen).total_seconds() / 3600))
    weeks = [
        drift_charts.WeekAnswers(week, len(values), percentile(values, 0.5), percentile(values, 0.95))
        for week, values in sorted(hours.items())
    ]
    return weeks, waiting
