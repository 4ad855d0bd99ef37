"""Capacity, without Django: 15-minute peaks from the windows, the heatmap's utilisation and the curve's
overloads, against hand-counted cases."""

from campaigns.charts.capacity import PoolDemand, demand_curve_chart, heatmap_chart, utilisation
from campaigns.scheduling.intervals import demand_steps, interval_peaks

T0 = 1_772_000_000 - 1_772_000_000 % 900  # an interval boundary


def test_an_interval_counts_its_busiest_moment_and_a_campaign_never_twice():
    windows = {
        "A": [(T0, T0 + 3600), (T0 + 1800, T0 + 4500)],  # overlapping windows of one campaign merge
        "B": [(T0 + 300, T0 + 900)],  # ten minutes, ending as the second interval begins
    }
    steps = demand_steps(windows, {"A": 5, "B": 7})
    peaks = interval_peaks(steps, T0, T0 + 6 * 900)
    assert peaks == [12, 5, 5, 5, 5, 0]


def test_utilisation_is_a_share_of_the_pool_and_a_pool_without_agents_is_full_once_used():
    assert utilisation(15, 20) == 75.0
    assert utilisation(0, 0) is None
    assert utilisation(3, 0) == 150.0


def test_the_heatmap_has_a_row_per_pool_and_marks_the_overloaded_cells_with_a_symbol():
    pools = [PoolDemand("S-1", "Renewals", 10, (5, 12, 10, 0)), PoolDemand("S-2", "Surveys", 4, (0, 0, 1, 0))]
    chart = heatmap_chart(pools, start_ts=T0)

    heat, marks = chart.page_figure["data"]
    assert heat["type"] == "heatmap"
    assert heat["y"] == ["Renewals (10 agents)", "Surveys (4 agents)"]
    assert heat["z"] == [[50.0, 120.0, 100.0, 0.0], [0.0, 0.0, 25.0, 0.0]]
    assert heat["x"][1] - heat["x"][0] == 900_000
    assert marks["x"] == [heat["x"][1]] and marks["y"] == ["Renewals (10 agents)"]
    assert marks["mode"] == "markers"
    assert "1 interval over capacity in 1 pool" in chart.summary
    assert len(chart.rows) == 8 and chart.rows[1][4:8] == [12, 10, 120.0, "yes"]


def test_the_curve_shows_demand_capacity_and_the_excess_as_hatched_bars():
    chart = demand_curve_chart(
        PoolDemand("S-1", "Renewals", 10, (5, 12, 10, 14)), start_ts=T0, display_zone="America/Chicago"
    )

    required, available, excess = chart.page_figure["data"]
    assert required["y"] == [5, 12, 10, 14] and required["line"]["shape"] == "hv"
    assert available["y"] == [10, 10]
    assert excess["y"] == [2, 4] and excess["base"] == [10, 10]
    assert excess["marker"]["pattern"]["shape"] == "/"
    assert chart.page_figure["layout"]["xaxis"]["title"]["text"] == "Time (America/Chicago)"
    assert "2 intervals over capacity (0.50 h)" in chart.summary
