"""The report of one schedule's checks: field errors, the next windows, the findings (the engine's one finding
model, scheduling/findings.py) and the conflicts. What the editor, the campaign page, the approval queue, the
workflow's guards, the push's re-check and the stored findings all read.

What blocks is the findings' own severity (decided in scheduling/findings.py, nowhere here) plus input that is not
a schedule at all. Conflicts never block: they are shown, not judged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.scheduling import KINDS, Finding
from campaigns.scheduling.findings import CALLING_HOURS, DNC, DST, FREQUENCY, SKILL

__all__ = ["Report", "invalid"]


@dataclass
class Report:
    """What the checks found about one schedule. `field_errors` stop everything else from being computed."""

    field_errors: dict[str, list[str]] = field(default_factory=dict)
    windows: list[dict] = field(default_factory=list)  # the first few windows of the next 14 days
    window_count: int = 0  # windows in the next 14 days
    findings: list[Finding] = field(default_factory=list)  # blocking first (FindingsReport's order)
    conflicts_added: list[dict] = field(default_factory=list)
    conflicts_removed: list[dict] = field(default_factory=list)
    horizon_start: dt.datetime | None = None  # the preview's period
    horizon_end: dt.datetime | None = None
    checked_from: dt.datetime | None = None  # the findings' period: the effective period from now
    checked_until: dt.datetime | None = None
    checked_windows: int = 0
    period_cut_short: bool = False  # the effective period runs past the checks' limit
    rules_version: str = ""  # of the calling-hours rules file the findings come from
    api: str = ""  # the CXone backend the retry policy was judged for
    cut_short: list[str] = field(
        default_factory=list
    )  # parts the time budget stopped (each a blocking finding)

    @property
    def valid(self) -> bool:
        return not self.field_errors

    def of_kind(self, kind: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind == kind]

    # One list per kind, for the pages that show a kind on its own.
    compliance = property(lambda self: self.of_kind(CALLING_HOURS))
    retry = property(lambda self: self.of_kind(FREQUENCY))
    dnc = property(lambda self: self.of_kind(DNC))
    dst = property(lambda self: self.of_kind(DST))
    skill = property(lambda self: self.of_kind(SKILL))

    @property
    def blocking_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]

    @property
    def blocking(self) -> list[str]:
        """What must change before the schedule may be submitted, approved or pushed, in words: input that is
        not a schedule, and every blocking finding (each shown as an error)."""
        problems = [f"{name}: {msg}" for name, msgs in self.field_errors.items() for msg in msgs]
        return problems + [finding.message for finding in self.blocking_findings]

    @property
    def finding_count(self) -> int:
        return len(self.findings)

    @property
    def groups(self) -> list[dict]:
        """The findings by kind in the editor's order: each kind that has findings, or something to say when
        it has none ({"kind": Kind, "findings": [...]})."""
        return [
            {"kind": kind, "findings": self.of_kind(name)}
            for name, kind in KINDS.items()
            if kind.empty or self.of_kind(name)
        ]

    def as_json(self) -> dict:
        return {
            "checked_at": timezone.now().isoformat(),
            "checked_from": _plain(self.checked_from),
            "checked_until": _plain(self.checked_until),
            "checked_windows": self.checked_windows,
            "period_cut_short": self.period_cut_short,
            "cut_short": self.cut_short,
            "rules_version": self.rules_version,
            "api": self.api,
            "blocking": self.blocking,
            "field_errors": self.field_errors,
            "findings": [finding.to_dict() for finding in self.findings],
            "conflicts_added": [_plain_row(row) for row in self.conflicts_added],
            "conflicts_removed": [_plain_row(row) for row in self.conflicts_removed],
        }


def _plain(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _plain_row(row: dict) -> dict:
    return {key: _plain(value) for key, value in row.items()}


def invalid(field_errors: dict[str, list[str]]) -> Report:
    """The report of input that is not even a schedule (the editor's form refused it): its field errors."""
    return Report(field_errors={name: [str(m) for m in messages] for name, messages in field_errors.items()})
