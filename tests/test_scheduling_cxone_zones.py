"""CXone's zone names ↔ IANA ids: the table read both ways."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.scheduling.cxone_zones import UnknownCXoneZone, cxone_zone_for, cxone_zone_names, iana_zone_for
from campaigns.scheduling.zones import canonical_zone, get_zone


def test_a_cxone_name_reads_as_its_iana_zone_whatever_its_case():
    assert iana_zone_for("Eastern Standard Time") == "America/New_York"
    assert iana_zone_for("central standard time") == "America/Chicago"
    assert iana_zone_for("US Mountain Standard Time") == "America/Phoenix"


def test_an_iana_zone_reads_back_as_its_cxone_name_aliases_and_region_members_included():
    assert cxone_zone_for("America/New_York") == "Eastern Standard Time"
    assert cxone_zone_for("US/Central") == "Central Standard Time"
    assert cxone_zone_for("America/Detroit") == "Eastern Standard Time"
    assert cxone_zone_for("Europe/Amsterdam") == "W. Europe Standard Time"


def test_every_cxone_name_round_trips_and_stands_for_a_canonical_zone():
    names = cxone_zone_names()
    assert len(names) == len(set(names)) > 50
    for name in names:
        iana = iana_zone_for(name)
        assert canonical_zone(iana) == iana
        assert cxone_zone_for(iana) == name


def test_names_that_say_standard_time_keep_the_offset_their_zone_has_in_january():
    # A sanity check of the data: "Eastern" is UTC-5 in January, "India" +5:30, "AUS Eastern" +11 (summer).
    january = datetime(2026, 1, 15, 12, tzinfo=UTC)
    offsets = {name: january.astimezone(get_zone(iana_zone_for(name))).utcoffset().total_seconds() / 3600
               for name in ("Eastern Standard Time", "India Standard Time", "AUS Eastern Standard Time")}  # fmt: skip
    assert offsets == {
        "Eastern Standard Time": -5,
        "India Standard Time": 5.5,
        "AUS Eastern Standard Time": 11,
    }


@pytest.mark.parametrize("name", ["Mars Standard Time", "", None])
def test_it_refuses_a_cxone_name_the_table_does_not_know(name):
    with pytest.raises(UnknownCXoneZone):
        iana_zone_for(name)


@pytest.mark.parametrize("name", ["Antarctica/Troll", "Not/A_Zone"])
def test_it_refuses_an_iana_zone_without_a_cxone_name(name):
    with pytest.raises(UnknownCXoneZone):
        cxone_zone_for(name)
