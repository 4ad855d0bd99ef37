"""Pauses and stops on the Gantt charts, without Django: a held stretch cuts a window where it begins and ends,
a pause awaiting approval holds nothing, and the editor's small timeline draws the campaign's holds over both of
its rows."""

from datetime import UTC, datetime

from campaigns.charts.draft_timeline import CURRENT_ROW, DRAFT_ROW, draft_timeline_chart
from campaigns.charts.holds import PAUSE_ASKED, PAUSED, STOPPED, HeldSpan, Holds, kinds_text, summary_part

H = 3600
DAY = int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())  # Tue 1 Dec, 00:00 UTC


def span(kind=PAUSED, start=DAY + 12 * H, end=DAY + 13 * H, campaign="C-1", name="Pause #1"):
    return HeldSpan(campaign, kind, start, end, "Training", name)


def test_a_window_is_cut_where_a_pause_begins_and_ends():
    pause = span()
    pieces = Holds([pause], DAY + 7 * 24 * H).pieces("C-1", DAY + 9 * H, DAY + 17 * H)
    assert pieces == [
        (DAY + 9 * H, DAY + 12 * H, None),
        (DAY + 12 * H, DAY + 13 * H, pause),
        (DAY + 13 * H, DAY + 17 * H, None),
    ]


def test_overlapping_holds_cut_a_window_once_and_an_open_stop_holds_to_the_charts_end():
    stop = span(STOPPED, start=DAY + 12 * H + 1800, end=None, name="Stop dialling #2")
    holds = Holds([span(), stop], DAY + 15 * H)
    pieces = holds.pieces("C-1", DAY + 9 * H, DAY + 17 * H)
    assert [(low - DAY, high - DAY, s.name if s else None) for low, high, s in pieces] == [
        (9 * H, 12 * H, None),
        (12 * H, 13 * H, "Pause #1"),
        (13 * H, 15 * H, "Stop dialling #2"),
        (15 * H, 17 * H, None),
    ]


def test_a_pause_awaiting_approval_or_another_campaigns_pause_cuts_nothing():
    holds = Holds([span(PAUSE_ASKED), span(campaign="C-2")], DAY + 24 * H)
    assert holds.pieces("C-1", DAY, DAY + 24 * H) == [(DAY, DAY + 24 * H, None)]
    assert not holds.holding("C-1") and holds.holding("C-2")


def test_the_summary_counts_campaigns_by_what_holds_them():
    holds = Holds(
        [span(), span(name="Pause #2"), span(PAUSE_ASKED, campaign="C-2"), span(STOPPED, campaign="C-3")], 0
    )
    assert summary_part(holds.kinds(["C-1", "C-2", "C-3"])) == (
        "1 campaign paused (approved), 1 campaign with a pause awaiting approval, 1 campaign stopped by Stop dialling"
    )
    assert summary_part(holds.kinds(["C-9"])) == ""
    assert kinds_text([STOPPED, PAUSED, PAUSED]) == "paused (approved) and stopped by Stop dialling"


def draft_chart(holds):
    windows = tuple(
        (DAY + d * 24 * H + 15 * H, DAY + d * 24 * H + 23 * H) for d in range(7)
    )  # 09:00–17:00 CST
    return draft_timeline_chart(
        draft=windows, current=windows, others=[], bands=[], draft_agents=5, current_agents=5, pool_name="Renewals",
        pool_agents="20 agents", start_ts=DAY, end_ts=DAY + 7 * 24 * H, zone_name="America/Chicago", holds=holds,
    )  # fmt: skip


def traces(chart):
    return {t["name"]: t for t in chart.page_figure["data"] if t["name"] != "rows"}


def test_the_editors_timeline_draws_an_approved_pause_over_the_draft_and_the_current_schedule():
    # Wed 2 Dec 14:00 UTC to Thu 3 Dec 00:00 UTC: Wednesday's window is held whole on both rows.
    chart = draft_chart([span(start=DAY + 38 * H, end=DAY + 48 * H)])

    band = traces(chart)["Paused (approved)"]
    assert (
        band["y"] == [DRAFT_ROW, CURRENT_ROW] and band["base"] == [(DAY + 38 * H) * 1000 - 6 * H * 1000] * 2
    )
    assert "From Wed 02 Dec 08:00 CST until Wed 02 Dec 18:00 CST" in band["hovertext"][0]
    held = traces(chart)["Window held (does not dial)"]
    assert held["y"] == [DRAFT_ROW, CURRENT_ROW]
    assert len(traces(chart)["This draft"]["base"]) == 6  # the other six days dial
    assert "The campaign is paused (approved) in these days." in chart.summary
    assert [
        "Paused (approved)",
        "2026-12-02T14:00:00Z",
        "2026-12-03T00:00:00Z",
        "",
        "Paused (approved): Pause #1, Training",
    ] in chart.rows


def test_the_editors_timeline_shows_a_pause_awaiting_approval_without_holding_a_window():
    chart = draft_chart([span(PAUSE_ASKED, start=DAY + 38 * H, end=DAY + 48 * H)])
    assert "Pause awaiting approval" in traces(chart) and "Window held (does not dial)" not in traces(chart)
    assert len(traces(chart)["This draft"]["base"]) == 7
