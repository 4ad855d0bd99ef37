"""Durations as the latency charts show them: the unit that fits, bins that spread the values, day ticks."""

from datetime import date

from campaigns.charts.durations import MINUTES, SECONDS, bin_labels, bins_for, day_axis, unit_for


def test_latencies_of_seconds_are_in_seconds_and_longer_ones_in_minutes():
    assert unit_for(42) is SECONDS and unit_for(300) is SECONDS
    assert unit_for(301) is MINUTES
    assert SECONDS.text(42.4) == "42 s" and MINUTES.text(210) == "3.5 min"


def test_seconds_spread_over_narrow_bins_from_the_smallest_value():
    bins = bins_for([12, 15, 18, 22, 40])
    assert bins.starts[0] == 10 and bins.end == 45 and bins.count == 7
    assert [bins.index(v) for v in (12, 15, 18, 22, 40)] == [0, 1, 1, 2, 6]
    assert bin_labels(bins, unit_for(bins.scale_end))[:2] == ["10–15 s", "15–20 s"]


def test_no_bin_holds_values_from_both_sides_of_a_limit():
    bins = bins_for([700, 800, 1300, 100], keep_apart=300)
    assert 300 in bins.starts
    assert bins.index(299) != bins.index(300)


def test_a_far_outlier_gets_a_bin_of_its_own_instead_of_stretching_every_bar():
    bins = bins_for([20, 21, 22, 23, 24, 25, 26, 27, 28, 1800], keep_apart=300)
    assert bins.end is None and bins.starts[-1] == 300
    assert bins.index(1800) == bins.count - 1 and bins.index(28) < bins.count - 2
    labels = bin_labels(bins, unit_for(bins.scale_end))
    assert labels[0] == "20–21 s" and labels[-1] == "≥ 5 min"


def test_minute_bins_that_are_not_whole_or_half_minutes_read_as_minutes_and_seconds():
    bins = bins_for([250, 420])
    assert bin_labels(bins, unit_for(bins.scale_end))[0] == "4:00–4:20 min"


def test_a_long_range_of_days_gets_a_tick_every_few_days_never_two_a_day():
    axis = day_axis([date(2026, 9, 1), date(2026, 11, 29)])
    assert axis["dtick"] == 7 * 86_400_000
    assert day_axis([date(2026, 12, 1), date(2026, 12, 7)])["dtick"] == 86_400_000
