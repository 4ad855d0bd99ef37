"""CXone's time-zone names ↔ IANA zone ids, both ways, from a data file (data/cxone_zones.json).

A real tenant names zones as Windows does ("Eastern Standard Time": `GET /timezones` → standardName, the business
unit's defaultTimeZone and timeZones[], a skill's timeZoneSettings); the engine works in IANA ids. Each CXone
name stands for one IANA zone (its CLDR "001" zone); an IANA zone reads back to the CXone name whose region it
belongs to, listed first or under "also". Anything not in the table is an UnknownCXoneZone naming the value, so
that a tenant with an unlisted zone fails loudly at sync instead of dialling on a guessed clock.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .zones import UnknownZone, canonical_zone

__all__ = ["UnknownCXoneZone", "cxone_zone_names", "cxone_zone_for", "iana_zone_for"]

DATA = Path(__file__).parent / "data" / "cxone_zones.json"


class UnknownCXoneZone(ValueError):
    """A zone name (CXone's or IANA's) that the table does not map."""


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    to_iana: dict[str, str] = {}
    to_cxone: dict[str, str] = {}
    for row in json.loads(DATA.read_text(encoding="utf-8"))["zones"]:
        name, iana = row["standardName"], canonical_zone(row["iana"])
        to_iana[name.casefold()] = iana
        to_cxone.setdefault(iana, name)
        for other in row.get("also", ()):
            to_cxone.setdefault(canonical_zone(other), name)
    return to_iana, to_cxone


def cxone_zone_names() -> list[str]:
    """Every CXone zone name the table knows, as the data file spells them."""
    return [row["standardName"] for row in json.loads(DATA.read_text(encoding="utf-8"))["zones"]]


def iana_zone_for(cxone_name: str) -> str:
    """ "Eastern Standard Time" → "America/New_York" (case-insensitive)."""
    if not isinstance(cxone_name, str) or not cxone_name.strip():
        raise UnknownCXoneZone(f"expected a CXone zone name, got {cxone_name!r}")
    found = _table()[0].get(cxone_name.strip().casefold())
    if found is None:
        raise UnknownCXoneZone(f"CXone zone {cxone_name!r} is not in the zone table (data/cxone_zones.json)")
    return found


def cxone_zone_for(iana_name: str) -> str:
    """ "America/Chicago" (or "US/Central", or "America/Winnipeg") → "Central Standard Time"."""
    try:
        canonical = canonical_zone(iana_name)
    except UnknownZone as exc:
        raise UnknownCXoneZone(str(exc)) from exc
    found = _table()[1].get(canonical)
    if found is None:
        raise UnknownCXoneZone(f"no CXone zone is known for {iana_name!r} (data/cxone_zones.json)")
    return found
