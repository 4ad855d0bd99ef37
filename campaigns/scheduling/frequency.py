"""Frequency findings of a retry policy: FL, OK, MD allow at most 3 telemarketing calls in 24 hours to one person;
Regulation F presumes more than 7 debt-collection calls within 7 consecutive days harassment. The limits come
from the rules file; the policy is judged as the backend will dial it (retry.py), and a breach proposes the
nearest policy that keeps every limit that applies.

Which limits apply: the campaign's purpose picks the kind of call (telemarketing → the states' telephone-
solicitation limits; debt collection → Regulation F; informational → none), and a state limit applies when its
state is among the jurisdictions or the contact list's states. Regulation F covers every US contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from .findings import FREQUENCY, Finding, FirstWindow, Proposal
from .period import Period
from .retry import MINUTE_MS, OUTBOUND_V2, RetryPolicy, nearest_compliant
from .rules import (
    FrequencyLimit,
    Jurisdiction,
    RuleSet,
    jurisdiction_for_state,
    load_rules,
    parse_jurisdiction,
)
from .windows import Window

__all__ = ["PURPOSES", "TELEMARKETING", "parse_purpose", "retry_policy_findings"]

TELEMARKETING, DEBT_COLLECTION, INFORMATIONAL = "telemarketing", "debt_collection", "informational"
# A campaign's purpose, in the planners' words.
PURPOSES = {
    TELEMARKETING: "Telemarketing",
    DEBT_COLLECTION: "Debt collection",
    INFORMATIONAL: "Informational",
}
# The kind of call (a frequency limit's scope) each purpose makes; informational calls have no frequency limit.
SCOPE_OF_PURPOSE = {TELEMARKETING: "telephone_solicitation", DEBT_COLLECTION: "debt_collection"}
_API_WORDS = {OUTBOUND_V2: "as the Outbound API v2 dials it", "admin": "as the Admin API dials it"}


def parse_purpose(value: object) -> str:
    """ "telemarketing", "debt-collection" or "debt_collection", "informational" → the purpose; else ValueError."""
    text = value.strip().lower().replace("-", "_") if isinstance(value, str) else ""
    if text not in PURPOSES:
        raise ValueError(f"{value!r} is not a purpose: telemarketing, debt-collection or informational")
    return text


def _states(
    jurisdictions: Sequence[str | Jurisdiction] | None, breakdown: Sequence[dict[str, Any]] | None
) -> dict[str, int | None]:
    """Jurisdiction codes in play, with the contacts in each (None when not known)."""
    codes: dict[str, int | None] = {}
    for code in jurisdictions or ():
        jurisdiction = code if isinstance(code, Jurisdiction) else parse_jurisdiction(code)
        codes.setdefault(jurisdiction.code, None)
    for row in breakdown or ():
        jurisdiction = jurisdiction_for_state(row.get("state")) or Jurisdiction("US")
        count = row.get("count")
        count = count if isinstance(count, int) and not isinstance(count, bool) else 0
        codes[jurisdiction.code] = (codes.get(jurisdiction.code) or 0) + count
    return codes


def _limit_applies(limit: FrequencyLimit, codes: dict[str, int | None]) -> tuple[bool, int | None]:
    if limit.jurisdiction in codes:
        return True, codes[limit.jurisdiction]
    if limit.jurisdiction == "US":  # a federal limit covers every US jurisdiction in play (or none given)
        us = {code: count for code, count in codes.items() if code == "US" or code.startswith("US-")}
        if us or not codes:
            known = [count for count in us.values() if count is not None]
            return True, sum(known) if known else None
    return False, None


def _period_words(hours: int) -> str:
    return "24 hours" if hours == 24 else f"{hours // 24} days" if hours % 24 == 0 else f"{hours} hours"


def retry_policy_findings(
    policy: RetryPolicy,
    *,
    api: str = OUTBOUND_V2,
    purpose: str = TELEMARKETING,
    jurisdictions: Sequence[str | Jurisdiction] | None = None,
    breakdown: Sequence[dict[str, Any]] | None = None,
    as_of: date | None = None,
    until: date | None = None,
    windows: Sequence[Window] | Period = (),
    rules: RuleSet | None = None,
) -> list[Finding]:
    """A finding for each frequency limit the policy, as `api` dials it, can exceed.

    A limit counts when it is in effect on any date from `as_of` (today) to `until` (the end of the schedule's
    effective period; `as_of` alone when not given); one that starts later says from when. Given the schedule's
    `windows`, a finding names the first one the retries can breach the limit in (the first on or after the
    limit's start). Every finding proposes the same nearest policy: the one that keeps all the limits that apply
    at once."""
    rules = rules or load_rules()
    as_of = as_of or datetime.now(UTC).date()
    until = max(as_of, until or as_of)
    codes = _states(jurisdictions, breakdown)
    scope = SCOPE_OF_PURPOSE.get(parse_purpose(purpose))
    dialled = policy.dialled_by(api)
    applying: list[tuple[FrequencyLimit, date, int | None]] = []
    for limit in rules.frequency_limits:
        starts = limit.first_day_between(as_of, until)
        applies, contacts = _limit_applies(limit, codes)
        if starts is not None and applies and limit.scope == scope:
            applying.append((limit, starts, contacts))
    limits = [(limit.max_calls, limit.period_hours * 60 * MINUTE_MS) for limit, _, _ in applying]
    nearest = nearest_compliant(policy, api, limits) if applying else None
    proposal = None
    if nearest is not None:
        better, words = nearest
        changed = {
            name: getattr(better, name)
            for name in ("max_attempts", "retry_interval_ms", "restricted_minutes", "restricted_max_attempts")
            if getattr(better, name) != getattr(policy, name)
        }
        proposal = Proposal(words[0].upper() + words[1:], changed)
    findings = []
    for limit, starts, contacts in applying:
        calls = dialled.calls_within(limit.period_hours * 60 * MINUTE_MS)
        if calls <= limit.max_calls:
            continue
        from_when = f" (in effect from {starts:%Y-%m-%d})" if starts > as_of else ""
        message = (
            f"{limit.title}{from_when}: this retry policy, {_API_WORDS[api]} ({dialled.words()}), can place "
            f"{calls} calls to one contact within {_period_words(limit.period_hours)}, more than {limit.max_calls}"
        )
        if proposal is not None:
            message += f". The nearest policy that keeps it: {proposal.label[0].lower()}{proposal.label[1:]}"
        first, affected = _from_day(windows, starts)
        findings.append(
            Finding(
                kind=FREQUENCY,
                rule=limit.id,
                message=message,
                confidence=limit.confidence,
                source=limit.source,
                jurisdiction=limit.jurisdiction,
                contacts_affected=contacts,
                window=FirstWindow(
                    first.start,
                    first.end,
                    campaign_local_start=first.local_start,
                    campaign_local_end=first.local_end,
                )
                if first
                else None,
                windows_affected=affected if windows else None,
                proposal=proposal,
                facts={
                    "calls": calls,
                    "max_calls": limit.max_calls,
                    "period_hours": limit.period_hours,
                    "api": api,
                    "effective_from": starts.isoformat(),
                },
            )
        )
    return findings


def _from_day(windows: Sequence[Window] | Period, starts: date) -> tuple[Window | None, int]:
    """The first window whose local start falls on or after `starts`, and how many do (a whole period is
    counted by its days, not window by window)."""
    if isinstance(windows, Period):
        return windows.from_day(starts)
    after = [w for w in windows if w.local_start.date() >= starts]
    return (after[0] if after else None), len(after)
