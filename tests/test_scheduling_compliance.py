"""Calling-hours compliance: every instant of a window inside the allowed hours, in the contact's local time,
on the contact's local date, in every candidate zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns.scheduling import Window, check_compliance, load_rules
from campaigns.scheduling.rules import jurisdiction_zones, parse_jurisdiction

NEW_YORK, CHICAGO = "America/New_York", "America/Chicago"


def window(zone: str, day: date, start: str, minutes: int) -> Window:
    tz = ZoneInfo(zone)
    local_start = datetime.combine(day, time.fromisoformat(start), tzinfo=tz)
    start_utc = local_start.astimezone(UTC)
    end_utc = (
        (local_start.replace(tzinfo=None) + timedelta(minutes=minutes)).replace(tzinfo=tz).astimezone(UTC)
    )
    return Window(start_utc, end_utc, local_start, end_utc.astimezone(tz))


def rules_broken(report):
    return sorted(finding.rule for finding in report.findings)


WEDNESDAY = date(2026, 6, 3)


# ---- every rule of the data file, with a passing and a failing window ----------------------------


def a_working_day_for(rule) -> date:
    """A date inside the rule's effective period on which it allows calls and no holiday falls."""
    day = rule.effective_from or (rule.effective_to - timedelta(days=60) if rule.effective_to else WEDNESDAY)
    while not (rule.applies_on(day) and day.weekday() == 2 and rule.hours_on(day) is not None):
        day += timedelta(days=1)
    return day


def zone_for(rule) -> str:
    jurisdiction = parse_jurisdiction(rule.jurisdiction)
    fallback = ("America/Toronto",) if jurisdiction.country == "CA" else (CHICAGO,)
    return (jurisdiction_zones(jurisdiction) or fallback)[0]


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda rule: rule.id)
def test_every_rule_passes_a_window_that_fills_its_allowed_hours_exactly(rule):
    day = a_working_day_for(rule)
    opens, closes = rule.hours_on(day)
    minutes = (datetime.combine(day, closes) - datetime.combine(day, opens)).seconds // 60
    zone = zone_for(rule)
    report = check_compliance(
        [window(zone, day, opens.isoformat(), minutes)],
        campaign_zone=zone,
        contact_zones=[zone],
        jurisdictions=[rule.jurisdiction],
    )
    assert rule.id not in rules_broken(report)


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda rule: rule.id)
def test_every_rule_fails_a_window_that_starts_half_an_hour_early(rule):
    day = a_working_day_for(rule)
    opens, _ = rule.hours_on(day)
    early = (datetime.combine(day, opens) - timedelta(minutes=30)).time()
    zone = zone_for(rule)
    report = check_compliance(
        [window(zone, day, early.isoformat(), 60)],
        campaign_zone=zone,
        contact_zones=[zone],
        jurisdictions=[rule.jurisdiction],
    )
    [finding] = [f for f in report.findings if f.rule == rule.id]
    assert finding.confidence == rule.confidence
    assert finding.severity == ("warning" if rule.confidence == "low" else "blocking")
    assert finding.source == rule.source
    assert finding.jurisdiction == rule.jurisdiction
    assert finding.window.local_start.time() == early


@pytest.mark.parametrize("rule", load_rules().rules, ids=lambda rule: rule.id)
def test_every_rule_fails_a_window_that_ends_a_minute_late(rule):
    day = a_working_day_for(rule)
    opens, closes = rule.hours_on(day)
    minutes = (datetime.combine(day, closes) - datetime.combine(day, opens)).seconds // 60 + 1
    zone = zone_for(rule)
    report = check_compliance(
        [window(zone, day, opens.isoformat(), minutes)],
        campaign_zone=zone,
        contact_zones=[zone],
        jurisdictions=[rule.jurisdiction],
    )
    assert rule.id in rules_broken(report)


# ---- the rules' particular days ------------------------------------------------------------------


def check(zone, day, start, minutes, jurisdiction, **options):
    return check_compliance(
        [window(zone, day, start, minutes)],
        campaign_zone=zone,
        contact_zones=[zone],
        jurisdictions=[jurisdiction],
        **options,
    )


def test_louisiana_allows_no_calls_on_sunday():
    sunday = date(2026, 6, 7)
    report = check(CHICAGO, sunday, "10:00", 60, "US-LA")
    assert rules_broken(report) == ["us-la"]
    assert "no calls on Sundays" in report.findings[0].message
    assert not report.ok


def test_rhode_island_has_shorter_saturday_hours():
    saturday = date(2026, 6, 6)
    assert check(NEW_YORK, saturday, "10:00", 420, "US-RI").ok
    assert rules_broken(check(NEW_YORK, saturday, "09:30", 60, "US-RI")) == ["us-ri"]


def test_texas_sunday_calls_before_noon_are_a_warning_that_does_not_block():
    sunday = date(2026, 6, 7)
    report = check(CHICAGO, sunday, "11:00", 120, "US-TX")
    assert rules_broken(report) == ["us-tx"]
    assert report.findings[0].severity == "warning"
    assert report.ok
    assert report.warnings == report.findings and report.blocking == []


def test_canada_allows_calls_until_half_past_nine_on_weekdays_only():
    monday, saturday = date(2026, 6, 1), date(2026, 6, 6)
    assert check("America/Toronto", monday, "20:00", 90, "CA-ON").ok
    assert rules_broken(check("America/Toronto", saturday, "17:00", 90, "CA-ON")) == ["ca-crtc"]


@pytest.mark.parametrize(
    ("jurisdiction", "zone", "holiday", "rule"),
    [
        ("US-LA", CHICAGO, date(2026, 2, 17), "us-la"),  # Mardi Gras
        ("US-AL", CHICAGO, date(2026, 4, 27), "us-al"),  # Confederate Memorial Day
        ("US-RI", NEW_YORK, date(2026, 8, 10), "us-ri"),  # Victory Day
        ("US-RI", NEW_YORK, date(2026, 11, 26), "us-ri"),  # Thanksgiving (federal)
        ("US-PA", NEW_YORK, date(2026, 7, 3), "us-pa"),  # Independence Day (observed)
    ],
)
def test_states_that_ban_holidays_flag_a_window_on_one(jurisdiction, zone, holiday, rule):
    report = check(zone, holiday, "10:00", 60, jurisdiction)
    assert rules_broken(report) == [rule]
    assert "no calls on" in report.findings[0].message
    assert rules_broken(check(zone, holiday + timedelta(days=7), "10:00", 60, jurisdiction)) == []


def test_mississippi_no_longer_bans_holidays():
    assert check(CHICAGO, date(2026, 11, 26), "10:00", 60, "US-MS").ok


def test_a_state_rule_applies_only_on_dates_inside_its_effective_period():
    late = ("20:30", 15)
    assert rules_broken(check(NEW_YORK, date(2023, 12, 29), *late, "US-MD")) == []
    assert rules_broken(check(NEW_YORK, date(2024, 1, 2), *late, "US-MD")) == ["us-md"]
    # Florida moved its close from 21:00 to 20:00 on 2021-07-01.
    assert rules_broken(check(NEW_YORK, date(2021, 6, 30), *late, "US-FL")) == []
    assert rules_broken(check(NEW_YORK, date(2021, 7, 1), *late, "US-FL")) == ["us-fl"]


def test_the_part_of_a_window_after_midnight_is_judged_on_the_new_date():
    # 23:30 on New Year's Eve 2023 to 00:30: Maryland's rule starts on 2024-01-01, and federal law bans both.
    report = check(NEW_YORK, date(2023, 12, 31), "23:30", 60, "US-MD")
    assert rules_broken(report) == ["us-federal", "us-md"]


def test_a_window_across_midnight_breaks_the_federal_rule():
    report = check(CHICAGO, WEDNESDAY, "20:00", 300, "US")
    [finding] = report.findings
    assert finding.rule == "us-federal"
    assert finding.window.local_end.date() == WEDNESDAY + timedelta(days=1)


def test_a_window_ending_exactly_at_the_close_is_legal():
    assert check(CHICAGO, WEDNESDAY, "20:00", 60, "US").ok
    assert not check(CHICAGO, WEDNESDAY, "20:00", 61, "US").ok


# ---- zones, jurisdictions and contacts -----------------------------------------------------------


def test_without_jurisdictions_only_the_federal_rule_applies():
    report = check_compliance(
        [window(NEW_YORK, WEDNESDAY, "20:15", 30)], campaign_zone=NEW_YORK, contact_zones=[NEW_YORK]
    )
    assert report.ok and report.findings == []


def test_an_ambiguous_contact_must_be_legal_in_every_candidate_zone():
    # 08:30-12:00 New York is 07:30-11:00 in Chicago: legal for one candidate, not the other.
    early = [window(NEW_YORK, WEDNESDAY, "08:30", 210)]
    assert check_compliance(early, campaign_zone=NEW_YORK, contact_zones=[NEW_YORK]).ok
    report = check_compliance(early, campaign_zone=NEW_YORK, contact_zones=[NEW_YORK, CHICAGO])
    [finding] = report.findings
    assert finding.window.contact_zone == CHICAGO
    assert finding.window.local_start == datetime(2026, 6, 3, 7, 30, tzinfo=ZoneInfo(CHICAGO))
    assert finding.campaign_local_start == datetime(2026, 6, 3, 8, 30, tzinfo=ZoneInfo(NEW_YORK))
    assert check_compliance(
        [window(NEW_YORK, WEDNESDAY, "09:00", 600)], campaign_zone=NEW_YORK, contact_zones=[NEW_YORK, CHICAGO]
    ).ok


def test_a_state_without_contact_zones_is_checked_in_all_of_its_zones():
    # Florida spans New York and Chicago time: 08:00 Eastern is 07:00 in the panhandle.
    report = check_compliance(
        [window(NEW_YORK, WEDNESDAY, "08:00", 120)], campaign_zone=NEW_YORK, jurisdictions=["US-FL"]
    )
    assert {(f.rule, f.window.contact_zone) for f in report.findings} == {
        ("us-federal", CHICAGO),
        ("us-fl", CHICAGO),
    }


def test_a_province_without_contact_zones_is_checked_in_all_of_its_zones():
    # Newfoundland and Labrador: St. John's is half an hour ahead of Goose Bay.
    windows = [window("America/St_Johns", date(2026, 6, 1), "09:00", 60)]
    report = check_compliance(windows, campaign_zone="America/St_Johns", jurisdictions=["CA-NL"])
    [finding] = report.findings
    assert (finding.rule, finding.window.contact_zone) == ("ca-crtc", "America/Goose_Bay")


def test_a_country_without_contact_zones_is_checked_in_the_campaigns_zone():
    windows = [window(CHICAGO, WEDNESDAY, "08:00", 60)]
    assert check_compliance(windows, campaign_zone=CHICAGO).ok
    assert check_compliance(windows, campaign_zone=CHICAGO, jurisdictions=["US"]).ok


def test_an_unknown_contact_zone_is_an_error_never_a_pass():
    windows = [window(CHICAGO, WEDNESDAY, "10:00", 60)]
    report = check_compliance(windows, campaign_zone=CHICAGO, contact_zones=["Etc/Unknown"])
    [finding] = report.findings
    assert finding.rule == "contact-zone-unknown"
    assert finding.severity == "blocking"
    assert not report.ok


def test_legacy_alias_contact_zones_are_accepted():
    report = check_compliance(
        [window(CHICAGO, WEDNESDAY, "07:30", 60)], campaign_zone="US/Central", contact_zones=["US/Central"]
    )
    assert report.findings[0].window.contact_zone == CHICAGO


def test_a_breakdown_checks_each_state_in_its_zones_and_counts_the_contacts_touched():
    breakdown = [
        {"state": "FL", "timezones": [NEW_YORK], "count": 310},
        {"state": "TX", "timezones": [CHICAGO], "count": 200},
        {"state": "OH", "timezones": [NEW_YORK], "count": 50},
        {"state": "ON", "timezones": ["America/Toronto"], "count": 7},
    ]
    # 20:30-21:30 Eastern: past the federal close in FL and OH, past Florida's 20:00; 19:30-20:30 in Texas;
    # legal in Ontario, where the CRTC (not the FCC) allows weekday calls until 21:30.
    windows = [window(NEW_YORK, WEDNESDAY, "20:30", 60)]
    report = check_compliance(windows, campaign_zone=NEW_YORK, breakdown=breakdown)
    affected = {f.rule: f.contacts_affected for f in report.findings}
    assert affected == {"us-federal": 360, "us-fl": 310}


def test_a_breakdown_row_without_zones_uses_its_states_zones():
    breakdown = [{"state": "FL", "timezones": [], "count": 40}]
    report = check_compliance(
        [window(NEW_YORK, WEDNESDAY, "08:00", 60)], campaign_zone=NEW_YORK, breakdown=breakdown
    )
    assert {(f.rule, f.window.contact_zone, f.contacts_affected) for f in report.findings} == {
        ("us-federal", CHICAGO, 40),
        ("us-fl", CHICAGO, 40),
    }


@pytest.mark.parametrize(
    "row, why",
    [
        ({"state": "", "timezones": [], "count": 12}, "their records give neither a state nor a time zone"),
        ({"state": None, "count": 12}, "their records give neither a state nor a time zone"),
        ({"state": "Florida", "timezones": [NEW_YORK], "count": 12}, "state “Florida” is not a US state"),
        ({"state": "XX", "timezones": [], "count": 12}, "state “XX” is not a US state"),
    ],
)
def test_a_row_that_says_nothing_of_where_its_contacts_are_is_an_error_never_a_pass(row, why):
    # 10:00–11:00 in Chicago is legal wherever a contact is: only knowing nowhere blocks it.
    windows = [window(CHICAGO, WEDNESDAY, "10:00", 60)]
    breakdown = [{"state": "TX", "timezones": [CHICAGO], "count": 200}, row]

    report = check_compliance(windows, campaign_zone=CHICAGO, breakdown=breakdown)

    [finding] = report.findings
    assert (finding.rule, finding.severity, finding.contacts_affected) == ("contact-location-unknown", "blocking", 12)
    assert why in finding.message and "no window can be shown to be legal for them" in finding.message
    assert not report.ok


def test_a_row_with_zones_and_no_state_is_checked_in_its_zones():
    # A skill with no calling list: its own zones, no state. 20:30 Eastern breaks the federal close there.
    breakdown = [{"state": "", "timezones": [NEW_YORK], "count": 0}]
    report = check_compliance([window(NEW_YORK, WEDNESDAY, "20:30", 60)], campaign_zone=CHICAGO, breakdown=breakdown)
    assert [(f.rule, f.window.contact_zone) for f in report.findings] == [("us-federal", NEW_YORK)]


def test_the_first_offending_window_is_reported_with_a_count_of_all():
    windows = [
        window(CHICAGO, WEDNESDAY + timedelta(days=d), start, 60)
        for d, start in ((0, "10:00"), (1, "21:30"), (2, "06:00"))
    ]
    [finding] = check_compliance(windows, campaign_zone=CHICAGO).findings
    assert finding.window_start == windows[1].start
    assert finding.windows_affected == 2
    assert "2 of 3 windows affected" in finding.message


# ---- the campaign's own FCC bounds ---------------------------------------------------------------


def test_fcc_bounds_tighter_than_federal_are_honoured():
    windows = [window(CHICAGO, WEDNESDAY, "08:30", 60)]
    rules = [{"type": "FCC_MIN_TIME", "value": "09:00"}, {"type": "FCC_MAX_TIME", "value": "21:00"}]
    report = check_compliance(windows, campaign_zone=CHICAGO, dnc_rules=rules)
    [finding] = report.findings
    assert finding.rule == "campaign-fcc-hours"
    assert not report.ok


def test_fcc_bounds_nested_under_regulatory_are_honoured():
    windows = [window(CHICAGO, WEDNESDAY, "19:30", 60)]
    rules = [{"regulatory": {"type": "FCC_MAX_TIME", "value": "20:00"}}]
    assert rules_broken(check_compliance(windows, campaign_zone=CHICAGO, dnc_rules=rules)) == [
        "campaign-fcc-hours"
    ]


def test_fcc_bounds_looser_than_federal_change_nothing():
    windows = [window(CHICAGO, WEDNESDAY, "07:30", 60)]
    rules = [{"type": "FCC_MIN_TIME", "value": "07:00"}, {"type": "FCC_MAX_TIME", "value": "22:00"}]
    assert rules_broken(check_compliance(windows, campaign_zone=CHICAGO, dnc_rules=rules)) == ["us-federal"]


def test_no_windows_means_nothing_to_report():
    report = check_compliance([], campaign_zone=CHICAGO, jurisdictions=["US-FL"])
    assert report.ok and report.findings == []


def test_findings_serialize_for_storage():
    [finding] = check(CHICAGO, WEDNESDAY, "07:00", 60, "US").findings
    row = finding.to_dict()
    assert row["window_start"] == "2026-06-03T12:00:00Z"
    assert row["local_start"] == "2026-06-03T07:00:00-05:00"
    assert row["severity"] == "blocking" and row["confidence"] == "high"
    assert row["kind"] == "calling_hours" and row["campaign_local_start"] == "2026-06-03T07:00:00-05:00"


# ---- the rules that were missing: Connecticut, Utah, Pennsylvania's holidays --------------------------------

HARTFORD, SALT_LAKE, PHILADELPHIA = NEW_YORK, "America/Denver", NEW_YORK


def test_connecticut_allows_calls_until_20_00_from_1_october_2023():
    assert rules_broken(check(HARTFORD, date(2023, 10, 2), "20:30", 15, "US-CT")) == ["us-ct"]
    assert rules_broken(check(HARTFORD, date(2023, 10, 2), "09:00", 660, "US-CT")) == []


def test_before_1_october_2023_connecticut_had_the_federal_hours_only():
    assert rules_broken(check(HARTFORD, date(2023, 9, 29), "20:30", 15, "US-CT")) == []
    assert rules_broken(check(HARTFORD, date(2023, 9, 29), "08:30", 30, "US-CT")) == []  # 08:30 was fine
    assert rules_broken(check(HARTFORD, date(2023, 10, 2), "08:30", 30, "US-CT")) == ["us-ct"]


def test_a_connecticut_finding_blocks():
    [finding] = check(HARTFORD, date(2026, 6, 3), "20:30", 15, "US-CT").findings
    assert (finding.confidence, finding.severity) == ("medium", "blocking")
    assert finding.source == "Conn. SB 1058 of 2023 (Public Act 23-98), Conn. Gen. Stat. 42-288a"


def test_utah_allows_calls_08_00_to_21_00_on_a_weekday():
    assert check(SALT_LAKE, date(2026, 6, 3), "08:00", 780, "US-UT").ok
    assert rules_broken(check(SALT_LAKE, date(2026, 6, 3), "20:30", 60, "US-UT")) == ["us-federal", "us-ut"]


def test_utah_bans_sunday_calls():
    sunday = date(2026, 6, 7)
    report = check(SALT_LAKE, sunday, "10:00", 60, "US-UT")
    assert rules_broken(report) == ["us-ut"] and not report.ok
    assert "no calls on Sundays" in report.findings[0].message
    assert check(SALT_LAKE, sunday - timedelta(days=1), "10:00", 60, "US-UT").ok  # Saturday is fine


@pytest.mark.parametrize(
    ("holiday", "name"),
    [(date(2027, 1, 1), "New Year's Day"), (date(2026, 7, 24), "Pioneer Day"), (date(2026, 11, 26), "Thanksgiving")],
)
def test_utah_bans_calls_on_a_legal_holiday(holiday, name):
    report = check(SALT_LAKE, holiday, "10:00", 60, "US-UT")
    assert rules_broken(report) == ["us-ut"]
    assert f"no calls on legal holidays ({name}" in report.findings[0].message


@pytest.mark.parametrize(
    ("holiday", "name"),
    [
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 6, 15), "Flag Day (observed)"),
        (date(2026, 11, 3), "Election Day"),
    ],
)
def test_pennsylvania_bans_the_legal_holidays_its_statute_lists(holiday, name):
    report = check(PHILADELPHIA, holiday, "10:00", 60, "US-PA")
    assert rules_broken(report) == ["us-pa"] and not report.ok  # medium confidence: it blocks
    assert f"({name})" in report.findings[0].message


def test_pennsylvanias_holiday_ban_starts_with_act_73_of_2019():
    # Good Friday 2019 (19 April) was before 3 December 2019; Good Friday 2020 (10 April) after.
    assert check(PHILADELPHIA, date(2019, 4, 19), "10:00", 60, "US-PA").ok
    assert rules_broken(check(PHILADELPHIA, date(2020, 4, 10), "10:00", 60, "US-PA")) == ["us-pa"]


def test_a_schedule_across_a_rules_start_date_breaks_from_that_date_and_says_so():
    # Every evening at 20:30 from 28 September 2023: Connecticut's 20:00 close takes effect on 1 October.
    windows = [window(HARTFORD, date(2023, 9, 28) + timedelta(days=n), "20:30", 15) for n in range(7)]
    report = check_compliance(windows, campaign_zone=HARTFORD, contact_zones=[HARTFORD], jurisdictions=["US-CT"])
    [finding] = report.findings
    assert finding.rule == "us-ct"
    assert finding.window_start == windows[3].start  # 1 October, not 28 September
    assert finding.windows_affected == 4
    assert "The rule takes effect on 2023-10-01: windows before then are not affected" in finding.message


def test_a_schedule_that_starts_after_a_rules_start_date_does_not_mention_it():
    [finding] = check(HARTFORD, date(2026, 6, 3), "20:30", 15, "US-CT").findings
    assert "takes effect" not in finding.message
