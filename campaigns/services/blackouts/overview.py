"""What the calendar pages show: each calendar with its upcoming days, its open revision, what it applies to.
Read only; the changes are editing.py's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from campaigns.models import AgentPool, BlackoutCalendar, CalendarRevision, Campaign, RevisionStatus
from campaigns.scheduling.blackout_lines import parse_lines, rules_text
from campaigns.scheduling.blackouts import BlackoutRuleError, DateRule, blackout_days, parse_rules
from campaigns.services.blackouts import days

AHEAD_DAYS = 366  # the pages list the days of the coming year


@dataclass
class CalendarCard:
    calendar: BlackoutCalendar
    rules: tuple[DateRule, ...]
    upcoming: list[tuple[dt.date, tuple[str, ...]]]
    open_revision: CalendarRevision | None
    campaigns: int = 0
    pools: int = 0

    @property
    def next_day(self) -> tuple[dt.date, tuple[str, ...]] | None:
        return self.upcoming[0] if self.upcoming else None


@dataclass
class RevisionView:
    revision: CalendarRevision
    rules: tuple[DateRule, ...] = ()
    text: str = ""
    upcoming: list[tuple[dt.date, tuple[str, ...]]] = field(default_factory=list)
    # False when the revision keeps the days in effect (it changes only where the calendar applies).
    changes_days: bool = True


@dataclass
class Selection:
    """Campaigns and pools a calendar is attached to, and every campaign that reaches (a pool's too)."""

    campaigns: list[Campaign]
    pools: list[AgentPool]
    reaches: list[Campaign]

    @classmethod
    def of(cls, campaigns, pools) -> Selection:
        campaigns, pools = list(campaigns.order_by("name")), list(pools.order_by("name"))
        return cls(campaigns, pools, days.campaigns_reached(campaigns, [p.pk for p in pools]))


@dataclass
class Attachments:
    """Where the calendar applies in force, and where its open revision proposes it should (None when it does
    not propose a change), side by side on its page."""

    in_force: Selection
    proposed: Selection | None
    revision: CalendarRevision | None

    @property
    def campaigns_changed(self) -> bool:
        return self.proposed is not None and self.proposed.campaigns != self.in_force.campaigns

    @property
    def pools_changed(self) -> bool:
        return self.proposed is not None and self.proposed.pools != self.in_force.pools


def attachments(calendar: BlackoutCalendar, revision: CalendarRevision | None) -> Attachments:
    in_force = Selection.of(calendar.campaigns.all(), calendar.pools.all())
    if revision is None or not revision.changes_attachments:
        return Attachments(in_force, None, revision)
    return Attachments(in_force, Selection.of(revision.campaigns.all(), revision.pools.all()), revision)


def _parsed(entries) -> tuple[DateRule, ...]:
    try:
        return parse_rules(entries)
    except BlackoutRuleError:  # a rules file without the rule a ready calendar names: it blacks out nothing
        return ()


def upcoming(rules: tuple[DateRule, ...], today: dt.date) -> list[tuple[dt.date, tuple[str, ...]]]:
    return list(blackout_days(rules, today, today + dt.timedelta(days=AHEAD_DAYS - 1)).items())


def cards(today: dt.date) -> list[CalendarCard]:
    """Every calendar, a supervisor's own first, then the ready ones, by name."""
    open_revisions = CalendarRevision.objects.filter(
        status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED]
    )
    calendars = BlackoutCalendar.objects.annotate(
        n_campaigns=Count("campaigns", distinct=True), n_pools=Count("pools", distinct=True)
    ).prefetch_related(
        Prefetch("revisions", queryset=open_revisions.select_related("author"), to_attr="open")
    )
    result = []
    for calendar in sorted(calendars, key=lambda c: (bool(c.ready_rule), c.name.lower())):
        rules = _parsed(calendar.rules)
        result.append(
            CalendarCard(
                calendar,
                rules,
                upcoming(rules, today),
                calendar.open[0] if calendar.open else None,
                calendar.n_campaigns,
                calendar.n_pools,
            )
        )
    return result


def card(calendar: BlackoutCalendar, today: dt.date) -> CalendarCard:
    rules = _parsed(calendar.rules)
    revision = (
        calendar.revisions.filter(status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED])
        .select_related("author")
        .first()
    )
    return CalendarCard(calendar, rules, upcoming(rules, today), revision)


def revision_view(revision: CalendarRevision | None, today: dt.date) -> RevisionView | None:
    if revision is None:
        return None
    rules = _parsed(revision.rules)
    changes_days = not revision.calendar.in_effect or revision.rules != revision.calendar.rules
    return RevisionView(revision, rules, rules_text(rules), upcoming(rules, today), changes_days)


def history(calendar: BlackoutCalendar) -> list[CalendarRevision]:
    return list(calendar.revisions.select_related("author", "approver").order_by("-number"))


def pending_count() -> int:
    """Revisions waiting for a supervisor's review."""
    return CalendarRevision.objects.filter(status=RevisionStatus.SUBMITTED).count()


def revision_view_text(calendar: BlackoutCalendar) -> str:
    """The calendar's rules in effect as the editor's lines (where a new revision starts)."""
    return rules_text(_parsed(calendar.rules))


def preview(text: str, today: dt.date) -> tuple[list[str], list[tuple[dt.date, tuple[str, ...]]]]:
    """What the editor shows as a supervisor types: each wrong line, or the days of the coming year."""
    entries, errors = parse_lines(text or "")
    return (errors, []) if errors else ([], upcoming(_parsed(entries), today))
