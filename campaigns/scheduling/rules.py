"""The calling-hours rules, read from the versioned data file (no rule lives in code), and jurisdictions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, time
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import holidays as holiday_calendars

from .findings import CALLING_HOURS, severity_of
from .holiday_days import AddedDay, DayRuleError, parse_added_day
from .zones import canonical_zone

__all__ = [
    "EffectivePeriod",
    "FrequencyLimit",
    "HolidayCalendar",
    "Jurisdiction",
    "Rule",
    "RuleSet",
    "RulesFileError",
    "jurisdiction_zones",
    "load_rules",
    "parse_jurisdiction",
    "rules_digest",
]

CONFIDENCES = ("high", "medium", "low")
COUNTRIES = ("US", "CA")
DAY_TYPES = ("mon-fri", "sat", "sun")
SCOPES = ("telephone_solicitation", "debt_collection")  # what kind of call a frequency limit is about


class RulesFileError(ValueError):
    """The rules data file is malformed; the message names the entry and the key."""


@dataclass(frozen=True)
class Jurisdiction:
    country: str  # "US" | "CA"
    subdivision: str | None = None  # "FL", "NL", …

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class HolidayCalendar:
    """The `holidays` package's calendar of a country or state, corrected where a statute says otherwise: days
    it lacks are `added` (yearly rules, holiday_days.py), days it has that the statute does not list `removed`
    (by name; their "(observed)" days go with them)."""

    country: str
    subdiv: str | None
    description: str
    added: tuple[AddedDay, ...] = ()
    removed: tuple[str, ...] = ()

    def holiday_name(self, day: date) -> str | None:
        listed = _holidays(self.country, self.subdiv, day.year).get(day)
        names = [
            name
            for name in (listed.split("; ") if listed else [])
            if name.removesuffix(" (observed)") not in self.removed
        ]
        names += [name for added in self.added if (name := added.name_on(day))]
        return "; ".join(names) or None


@lru_cache(maxsize=256)
def _holidays(country: str, subdiv: str | None, year: int) -> holiday_calendars.HolidayBase:
    return holiday_calendars.country_holidays(country, subdiv=subdiv, years=year)


class EffectivePeriod:
    """What rules and frequency limits share: they apply only on local dates inside their effective period."""

    effective_from: date | None
    effective_to: date | None  # inclusive

    def applies_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)

    def first_day_between(self, first: date, last: date) -> date | None:
        """The first date in [first, last] on which it applies, or None when it applies on none of them."""
        start = max(first, self.effective_from) if self.effective_from else first
        end = min(last, self.effective_to) if self.effective_to else last
        return start if start <= end else None


@dataclass(frozen=True)
class Rule(EffectivePeriod):
    id: str
    jurisdiction: str
    title: str
    source: str
    confidence: str
    effective_from: date | None
    effective_to: date | None  # inclusive
    hours: tuple[
        tuple[time, time] | None, tuple[time, time] | None, tuple[time, time] | None
    ]  # mon-fri, sat, sun
    holidays: HolidayCalendar | None = None

    @property
    def severity(self) -> str:
        return severity_of(CALLING_HOURS, self.confidence)

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Allowed [open, close] local hours on that date, or None when no call is allowed that day."""
        if self.holidays is not None and self.holidays.holiday_name(day):
            return None
        weekday = day.weekday()
        return self.hours[0] if weekday < 5 else self.hours[1] if weekday == 5 else self.hours[2]

    def explain_day(self, day: date) -> str:
        """Why/which hours apply on `day`, in the planner's words."""
        if self.holidays is not None:
            name = self.holidays.holiday_name(day)
            if name:
                return f"no calls on {self.holidays.description} ({name})"
        hours = self.hours_on(day)
        if hours is None:
            return f"no calls on {day:%A}s"
        return f"calls allowed {hours[0]:%H:%M}–{hours[1]:%H:%M} on {day:%A}s"


@dataclass(frozen=True)
class FrequencyLimit(EffectivePeriod):
    id: str
    jurisdiction: str
    title: str
    source: str
    confidence: str
    max_calls: int
    period_hours: int
    scope: str  # "telephone_solicitation" | "debt_collection"
    effective_from: date | None
    effective_to: date | None


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    frequency_limits: tuple[FrequencyLimit, ...]

    def rules_for(self, jurisdiction: Jurisdiction) -> list[Rule]:
        """US → federal; US-XX → federal + XX; CA and CA-XX → the CRTC rules."""
        codes = {jurisdiction.country}
        if jurisdiction.country == "US" and jurisdiction.subdivision:
            codes.add(jurisdiction.code)
        return [rule for rule in self.rules if rule.jurisdiction in codes]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@cache
def _zones_data() -> dict[str, dict[str, tuple[str, ...]]]:
    raw = json.loads(resources.files(__package__).joinpath("data/jurisdiction_zones.json").read_text("utf-8"))
    return {country: {sub: tuple(zones) for sub, zones in raw[country].items()} for country in COUNTRIES}


def parse_jurisdiction(code: object) -> Jurisdiction:
    """ "US", "US-FL", "CA", "CA-NL" (ISO 3166-1 / 3166-2); raises ValueError naming the problem."""
    if not isinstance(code, str) or not code.strip():
        raise ValueError("a jurisdiction is required (US, US-FL, CA, CA-ON, …)")
    text = code.strip().upper()
    country, _, subdivision = text.partition("-")
    if country not in COUNTRIES:
        raise ValueError(f"'{code}' is not a supported jurisdiction (US, US-XX, CA or CA-XX)")
    if not subdivision:
        return Jurisdiction(country)
    if subdivision not in _zones_data()[country]:
        raise ValueError(
            f"'{code}': {subdivision} is not a {'US state' if country == 'US' else 'Canadian province'}"
        )
    return Jurisdiction(country, subdivision)


def jurisdiction_for_state(state: object) -> Jurisdiction | None:
    """The jurisdiction of a breakdown row's state ("FL", "US-FL", "ON", "CA-ON"); None if unknown.

    US state and Canadian province codes do not overlap, so a bare code is unambiguous.
    """
    if not isinstance(state, str) or not state.strip():
        return None
    text = state.strip().upper()
    if "-" in text:
        try:
            return parse_jurisdiction(text)
        except ValueError:
            return None
    for country in COUNTRIES:
        if text in _zones_data()[country]:
            return Jurisdiction(country, text)
    return None


def jurisdiction_zones(jurisdiction: Jurisdiction) -> tuple[str, ...]:
    """The IANA zones in use in a state or province (empty for a whole country)."""
    if not jurisdiction.subdivision:
        return ()
    return _zones_data()[jurisdiction.country][jurisdiction.subdivision]


def _date(entry: dict[str, Any], key: str, where: str) -> date | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RulesFileError(f"{where}: {key} must be YYYY-MM-DD or null, got {value!r}") from exc


def _hours(value: Any, where: str) -> tuple[time, time] | None:
    if value is None:
        return None
    try:
        opens, closes = (time.fromisoformat(part) for part in value)
    except (TypeError, ValueError) as exc:
        raise RulesFileError(f'{where}: hours must be ["HH:MM", "HH:MM"] or null, got {value!r}') from exc
    if opens >= closes:
        raise RulesFileError(f"{where}: opens at {opens} but closes at {closes}")
    return opens, closes


def _common(entry: dict[str, Any], where: str) -> dict[str, Any]:
    for key in ("id", "jurisdiction", "title", "source", "confidence"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise RulesFileError(f"{where}: {key} is required")
    if entry["confidence"] not in CONFIDENCES:
        raise RulesFileError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}")
    try:
        parse_jurisdiction(entry["jurisdiction"])
    except ValueError as exc:
        raise RulesFileError(f"{where}: {exc}") from exc
    effective_from = _date(entry, "effective_from", where)
    effective_to = _date(entry, "effective_to", where)
    if effective_from and effective_to and effective_from > effective_to:
        raise RulesFileError(f"{where}: effective_from is after effective_to")
    return {
        "id": entry["id"],
        "jurisdiction": entry["jurisdiction"],
        "title": entry["title"],
        "source": entry["source"],
        "confidence": entry["confidence"],
        "effective_from": effective_from,
        "effective_to": effective_to,
    }


def _rule(entry: dict[str, Any], index: int) -> Rule:
    where = f"rules[{index}] ({entry.get('id', '?')})"
    common = _common(entry, where)
    hours = entry.get("hours")
    if not isinstance(hours, dict) or set(hours) != set(DAY_TYPES):
        raise RulesFileError(f"{where}: hours must have exactly the keys {', '.join(DAY_TYPES)}")
    holiday_calendar = _calendar(entry.get("holidays"), where)
    day_hours = tuple(_hours(hours[key], f"{where} {key}") for key in DAY_TYPES)
    return Rule(hours=day_hours, holidays=holiday_calendar, **common)  # type: ignore[arg-type]


def _calendar(calendar: Any, where: str) -> HolidayCalendar | None:
    if calendar is None:
        return None
    if not isinstance(calendar, dict) or not calendar.get("country"):
        raise RulesFileError(f"{where}: holidays must be null or {{country, subdiv, description, add, remove}}")
    try:
        added = tuple(parse_added_day(day) for day in calendar.get("add", []))
    except DayRuleError as exc:
        raise RulesFileError(f"{where} holidays.add: {exc}") from exc
    removed = calendar.get("remove", [])
    if not all(isinstance(item, dict) and isinstance(item.get("name"), str) for item in removed):
        raise RulesFileError(f"{where} holidays.remove: each removed day needs a name (and why)")
    return HolidayCalendar(
        calendar["country"],
        calendar.get("subdiv"),
        calendar.get("description", "holidays"),
        added,
        tuple(item["name"] for item in removed),
    )


def _frequency_limit(entry: dict[str, Any], index: int) -> FrequencyLimit:
    where = f"frequency_limits[{index}] ({entry.get('id', '?')})"
    common = _common(entry, where)
    for key in ("max_calls", "period_hours"):
        if not isinstance(entry.get(key), int) or entry[key] < 1:
            raise RulesFileError(f"{where}: {key} must be a positive whole number")
    scope = entry.get("scope", "telephone_solicitation")
    if scope not in SCOPES:
        raise RulesFileError(f"{where}: scope must be one of {', '.join(SCOPES)}")
    return FrequencyLimit(
        max_calls=entry["max_calls"],
        period_hours=entry["period_hours"],
        scope=scope,
        **common,
    )


def parse_rules(raw: dict[str, Any]) -> RuleSet:
    if not isinstance(raw, dict) or not isinstance(raw.get("version"), str):
        raise RulesFileError("the rules file needs a version")
    rules = tuple(_rule(entry, i) for i, entry in enumerate(raw.get("rules", [])))
    limits = tuple(_frequency_limit(entry, i) for i, entry in enumerate(raw.get("frequency_limits", [])))
    ids = [item.id for item in (*rules, *limits)]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise RulesFileError(f"duplicate rule ids: {', '.join(duplicates)}")
    return RuleSet(raw["version"], rules, limits)


@cache
def _default_rules() -> RuleSet:
    text = resources.files(__package__).joinpath("data/calling_hours_rules.json").read_text("utf-8")
    return parse_rules(json.loads(text))


@cache
def rules_digest() -> str:
    """A short hash of the data files the checks read (rules and jurisdiction zones): it changes with any edit
    of them, with or without a new version, so results stored under an older one can be told outdated."""
    digest = hashlib.sha256()
    for name in ("calling_hours_rules.json", "jurisdiction_zones.json"):
        digest.update(resources.files(__package__).joinpath(f"data/{name}").read_bytes())
    return digest.hexdigest()[:12]


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The rules shipped with the app (cached), or those of another file with the same format."""
    if path is None:
        return _default_rules()
    return parse_rules(json.loads(Path(path).read_text("utf-8")))


def all_jurisdiction_zones() -> dict[str, tuple[str, ...]]:
    """Every "US-XX" / "CA-XX" code with its zones (each zone name canonical)."""
    return {
        f"{country}-{sub}": tuple(canonical_zone(zone) for zone in zones)
        for country, subs in _zones_data().items()
        for sub, zones in subs.items()
    }
