"""The dashboards' builders, without Django: percentiles, the SLO share, histogram bins, failures, deliveries."""

from datetime import date

from campaigns.charts.dashboards import (
    DayDeliveries,
    WeekConflicts,
    conflicts_per_week_chart,
    webhook_health_chart,
)
from campaigns.charts.latency import (
    DayLatency,
    SloShare,
    failures_chart,
    latency_histogram_chart,
    latency_per_day_chart,
    percentile,
)


def test_percentiles_are_nearest_rank():
    values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 100
    assert percentile([42], 0.95) == 42


def test_latency_per_day_draws_p50_and_p95_in_minutes_against_the_slo_line():
    chart = latency_per_day_chart(
        [DayLatency(date(2026, 12, 1), 4, 90, 420), DayLatency(date(2026, 12, 2), 1, 60, 60)]
    )

    p50, p95 = chart.page_figure["data"]
    assert p50["y"] == [1.5, 1.0] and p95["y"] == [7.0, 1.0]
    assert p50["marker"]["symbol"] != p95["marker"]["symbol"]  # told apart without colour
    assert chart.page_figure["layout"]["shapes"][0]["y0"] == 5
    assert chart.rows[0] == ["2026-12-01", 4, 1.5, 7.0]
    assert "Tue 01 Dec with p95 7.0 min" in chart.summary


def test_the_histogram_bins_by_minute_and_says_whether_the_slo_is_met():
    seconds = [30, 59, 61, 200, 299, 301, 1000]
    chart = latency_histogram_chart(seconds, SloShare(within=5, counted=8))

    within, beyond = chart.page_figure["data"]
    assert within["y"] == [2, 1, 0, 1, 1]
    assert sum(beyond["y"]) == 2 and beyond["y"][0] == 1 and beyond["y"][-1] == 1  # 5–6 min, ≥ 15 min
    assert "62.5 % of 8 activations were ACTIVE within 5 minutes (misses the 95 % SLO)" in chart.summary
    assert [r[2] for r in chart.rows] == within["y"] + beyond["y"]


def test_without_activations_the_latency_charts_say_so():
    assert latency_per_day_chart([]).empty.startswith("No activations yet")
    assert latency_histogram_chart([], SloShare(0, 0)).empty.startswith("No activations yet")


def test_failures_are_sorted_most_frequent_first():
    chart = failures_chart([("timed out", 2), ("CXone 422", 5)])
    assert chart.page_figure["data"][0]["y"] == ["CXone 422", "timed out"]
    assert chart.page_figure["data"][0]["x"] == [5, 2]


def test_deliveries_stack_by_state_each_with_its_own_pattern():
    chart = webhook_health_chart([DayDeliveries(date(2026, 12, 1), 5, 1, 2, 1)])

    names = [t["name"] for t in chart.page_figure["data"]]
    assert names == ["Delivered", "Retrying", "Waiting", "Dead"]
    assert [t["y"] for t in chart.page_figure["data"]] == [[5], [1], [2], [1]]
    assert len({t["marker"].get("pattern", {}).get("shape", "") for t in chart.page_figure["data"]}) == 4
    assert "dead ones need a redelivery" in chart.summary


def test_conflicts_per_week_group_overload_and_clash_hours():
    chart = conflicts_per_week_chart([WeekConflicts(date(2026, 11, 30), 12.5, 3, 4.0, 2)])
    overload, clash = chart.page_figure["data"]
    assert overload["y"] == [12.5] and clash["y"] == [4.0]
    assert chart.rows == [["2026-11-30", 12.5, 3, 4.0, 2]]
