"""A check's deadline: it expires after its seconds on its clock, never without one, and names what it cut."""

from __future__ import annotations

import pytest

from campaigns.scheduling import CutShort, Deadline


class ManualClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_deadline_expires_once_its_seconds_have_passed_on_its_clock():
    clock = ManualClock()
    deadline = Deadline(2, clock=clock)
    clock.now += 1.5
    assert not deadline.expired
    deadline.check("calling hours")
    clock.now += 0.5
    assert deadline.expired


def test_a_deadline_past_names_the_part_it_cut_short():
    with pytest.raises(CutShort) as cut:
        Deadline(0).check("retry policy")
    assert cut.value.part == "retry policy"


def test_an_unlimited_deadline_never_expires():
    clock = ManualClock()
    deadline = Deadline(None, clock=clock)
    clock.now += 10**9
    assert not deadline.expired and Deadline.unlimited().words() == "no limit"


def test_a_deadline_says_its_budget_in_seconds():
    assert Deadline(2).words() == "2 s" and Deadline(0.5).words() == "0.5 s"
