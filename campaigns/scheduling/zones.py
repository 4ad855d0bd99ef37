"""Time zones: IANA names only, legacy aliases named canonically, typo suggestions, and wall-clock → UTC.

Every instant the engine compares is a UTC instant; local wall-clock values are only for input and display.
`localize` turns a local wall-clock value into a UTC instant with the engine's DST policy:
a wall-clock time inside a spring-forward gap maps to the first instant after the gap, and an ambiguous one
(fall-back) maps to its first occurrence.
"""

from __future__ import annotations

import difflib
import importlib.resources
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "UnknownZone",
    "canonical_zone",
    "get_zone",
    "is_second_occurrence",
    "localize",
    "suggest_zones",
    "transition_between",
    "zone_error",
]

_UNKNOWN = "Etc/Unknown"
MAX_ZONE_NAME = 64


class UnknownZone(ValueError):
    """A zone name that is not in the IANA database; `suggestions` holds close valid names."""

    def __init__(self, name: str, suggestions: list[str], message: str):
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions
        self.message = message


def _tzdata_text(filename: str) -> str:
    try:
        return importlib.resources.files("tzdata.zoneinfo").joinpath(filename).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - tzdata is a dependency
        return ""


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(name for name in available_timezones() if name not in {"Factory", "localtime"})


@cache
def _links() -> dict[str, str]:
    """Alias → target for every `L target alias` line of the tz database shipped with tzdata."""
    links: dict[str, str] = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            links[alias] = target
    return links


@cache
def _listed_zones() -> frozenset[str]:
    """Zones named in zone.tab / zone1970.tab: the names planners know, kept as they are."""
    listed: set[str] = set()
    for filename in ("zone.tab", "zone1970.tab"):
        for line in _tzdata_text(filename).splitlines():
            if line and not line.startswith("#"):
                parts = line.split("\t")
                if len(parts) >= 3:
                    listed.add(parts[2])
    return frozenset(listed)


@cache
def _lower_index() -> dict[str, str]:
    return {name.lower(): name for name in _zone_names()}


def suggest_zones(name: str, limit: int = 3) -> list[str]:
    """Close valid zone names for a typo ("America/Chicgo" → ["America/Chicago"])."""
    return list(_suggest_zones(name, limit))


# The fuzzy search scans every zone name (~25 ms): the editor asks again for the same typo on every keystroke.
@lru_cache(maxsize=256)
def _suggest_zones(name: str, limit: int) -> tuple[str, ...]:
    lowered = name.strip().lower()
    index = _lower_index()
    if lowered in index:
        return (index[lowered],)
    scored = sorted(
        ((difflib.SequenceMatcher(None, lowered, key).ratio(), key) for key in index), reverse=True
    )
    best = scored[0][0] if scored else 0.0
    matches = [key for ratio, key in scored[:limit] if ratio >= 0.8 and ratio >= best - 0.05]
    if not matches:
        # Try the city alone against the cities of every region ("Chicgo" → America/Chicago).
        city = lowered.rsplit("/", 1)[-1].replace(" ", "_")
        by_city: dict[str, list[str]] = {}
        for key in index:
            by_city.setdefault(key.rsplit("/", 1)[-1], []).append(key)
        for hit in difflib.get_close_matches(city, list(by_city), n=limit, cutoff=0.8):
            matches.extend(by_city[hit])
    seen: list[str] = []
    for match in matches:
        canonical = index[match]
        if canonical not in seen:
            seen.append(canonical)
    return tuple(seen[:limit])


# Names in the tz database that are not places: fixed offsets (EST is UTC−5 all year, never EDT) and the old
# POSIX-style rule sets. People who type them mean a place; calling hours are the law of a place. Each is refused
# with the zone of the place meant.
LEGACY_ZONES = {
    "EST": ("America/New_York",), "EST5EDT": ("America/New_York",), "CST6CDT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"), "MST7MDT": ("America/Denver",),
    "PST8PDT": ("America/Los_Angeles",), "HST": ("Pacific/Honolulu",), "WET": ("Europe/Lisbon",),
    "CET": ("Europe/Paris",), "MET": ("Europe/Paris",), "EET": ("Europe/Athens",),
}  # fmt: skip


def _legacy_error(name: str) -> str | None:
    if name in LEGACY_ZONES:
        places = " or ".join(LEGACY_ZONES[name])
        return f"'{name}' is a legacy name, not a place (a fixed offset or an old rule set); enter {places}"
    if name.startswith("Etc/GMT") and name[len("Etc/GMT") :] not in ("", "0", "+0", "-0"):
        return (
            f"'{name}' is a fixed UTC offset, not a place (no daylight saving time); enter the zone of the "
            "place, such as America/Chicago"
        )
    return None


def zone_error(name: object) -> str | None:
    """The message for an unusable zone name, or None when the name is a valid IANA zone."""
    if not isinstance(name, str) or not name.strip():
        return "a time zone is required (an IANA name such as America/Chicago)"
    if name == _UNKNOWN:
        return "Etc/Unknown is not a time zone: the contact's location is unknown"
    if len(name) > MAX_ZONE_NAME:  # no zone is this long; and the typo search would take its time
        return f"'{name[:40]}…' is not an IANA time zone (names have at most {MAX_ZONE_NAME} characters)"
    legacy = _legacy_error(name)
    if legacy:
        return legacy
    if name in _zone_names():
        return None
    suggestions = suggest_zones(name)
    message = f"'{name}' is not an IANA time zone"
    if suggestions:
        message += "; did you mean " + " or ".join(suggestions) + "?"
    return message


@lru_cache(maxsize=1024)
def canonical_zone(name: str) -> str:
    """The canonical IANA name of a zone: legacy aliases resolve ("US/Central" → "America/Chicago").

    Names listed in zone.tab (Europe/Amsterdam, America/Atikokan) are kept even where the database now links
    them to another zone, because those are the names planners know. Raises UnknownZone for anything else.
    """
    message = zone_error(name)
    if message is not None:
        suggestions = list(LEGACY_ZONES.get(name, ())) or (
            suggest_zones(name) if isinstance(name, str) and len(name) <= MAX_ZONE_NAME else []
        )
        raise UnknownZone(str(name), suggestions, message)
    if name in _listed_zones():
        return name
    links = _links()
    current = name
    for _ in range(8):  # links never chain deeply; the bound guards against a malformed file
        if current not in links:
            break
        current = links[current]
    return current


def zone_or_utc(name: object) -> ZoneInfo:
    """The zone for display, or UTC when the name is empty or unknown (a page must show a time, not fail)."""
    try:
        return get_zone(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except UnknownZone:
        return ZoneInfo("UTC")


@lru_cache(maxsize=1024)
def get_zone(name: str) -> ZoneInfo:
    """The ZoneInfo of a valid zone name (aliases accepted); raises UnknownZone otherwise."""
    canonical = canonical_zone(name)
    try:
        return ZoneInfo(canonical)
    except ZoneInfoNotFoundError as exc:  # pragma: no cover - canonical_zone already checked the name
        raise UnknownZone(name, [], f"'{name}' is not an IANA time zone") from exc


def _offset_at(ts: float, zone: ZoneInfo) -> timedelta:
    return datetime.fromtimestamp(ts, zone).utcoffset() or timedelta(0)


def transition_between(zone: ZoneInfo, before_ts: int, after_ts: int) -> int:
    """The UTC second (epoch) at which the zone's offset changes, by bisection between two instants whose
    offsets differ (`before_ts` < `after_ts`, with one transition between them): the first second after
    `before_ts` that no longer has its offset."""
    offset = _offset_at(before_ts, zone)
    while after_ts - before_ts > 1:
        middle = (before_ts + after_ts) // 2
        if _offset_at(middle, zone) == offset:
            before_ts = middle
        else:
            after_ts = middle
    return after_ts


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (gap → first instant after it; ambiguous → first one)."""
    first = naive.replace(tzinfo=zone, fold=0)
    ts = first.timestamp()
    if datetime.fromtimestamp(ts, zone).replace(tzinfo=None) == naive:
        return datetime.fromtimestamp(ts, UTC)
    # In a gap: fold=0 read the wall time with the offset before the jump, fold=1 with the offset after it,
    # so the transition instant lies between the two readings (the fold=1 one is the earlier instant).
    early = int(naive.replace(tzinfo=zone, fold=1).timestamp())
    return datetime.fromtimestamp(transition_between(zone, early, int(ts)), UTC)


def is_ambiguous(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time occurs twice (the repeated hour of a fall-back)."""
    if naive.replace(tzinfo=zone, fold=0).utcoffset() == naive.replace(tzinfo=zone, fold=1).utcoffset():
        return False
    return not is_in_gap(naive, zone)


def is_second_occurrence(moment: datetime, zone: ZoneInfo) -> bool:
    """True when the zone's clocks already showed this instant's wall-clock time once, before they went back
    (the instant lies in the second occurrence of a repeated hour)."""
    local = datetime.fromtimestamp(moment.timestamp(), zone)  # fold=1 marks the second reading
    return local.fold == 1 and local.utcoffset() != local.replace(fold=0).utcoffset()


def is_in_gap(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time does not exist (skipped by a spring-forward)."""
    aware = naive.replace(tzinfo=zone, fold=0)
    return datetime.fromtimestamp(aware.timestamp(), zone).replace(tzinfo=None) != naive
