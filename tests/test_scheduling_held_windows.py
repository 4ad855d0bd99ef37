"""Which windows dial once blackout days and approved pauses are taken into account: a blackout day removes the
windows that open on it, a pause those wholly inside it (or inside pauses that follow on from one another), and
a window a pause only cuts into still dials."""

from datetime import UTC, datetime, timedelta

from campaigns.scheduling.held_windows import BLACKOUT, PAUSED, Hold, sort_held, without_pauses
from campaigns.scheduling.windows import Window


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=UTC)


def window(day: int, hour: int, hours: int = 2) -> Window:
    start = at(day, hour)
    return Window(start, start + timedelta(hours=hours), start, start + timedelta(hours=hours))


DAILY = [window(day, 9) for day in range(1, 8)]  # 09:00–11:00 UTC, Tue 1 – Mon 7 Dec


def test_without_holds_every_window_dials():
    parted = sort_held(DAILY, [])
    assert parted.dialling == DAILY and parted.held_count == 0 and not parted.partly_paused


def test_a_blackout_day_removes_the_window_that_opens_on_it_not_the_one_running_into_it():
    night = [window(1, 22, hours=4), window(2, 22, hours=4)]  # opens the evening before, runs past midnight
    day = Hold(BLACKOUT, at(2, 0), at(3, 0), "Company closure")
    parted = sort_held(night, [day])
    assert parted.dialling == [night[0]] and parted.removed == [1]


def test_a_pause_removes_the_windows_wholly_inside_it_and_counts_them():
    pause = Hold(PAUSED, at(2, 8), at(4, 12), "Training", pause_id=4)
    parted = sort_held(DAILY, [pause])
    assert [w.start.day for w in parted.dialling] == [1, 5, 6, 7] and parted.removed == [3]


def test_a_window_a_pause_cuts_into_is_kept_and_marked_whichever_end_it_cuts():
    starts_inside = Hold(PAUSED, at(1, 8), at(1, 10), "ends mid-window")
    ends_inside = Hold(PAUSED, at(2, 10), at(2, 12), "starts mid-window")
    in_the_middle = Hold(PAUSED, at(3, 9) + timedelta(minutes=30), at(3, 10), "a half hour")
    parted = sort_held(DAILY, [starts_inside, ends_inside, in_the_middle])
    assert parted.dialling == DAILY and parted.partly_paused == {0, 1, 2} and parted.held_count == 0


def test_pauses_that_follow_on_from_one_another_hold_the_window_they_cover_together():
    first = Hold(PAUSED, at(1, 8), at(1, 10), "first", pause_id=1)
    second = Hold(PAUSED, at(1, 10), at(1, 12), "second", pause_id=2)
    parted = sort_held(DAILY[:2], [first, second])
    assert parted.dialling == DAILY[1:2] and parted.removed == [1, 0]  # counted for the pause it opens in


def test_a_window_both_a_blackout_day_and_a_pause_hold_counts_for_the_blackout_day():
    day = Hold(BLACKOUT, at(1, 0), at(2, 0), "Closure")
    pause = Hold(PAUSED, at(1, 0), at(3, 0), "Training")
    parted = sort_held(DAILY, [day, pause])
    assert parted.removed == [1, 1] and parted.dialling == DAILY[2:]


# ---- without_pauses: what of each window still loads its pool -------------------------------------------------

H = 3600


def test_without_pauses_every_window_is_kept_as_it_is():
    windows = ((0, 2 * H), (24 * H, 26 * H))
    assert without_pauses(windows, []) == windows


def test_a_window_wholly_inside_a_pause_is_gone_and_the_others_are_untouched():
    windows = ((0, 2 * H), (24 * H, 26 * H), (48 * H, 50 * H))
    assert without_pauses(windows, [(23 * H, 27 * H)]) == ((0, 2 * H), (48 * H, 50 * H))


def test_a_pause_cutting_into_a_window_leaves_the_parts_before_and_after_it():
    windows = ((0, 4 * H), (10 * H, 12 * H), (20 * H, 22 * H))
    pauses = [(H, 2 * H), (11 * H, 30 * H)]  # the middle of the first; the end of the second, all of the third
    assert without_pauses(windows, pauses) == ((0, H), (2 * H, 4 * H), (10 * H, 11 * H))


def test_pauses_that_follow_on_from_one_another_hold_together_in_any_order():
    windows = ((0, 6 * H),)
    pauses = [(3 * H, 6 * H), (H, 3 * H)]  # given out of order, meeting at 03:00
    assert without_pauses(windows, pauses) == ((0, H),)


def test_overlapping_windows_cut_by_one_pause_come_back_sorted_by_start():
    windows = ((0, 10 * H), (5 * H, 10 * H))
    assert without_pauses(windows, [(6 * H, 8 * H)]) == ((0, 6 * H), (5 * H, 6 * H), (8 * H, 10 * H), (8 * H, 10 * H))


def test_a_pause_touching_a_window_only_at_its_edges_takes_nothing_from_it():
    windows = ((2 * H, 4 * H),)
    assert without_pauses(windows, [(0, 2 * H), (4 * H, 6 * H)]) == windows
