"""Weekly staffing profiles: read from supervisors' lines, said back, turned into UTC steps across DST, and the
capacity sweep against agents that change by the hour (alone, in the conflict index, in a what-if)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.scheduling import CampaignLoad, Conflict, ConflictIndex, find_conflicts
from campaigns.scheduling.conflicts import group_conflicts
from campaigns.scheduling.staffing import ProfileError, Staffing, flat_week, parse_profile, profile_lines

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)


def at(hour, minute=0, day=0):
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


def ts(moment: datetime) -> int:
    return int(moment.timestamp())


def load(campaign_id, hour, hours, *, agents=6, pool="P1", cron=None):
    return CampaignLoad(
        id=campaign_id,
        cron_expression=cron or f"0 {hour} * * *",
        timezone="UTC",
        duration_minutes=hours * 60,
        pool=pool,
        agents=agents,
    )


def test_a_profile_is_read_from_days_hours_and_agents_with_the_usual_number_elsewhere():
    week = parse_profile("Mon-Fri 08:00-12:00 25\nSat 9-13 6 agents\n# lunch is thin\nWed 12:00-13:00 4", usual=10)

    assert week[0][7:13] == (10, 25, 25, 25, 25, 10)
    assert week[2][12] == 4 and week[4][11] == 25
    assert week[5][9:13] == (6, 6, 6, 6) and week[5][13] == 10
    assert week[6] == (10,) * 24


def test_words_for_several_days_are_understood():
    week = parse_profile("Weekends 00:00-24:00 0\nEvery day 10-11 3\nMon,Wed 14-15 9", usual=5)
    assert week[6][0] == 0 and week[6][10] == 3 and week[1][10] == 3
    assert week[0][14] == 9 and week[1][14] == 5 and week[2][14] == 9


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("Funday 08:00-12:00 5", "'Funday' is not a day"),
        ("Fri-Mon 08:00-12:00 5", "runs backwards"),
        ("Mon 08:00-25:00 5", "25:00 is not an hour of the day"),
        ("Mon 18:00-08:00 5", "ends before it starts"),
        ("Mon 08:30-12:00 5", "is not “days hours agents”"),
        ("twenty-five agents on Monday", "is not “days hours agents”"),
        ("Mon 08:00-12:00 1000000", "more than any contact centre has"),
    ],
)
def test_a_line_that_cannot_be_read_is_named_with_what_to_write(line, says):
    with pytest.raises(ProfileError) as refused:
        parse_profile(f"Mon 07:00-08:00 3\n{line}", usual=10)
    assert refused.value.args[0].startswith("Line 2:") and says in refused.value.args[0]


def test_the_lines_said_back_give_the_same_week():
    text = "Mon-Fri 08:00-12:00 25\nMon-Fri 12:00-18:00 30\nSat 09:00-13:00 6\nSun 00:00-24:00 0"
    week = parse_profile(text, usual=10)
    assert profile_lines(week, 10) == [
        "Mon-Fri 08:00-12:00 25",
        "Mon-Fri 12:00-18:00 30",
        "Sat 09:00-13:00 6",
        "Sun 00:00-24:00 0",
    ]
    assert profile_lines(flat_week(10), 10) == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=24, max_size=24), min_size=7, max_size=7), st.integers(0, 40))
def test_any_week_survives_being_said_and_read_back(hours, usual):
    week = tuple(tuple(day) for day in hours)
    assert parse_profile("\n".join(profile_lines(week, usual)), usual) == week


def test_hours_stay_on_the_wall_clock_across_a_dst_change():
    # Chicago springs forward on Sun 8 Mar 2026: 08:00 CST is 14:00 UTC, 08:00 CDT is 13:00 UTC.
    staffing = Staffing("America/Chicago", parse_profile("Every day 08:00-18:00 20", usual=2))
    friday = datetime(2026, 3, 6, tzinfo=UTC)
    steps = staffing.steps(ts(friday), ts(friday + timedelta(days=4)))
    opens = [datetime.fromtimestamp(t, UTC).strftime("%a %H:%M") for t, agents in steps if agents == 20]
    assert opens == ["Fri 14:00", "Sat 14:00", "Sun 13:00", "Mon 13:00"]
    assert steps[0][0] <= ts(friday) and steps[0][1] == 2


def test_each_interval_gets_the_fewest_agents_staffed_in_it():
    staffing = Staffing("UTC", parse_profile("Mon 09:00-10:00 8", usual=3))
    quarter = 15 * 60
    # 08:30 … 10:30 in quarters: the one that holds 10:00 has 8 then 3, so 3.
    assert staffing.per_interval(ts(at(8, 30)), 8, quarter) == [3, 3, 8, 8, 8, 8, 3, 3]


def test_an_overload_is_measured_against_the_agents_staffed_at_that_hour():
    # Ten agents until noon, five after: two campaigns of 4 agents each overload only the afternoon.
    pools = {"P1": Staffing("UTC", parse_profile("Every day 00:00-12:00 10", usual=5))}
    conflicts = find_conflicts(pools, [load("A", 9, 8, agents=4), load("B", 10, 4, agents=4)], at(0), at(24))
    assert conflicts == [Conflict("capacity", "P1", at(12), at(14), ("A", "B"), 8, 5)]


def test_a_conflict_splits_where_the_staffing_changes():
    pools = {"P1": Staffing("UTC", parse_profile("Every day 10:00-11:00 6\nEvery day 11:00-12:00 4", usual=0))}
    conflicts = find_conflicts(pools, [load("A", 9, 4, agents=8)], at(0), at(24))
    assert [(c.start, c.end, c.capacity) for c in conflicts] == [
        (at(9), at(10), 0),
        (at(10), at(11), 6),
        (at(11), at(12), 4),
        (at(12), at(13), 0),
    ]


def test_a_flat_profile_finds_what_the_same_number_finds():
    campaigns = [load("A", 9, 8, agents=7), load("B", 12, 3, agents=5), load("C", 13, 1, agents=2)]
    flat = find_conflicts({"P1": 10}, campaigns, at(0), at(24 * 7))
    staffed = find_conflicts({"P1": Staffing("Europe/Berlin", flat_week(10))}, campaigns, at(0), at(24 * 7))
    assert staffed == flat


def test_a_draft_what_if_and_a_single_pools_sweep_use_the_staffing_too():
    pools = {"P1": Staffing("UTC", parse_profile("Every day 00:00-12:00 10", usual=5))}
    index = ConflictIndex(pools, [load("A", 9, 8, agents=4)], at(0), at(24))
    assert index.conflicts == []
    what_if = index.what_if(load("B", 13, 1, agents=4))
    assert what_if.added == [Conflict("capacity", "P1", at(13), at(14), ("A", "B"), 8, 5)]
    alone = group_conflicts(
        "capacity", "P1", {"A": ((ts(at(9)), ts(at(17))),)}, {"A": 6}, pools, premerged=True
    )
    assert [(c.start, c.end, c.capacity) for c in alone] == [(at(12), at(17), 5)]
