"""Zones: IANA names only, legacy aliases named canonically, typo suggestions, wall clock → UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.scheduling.zones import (
    UnknownZone,
    canonical_zone,
    is_ambiguous,
    is_in_gap,
    localize,
    suggest_zones,
    zone_error,
)

CHICAGO = ZoneInfo("America/Chicago")


def test_it_accepts_a_canonical_zone_as_it_is():
    assert canonical_zone("America/Chicago") == "America/Chicago"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("US/Central", "America/Chicago"),
        ("US/Eastern", "America/New_York"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Canada/Newfoundland", "America/St_Johns"),
        ("UTC", "Etc/UTC"),
    ],
)
def test_it_names_legacy_aliases_canonically(alias, canonical):
    assert canonical_zone(alias) == canonical
    assert zone_error(alias) is None


def test_it_keeps_zone_tab_names_that_the_database_links_elsewhere():
    # tzdb links Europe/Amsterdam to Europe/Brussels, but planners know it as Amsterdam.
    assert canonical_zone("Europe/Amsterdam") == "Europe/Amsterdam"


def test_it_suggests_the_zone_a_typo_meant():
    assert suggest_zones("America/Chicgo") == ["America/Chicago"]
    assert (
        zone_error("America/Chicgo")
        == "'America/Chicgo' is not an IANA time zone; did you mean America/Chicago?"
    )


def test_it_suggests_the_right_case_and_a_city_alone():
    assert suggest_zones("america/chicago") == ["America/Chicago"]
    assert suggest_zones("Chicago") == ["America/Chicago"]
    assert suggest_zones("America/New York") == ["America/New_York"]


def test_it_rejects_an_unknown_zone_with_its_suggestions():
    with pytest.raises(UnknownZone) as caught:
        canonical_zone("Europe/Londn")
    assert caught.value.suggestions == ["Europe/London"]
    assert "did you mean Europe/London?" in str(caught.value)


def test_it_offers_nothing_for_gibberish():
    assert zone_error("Nowhere/Atall") == "'Nowhere/Atall' is not an IANA time zone"


def test_it_treats_etc_unknown_as_an_error_never_a_zone():
    assert zone_error("Etc/Unknown") == "Etc/Unknown is not a time zone: the contact's location is unknown"
    with pytest.raises(UnknownZone):
        canonical_zone("Etc/Unknown")


def test_it_requires_a_name():
    assert zone_error("") is not None
    assert zone_error(None) is not None


def test_localize_maps_an_ordinary_wall_time_to_its_instant():
    assert localize(datetime(2026, 1, 15, 9, 0), CHICAGO) == datetime(2026, 1, 15, 15, 0, tzinfo=UTC)


def test_localize_maps_a_time_in_the_spring_gap_to_the_first_instant_after_it():
    # 02:30 does not exist on 2026-03-08 in Chicago; clocks jump from 02:00 CST to 03:00 CDT (08:00 UTC).
    assert is_in_gap(datetime(2026, 3, 8, 2, 30), CHICAGO)
    assert localize(datetime(2026, 3, 8, 2, 30), CHICAGO) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


def test_localize_maps_an_ambiguous_time_to_its_first_occurrence():
    # 01:30 happens twice on 2026-11-01 in Chicago; the first is CDT (UTC-5).
    assert is_ambiguous(datetime(2026, 11, 1, 1, 30), CHICAGO)
    assert localize(datetime(2026, 11, 1, 1, 30), CHICAGO) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_a_gap_time_is_not_called_ambiguous():
    assert not is_ambiguous(datetime(2026, 3, 8, 2, 30), CHICAGO)
    assert not is_in_gap(datetime(2026, 11, 1, 1, 30), CHICAGO)


def test_localize_handles_a_half_hour_zone_gap():
    st_johns = ZoneInfo("America/St_Johns")
    # Clocks jump 02:00 NST (UTC-3:30) → 03:00 NDT on 2026-03-08: the gap ends at 05:30 UTC.
    assert localize(datetime(2026, 3, 8, 2, 15), st_johns) == datetime(2026, 3, 8, 5, 30, tzinfo=UTC)


def test_an_exact_zone_match_is_cached_as_a_tuple_like_every_other_suggestion():
    from campaigns.scheduling.zones import _suggest_zones

    assert _suggest_zones("america/chicago", 3) == ("America/Chicago",)
    assert _suggest_zones("America/Chicgo", 3) == ("America/Chicago",)
    assert suggest_zones("america/chicago") == ["America/Chicago"]


def test_the_instant_the_offset_changes_is_found_to_the_second():
    from campaigns.scheduling.zones import transition_between

    spring = int(datetime(2026, 3, 8, 8, tzinfo=UTC).timestamp())
    fall = int(datetime(2026, 11, 1, 7, tzinfo=UTC).timestamp())
    assert transition_between(CHICAGO, spring - 3 * 3600, spring + 3 * 3600) == spring
    assert transition_between(CHICAGO, fall - 1, fall) == fall
    st_johns = ZoneInfo("America/St_Johns")
    half_hour = int(datetime(2026, 3, 8, 5, 30, tzinfo=UTC).timestamp())
    assert transition_between(st_johns, half_hour - 7, half_hour + 10_000) == half_hour


def test_display_falls_back_to_utc_for_an_empty_or_unknown_zone_and_resolves_aliases():
    from campaigns.scheduling import zone_or_utc

    assert str(zone_or_utc("US/Central")) == "America/Chicago"
    assert str(zone_or_utc("Mars/Olympus")) == "UTC"
    assert str(zone_or_utc("")) == "UTC"
    assert str(zone_or_utc(None)) == "UTC"
