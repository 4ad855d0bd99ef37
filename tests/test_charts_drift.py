"""The drift dashboards' builders, without Django: changes found in CXone per week by where they stand, and the
time people took to answer them, in a unit that fits."""

from datetime import date

from campaigns.charts.drift import (
    NO_DRIFT,
    NOT_ANSWERED,
    WeekAnswers,
    WeekDrift,
    answer_time_chart,
    drift_per_week_chart,
)

MONDAY = date(2026, 11, 30)
NEXT = date(2026, 12, 7)


def test_drift_per_week_stacks_each_standing_with_the_open_ones_first():
    chart = drift_per_week_chart([WeekDrift(MONDAY, 1, 2, 0, 1, 0), WeekDrift(NEXT, 0, 0, 3, 0, 0)])

    names = [trace.name for trace in chart.figure.data]
    assert names[0] == "Not answered yet" and "Kept CXone's" in names
    assert chart.figure.layout.barmode == "stack"
    assert chart.rows == [["2026-11-30", 4, 1, 2, 0, 1, 0], ["2026-12-07", 3, 0, 0, 3, 0, 0]]
    assert chart.columns == ["week_start", "found", "open", "restored", "kept", "reverted", "replaced"]
    assert chart.summary == "7 changes made in CXone found over 2 weeks; 1 not answered yet."
    assert chart.headline == "1 change in CXone not answered"
    open_trace = chart.figure.data[0]
    assert list(open_trace.y) == [1, 0] and open_trace.marker.pattern.shape == "x"  # not colour alone


def test_weeks_without_drift_say_so_and_keep_their_rows_for_the_csv():
    chart = drift_per_week_chart([WeekDrift(MONDAY, 0, 0, 0, 0, 0)])
    assert chart.is_empty and chart.empty == NO_DRIFT
    assert chart.rows == [["2026-11-30", 0, 0, 0, 0, 0, 0]]


def test_answer_times_are_minutes_when_people_answer_within_two_hours():
    chart = answer_time_chart([WeekAnswers(MONDAY, 3, 0.25, 1.5)], [])
    assert chart.columns == ["week_start", "answered", "p50_minutes", "p95_minutes"]
    assert chart.rows == [["2026-11-30", 3, 15.0, 90.0]]
    assert [list(trace.y) for trace in chart.figure.data] == [[15.0], [90.0]]
    assert "p95 90.0 minutes" in chart.summary


def test_answer_times_are_hours_beyond_and_the_waiting_ones_are_named_not_counted():
    chart = answer_time_chart([WeekAnswers(MONDAY, 2, 5.0, 30.0), WeekAnswers(NEXT, 0, 0, 0)], [12.0, 40.5])
    assert chart.columns[2:] == ["p50_hours", "p95_hours"]
    assert chart.rows == [["2026-11-30", 2, 5.0, 30.0]]  # a week with no answer has no time to show
    assert chart.summary.endswith("2 changes not answered yet, the oldest for 40.5 h.")


def test_with_nothing_answered_yet_the_chart_says_where_to_answer():
    chart = answer_time_chart([], [3.0])
    assert chart.is_empty and chart.empty == NOT_ANSWERED
    assert "1 change not answered yet" in chart.summary
    assert answer_time_chart([], []).empty == NO_DRIFT
