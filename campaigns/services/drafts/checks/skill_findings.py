"""What a Personal Connection skill cannot hold, as findings of the editor's report (CXONE_API=admin only).

A real tenant's skill keeps one start and end time per weekday in one zone, with no dates (scheduling/weekly.py).
A schedule that does not fit is blocking, says why and proposes the nearest schedule that fits; a schedule in
another zone than the skill's times cannot be written either. The engine's other findings are not touched.
"""

from __future__ import annotations

from campaigns.cxone.factory import capabilities
from campaigns.scheduling import Finding, Proposal
from campaigns.scheduling.findings import SKILL
from campaigns.scheduling.weekly import fit_weekly

RULE = "cxone.personal_connection"
SOURCE = "CXone Admin API: a Personal Connection skill's schedule settings"


def admin_backend() -> bool:
    return capabilities().weekly_schedules_only


def skill_findings(values: dict, *, skill_zone: str | None) -> list[Finding]:
    """Findings for a valid schedule's values (cron_expression, duration_minutes, timezone, effective_end);
    `skill_zone`: the zone the skill's times are in (the mirror's zone), if known."""
    findings: list[Finding] = []
    fit = fit_weekly(values.get("cron_expression"), values.get("duration_minutes"))
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
    if values.get("effective_end"):
        message = (
            "A skill's schedule has no end date: CXone will keep dialling on it after the effective end until "
            "someone changes it."
        )
        findings.append(Finding(SKILL, RULE, message, source=SOURCE, advisory=True))
    return findings
