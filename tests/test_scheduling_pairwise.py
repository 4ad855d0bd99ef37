"""The pairwise reference itself, on a case worked out by hand."""

from campaigns.scheduling.pairwise import pairwise_group


def test_the_pairwise_reference_finds_the_hand_worked_intervals():
    members = {"A": [(9, 17)], "B": [(12, 14)], "C": [(13, 15)]}
    agents = {"A": 6, "B": 6, "C": 6}
    assert pairwise_group(members, agents, 10) == [
        (12, 13, ("A", "B"), 12),
        (13, 14, ("A", "B", "C"), 18),
        (14, 15, ("A", "C"), 12),
    ]
    assert pairwise_group(members) == [
        (12, 13, ("A", "B"), 2),
        (13, 14, ("A", "B", "C"), 3),
        (14, 15, ("A", "C"), 2),
    ]


def test_the_pairwise_reference_merges_a_campaigns_touching_windows():
    assert pairwise_group({"A": [(9, 13), (13, 17)], "B": [(10, 16)]}) == [(10, 16, ("A", "B"), 2)]
