"""A calendar's rules as the editor's lines: "<when>: <name>", read into the stored shape and back."""

from campaigns.scheduling.blackout_lines import parse_lines, rules_text
from campaigns.scheduling.blackouts import parse_rules

TEXT = """\
2026-12-24: Company closure
2026-12-24 to 2027-01-01: Winter closure
25 December observed: Christmas Day
July 4: Independence Day
fourth Thursday of November: US Thanksgiving
last Monday of May: Memorial Day
Easter - 2: Good Friday
Easter + 1: Easter Monday
Easter: Easter Sunday
holidays of us-pa
"""


def test_it_reads_every_kind_of_line():
    entries, errors = parse_lines(TEXT)
    assert errors == []
    assert [entry["kind"] for entry in entries] == [
        "date", "dates", "yearly", "yearly", "weekday", "weekday", "easter", "easter", "easter", "state_holidays",
    ]  # fmt: skip
    assert entries[4] == {"kind": "weekday", "name": "US Thanksgiving", "month": 11, "weekday": 3, "nth": 4}
    assert entries[6]["offset"] == -2
    assert entries[2]["observed"] is True and entries[3]["observed"] is False
    assert entries[9]["name"] == "US-PA legal holidays"


def test_the_lines_it_writes_read_back_to_the_same_rules():
    entries, _ = parse_lines(TEXT)
    again, errors = parse_lines(rules_text(parse_rules(entries)))
    assert errors == []
    assert again == entries


def test_each_wrong_line_is_named_and_blank_and_comment_lines_are_skipped():
    entries, errors = parse_lines(
        "# closures\n\n31 February: Nope\nsecond Funday of May: x\n2026-01-02: ok\nsoon: x"
    )
    assert [entry["name"] for entry in entries] == ["ok"]
    assert errors[0] == "line 3: Nope: February has no day 31"
    assert errors[1].startswith("line 4: “second Funday of May”")
    assert errors[2].startswith("line 6: “soon” is not a day")


def test_a_day_without_a_name_is_refused():
    _, errors = parse_lines("2026-12-24")
    assert errors == ["line 1: each day needs a name (what the planner sees: “US Thanksgiving”)"]
