"""The timeline's figure builder, without Django: its bars, bands and hover text are the engine's windows and
conflicts, in UTC and on a viewer's wall clock, on DST days too; large sets fold into one row per pool."""

from datetime import UTC, datetime, timedelta

from campaigns.charts.common import axis_ms
from campaigns.charts.holds import PAUSE_ASKED, PAUSED, STOPPED, HeldSpan
from campaigns.charts.timeline import OVERLOAD_ROW, TimelineCampaign, TimelinePool, timeline_chart
from campaigns.scheduling import CampaignLoad, ConflictIndex
from campaigns.scheduling.conflicts import ExpansionCache
from campaigns.scheduling.zones import get_zone

# The US spring-forward week: Sunday 8 March 2026 clocks jump 02:00 → 03:00 in Chicago.
START = datetime(2026, 3, 6, tzinfo=UTC)
END = START + timedelta(days=5)
POOLS = {"S-1": 20, "S-2": 10}


def build(loads, display_zone="UTC", **options):
    index = ConflictIndex(POOLS, loads, START, END, strict=True)
    expansion = ExpansionCache(START, END)
    campaigns = [
        TimelineCampaign(
            c.id, f"Campaign {c.id}", c.pool, c.timezone, c.agents, f"/campaigns/{n}/", expansion.windows(c)
        )
        for n, c in enumerate(loads)
    ]
    pools = {key: TimelinePool(key, f"Pool {key}", agents, f"?pool={key}") for key, agents in POOLS.items()}
    chart = timeline_chart(
        campaigns,
        index.conflicts,
        pools,
        start_ts=int(START.timestamp()),
        end_ts=int(END.timestamp()),
        display_zone=display_zone,
        **options,
    )
    return chart, index, expansion


def traces(chart):
    return {t["name"]: t for t in chart.page_figure["data"] if t["name"] != "rows"}


CHICAGO = CampaignLoad("C-1", "0 9 * * *", "America/Chicago", 480, "S-1", 12, "L-1")
NEW_YORK = CampaignLoad("C-2", "0 12 * * *", "America/New_York", 240, "S-1", 12, "L-1")
BERLIN = CampaignLoad("C-3", "0 8 * * *", "Europe/Berlin", 300, "S-2", 5)


def test_each_bar_is_one_engine_window_with_its_utc_start_and_length():
    chart, _, expansion = build([BERLIN])

    bars = traces(chart)["Calling window"]
    windows = expansion.windows(BERLIN)
    assert bars["base"] == [start * 1000 for start, _ in windows]
    assert bars["x"] == [(end - start) * 1000 for start, end in windows]
    assert bars["y"] == [["Pool S-2 (10 agents)"] * len(windows), ["Campaign C-3"] * len(windows)]
    assert bars["customdata"] == ["/campaigns/0/"] * len(windows)
    assert chart.page_figure["layout"]["xaxis"]["type"] == "date"
    assert chart.page_figure["layout"]["xaxis"]["title"]["text"] == "Time (UTC)"


def test_a_dst_day_shifts_the_window_an_hour_in_utc_but_not_on_the_local_wall_clock():
    chart, _, _ = build([CHICAGO])
    utc_bases = traces(chart)["Calling window"]["base"]
    local_chart, _, _ = build([CHICAGO], display_zone="America/Chicago")
    local_bases = traces(local_chart)["Calling window"]["base"]

    hours_utc = [datetime.fromtimestamp(ms / 1000, UTC).hour for ms in utc_bases]
    hours_local = [datetime.fromtimestamp(ms / 1000, UTC).hour for ms in local_bases]
    assert hours_utc == [15, 15, 14, 14, 14]  # 09:00 CST = 15:00 UTC; from Sunday 09:00 CDT = 14:00 UTC
    assert hours_local == [9, 9, 9, 9, 9]
    assert "Sun 08 Mar 09:00 CDT → 17:00 CDT" in traces(chart)["Calling window"]["hovertext"][2]
    assert "Sun 08 Mar 14:00 UTC → 22:00 UTC" in traces(chart)["Calling window"]["hovertext"][2]


def test_a_window_across_the_viewers_dst_change_ends_where_the_wall_clock_says():
    night = CampaignLoad("C-9", "0 0 * * *", "UTC", 240, "S-2", 1)  # 00:00–04:00 UTC, 18:00–22:00 Chicago
    late = CampaignLoad(
        "C-8", "0 7 * * *", "UTC", 240, "S-2", 1
    )  # 07:00–11:00 UTC crosses 08:00 UTC (02:00 CST)
    chart, _, expansion = build([night, late], display_zone="America/Chicago")
    bars = traces(chart)["Calling window"]
    zone = get_zone("America/Chicago")
    sunday = [
        i
        for i, base in enumerate(bars["base"])
        if base == axis_ms(int(datetime(2026, 3, 8, 7, tzinfo=UTC).timestamp()), zone)
    ]
    assert sunday, "the Sunday 07:00 UTC window is drawn"
    # 01:00 CST → 06:00 CDT on the wall clock: five hours on the axis for four real hours.
    assert bars["x"][sunday[0]] == 5 * 3600 * 1000


def test_on_the_fall_back_night_01_00_cdt_and_01_00_cst_stay_an_hour_apart_in_utc():
    # Sunday 1 November 2026: Chicago's 01:00 comes twice. Aware datetimes would reach the page as the same naive
    # "01:00" and draw a fake overlap; the page gets epoch milliseconds instead.
    first = int(datetime(2026, 11, 1, 6, tzinfo=UTC).timestamp())  # 01:00 CDT
    second = first + 3600  # 01:00 CST
    campaigns = [
        TimelineCampaign("C-1", "Early", "S-2", "America/Chicago", 1, "/1/", ((first, first + 1800),)),
        TimelineCampaign("C-2", "Late", "S-2", "America/Chicago", 1, "/2/", ((second, second + 1800),)),
    ]
    pools = {"S-2": TimelinePool("S-2", "Pool S-2", 10)}
    chart = timeline_chart(campaigns, [], pools, start_ts=first - 6 * 3600, end_ts=first + 18 * 3600)

    bars = traces(chart)["Calling window"]
    assert bars["base"] == [first * 1000, second * 1000]  # numbers, an hour apart: no overlap
    assert "Sun 01 Nov 01:00 CDT → 01:30 CDT" in bars["hovertext"][0]
    assert "Sun 01 Nov 01:00 CST → 01:30 CST" in bars["hovertext"][1]


def test_overloads_are_a_hatched_row_on_top_of_their_pool_with_the_engines_demand():
    chart, index, _ = build([CHICAGO, NEW_YORK, BERLIN])

    overloads = traces(chart)["Capacity overload (agents needed > pool's agents)"]
    engine = [c for c in index.conflicts if c.kind == "capacity"]
    assert engine, "two 12-agent campaigns in a 20-agent pool overlap"
    assert len(overloads["base"]) == len(engine)  # disjoint days: nothing to merge here
    assert overloads["base"] == [int(c.start.timestamp()) * 1000 for c in engine]
    assert overloads["x"] == [int((c.end - c.start).total_seconds()) * 1000 for c in engine]
    assert set(overloads["y"][1]) == {OVERLOAD_ROW}
    assert overloads["marker"]["pattern"]["shape"] == "/"  # not colour alone
    assert "up to 24 agents needed, 20 available" in overloads["hovertext"][0]
    order = chart.page_figure["data"][0]["y"]
    assert order[1][:3] == [OVERLOAD_ROW, "Campaign C-1", "Campaign C-2"]


def test_windows_in_a_contact_list_clash_are_cross_hatched_and_name_the_other_campaign():
    chart, index, _ = build([CHICAGO, NEW_YORK, BERLIN])

    clashed = traces(chart)["Window in a contact-list clash"]
    assert clashed["marker"]["pattern"]["shape"] == "x"
    assert all("contact list L-1 also dialled by Campaign C-" in h for h in clashed["hovertext"])
    clash_days = {c.start.date() for c in index.conflicts if c.kind == "contact_list"}
    assert len(clashed["base"]) == 2 * len(clash_days)  # both campaigns' windows on every clash day
    assert "campaigns in contact-list clashes" in chart.summary


def test_the_table_has_one_row_per_bar_with_utc_and_local_times():
    chart, _, expansion = build([CHICAGO, BERLIN])

    windows = [r for r in chart.rows if r[0] == "window"]
    assert len(windows) == len(expansion.windows(CHICAGO)) + len(expansion.windows(BERLIN))
    sunday = next(r for r in windows if r[3] == "C-1" and r[4].startswith("2026-03-08"))
    assert sunday[4:9] == [
        "2026-03-08T14:00:00Z",
        "2026-03-08T22:00:00Z",
        "2026-03-08T09:00:00-05:00",
        "2026-03-08T17:00:00-05:00",
        "America/Chicago",
    ]


def test_past_the_bar_limit_each_pool_becomes_one_row_of_busy_hours_linking_to_its_campaigns():
    chart, _, _ = build([CHICAGO, NEW_YORK, BERLIN], max_bars=5)

    busy = traces(chart)["Pool busy (some campaign open)"]
    assert set(busy["y"]) == {"Pool S-1 (20 agents)", "Pool S-2 (10 agents)"}
    assert set(busy["customdata"]) == {"?pool=S-1", "?pool=S-2"}
    assert "choose a pool to see its campaigns" in chart.summary
    assert chart.page_figure["data"][0]["y"] == [  # each pool's overloads right under its busy hours
        "Pool S-1 (20 agents)",
        f"Pool S-1 (20 agents) {OVERLOAD_ROW}",
        "Pool S-2 (10 agents)",
    ]
    assert chart.page_figure["layout"]["yaxis"]["type"] == "category"


def test_an_empty_range_says_so_instead_of_drawing():
    chart = timeline_chart([], [], {}, start_ts=0, end_ts=86400)
    assert chart.is_empty and "No calling windows" in chart.empty


def paused(kind=PAUSED, start=datetime(2026, 3, 9, 16, tzinfo=UTC), hours=30, reason="Training <day>"):
    begin = int(start.timestamp())
    return HeldSpan("C-3", kind, begin, begin + hours * 3600 if hours else None, reason, "Pause #4")


def test_an_approved_pause_is_a_band_over_its_campaigns_row_spanning_its_utc_interval():
    # Mon 9 Mar 16:00 UTC (17:00 in Berlin) to Tue 10 Mar 22:00 UTC: Tuesday's 08:00–13:00 window is inside.
    chart, _, _ = build([BERLIN], holds=[paused()])

    band = traces(chart)["Paused (approved)"]
    assert band["base"] == [int(datetime(2026, 3, 9, 16, tzinfo=UTC).timestamp()) * 1000]
    assert band["x"] == [30 * 3600 * 1000]
    assert band["y"] == [["Pool S-2 (10 agents)"], ["Campaign C-3"]]
    assert band["marker"]["pattern"]["shape"] == "-"  # not colour alone
    assert band["width"] > traces(chart)["Calling window"]["width"]  # shows around the windows it holds
    hover = band["hovertext"][0]
    assert "Reason: Training &lt;day&gt;" in hover  # a person's words, never plotly markup
    assert "From Mon 09 Mar 17:00 CET until Tue 10 Mar 23:00 CET" in hover  # the campaign's own clock
    assert "Mon 09 Mar 16:00 UTC → Tue 10 Mar 22:00 UTC" in hover
    assert "1 campaign paused (approved)" in chart.summary


def test_windows_inside_an_approved_pause_read_as_held_and_do_not_dial():
    chart, _, expansion = build([BERLIN], holds=[paused()])

    held = traces(chart)["Window held (does not dial)"]
    tuesday = int(datetime(2026, 3, 10, 7, tzinfo=UTC).timestamp())  # 08:00 CET
    assert held["base"] == [tuesday * 1000] and held["x"] == [5 * 3600 * 1000]
    assert "⏸ Does not dial" in held["hovertext"][0] and "Pause #4" in held["hovertext"][0]
    dialling = traces(chart)["Calling window"]["base"]
    assert tuesday * 1000 not in dialling and len(dialling) == len(expansion.windows(BERLIN)) - 1
    row = next(r for r in chart.rows if r[0] == "window" and r[4] == "2026-03-10T07:00:00Z")
    assert row[10] == "held by Pause #4"
    band_row = next(r for r in chart.rows if r[0] == "paused")
    assert band_row[3:6] == ["C-3", "2026-03-09T16:00:00Z", "2026-03-10T22:00:00Z"]


def test_a_pause_that_cuts_into_a_window_holds_only_that_part():
    # 10:00–11:00 UTC inside Monday's 07:00–12:00 UTC window: before and after still dial.
    chart, _, _ = build([BERLIN], holds=[paused(start=datetime(2026, 3, 9, 10, tzinfo=UTC), hours=1)])

    held = traces(chart)["Window held (does not dial)"]
    assert held["x"] == [3600 * 1000]
    monday = int(datetime(2026, 3, 9, 7, tzinfo=UTC).timestamp()) * 1000
    bars = traces(chart)["Calling window"]
    pieces = sorted(
        (b, x) for b, x in zip(bars["base"], bars["x"], strict=True) if monday <= b < monday + 5 * 3600e3
    )
    assert pieces == [(monday, 3 * 3600 * 1000), (monday + 4 * 3600 * 1000, 3600 * 1000)]


def test_a_pause_awaiting_approval_is_a_band_of_its_own_and_holds_no_window():
    chart, _, expansion = build([BERLIN], holds=[paused(kind=PAUSE_ASKED)])

    names = traces(chart)
    assert "Pause awaiting approval" in names and "Paused (approved)" not in names
    assert names["Pause awaiting approval"]["marker"]["pattern"]["shape"] == "|"
    assert "Window held (does not dial)" not in names
    assert len(names["Calling window"]["base"]) == len(expansion.windows(BERLIN))
    assert "1 campaign with a pause awaiting approval" in chart.summary


def test_an_open_stop_dialling_holds_every_window_to_the_end_of_the_range():
    stop = HeldSpan(
        "C-3", STOPPED, int(datetime(2026, 3, 8, tzinfo=UTC).timestamp()), None, "Bad list", "Stop #2"
    )
    chart, _, _ = build([BERLIN], holds=[stop])

    band = traces(chart)["Stopped (Stop dialling)"]
    assert band["base"][0] + band["x"][0] == int(END.timestamp()) * 1000
    assert "until a second supervisor agrees to resume" in band["hovertext"][0]
    assert len(traces(chart)["Window held (does not dial)"]["base"]) == 3  # Sun, Mon, Tue
    assert next(r for r in chart.rows if r[0] == "stopped")[5] == ""  # no end to write


def test_holds_of_campaigns_not_shown_are_left_out_and_past_the_bar_limit_only_counted():
    other = HeldSpan("C-99", PAUSED, int(START.timestamp()), int(END.timestamp()), "x", "Pause #9")
    chart, _, _ = build([BERLIN], holds=[other])
    assert "Paused (approved)" not in traces(chart) and "paused" not in chart.summary

    chart, _, _ = build([CHICAGO, NEW_YORK, BERLIN], max_bars=5, holds=[paused()])
    assert "Paused (approved)" not in traces(chart)
    assert "1 campaign paused (approved) (choose a pool to see them)" in chart.summary
