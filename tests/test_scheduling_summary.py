import datetime as dt

from campaigns.scheduling import Conflict
from campaigns.scheduling.summary import summarise

T0 = dt.datetime(2026, 12, 7, 15, tzinfo=dt.UTC)


def clash(day, hours=1, kind="contact_list", key="L-1", campaigns=("C-1", "C-2"), demand=None, capacity=None):
    start = T0 + dt.timedelta(days=day)
    return Conflict(kind, key, start, start + dt.timedelta(hours=hours), campaigns, demand, capacity)


def test_intervals_of_one_contact_list_fold_into_one_line():
    worse, better = summarise([clash(0), clash(1), clash(2)], [])
    assert better == []
    [line] = worse
    assert (line["key"], line["intervals_added"], line["hours_added"]) == ("L-1", 3, 3.0)
    assert line["first_start"] == T0


def test_a_capacity_line_reports_the_peak_demand_and_every_campaign_involved():
    added = [
        clash(0, kind="capacity", key="S-1", campaigns=("C-1", "C-2"), demand=25, capacity=20),
        clash(1, kind="capacity", key="S-1", campaigns=("C-1", "C-3"), demand=31, capacity=20),
    ]
    [line], _ = summarise(added, [])
    assert (line["peak_demand"], line["capacity"]) == (31, 20)
    assert line["campaigns"] == ["C-1", "C-2", "C-3"]


def test_a_longer_window_over_the_same_clash_counts_as_worse_by_its_net_hours():
    removed = [clash(0, hours=1), clash(1, hours=1)]
    added = [clash(0, hours=3), clash(1, hours=3)]
    worse, better = summarise(added, removed)
    assert better == []
    assert (worse[0]["hours_added"], worse[0]["hours_removed"]) == (6.0, 2.0)


def test_a_draft_that_ends_a_clash_relieves_it():
    worse, better = summarise([], [clash(0), clash(1)])
    assert worse == []
    assert better[0]["intervals_removed"] == 2
    assert better[0]["first_start"] == T0


def test_lines_come_in_order_of_their_first_interval():
    worse, _ = summarise([clash(3, key="L-late"), clash(1, key="L-early")], [])
    assert [line["key"] for line in worse] == ["L-early", "L-late"]


def test_first_and_peak_describe_the_added_intervals_when_there_are_some():
    removed = [clash(0, kind="capacity", key="S-1", demand=40, capacity=20)]
    added = [clash(2, hours=5, kind="capacity", key="S-1", demand=22, capacity=20)]
    [line], _ = summarise(added, removed)
    assert line["first_start"] == T0 + dt.timedelta(days=2)
    assert line["peak_demand"] == 22


def test_with_a_zone_each_line_says_when_it_mostly_happens_there():
    # Tue-Thu 20:00-23:00 UTC = 14:00-17:00 CST, cut by the sweep at 21:00; one Friday hour at another time.
    tuesday = dt.datetime(2026, 12, 8, 20, tzinfo=dt.UTC)
    added = []
    for day in range(3):
        start = tuesday + dt.timedelta(days=day)
        added.append(
            Conflict("capacity", "S-1", start, start + dt.timedelta(hours=1), ("C-1", "C-2"), 25, 20)
        )
        added.append(
            Conflict(
                "capacity",
                "S-1",
                start + dt.timedelta(hours=1),
                start + dt.timedelta(hours=3),
                ("C-1",),
                22,
                20,
            )
        )
    friday = dt.datetime(2026, 12, 11, 15, tzinfo=dt.UTC)
    added.append(Conflict("capacity", "S-1", friday, friday + dt.timedelta(hours=1), ("C-1", "C-3"), 21, 20))

    [line], _ = summarise(added, [], zone="America/Chicago")

    assert line["pattern"] == "Tue–Thu 14:00–17:00 CST"
    assert line["pattern_share"] == 0.9  # 9 of the 10 hours
    assert line["hours_added"] == 10.0


def test_without_a_zone_no_pattern_is_guessed():
    [line], _ = summarise([clash(0)], [])
    assert line["pattern"] == ""


def test_a_relieved_line_says_when_the_relief_falls_not_when_the_rest_stays():
    # The draft moves a clash off Tue-Thu (3 h each) and onto Monday (1 h): relieved, mostly Tue-Thu.
    monday = dt.datetime(2026, 12, 7, 20, tzinfo=dt.UTC)
    removed = [clash(day, hours=3, kind="capacity", key="S-1", demand=25, capacity=20) for day in (1, 2, 3)]
    added = [Conflict("capacity", "S-1", monday, monday + dt.timedelta(hours=1), ("C-1", "C-2"), 22, 20)]

    _, [line] = summarise(added, removed, zone="America/Chicago")

    assert line["pattern"] == "Tue–Thu 09:00–12:00 CST"
    assert line["pattern_share"] == 1.0


def test_a_pattern_names_where_overload_goes_away_not_where_it_only_changes_demand():
    # Mon-Fri 09:00-17:00 CST removed; Mon 10:00-17:00 comes back with another demand: the relief is Tue-Fri
    # all day (32 h) and Monday 09:00-10:00 (1 h).
    removed = [clash(day, hours=8, kind="capacity", key="S-1", demand=8, capacity=4) for day in range(5)]
    monday = T0 + dt.timedelta(hours=1)
    added = [Conflict("capacity", "S-1", monday, monday + dt.timedelta(hours=7), ("C-1", "C-2"), 5, 4)]

    _, [line] = summarise(added, removed, zone="America/Chicago")

    assert line["pattern"] == "Tue–Fri 09:00–17:00 CST"
    assert line["pattern_share"] == round(32 / 33, 2)
