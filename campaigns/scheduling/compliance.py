"""Calling-hours compliance: every instant of every window must fall inside the allowed hours in the contact's
local time on the contact's local date, in every candidate zone of the contact (the intersection).

Which contacts and zones: a contact-list breakdown ([{state, timezones, count}]) is checked row by row
under the row's state (in the row's zones, else every zone of the state: the intersection). A row whose state is
not one we know ("Florida", "XX") or that names neither a state nor a zone says nothing of where its contacts
are: it is a blocking "contact-location-unknown" finding, never a pass (calling-hours.md), not a check in the
campaign's zone under the federal rule alone. A row with zones and no state (a skill's own zones) is checked
in those zones. Otherwise each jurisdiction ("US", "US-FL", "CA-NL"; "US" when none is given) is
checked in the contact zones given, else in the zones of that state or province, else (for a whole country)
in the campaign's zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from .dnc import fcc_bounds
from .findings import CALLING_HOURS, Finding, FindingsReport, FirstWindow
from .rules import (
    Jurisdiction,
    Rule,
    RuleSet,
    jurisdiction_for_state,
    jurisdiction_zones,
    load_rules,
    parse_jurisdiction,
)
from .windows import Window
from .zones import UnknownZone, canonical_zone, get_zone, localize

__all__ = [
    "Tally",
    "broken_day",
    "check_compliance",
    "contact_groups",
    "contact_list_unread",
    "contact_rules",
    "report_of",
]

UNKNOWN_ZONE_RULE = "contact-zone-unknown"
UNKNOWN_LOCATION_RULE = "contact-location-unknown"
CAMPAIGN_FCC_RULE = "campaign-fcc-hours"
CONTACTS_SOURCE = "contact time zones (the contact list's breakdown by state and zone)"
_TICK = timedelta(microseconds=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ContactGroup:
    """Contacts checked together: one jurisdiction, their candidate zones, how many (None when unknown)."""

    jurisdiction: Jurisdiction
    zones: tuple[str, ...]
    count: int | None = None
    location_unknown: str = ""  # why nothing says where they are (a row no rule can be chosen for)


def contact_groups(
    *,
    campaign_zone: str,
    contact_zones: Sequence[str] | None = None,
    jurisdictions: Sequence[str | Jurisdiction] | None = None,
    breakdown: Sequence[dict[str, Any]] | None = None,
) -> list[ContactGroup]:
    """Who is called, as (jurisdiction, candidate zones, count) groups; ValueError for a bad jurisdiction."""
    given_zones = tuple(contact_zones or ())

    def zones_for(jurisdiction: Jurisdiction, own: Sequence[str] = ()) -> tuple[str, ...]:
        return tuple(own) or given_zones or jurisdiction_zones(jurisdiction) or (campaign_zone,)

    if breakdown:
        groups = []
        for row in breakdown:
            state, own = row.get("state"), tuple(row.get("timezones") or ())
            count = row.get("count")
            count = count if isinstance(count, int) and not isinstance(count, bool) else None
            jurisdiction = jurisdiction_for_state(state)
            stated = state.strip() if isinstance(state, str) else ""
            if jurisdiction is None and (stated or not own):
                why = (
                    f"state “{stated}” is not a US state or Canadian province code"
                    if stated
                    else "their records give neither a state nor a time zone"
                )
                groups.append(ContactGroup(Jurisdiction("US"), (), count, location_unknown=why))
                continue
            jurisdiction = jurisdiction or Jurisdiction("US")
            groups.append(ContactGroup(jurisdiction, zones_for(jurisdiction, own), count))
        return groups
    parsed = [
        code if isinstance(code, Jurisdiction) else parse_jurisdiction(code)
        for code in (jurisdictions or ["US"])
    ]
    return [ContactGroup(jurisdiction, zones_for(jurisdiction)) for jurisdiction in dict.fromkeys(parsed)]


def contact_list_unread(contact_list: str, breakdown: Sequence[dict[str, Any]] | None) -> list[Finding]:
    """A blocking finding when a campaign dials a contact list (`contact_list`: its name, "" when it has none)
    whose breakdown by state and zone we do not have (CXone did not answer for it, or it is empty): where its
    contacts are is unknown, an error, never a pass; the calling-hours check then judged only the campaign's own
    zone under the federal rule."""
    if not contact_list or breakdown:
        return []
    message = (
        f"The contact list {contact_list} has no breakdown by state and zone (CXone did not answer for it, or it "
        "holds no contacts yet): where its contacts are is unknown, so no window can be shown to be legal for "
        "them. The next sync reads it again."
    )
    return [Finding(CALLING_HOURS, UNKNOWN_LOCATION_RULE, message, source=CONTACTS_SOURCE, jurisdiction="US")]


@lru_cache(maxsize=65536)
def _instant(zone_name: str, day: date, clock: time) -> datetime:
    return localize(datetime.combine(day, clock), get_zone(zone_name))


def _day_bounds(zone_name: str, day: date) -> tuple[datetime, datetime]:
    return _instant(zone_name, day, time()), _instant(zone_name, day + timedelta(days=1), time())


@lru_cache(maxsize=65536)
def _steady_day(zone_name: str, day: date) -> bool:
    """True when the zone's clock does not change on that local day (it lasts 24 hours)."""
    start, next_day = _day_bounds(zone_name, day)
    return next_day - start == _DAY


def broken_day(
    rule: Rule, zone_name: str, zone: ZoneInfo, window: Window, local_start: datetime, local_end: datetime
) -> date | None:
    """The first local date on which `window` (`local_start`–`local_end` in `zone`) breaks `rule` for a contact
    there, or None when every instant of it is allowed (rule.explain_day(date) says why)."""
    day = local_start.date()
    if local_end.date() == day and _steady_day(zone_name, day):
        # The common case, a year of windows long: inside one local day whose clock does not change, the wall
        # clock orders instants as UTC does, so comparing wall-clock times is exact.
        if not rule.applies_on(day):
            return None
        hours = rule.hours_on(day)
        if hours is None or local_start.time() < hours[0] or local_end.time() > hours[1]:
            return day
        return None
    last = (window.end - _TICK).astimezone(zone).date()
    while day <= last:
        if rule.applies_on(day):
            hours = rule.hours_on(day)
            day_start, next_day = _day_bounds(zone_name, day)
            part_start, part_end = max(window.start, day_start), min(window.end, next_day)
            if hours is None:
                return day
            opens, closes = _instant(zone_name, day, hours[0]), _instant(zone_name, day, hours[1])
            if part_start < opens or part_end > closes:
                return day
        day += timedelta(days=1)
    return None


def _campaign_fcc_rule(rules: RuleSet, dnc_rules: Iterable[object] | None) -> Rule | None:
    """A rule for the campaign's own FCC_MIN_TIME / FCC_MAX_TIME when they are tighter than federal."""
    lower, upper = fcc_bounds(dnc_rules)
    try:
        federal = rules.rule("us-federal")
    except KeyError:
        return None
    federal_open, federal_close = federal.hours[0] or (time(8), time(21))
    opens, closes = max(lower or federal_open, federal_open), min(upper or federal_close, federal_close)
    if (opens, closes) == (federal_open, federal_close) or opens >= closes:
        return None
    return Rule(
        id=CAMPAIGN_FCC_RULE,
        jurisdiction="US",
        title=f"the campaign's FCC_MIN_TIME/FCC_MAX_TIME ({opens:%H:%M}–{closes:%H:%M})",
        source="campaign dncRules FCC_MIN_TIME / FCC_MAX_TIME",
        confidence="high",
        effective_from=None,
        effective_to=None,
        hours=((opens, closes), (opens, closes), (opens, closes)),
    )


class Tally:
    """The first offending window of one rule, the windows it breaks, and the contacts it touches."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.first: tuple[Window, str, date] | None = None  # window, zone, the local date it breaks the rule
        self.windows: set[int] = set()
        self.contacts: int | None = None

    def add(self, index: int, window: Window, zone: str, day: date) -> None:
        self.windows.add(index)
        if self.first is None or window.start < self.first[0].start:
            self.first = (window, zone, day)


def contact_rules(
    rules: RuleSet,
    dnc_rules: Iterable[object] | None,
    unknown: dict[str, dict[str, Any]],
    **where: Any,
) -> list[tuple[ContactGroup, Rule, list[str]]]:
    """Each group of contacts' rules (the groups contact_groups(**where) makes) and the canonical zones to check
    them in, in the order checks run (the first offending window's zone is the first of them that the window
    breaks the rule in). Zones that are not zones are gathered in `unknown`, by jurisdiction."""
    groups = contact_groups(**where)
    fcc_rule = _campaign_fcc_rule(rules, dnc_rules)
    plan = []
    for group in groups:
        if group.location_unknown:  # no rule can be chosen for them: reported, never checked somewhere else
            entry = unknown.setdefault(
                f"location:{group.location_unknown}",
                {"zones": [], "count": None, "message": group.location_unknown, "rule": UNKNOWN_LOCATION_RULE},
            )
            if group.count is not None:
                entry["count"] = (entry["count"] or 0) + group.count
            continue
        zone_names = []
        for zone in group.zones:
            try:
                zone_names.append(canonical_zone(zone))
            except UnknownZone as exc:
                entry = unknown.setdefault(
                    group.jurisdiction.code, {"zones": [], "count": None, "message": ""}
                )
                entry["zones"].append(zone)
                entry["message"] = exc.message
                if group.count is not None:
                    entry["count"] = (entry["count"] or 0) + group.count
        group_rules = rules.rules_for(group.jurisdiction)
        if fcc_rule is not None and group.jurisdiction.country == "US":
            group_rules.append(fcc_rule)
        plan += [(group, rule, list(dict.fromkeys(zone_names))) for rule in group_rules]
    return plan


def check_compliance(
    windows: Sequence[Window],
    *,
    campaign_zone: str,
    contact_zones: Sequence[str] | None = None,
    jurisdictions: Sequence[str | Jurisdiction] | None = None,
    breakdown: Sequence[dict[str, Any]] | None = None,
    dnc_rules: Iterable[object] | None = None,
    rules: RuleSet | None = None,
) -> FindingsReport:
    """Check windows against the calling-hours rules, window by window; warnings (low confidence) leave `ok`
    True. A whole effective period is checked day by day instead (period_compliance.py), to the same verdicts."""
    rules = rules or load_rules()
    campaign_zone_name = canonical_zone(campaign_zone)
    campaign_tz = get_zone(campaign_zone_name)
    unknown: dict[str, dict[str, Any]] = {}
    plan = contact_rules(
        rules, dnc_rules, unknown, campaign_zone=campaign_zone_name, contact_zones=contact_zones,
        jurisdictions=jurisdictions, breakdown=breakdown,
    )  # fmt: skip
    tallies: dict[str, Tally] = {}
    cache: dict[tuple[str, str], list[tuple[int, date]]] = {}
    local: dict[str, list[tuple[datetime, datetime]]] = {}  # each window in each contact zone, computed once
    ordered = sorted(enumerate(windows), key=lambda item: item[1].start)

    for group, rule, zone_names in plan:
        broken = False
        for zone_name in zone_names:
            key = (rule.id, zone_name)
            if key not in cache:
                zone = get_zone(zone_name)
                if zone_name not in local:
                    local[zone_name] = [
                        (w.start.astimezone(zone), w.end.astimezone(zone)) for _, w in ordered
                    ]
                cache[key] = [
                    (index, day)
                    for (index, window), (start, end) in zip(ordered, local[zone_name], strict=True)
                    if (day := broken_day(rule, zone_name, zone, window, start, end)) is not None
                ]
            if cache[key]:
                broken = True
                tally = tallies.setdefault(rule.id, Tally(rule))
                for index, day in cache[key]:
                    tally.add(index, windows[index], zone_name, day)
        if broken and group.count is not None:
            tally = tallies[rule.id]
            tally.contacts = (tally.contacts or 0) + group.count

    first = min(windows, key=lambda window: window.start) if windows else None
    return report_of(
        [(tally, len(tally.windows)) for tally in tallies.values()], unknown, first, len(windows), campaign_tz
    )


def report_of(
    tallies: Sequence[tuple[Tally, int]],
    unknown: dict[str, dict[str, Any]],
    first: Window | None,
    total: int,
    campaign_tz: ZoneInfo,
) -> FindingsReport:
    """The findings: one per broken rule (its tally and how many windows break it), one per jurisdiction
    whose contacts have a zone that is not one."""
    first_day = first.start.astimezone(campaign_tz).date() if first else None
    findings = [_finding(tally, affected, campaign_tz, total, first_day) for tally, affected in tallies]
    for code, entry in unknown.items():
        location = entry.get("rule") == UNKNOWN_LOCATION_RULE
        what = (
            f"contacts whose location is unknown ({entry['message']})"
            if location
            else f"contacts in {code} have an unusable time zone ({', '.join(entry['zones'])}): {entry['message']}"
        )
        findings.append(
            Finding(
                kind=CALLING_HOURS,
                rule=entry.get("rule", UNKNOWN_ZONE_RULE),
                jurisdiction="US" if location else code,
                window=FirstWindow(
                    first.start,
                    first.end,
                    contact_zone=entry["zones"][0] if entry["zones"] else None,
                    campaign_local_start=first.start.astimezone(campaign_tz),
                    campaign_local_end=first.end.astimezone(campaign_tz),
                )
                if first
                else None,
                message=f"{what}; no window can be shown to be legal for them",
                confidence="high",
                source=CONTACTS_SOURCE,
                contacts_affected=entry["count"],
                windows_affected=total,
            )
        )
    return FindingsReport.of(findings)


def _finding(
    tally: Tally, affected: int, campaign_tz: ZoneInfo, total: int, first_day: date | None
) -> Finding:
    assert tally.first is not None
    window, zone_name, day = tally.first
    rule = tally.rule
    reason = rule.explain_day(day)
    zone = get_zone(zone_name)
    local_start, local_end = window.start.astimezone(zone), window.end.astimezone(zone)
    ends = f"{local_end:%H:%M %Z}" if local_end.date() == local_start.date() else f"{local_end:%a %H:%M %Z}"
    message = (
        f"{rule.jurisdiction} ({rule.title}): the window {local_start:%a %Y-%m-%d %H:%M}–{ends} "
        f"in {zone_name} breaks the rule ({reason}); {affected} of {total} windows affected "
        f"from {local_start:%Y-%m-%d}"
    )
    if tally.contacts is not None:
        message += f", {tally.contacts} contact{'' if tally.contacts == 1 else 's'}"
    if rule.effective_from and first_day and first_day < rule.effective_from:
        # The schedule runs across the day the rule takes effect: the windows before it were legal.
        message += (
            f". The rule takes effect on {rule.effective_from:%Y-%m-%d}: windows before then are not affected"
        )
    return Finding(
        kind=CALLING_HOURS,
        rule=rule.id,
        jurisdiction=rule.jurisdiction,
        message=message,
        confidence=rule.confidence,
        source=rule.source,
        contacts_affected=tally.contacts,
        windows_affected=affected,
        window=FirstWindow(
            start=window.start,
            end=window.end,
            contact_zone=zone_name,
            local_start=local_start,
            local_end=local_end,
            campaign_local_start=window.start.astimezone(campaign_tz),
            campaign_local_end=window.end.astimezone(campaign_tz),
        ),
        facts={"first_day": day.isoformat()},
    )
