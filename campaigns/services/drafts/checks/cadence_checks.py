"""A skill's cadence windows judged like its schedule (Admin API).

A Personal Connection skill's cadences carry time windows of their own (`timeConstraints`: a day type and hours
per phone-number cadence), a second place where calling hours live. Whether CXone lets a cadence dial outside
the skill's week is unconfirmed, so a cadence's hours are judged by the calling-hours checks as if they dialled:
the same contacts, DNC rules, period and blackout days as the schedule. A breach the schedule itself does not
have blocks (skill_findings.py warns of every cadence window that differs from the planned one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from campaigns import scheduling
from campaigns.scheduling.describe import weekday_text
from campaigns.scheduling.findings import SKILL
from campaigns.scheduling.weekly import clock, fit_weekly
from campaigns.services.drafts.checks.skill_findings import cadence_hours

RULE = "cxone.cadence_hours"
SOURCE = "The skill's cadence windows (cadence-settings timeConstraints), judged like its schedule"


def cadence_compliance(
    spec: scheduling.ScheduleSpec,
    time_constraints: Iterable[dict],
    start: dt.datetime,
    until: dt.datetime,
    *,
    blackout_days: Iterable,
    calling_hours: Callable[[scheduling.Period], scheduling.FindingsReport],
    known: Iterable[scheduling.Finding],
) -> list[scheduling.Finding]:
    """A blocking finding for each rule a cadence's hours break that the schedule (`known`) does not already,
    over the period the schedule is checked for ([start, until)). `calling_hours`: the schedule's own check (its
    contacts, DNC rules and time budget), applied to a cadence's windows."""
    week = fit_weekly(spec.cron_expression, spec.duration_minutes).schedule
    if week is None:
        return []
    already = {(f.rule, f.jurisdiction) for f in known if f.blocking}
    findings = []
    for hours, _ in cadence_hours(week, time_constraints):
        if hours.end <= hours.start:
            continue  # not a window of one day: the warning already says it differs
        cadence = scheduling.ScheduleSpec(
            cron_expression=f"{hours.start % 60} {hours.start // 60} * * {','.join(map(str, sorted(hours.days)))}",
            timezone=spec.timezone,
            duration_minutes=hours.end - hours.start,
            effective_start=spec.effective_start,
            effective_end=spec.effective_end,
        )
        dialled = scheduling.period_of(cadence, start, until).without_days(set(blackout_days))
        for found in calling_hours(dialled).findings:
            if not found.blocking or (found.rule, found.jurisdiction) in already:
                continue
            message = (
                f"Cadence “{hours.name}” dials its numbers {clock(hours.start)}–{clock(hours.end)} on "
                f"{weekday_text(set(hours.days))}, which breaks {found.rule}: {found.message}"
            )
            findings.append(scheduling.Finding(SKILL, RULE, message, source=SOURCE))
    return findings
