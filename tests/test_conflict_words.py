"""Conflicts in planners' words: names for pools, lists and campaigns, one sentence per line."""

import pytest

from campaigns.services.drafts.checks.conflict_words import NameBook, hours_text, lines
from tests.conftest import make_campaign

pytestmark = pytest.mark.django_db


def line(**fields) -> dict:
    values = {
        "kind": "capacity", "key": "S-10", "campaigns": ["C-1", "C-2"], "hours_added": 36.0,
        "hours_removed": 0.0, "peak_demand": 25, "capacity": 20, "pattern": "Tue–Thu 14:00–17:00 EST",
        "pattern_share": 0.8,
    }  # fmt: skip
    return {**values, **fields}


def test_a_capacity_line_names_the_pool_the_hours_and_when_mostly(pool):
    make_campaign("C-1", pool=pool, name="Renewals East")
    make_campaign("C-2", pool=pool, name="Win-back")

    [result] = lines([line()], own="C-1")

    assert result.sentence == "Adds 36 h of overload in pool Renewals, mostly Tue–Thu 14:00–17:00 EST"
    assert result.detail == "up to 25 agents needed, 20 available"
    assert [(name, cid) for name, _, cid in result.others] == [("Win-back", "C-2")]  # not the draft's own
    assert result.subject_ref == "S-10"


def test_a_contact_list_is_named_and_relieved_hours_are_said_as_relief(pool):
    make_campaign(
        "C-1", pool=pool, name="Renewals East", contact_list_id="L-72", contact_list_name="Renewals list 2"
    )

    [result] = lines(
        [line(kind="contact_list", key="L-72", hours_added=0.5, hours_removed=2.0, pattern_share=1.0)],
        relieves=True,
    )

    assert result.sentence == (
        "Relieves 1.5 h of dialling the same contacts on list Renewals list 2, on Tue–Thu 14:00–17:00 EST"
    )


def test_unknown_ids_are_shown_as_they_are(db):
    [result] = lines([line(key="S-GONE", campaigns=["C-GONE"], pattern="")], book=NameBook())

    assert result.sentence == "Adds 36 h of overload in pool S-GONE"
    assert result.others == [("C-GONE", None, "C-GONE")]


@pytest.mark.parametrize(
    ("hours", "text"), [(36.0, "36 h"), (1.5, "1.5 h"), (0.5, "30 min"), (2.25, "2.2 h")]
)
def test_hours_read_plainly(hours, text):
    assert hours_text(hours) == text


def test_a_worse_line_says_the_net_hours_and_a_moved_clash_its_new_hours(pool):
    [grown, moved] = lines(
        [line(hours_added=10.0, hours_removed=4.0), line(hours_added=3.0, hours_removed=3.0)]
    )

    assert grown.sentence.startswith("Adds 6 h of overload")
    assert moved.sentence.startswith("Adds 3 h of overload")


def test_a_relieved_line_says_whether_the_peak_is_what_remains_or_what_there_was(pool):
    [partly, wholly] = lines(
        [line(hours_added=2.0, hours_removed=10.0), line(hours_added=0.0, hours_removed=10.0)], relieves=True
    )

    assert partly.detail == "where it remains, up to 25 agents needed, 20 available"
    assert wholly.detail == "up to 25 agents were needed, 20 available"


def test_the_book_reads_only_the_names_the_conflicts_mention(pool, django_assert_max_num_queries):
    for n in range(5):
        make_campaign(
            f"C-{n}", pool=pool, name=f"Campaign {n}", contact_list_id=f"L-{n}", contact_list_name=f"List {n}"
        )
    book = NameBook()

    with django_assert_max_num_queries(2):
        lines(
            [line(campaigns=["C-1", "C-2"]), line(kind="contact_list", key="L-3", campaigns=["C-3"])],
            book=book,
        )

    assert set(book.campaigns) == {"C-1", "C-2", "C-3"} and book.lists == {"L-3": "List 3"}


def test_names_read_once_are_not_read_again_for_the_next_report(pool, django_assert_num_queries):
    make_campaign("C-1", pool=pool, name="Renewals East")
    book = NameBook()
    lines([line(campaigns=["C-1", "C-GONE"])], book=book)  # one it knows, one it does not

    with django_assert_num_queries(0):
        [result] = lines([line(campaigns=["C-1", "C-GONE"])], book=book)
    assert [name for name, _, _ in result.others] == ["C-GONE", "Renewals East"]
