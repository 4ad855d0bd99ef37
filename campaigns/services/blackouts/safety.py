"""Before a calendar change takes effect: no campaign it applies to may dial again where it must not.

A blackout day removes the windows that open on it; taking a day off a calendar, or a calendar off a campaign or a
pool, gives those windows back. A campaign that was legal only because a calendar was attached (the ready calendar
of a state's holiday ban: PA, RI, UT, LA, AL) would dial its contacts on those holidays again, with no draft and
no finding anyone approved. So approving a revision judges the current schedule of every present campaign the
calendar applies to, before or after, with the calendars in force before and after it, and refuses the change
when it adds a blocking calling-hours or frequency finding, or more windows to one the campaign has already.
Only campaigns whose blackout rules change are judged, and "before" only where "after" blocks (most are legal
either way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from campaigns.models import Campaign
from campaigns.scheduling.findings import CALLING_HOURS, FREQUENCY
from campaigns.services.blackouts.days import CalendarsRead
from campaigns.services.drafts.checks import draft_checks

JUDGED_KINDS = (CALLING_HOURS, FREQUENCY)


@dataclass(frozen=True)
class Breach:
    """A blocking finding a campaign's current schedule would have once the change is in force."""

    campaign: Campaign
    message: str


def breaches(
    campaigns: Iterable[Campaign], before: CalendarsRead, after: CalendarsRead, *, now: dt.datetime | None = None
) -> list[Breach]:
    """What the change from `before` to `after` would newly break, campaign by campaign (by name)."""
    found = []
    for campaign in sorted(campaigns, key=lambda c: (c.name.lower(), c.pk)):
        rules_before, rules_after = before.of(campaign.cxone_id), after.of(campaign.cxone_id)
        if campaign.missing_since is not None or rules_before == rules_after:
            continue
        blocking_after = _blocking(campaign, rules_after, now)
        if not blocking_after:
            continue
        known = _blocking(campaign, rules_before, now)
        for key, (message, windows) in blocking_after.items():
            if key not in known or windows > known[key][1]:
                found.append(Breach(campaign, message))
    return found


def refusal(found: list[Breach]) -> str:
    """Why the change is refused, in the supervisor's words (the first few breaches)."""
    shown = "; ".join(f"{b.campaign.name}: {b.message}" for b in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return (
        f"Not approved: with this change in force, campaigns would dial where they must not. {shown}{more}. "
        "Change those schedules first (or keep the days), then approve."
    )


def _blocking(
    campaign: Campaign, rules: tuple, now: dt.datetime | None
) -> dict[tuple[str, str, str], tuple[str, int]]:
    """Each blocking finding of the campaign's current schedule under `rules`: its message and how many windows
    it affects."""
    report = draft_checks.evaluate_campaign(campaign, conflicts=False, now=now, blackout_rules=rules)
    if report is None:
        return {}
    return {
        (f.kind, f.rule, f.jurisdiction or ""): (f.message, f.windows_affected or 0)
        for f in report.findings
        if f.blocking and f.kind in JUDGED_KINDS
    }
