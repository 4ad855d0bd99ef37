"""Retry-policy findings: frequency limits (FL, OK, MD: 3 calls per 24 h; Regulation F: 7 calls in 7 days).

A policy dials a record up to `max_attempts` times, `retry_interval_ms` apart; the most calls it can place
inside any period of P hours is min(max_attempts, ceil(P / interval)). The limits come from the rules file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .rules import (
    FrequencyLimit,
    Jurisdiction,
    RuleSet,
    jurisdiction_for_state,
    load_rules,
    parse_jurisdiction,
)
from .rules import severity_for as _severity

__all__ = ["RetryFinding", "calls_within", "retry_policy_findings"]

DEBT_COLLECTION = "debt_collection"


@dataclass(frozen=True)
class RetryFinding:
    rule: str
    jurisdiction: str
    message: str
    calls: int  # the most calls the policy can place inside the rule's period
    max_calls: int
    period_hours: int
    confidence: str
    severity: str
    source: str
    contacts_affected: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "jurisdiction": self.jurisdiction,
            "message": self.message,
            "calls": self.calls,
            "max_calls": self.max_calls,
            "period_hours": self.period_hours,
            "confidence": self.confidence,
            "severity": self.severity,
            "source": self.source,
            "contacts_affected": self.contacts_affected,
        }


def calls_within(max_attempts: int, retry_interval_ms: int, period_hours: int) -> int:
    """The most attempts, `retry_interval_ms` apart, that fit inside any period of `period_hours`."""
    period_ms = period_hours * 3_600_000
    return min(max_attempts, math.ceil(period_ms / max(1, retry_interval_ms)))


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


def retry_policy_findings(
    max_attempts: int,
    retry_interval_ms: int,
    *,
    jurisdictions: Sequence[str | Jurisdiction] | None = None,
    breakdown: Sequence[dict[str, Any]] | None = None,
    debt_collection: bool | None = None,
    as_of: date | None = None,
    until: date | None = None,
    rules: RuleSet | None = None,
) -> list[RetryFinding]:
    """Findings for each frequency limit the policy can exceed inside the limit's period.

    State limits apply when their state is among the jurisdictions or the breakdown's states. Regulation F
    applies to debt collection only: an error when `debt_collection` is True, a warning when it is unknown
    (None), nothing when False. A limit counts when it is in effect on any date from `as_of` (today) to `until`
    (the end of the schedule's effective period; `as_of` alone when not given); one that starts later says from
    when.
    """
    rules = rules or load_rules()
    as_of = as_of or datetime.now(UTC).date()
    until = max(as_of, until or as_of)
    codes = _states(jurisdictions, breakdown)
    findings = []
    for limit in rules.frequency_limits:
        starts = limit.first_day_between(as_of, until)
        if starts is None:
            continue
        if limit.scope == DEBT_COLLECTION and debt_collection is False:
            continue
        applies, contacts = _limit_applies(limit, codes)
        if not applies:
            continue
        calls = calls_within(max_attempts, retry_interval_ms, limit.period_hours)
        if calls <= limit.max_calls:
            continue
        severity = _severity(limit.confidence)
        scope_note = ""
        if limit.scope == DEBT_COLLECTION and debt_collection is None:
            severity = "warning"
            scope_note = " (applies if this campaign collects consumer debts)"
        period = "24 hours" if limit.period_hours == 24 else f"{limit.period_hours // 24} days"
        if starts > as_of:
            scope_note += f" (in effect from {starts:%Y-%m-%d})"
        findings.append(
            RetryFinding(
                rule=limit.id,
                jurisdiction=limit.jurisdiction,
                message=(
                    f"{limit.title}{scope_note}: {max_attempts} attempts {retry_interval_ms // 1000} s apart "
                    f"can place {calls} calls to one contact within {period}, more than {limit.max_calls}"
                ),
                calls=calls,
                max_calls=limit.max_calls,
                period_hours=limit.period_hours,
                confidence=limit.confidence,
                severity=severity,
                source=limit.source,
                contacts_affected=contacts,
            )
        )
    return findings
