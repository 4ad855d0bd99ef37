"""What a Personal Connection skill cannot hold, as findings of the editor's report (CXONE_API=admin only).

A real tenant's skill keeps one start and end time per weekday in one zone, with no dates (scheduling/weekly.py).
A schedule that does not fit is blocking, says why and proposes the nearest schedule that fits; a schedule in
another zone than the skill's times cannot be written either. The engine's other findings are not touched.
"""

from __future__ import annotations

from campaigns.cxone.factory import capabilities
from campaigns.scheduling.weekly import fit_weekly

RULE = "cxone.personal_connection"


def admin_backend() -> bool:
    return capabilities().weekly_schedules_only


def skill_findings(values: dict, *, skill_zone: str | None) -> list[dict]:
    """Findings for a valid schedule's values (cron_expression, duration_minutes, timezone, effective_end);
    `skill_zone`: the zone the skill's times are in (the mirror's zone), if known."""
    findings: list[dict] = []
    fit = fit_weekly(values.get("cron_expression"), values.get("duration_minutes"))
    if not fit.fits:
        row = {"severity": "error", "rule": RULE, "message": fit.message()}
        if fit.nearest is not None and len(fit.nearest.as_cron()) == 1:
            row["proposal_cron"], row["proposal_duration_minutes"] = fit.nearest.as_cron()[0]
        findings.append(row)
    zone = values.get("timezone")
    if skill_zone and zone and zone != skill_zone:
        findings.append(
            {
                "severity": "error",
                "rule": RULE,
                "message": f"The skill's calling times are in {skill_zone}; a schedule in {zone} cannot be "
                f"written to it. Write the same hours in {skill_zone}.",
            }
        )
    if values.get("effective_end"):
        findings.append(
            {
                "severity": "warning",
                "rule": RULE,
                "message": "A skill's schedule has no end date: CXone will keep dialling on it after the "
                "effective end until someone changes it.",
            }
        )
    return findings
