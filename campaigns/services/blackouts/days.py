"""Which days a campaign must not dial: the approved calendars attached to it, or to the pool it draws on.

`blackout_days(campaign, start_utc, end_utc)` is the public answer (each day with its UTC interval on the
campaign's wall clock); the engine's callers use `campaign_days` / `days_by_campaign` and filter windows with
scheduling/blackouts.py. Only an approved revision's rules count: a calendar still in review blacks out nothing.
Only the attachments in force count too (the calendar's own campaigns and pools, which approving a revision sets):
where a revision proposes the calendar should apply changes nothing here until it is approved.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from campaigns.models import AgentPool, BlackoutCalendar, Campaign
from campaigns.scheduling import blackouts
from campaigns.scheduling.zones import zone_or_utc
from campaigns.services.pools import lookup

log = logging.getLogger(__name__)
Days = dict[dt.date, tuple[str, ...]]


def fingerprint() -> tuple:
    """Changes whenever the days any campaign must not dial may change: a revision approved, a calendar
    attached to or taken off a campaign or a pool (what a kept mirror of the charts is keyed by, beside the
    conflict index's fingerprint)."""
    calendars = BlackoutCalendar.objects.aggregate(n=Count("id"), approved=Sum("approved_revision_id"))
    links = (
        BlackoutCalendar.campaigns.through.objects.aggregate(n=Count("id"), last=Max("id")),
        BlackoutCalendar.pools.through.objects.aggregate(n=Count("id"), last=Max("id")),
    )
    return tuple(calendars.values()) + tuple(v for link in links for v in link.values())


@dataclass(frozen=True)
class BlackoutDay:
    """One day a campaign does not dial: its local date, what falls on it, and [start, end) in UTC (the
    campaign's local midnight to the next one)."""

    day: dt.date
    names: tuple[str, ...]
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return "; ".join(self.names)


def _pool_id(key: str) -> int | None:
    return int(key.removeprefix("pool-")) if key.startswith("pool-") else None


def calendars_of(campaign: Campaign) -> list[BlackoutCalendar]:
    """The approved calendars attached to the campaign or to the defined pool it draws on, by name. One query
    when no approved calendar is attached to the campaign or to any pool (the usual case of a list's rows)."""
    approved = BlackoutCalendar.objects.filter(approved_revision__isnull=False)
    if not approved.filter(Q(campaigns=campaign) | Q(pools__isnull=False)).exists():
        return []
    found = {c.pk: c for c in approved.filter(campaigns=campaign)}
    pool_id = _pool_id(lookup.key_of_campaign(campaign))
    if pool_id is not None:
        found.update({c.pk: c for c in approved.filter(pools=pool_id)})
    return sorted(found.values(), key=lambda c: c.name.lower())


def campaigns_with_calendars():
    """The present campaigns an approved calendar may black out: those it is attached to, or every one when a
    calendar is attached to a pool (which pool a campaign draws on is calendars_of's to say)."""
    approved = BlackoutCalendar.objects.filter(approved_revision__isnull=False)
    present = Campaign.objects.filter(missing_since__isnull=True)
    if approved.filter(pools__isnull=False).exists():
        return present
    return present.filter(blackout_calendars__in=approved).distinct()


def rules_of(calendars: Iterable[BlackoutCalendar]) -> tuple[blackouts.DateRule, ...]:
    """The calendars' rules in effect. A calendar whose stored rules no longer read (a ready calendar whose rule
    left the rules file) blacks out nothing, and says so in the log, rather than stopping every page."""
    found: list[blackouts.DateRule] = []
    for calendar in calendars:
        try:
            found += blackouts.parse_rules(calendar.rules)
        except blackouts.BlackoutRuleError as exc:
            log.warning("Blackout calendar %s cannot be read: %s", calendar.name, exc)
    return tuple(found)


def campaign_days(
    campaign: Campaign,
    zone_name: str,
    start_utc: dt.datetime,
    end_utc: dt.datetime,
    *,
    rules: tuple[blackouts.DateRule, ...] | None = None,
) -> Days:
    """The campaign's blacked-out local dates (in `zone_name`, the zone its windows are expanded in) that
    [start_utc, end_utc) touches, each with what falls on it. `rules`: the campaign's calendars' rules when the
    caller read them for many campaigns at once (read_calendars)."""
    if rules is None:
        rules = rules_of(calendars_of(campaign))
    if not rules:
        return {}
    return blackouts.blackout_days(rules, *blackouts.local_days(start_utc, end_utc, zone_name))


def blackout_days(campaign: Campaign, start_utc: dt.datetime, end_utc: dt.datetime) -> list[BlackoutDay]:
    """THE days `campaign` must not dial between two UTC instants, on its own wall clock (its zone; UTC when it
    has none), each with the UTC interval the workers stop it for. The dialling control uses this."""
    zone = zone_or_utc(campaign.timezone)
    days = campaign_days(campaign, zone.key, start_utc, end_utc)
    spans = blackouts.day_spans(days, zone.key)
    return [
        BlackoutDay(
            day, names, dt.datetime.fromtimestamp(low, dt.UTC), dt.datetime.fromtimestamp(high, dt.UTC)
        )
        for (day, names), (low, high) in zip(days.items(), spans, strict=True)
    ]


@dataclass(frozen=True)
class CalendarsRead:
    """The calendars of many campaigns read at once: each one's rules (by CXone id), and whether any approved
    calendar is attached to anything at all (when none is, the conflict index's what-if is right as it is)."""

    rules: dict[str, tuple[blackouts.DateRule, ...]]
    attached: bool

    def of(self, cxone_id: str) -> tuple[blackouts.DateRule, ...]:
        return self.rules.get(cxone_id, ())


def read_calendars(campaigns: Iterable[tuple[int, str, int | None]]) -> CalendarsRead:
    """For many campaigns at once (pk, CXone id, skill pk): the rules of the approved calendars attached to each
    or to its pool. A few queries, whatever their number."""
    calendars = {c.pk: c for c in BlackoutCalendar.objects.filter(approved_revision__isnull=False)}
    if not calendars:
        return CalendarsRead({}, attached=False)
    by_campaign: dict[int, set[int]] = defaultdict(set)
    for calendar_id, campaign_id in BlackoutCalendar.campaigns.through.objects.filter(
        blackoutcalendar_id__in=calendars
    ).values_list("blackoutcalendar_id", "campaign_id"):
        by_campaign[campaign_id].add(calendar_id)
    by_pool: dict[str, set[int]] = defaultdict(set)
    for calendar_id, pool_id in BlackoutCalendar.pools.through.objects.filter(
        blackoutcalendar_id__in=calendars
    ).values_list("blackoutcalendar_id", "agentpool_id"):
        by_pool[AgentPool(pk=pool_id).key].add(calendar_id)
    if not by_campaign and not by_pool:
        return CalendarsRead({}, attached=False)
    book = lookup.book() if by_pool else None
    parsed: dict[int, tuple[blackouts.DateRule, ...]] = {}
    result: dict[str, tuple[blackouts.DateRule, ...]] = {}
    for pk, cxone_id, skill in campaigns:
        ids = set(by_campaign.get(pk, ()))
        if book is not None:
            ids |= by_pool.get(book.key_of(pk, skill), set())
        for calendar_id in sorted(ids, key=lambda i: calendars[i].name.lower()):
            if calendar_id not in parsed:
                parsed[calendar_id] = rules_of([calendars[calendar_id]])
            result[cxone_id] = result.get(cxone_id, ()) + parsed[calendar_id]
    return CalendarsRead(result, attached=True)


def days_by_campaign(
    campaigns: Iterable[tuple[int, str, int | None, str]], start_utc: dt.datetime, end_utc: dt.datetime
) -> dict[str, list[tuple[int, int]]]:
    """For many campaigns at once (pk, CXone id, skill pk, zone): the UTC spans of their blackout days in
    [start_utc, end_utc) on each one's wall clock, by CXone id; campaigns with none are left out."""
    campaigns = list(campaigns)
    rules = read_calendars((pk, cxone_id, skill) for pk, cxone_id, skill, _ in campaigns).rules
    result: dict[str, list[tuple[int, int]]] = {}
    for _, cxone_id, _, zone in campaigns:
        if cxone_id in rules:
            zone_name = zone_or_utc(zone).key
            days = blackouts.blackout_days(
                rules[cxone_id], *blackouts.local_days(start_utc, end_utc, zone_name)
            )
            if days:
                result[cxone_id] = blackouts.day_spans(days, zone_name)
    return result


def campaigns_attached(calendar: BlackoutCalendar) -> list[Campaign]:
    """Every campaign the calendar applies to in force (as approved): attached itself, or drawing on an attached
    pool. A revision's proposal is not read here: it applies only once approved."""
    return campaigns_reached(calendar.campaigns.all(), calendar.pools.values_list("pk", flat=True))


def campaigns_reached(campaigns: Iterable[Campaign], pool_ids: Iterable[int]) -> list[Campaign]:
    """The campaigns a selection reaches: those chosen, and the present ones drawing on a chosen pool."""
    pool_keys = {AgentPool(pk=pk).key for pk in pool_ids}
    book = lookup.book() if pool_keys else None
    found = {c.pk: c for c in campaigns}
    if book is not None:
        for campaign in Campaign.objects.filter(missing_since__isnull=True):
            if book.key_of(campaign.pk, campaign.pool_id) in pool_keys:
                found[campaign.pk] = campaign
    return sorted(found.values(), key=lambda c: c.name.lower())
