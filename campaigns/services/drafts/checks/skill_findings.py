"""What a Personal Connection skill cannot hold, as findings of the editor's report (CXONE_API=admin only).

A real tenant's skill keeps one start and end time per weekday in one zone, with no dates (scheduling/weekly.py).
A schedule that does not fit is blocking, says why and proposes the nearest schedule that fits; a schedule in
another zone than the skill's times cannot be written either. Where the tenant refuses a week with a day off
(capabilities.requires_all_days, as a live tenant was reported to), the product holds such a week itself
(capabilities.holds_partial_weeks): the active days' hours are written on every day and the workers stop the
skill over the days off. The editor says so plainly, as a note; nothing blocks.

The skill's cadences may carry per-number windows (timeConstraints) that differ from the planned window: a
second place where calling hours live, reported as a warning naming the hours it adds or takes away. The
engine's other findings are not touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from campaigns.cxone.admin_settings import retry_fields_of
from campaigns.cxone.errors import ValidationFailed
from campaigns.cxone.factory import capabilities
from campaigns.scheduling import Finding, Proposal
from campaigns.scheduling.describe import weekday_text
from campaigns.scheduling.findings import SKILL
from campaigns.scheduling.weekly import WeeklySchedule, clock, fit_weekly, parse_time
from campaigns.services.schedule_values import retry_policy_of
from campaigns.services.sent_schedule import sent_retry_policy

RULE = "cxone.personal_connection"
SOURCE = "CXone Admin API: a Personal Connection skill's schedule settings"
RETRY_RULE = "cxone.retry_settings"
RETRY_SOURCE = "CXone Admin API: the skill's retry-settings (whole minutes, published ranges)"
CADENCE_RULE = "cxone.cadence_window"
CADENCE_SOURCE = "CXone Admin API: the skill's cadence settings (timeConstraints)"
# A cadence's dayType, as the days it covers (cron's numbering: 0 = Sunday).
DAY_TYPES = {
    "weekday": {1, 2, 3, 4, 5}, "weekdays": {1, 2, 3, 4, 5}, "weekend": {0, 6}, "weekends": {0, 6},
    "all": set(range(7)), "alldays": set(range(7)), "everyday": set(range(7)), "daily": set(range(7)),
    "sunday": {0}, "monday": {1}, "tuesday": {2}, "wednesday": {3}, "thursday": {4}, "friday": {5},
    "saturday": {6},
}  # fmt: skip


def admin_backend() -> bool:
    return capabilities().weekly_schedules_only


def skill_findings(
    values: dict,
    *,
    skill_zone: str | None,
    time_constraints: Iterable[dict] = (),
    now: dt.datetime | None = None,
) -> list[Finding]:
    """Findings for a valid schedule's values (cron_expression, duration_minutes, timezone, effective_start,
    effective_end); `skill_zone`: the zone the skill's times are in (the mirror's zone), if known;
    `time_constraints`: the skill's cadence windows as the mirror keeps them; `now`: when it is judged."""
    findings: list[Finding] = []
    caps = capabilities()
    fit = fit_weekly(
        values.get("cron_expression"),
        values.get("duration_minutes"),
        all_days=caps.requires_all_days and not caps.holds_partial_weeks,
    )
    if caps.requires_all_days and caps.holds_partial_weeks and fit.schedule is not None and fit.schedule.has_days_off:
        findings.append(held_week_note(fit.schedule))
    if not fit.fits:
        proposal = None
        if fit.nearest is not None and len(fit.nearest.as_cron()) == 1:
            cron, minutes = fit.nearest.as_cron()[0]
            proposal = Proposal(
                f"Use {cron} for {minutes} minutes", {"cron_expression": cron, "duration_minutes": minutes}
            )
        findings.append(Finding(SKILL, RULE, fit.message(), source=SOURCE, proposal=proposal))
    zone = values.get("timezone")
    if skill_zone and zone and zone != skill_zone:
        message = (
            f"The skill's calling times are in {skill_zone}; a schedule in {zone} cannot be written to it. "
            f"Write the same hours in {skill_zone}."
        )
        findings.append(Finding(SKILL, RULE, message, source=SOURCE))
    starts = values.get("effective_start")
    if starts and starts > (now or dt.datetime.now(dt.UTC)):
        message = (
            f"A skill's schedule has no start date: CXone dials it from the moment it is pushed, not from "
            f"{starts:%Y-%m-%d}. It is checked from now; to start later, approve it later."
        )
        findings.append(Finding(SKILL, RULE, message, source=SOURCE, advisory=True))
    if values.get("effective_end"):
        message = (
            "A skill's schedule has no end date: CXone will keep dialling on it after the effective end until "
            "someone changes it. It is checked as dialling on with no end."
        )
        findings.append(Finding(SKILL, RULE, message, source=SOURCE, advisory=True))
    week = fit.schedule or fit_weekly(values.get("cron_expression"), values.get("duration_minutes")).schedule
    if week is not None:
        findings += cadence_findings(week, time_constraints)
    return findings + retry_settings_findings(values)


def retry_settings_findings(values: dict) -> list[Finding]:
    """A blocking finding when the retry policy is one the skill's retry-settings cannot hold (an interval that
    is not whole minutes, a number outside a field's range: a draft written under v2, say): the push would be
    refused after approval, so it is refused before, with what the fields need."""
    try:
        retry_fields_of(sent_retry_policy(retry_policy_of(values)))  # what the push would write
    except ValidationFailed as exc:
        message = f"The skill's retry settings cannot hold this retry policy: {exc}. Change it to what they hold."
        return [Finding(SKILL, RETRY_RULE, message, source=RETRY_SOURCE)]
    return []


HELD_RULE = "cxone.partial_week_held"
HELD_SOURCE = "This CXone tenant refuses a week with a day off (CXONE_ADMIN_REQUIRE_ALL_DAYS)"


def held_week_note(week: WeeklySchedule) -> Finding:
    """The plain note that the product holds this week: what CXone gets, and what the workers do."""
    message = (
        f"This CXone tenant refuses a week with a day off, so the product now holds this week ({week.describe()}): "
        f"CXone is given {week.every_day().describe()}, and the workers stop the skill when the last window before "
        "a day off closes and start it again just before the next calling day's window opens. A stop CXone has not "
        "confirmed well before a day off's hours raises an alarm."
    )
    return Finding(SKILL, HELD_RULE, message, source=HELD_SOURCE, advisory=True)


@dataclass(frozen=True)
class CadenceHours:
    """A cadence's own window on days the week dials, where it differs from the planned one (minutes after the
    skill's local midnight, days Sunday 0 as cron's)."""

    name: str
    days: frozenset[int]
    start: int
    end: int


def cadence_hours(week: WeeklySchedule, time_constraints: Iterable[dict]) -> list[tuple[CadenceHours, str]]:
    """Each cadence window that widens or narrows the planned window on a day the week dials, with the warning
    that says how (a day type we do not know is taken as every day)."""
    found = []
    for constraint in time_constraints:
        try:
            start = parse_time(constraint.get("startTime"), "startTime")
            end = parse_time(constraint.get("endTime"), "endTime")
        except ValueError:
            continue
        day_type = str(constraint.get("dayType") or "")
        days = DAY_TYPES.get(day_type.replace(" ", "").replace("_", "").casefold())
        unknown = days is None
        for window, on in week.groups():
            covered = on & (set(range(7)) if unknown else days)
            if not covered or (start, end) == (window.start, window.end):
                continue
            message = _cadence_message(constraint, day_type, covered, window, start, end, unknown)
            name = str(constraint.get("cadence") or "a cadence")
            found.append((CadenceHours(name, frozenset(covered), start, end), message))
    return found


def cadence_findings(week: WeeklySchedule, time_constraints: Iterable[dict]) -> list[Finding]:
    """A warning for each cadence window that widens or narrows the planned window on a day the week dials (its
    hours are judged too: cadence_checks.py)."""
    # A warning: whether CXone lets a cadence dial outside the skill's week is unconfirmed.
    return [
        Finding(SKILL, CADENCE_RULE, message, source=CADENCE_SOURCE, advisory=True)
        for _, message in cadence_hours(week, time_constraints)
    ]


def _cadence_message(constraint, day_type, covered, window, start, end, unknown) -> str:
    name = constraint.get("cadence") or "a cadence"
    said = [f"Cadence “{name}” dials its numbers {clock(start)}–{clock(end)} on {weekday_text(covered)}, not "
            f"the planned {window}"]  # fmt: skip
    narrower = [f"nothing {clock(window.start)}–{clock(min(start, window.end))}" if start > window.start else "",
                f"nothing {clock(max(end, window.start))}–{clock(window.end)}" if end < window.end else ""]  # fmt: skip
    wider = [f"{clock(start)}–{clock(min(window.start, end))}" if start < window.start else "",
             f"{clock(max(window.end, start))}–{clock(end)}" if end > window.end else ""]  # fmt: skip
    if any(narrower):
        said.append(f"it narrows the window for those numbers ({', '.join(p for p in narrower if p)})")
    if any(wider):
        said.append(
            f"it widens it ({', '.join(p for p in wider if p)}): CXone may let a cadence dial outside the "
            "skill's week (unconfirmed), so its hours are judged by the calling-hours checks too"
        )
    if unknown:
        said.append(f"its day type “{day_type}” is not one we know, so it is taken as every day")
    return "; ".join(said) + "."
