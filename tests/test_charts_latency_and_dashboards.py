"""The dashboards' builders, without Django: percentiles, the SLO share, histogram bins, failures, deliveries."""

from datetime import date

from campaigns.charts.dashboards import (
    DayDeliveries,
    WeekConflicts,
    conflicts_per_week_chart,
    webhook_health_chart,
)
from campaigns.charts.latency import (
    ApprovalLatency,
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


def approvals(*seconds, day=date(2026, 12, 1)):
    return [ApprovalLatency(day, value) for value in seconds]


def test_seconds_scale_latency_is_drawn_in_seconds_with_the_slo_said_to_be_above_the_scale():
    chart = latency_per_day_chart(approvals(20, 40, 60) + approvals(30, day=date(2026, 12, 2)))

    p95, p50 = chart.page_figure["data"]
    assert p50["y"] == [40.0, 30.0] and p95["y"] == [60.0, 30.0]
    assert chart.page_figure["layout"]["yaxis"]["title"]["text"] == "Seconds"
    assert chart.page_figure["layout"]["yaxis"]["range"] == [0, 75.0]  # the data fills the plot
    assert "shapes" not in chart.page_figure["layout"] or not chart.page_figure["layout"]["shapes"]
    assert "above this scale" in chart.page_figure["layout"]["annotations"][0]["text"]
    assert "Wed 02 Dec" not in chart.summary and "p95 60 s" in chart.summary


def test_minutes_scale_latency_is_drawn_in_minutes_against_the_slo_line():
    chart = latency_per_day_chart(approvals(90, 420) + approvals(60, day=date(2026, 12, 2)))

    p95, p50 = chart.page_figure["data"]
    assert p50["y"] == [1.5, 1.0] and p95["y"] == [7.0, 1.0]
    assert chart.page_figure["layout"]["yaxis"]["title"]["text"] == "Minutes"
    assert chart.page_figure["layout"]["shapes"][0]["y0"] == 5
    assert chart.rows[0] == ["2026-12-01", 2, 2, 1, 90.0, 420.0]
    assert "Tue 01 Dec with p95 7.0 min" in chart.summary


def test_p50_stays_visible_on_top_of_an_equal_p95():
    chart = latency_per_day_chart(approvals(42))

    p95, p50 = chart.page_figure["data"]  # drawn in this order: p50 last, on top
    assert p50["y"] == p95["y"] == [42.0]
    assert p95["marker"]["symbol"] == "diamond-open" and p95["marker"]["size"] > p50["marker"]["size"]
    assert p50["marker"]["symbol"] != p95["marker"]["symbol"]  # told apart without colour


def test_the_per_day_axis_has_one_tick_per_day_and_a_single_day_in_its_middle():
    axis = latency_per_day_chart(approvals(42)).page_figure["layout"]["xaxis"]

    assert axis["dtick"] == 86_400_000 and axis["tick0"] == "2026-12-01"
    assert axis["range"] == ["2026-11-30 12:00", "2026-12-01 12:00"]


def test_the_histogram_spreads_seconds_over_bins_and_counts_every_approval_once():
    chart = latency_histogram_chart(approvals(12, 15, 18, 22, 40) + [ApprovalLatency(date(2026, 12, 1), None, 2)])

    names = [t["name"] for t in chart.page_figure["data"]]
    assert names == ["Within the SLO (< 5 min)", "Never ACTIVE (failed or still waiting)"]
    within, never = chart.page_figure["data"]
    assert within["x"][0] == "10–15 s" and within["x"][-1] == "40–45 s" and sum(within["y"]) == 5
    assert never["y"] == [1]
    assert sum(row[3] for row in chart.rows) == 6  # the table (and CSV) counts what the figure draws
    assert chart.rows[-1] == ["not ACTIVE", "", "", 1, "no"]
    assert "5 of 6 approvals (83.3 %) were ACTIVE within 5 minutes (misses the 95 % SLO)" in chart.summary
    assert chart.headline == "⚠ 83.3 % of 6 ACTIVE within 5 min (SLO 95 %)"
    assert chart.note.startswith("Counted per approval")


def test_the_histogram_of_minutes_keeps_the_slo_on_a_bin_edge():
    chart = latency_histogram_chart(approvals(30, 59, 61, 200, 299, 301, 1000))

    within, beyond = chart.page_figure["data"]
    assert within["x"] == ["0–2.5 min", "2.5–5 min"] and within["y"] == [3, 2]
    assert beyond["x"][0] == "5–7.5 min" and sum(beyond["y"]) == 2
    assert chart.page_figure["layout"]["xaxis"]["title"]["text"] == "Approval to first ACTIVE (minutes)"


def test_without_activations_the_latency_charts_say_so():
    assert latency_per_day_chart([]).empty.startswith("No activations yet")
    assert latency_histogram_chart([]).empty.startswith("No activations yet")


def test_approvals_that_never_became_active_leave_the_per_day_chart_empty_but_say_why():
    chart = latency_per_day_chart([ApprovalLatency(date(2026, 12, 1), None)])
    assert chart.is_empty and chart.empty == "No approval in this range became ACTIVE."
    assert chart.rows == [["2026-12-01", 1, 0, 0, "", ""]]


def test_the_slo_share_counts_approvals_not_pushes():
    share = SloShare.of([ApprovalLatency(date(2026, 12, 1), 90, pushes=2), ApprovalLatency(date(2026, 12, 1), None)])
    assert (share.within, share.counted) == (1, 2)


def test_failures_are_sorted_most_frequent_first():
    chart = failures_chart([("timed out", 2), ("CXone 422", 5)])
    assert chart.page_figure["data"][0]["y"] == ["CXone 422", "timed out"]
    assert chart.page_figure["data"][0]["x"] == [5, 2]


def test_deliveries_stack_by_state_each_with_its_own_pattern():
    chart = webhook_health_chart([DayDeliveries(date(2026, 12, 1), 5, 1, 2, 1)])
    assert chart.page_figure["layout"]["xaxis"]["dtick"] == 86_400_000  # one tick per day

    names = [t["name"] for t in chart.page_figure["data"]]
    assert names == ["Delivered", "Retrying or throttled", "Waiting", "Dead-lettered or stopped"]
    assert [t["y"] for t in chart.page_figure["data"]] == [[5], [1], [2], [1]]
    assert len({t["marker"].get("pattern", {}).get("shape", "") for t in chart.page_figure["data"]}) == 4
    assert "1 dead-lettered or stopped — those need a redelivery" in chart.summary


def test_conflicts_per_week_group_overload_and_clash_hours():
    chart = conflicts_per_week_chart([WeekConflicts(date(2026, 11, 30), 12.5, 3, 4.0, 2)])
    overload, clash = chart.page_figure["data"]
    assert overload["y"] == [12.5] and clash["y"] == [4.0]
    assert chart.rows == [["2026-11-30", 12.5, 3, 4.0, 2]]
