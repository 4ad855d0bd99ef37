"""The rules data file: every rule of calling-hours.md, with source, effective dates and confidence."""

import json
from datetime import date, time
from importlib import resources

import pytest

from campaigns.scheduling.rules import (
    Jurisdiction,
    RulesFileError,
    all_jurisdiction_zones,
    jurisdiction_for_state,
    jurisdiction_zones,
    load_rules,
    parse_jurisdiction,
    parse_rules,
)


def hours(text):
    if text is None:
        return None
    opens, closes = text.split("-")
    return time.fromisoformat(opens), time.fromisoformat(closes)


# The table of calling-hours.md: id, jurisdiction, Mon-Fri, Sat, Sun, holiday calendar, from, to, confidence.
DOC_TABLE = [
    ("us-federal", "US", "08:00-21:00", "08:00-21:00", "08:00-21:00", None, None, None, "high"),
    ("us-fl", "US-FL", "08:00-20:00", "08:00-20:00", "08:00-20:00", None, date(2021, 7, 1), None, "high"),
    (
        "us-fl-before-2021",
        "US-FL",
        "08:00-21:00",
        "08:00-21:00",
        "08:00-21:00",
        None,
        None,
        date(2021, 6, 30),
        "high",
    ),
    ("us-ok", "US-OK", "08:00-20:00", "08:00-20:00", "08:00-20:00", None, date(2022, 11, 1), None, "medium"),
    ("us-md", "US-MD", "08:00-20:00", "08:00-20:00", "08:00-20:00", None, date(2024, 1, 1), None, "high"),
    ("us-wa", "US-WA", "08:00-20:00", "08:00-20:00", "08:00-20:00", None, None, None, "high"),
    ("us-la", "US-LA", "08:00-20:00", "08:00-20:00", None, "LA", None, None, "high"),
    ("us-al", "US-AL", "08:00-20:00", "08:00-20:00", None, "AL", None, None, "medium"),
    ("us-ms", "US-MS", "08:00-20:00", "08:00-20:00", None, None, None, None, "medium"),
    ("us-ri", "US-RI", "09:00-18:00", "10:00-17:00", None, "RI", None, None, "high"),
    ("us-tx", "US-TX", "09:00-21:00", "09:00-21:00", "12:00-21:00", None, None, None, "low"),
    ("us-pa", "US-PA", "08:00-21:00", "08:00-21:00", "08:00-21:00", "PA", date(2019, 12, 3), None, "medium"),
    ("us-ct", "US-CT", "09:00-20:00", "09:00-20:00", "09:00-20:00", None, date(2023, 10, 1), None, "medium"),
    ("us-ut", "US-UT", "08:00-21:00", "08:00-21:00", None, "UT", None, None, "high"),
    ("ca-crtc", "CA", "09:00-21:30", "10:00-18:00", "10:00-18:00", None, None, None, "high"),
]


def test_the_file_is_versioned():
    raw = json.loads(
        resources.files("campaigns.scheduling").joinpath("data/calling_hours_rules.json").read_text()
    )
    assert raw["version"] == load_rules().version
    assert load_rules().version


def test_it_ships_exactly_the_rules_of_the_design_table():
    assert sorted(rule.id for rule in load_rules().rules) == sorted(row[0] for row in DOC_TABLE)


@pytest.mark.parametrize("row", DOC_TABLE, ids=[row[0] for row in DOC_TABLE])
def test_each_rule_matches_the_design_table(row):
    rule_id, jurisdiction, weekdays, saturday, sunday, holiday_subdiv, starts, ends, confidence = row
    rule = load_rules().rule(rule_id)
    assert rule.jurisdiction == jurisdiction
    assert rule.hours == (hours(weekdays), hours(saturday), hours(sunday))
    assert (rule.holidays.subdiv if rule.holidays else None) == holiday_subdiv
    assert (rule.effective_from, rule.effective_to) == (starts, ends)
    assert rule.confidence == confidence
    assert rule.source and rule.title


def test_low_confidence_rules_are_warnings_and_the_rest_block():
    rules = load_rules()
    assert rules.rule("us-tx").severity == "warning"
    assert rules.rule("us-pa").severity == "blocking"  # medium confidence since Act 73 of 2019 was read
    assert rules.rule("us-ok").severity == "blocking"  # medium confidence still blocks
    assert rules.rule("us-federal").severity == "blocking"


def test_the_rules_file_has_a_version_of_its_own():
    assert load_rules().version == "2026.2"


def test_it_ships_the_frequency_limits():
    limits = {limit.id: limit for limit in load_rules().frequency_limits}
    assert {(lim.jurisdiction, lim.max_calls, lim.period_hours) for lim in limits.values()} == {
        ("US-FL", 3, 24),
        ("US-OK", 3, 24),
        ("US-MD", 3, 24),
        ("US", 7, 168),
    }
    assert limits["us-reg-f"].scope == "debt_collection"


def test_a_rule_applies_only_inside_its_effective_period():
    florida = load_rules().rule("us-fl")
    assert not florida.applies_on(date(2021, 6, 30))
    assert florida.applies_on(date(2021, 7, 1))
    before = load_rules().rule("us-fl-before-2021")
    assert before.applies_on(date(2021, 6, 30)) and not before.applies_on(date(2021, 7, 1))


def test_a_holiday_closes_the_day_for_a_rule_that_bans_holidays():
    louisiana = load_rules().rule("us-la")
    mardi_gras = date(2026, 2, 17)
    assert louisiana.hours_on(mardi_gras) is None
    assert louisiana.explain_day(mardi_gras) == "no calls on state holidays (Mardi Gras)"
    assert louisiana.hours_on(date(2026, 2, 18)) == (time(8), time(20))
    assert load_rules().rule("us-ms").hours_on(date(2026, 11, 26)) == (time(8), time(20))  # Thanksgiving


def test_us_jurisdictions_add_their_state_rules_to_the_federal_one():
    rules = load_rules()
    assert [r.id for r in rules.rules_for(parse_jurisdiction("US"))] == ["us-federal"]
    assert [r.id for r in rules.rules_for(parse_jurisdiction("US-RI"))] == ["us-federal", "us-ri"]
    assert [r.id for r in rules.rules_for(parse_jurisdiction("US-CA"))] == ["us-federal"]  # California
    assert [r.id for r in rules.rules_for(parse_jurisdiction("CA-NL"))] == ["ca-crtc"]  # Canada


@pytest.mark.parametrize("code", ["US", "us-fl", "CA", "CA-NL", " US-TX "])
def test_it_parses_iso_jurisdiction_codes(code):
    assert parse_jurisdiction(code).code == code.strip().upper()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("MX", "'MX' is not a supported jurisdiction"),
        ("US-ZZ", "ZZ is not a US state"),
        ("CA-XX", "XX is not a Canadian province"),
        ("", "a jurisdiction is required"),
    ],
)
def test_it_rejects_unknown_jurisdictions(code, message):
    with pytest.raises(ValueError, match=message):
        parse_jurisdiction(code)


def test_breakdown_states_map_to_us_states_or_canadian_provinces():
    assert jurisdiction_for_state("FL") == Jurisdiction("US", "FL")
    assert jurisdiction_for_state("ON") == Jurisdiction("CA", "ON")
    assert jurisdiction_for_state("us-tx") == Jurisdiction("US", "TX")
    assert jurisdiction_for_state("ZZ") is None
    assert jurisdiction_for_state(None) is None


def test_states_and_provinces_map_to_their_zones():
    assert jurisdiction_zones(Jurisdiction("US", "FL")) == ("America/New_York", "America/Chicago")
    assert jurisdiction_zones(Jurisdiction("CA", "NL")) == ("America/St_Johns", "America/Goose_Bay")
    assert jurisdiction_zones(Jurisdiction("US")) == ()
    zones = all_jurisdiction_zones()
    assert len([code for code in zones if code.startswith("US-")]) >= 51  # 50 states and DC
    assert len([code for code in zones if code.startswith("CA-")]) == 13


def test_a_malformed_rules_file_is_rejected_naming_the_entry():
    raw = json.loads(
        resources.files("campaigns.scheduling").joinpath("data/calling_hours_rules.json").read_text()
    )
    broken = json.loads(json.dumps(raw))
    broken["rules"][1]["hours"]["sat"] = ["20:00", "08:00"]
    with pytest.raises(
        RulesFileError, match=r"rules\[1\] \(us-fl\) sat: opens at 20:00:00 but closes at 08:00:00"
    ):
        parse_rules(broken)
    broken = json.loads(json.dumps(raw))
    broken["rules"][0]["confidence"] = "certain"
    with pytest.raises(RulesFileError, match="confidence must be one of high, medium, low"):
        parse_rules(broken)
    broken = json.loads(json.dumps(raw))
    broken["rules"].append(broken["rules"][0])
    with pytest.raises(RulesFileError, match="duplicate rule ids: us-federal"):
        parse_rules(broken)
    with pytest.raises(RulesFileError, match="needs a version"):
        parse_rules({"rules": []})


def test_a_frequency_limit_applies_only_inside_its_effective_period_as_a_rule_does():
    from campaigns.scheduling.rules import EffectivePeriod, FrequencyLimit, Rule

    limit = FrequencyLimit(
        id="x",
        jurisdiction="US-FL",
        title="t",
        source="s",
        confidence="high",
        max_calls=3,
        period_hours=24,
        scope="telephone_solicitation",
        effective_from=date(2021, 7, 1),
        effective_to=date(2021, 12, 31),
    )
    assert [limit.applies_on(date(2021, m, d)) for m, d in ((6, 30), (7, 1), (12, 31))] == [False, True, True]
    assert not limit.applies_on(date(2022, 1, 1))
    assert issubclass(Rule, EffectivePeriod) and issubclass(FrequencyLimit, EffectivePeriod)


# ---- holidays the statutes list that the holidays package lacks (or lists wrongly) -----------------------


def holiday(rule_id: str, day: date) -> str | None:
    return load_rules().rule(rule_id).holidays.holiday_name(day)


@pytest.mark.parametrize(
    ("rule_id", "day", "name"),
    [
        ("us-pa", date(2026, 4, 3), "Good Friday"),
        ("us-pa", date(2027, 3, 26), "Good Friday"),
        ("us-pa", date(2026, 6, 14), "Flag Day"),
        ("us-pa", date(2026, 6, 15), "Flag Day (observed)"),  # 14 June 2026 is a Sunday
        ("us-pa", date(2026, 11, 3), "Election Day"),
        ("us-pa", date(2027, 11, 2), "Election Day"),  # a municipal election: every November
        ("us-al", date(2026, 2, 17), "Mardi Gras"),
        ("us-ri", date(2026, 5, 4), "Rhode Island Independence Day"),
        ("us-ri", date(2025, 5, 5), "Rhode Island Independence Day (observed)"),  # 4 May 2025 is a Sunday
        ("us-ri", date(2026, 11, 3), "Election Day"),
    ],
)
def test_each_added_holiday_closes_its_day(rule_id, day, name):
    assert holiday(rule_id, day) == name
    assert load_rules().rule(rule_id).hours_on(day) is None


@pytest.mark.parametrize(
    ("rule_id", "day"),
    [
        ("us-pa", date(2026, 6, 19)),  # Juneteenth: observed in Pennsylvania, not a legal holiday there
        ("us-pa", date(2027, 6, 18)),  # nor its observed Friday
        ("us-pa", date(2026, 11, 27)),  # the day after Thanksgiving: a state employees' day off only
        ("us-pa", date(2026, 6, 16)),  # a Tuesday after Flag Day's observed Monday
        ("us-ri", date(2027, 11, 2)),  # no general election of state officers in an odd year
        ("us-pa", date(2026, 4, 2)),
    ],
)
def test_days_the_statute_does_not_list_stay_open(rule_id, day):
    assert holiday(rule_id, day) is None
    assert load_rules().rule(rule_id).hours_on(day) is not None


def test_the_package_days_the_statute_lists_stay_closed():
    assert holiday("us-pa", date(2026, 11, 26)) == "Thanksgiving Day"
    assert holiday("us-ut", date(2026, 7, 24)) == "Pioneer Day"
    assert holiday("us-ut", date(2026, 1, 1)) == "New Year's Day"


def test_easter_is_the_western_one():
    from campaigns.scheduling.holiday_days import easter_sunday

    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2027, 2038)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),
    ]


def test_a_malformed_added_or_removed_holiday_is_rejected_naming_the_rule():
    raw = json.loads(
        resources.files("campaigns.scheduling").joinpath("data/calling_hours_rules.json").read_text()
    )
    index = [rule["id"] for rule in raw["rules"]].index("us-pa")
    broken = json.loads(json.dumps(raw))
    broken["rules"][index]["holidays"]["add"][0]["on"] = "the third Friday"
    with pytest.raises(RulesFileError, match=r"\(us-pa\) holidays.add: Good Friday: on must be MM-DD"):
        parse_rules(broken)
    broken = json.loads(json.dumps(raw))
    broken["rules"][index]["holidays"]["add"][1]["on"] = "02-30"
    with pytest.raises(RulesFileError, match="'02-30' is not a day of the year"):
        parse_rules(broken)
    broken = json.loads(json.dumps(raw))
    broken["rules"][index]["holidays"]["remove"] = ["Juneteenth"]
    with pytest.raises(RulesFileError, match="each removed day needs a name"):
        parse_rules(broken)
    broken = json.loads(json.dumps(raw))
    broken["frequency_limits"][0]["scope"] = "charity"
    with pytest.raises(RulesFileError, match="scope must be one of"):
        parse_rules(broken)
