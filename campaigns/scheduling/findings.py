"""One finding model for everything that judges a schedule, and the one policy of what blocks.

Calling hours, frequency limits of the retry policy, DNC readiness, what a CXone skill cannot hold and DST notes
are all a `Finding`: what kind it is, which rule, in words, the first offending window in the contact's zone and
in the campaign's, the contacts it touches, the rule's source and confidence, and (where one exists) the nearest
values that clear it. The editor, the campaign list's badge, the approval queue, approval, the push's re-check,
`schedule_check --json` and the stored findings all read this one shape.

Severity is not a field anyone sets: `severity_of` decides it from the kind and the rule's confidence, here and
nowhere else. A blocking finding is shown as an error and refuses submission, approval and the push; a warning
never blocks and never looks like an error. A new kind of finding is one more entry in KINDS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "BLOCKING",
    "KINDS",
    "WARNING",
    "FirstWindow",
    "Finding",
    "FindingsReport",
    "Kind",
    "Proposal",
    "severity_of",
]

BLOCKING, WARNING = "blocking", "warning"
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the card's heading in the editor, the prefix of a reason in the list's "why"
    empty: str  # what the editor says when there is no finding of this kind ("" hides the card then)
    advisory: bool = False  # a note about the schedule, never a breach: never blocks


CALLING_HOURS, FREQUENCY, DNC, SKILL, DST = "calling_hours", "frequency", "dnc", "skill", "dst"
# A part of the checks that ran out of time (budget.py): nothing about it is known, so it blocks like an error.
UNCHECKED = "unchecked"

# In the order the editor shows them.
KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(UNCHECKED, "Not checked", ""),
        Kind(SKILL, "Personal Connection skill", ""),
        Kind(
            CALLING_HOURS, "Calling hours", "Every window is inside the calling hours of the contacts' zones."
        ),
        Kind(FREQUENCY, "Retry policy", "The retry policy stays inside every frequency limit that applies."),
        Kind(DNC, "DNC readiness", "DNC rules and list are ready."),
        Kind(DST, "Daylight saving time", "", advisory=True),
    )
}


def severity_of(kind: str, confidence: str, *, advisory: bool = False) -> str:
    """THE policy of what blocks. A breach of a high- or medium-confidence rule blocks submission, approval and
    the push, and is shown as an error; a low-confidence rule, a DST note or an advisory is a warning."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of finding {kind!r}")
    if confidence not in CONFIDENCES:
        raise ValueError(f"unknown confidence {confidence!r}")
    if KINDS[kind].advisory or advisory or confidence == "low":
        return WARNING
    return BLOCKING


@dataclass(frozen=True)
class FirstWindow:
    """The first offending window: UTC instants, and the same in the contact's zone and the campaign's."""

    start: datetime
    end: datetime | None = None
    contact_zone: str | None = None
    local_start: datetime | None = None  # in the contact's zone
    local_end: datetime | None = None
    campaign_local_start: datetime | None = None  # in the campaign's zone
    campaign_local_end: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """The nearest values that clear a finding, applied by one click: `values` maps the names of the thing
    judged (a retry policy's fields, a schedule's cron and duration) to their new values."""

    label: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    kind: str
    rule: str
    message: str
    confidence: str = "high"
    source: str = ""
    jurisdiction: str = ""
    window: FirstWindow | None = None
    contacts_affected: int | None = None
    windows_affected: int | None = None
    advisory: bool = False  # a note, not a breach (a skill's missing end date): a warning whatever the rule
    proposal: Proposal | None = None
    facts: Mapping[str, Any] = field(
        default_factory=dict
    )  # what the kind knows besides (calls, the DNC item)

    @property
    def severity(self) -> str:
        return severity_of(self.kind, self.confidence, advisory=self.advisory)

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    @property
    def title(self) -> str:
        return KINDS[self.kind].title

    # The window's parts, for templates and for readers who do not care that it is nested.
    @property
    def window_start(self) -> datetime | None:
        return self.window.start if self.window else None

    @property
    def campaign_local_start(self) -> datetime | None:
        return self.window.campaign_local_start if self.window else None

    @property
    def campaign_local_end(self) -> datetime | None:
        return self.window.campaign_local_end if self.window else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (instants as ISO 8601 text), with the severity the policy gives it."""
        window = self.window
        return {
            "kind": self.kind,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "confidence": self.confidence,
            "source": self.source,
            "jurisdiction": self.jurisdiction,
            "window_start": _iso(window.start) if window else None,
            "window_end": _iso(window.end) if window else None,
            "contact_zone": window.contact_zone if window else None,
            "local_start": _iso(window.local_start) if window else None,
            "local_end": _iso(window.local_end) if window else None,
            "campaign_local_start": _iso(window.campaign_local_start) if window else None,
            "campaign_local_end": _iso(window.campaign_local_end) if window else None,
            "contacts_affected": self.contacts_affected,
            "windows_affected": self.windows_affected,
            "advisory": self.advisory,
            "proposal": {"label": self.proposal.label, "values": dict(self.proposal.values)}
            if self.proposal
            else None,
            "facts": dict(self.facts),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """A stored finding read back; its severity is the policy's now, not whatever was stored."""
        window = None
        if data.get("window_start"):
            window = FirstWindow(
                start=_instant(data["window_start"]),
                end=_instant(data.get("window_end")),
                contact_zone=data.get("contact_zone"),
                local_start=_instant(data.get("local_start")),
                local_end=_instant(data.get("local_end")),
                campaign_local_start=_instant(data.get("campaign_local_start")),
                campaign_local_end=_instant(data.get("campaign_local_end")),
            )
        proposal = data.get("proposal")
        return cls(
            kind=data["kind"],
            rule=data.get("rule", ""),
            message=data.get("message", ""),
            confidence=data.get("confidence", "high"),
            source=data.get("source", ""),
            jurisdiction=data.get("jurisdiction", ""),
            window=window,
            contacts_affected=data.get("contacts_affected"),
            windows_affected=data.get("windows_affected"),
            advisory=bool(data.get("advisory")),
            proposal=Proposal(proposal["label"], proposal["values"]) if proposal else None,
            facts=data.get("facts") or {},
        )


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _instant(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


def _order(finding: Finding) -> tuple:
    start = finding.window_start.timestamp() if finding.window_start else float("inf")
    return (finding.severity != BLOCKING, start, finding.rule)


@dataclass(frozen=True)
class FindingsReport:
    """Findings about one schedule, blocking ones first, each group by its first offending window."""

    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> FindingsReport:
        return cls(sorted(findings, key=_order))

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]

    @property
    def ok(self) -> bool:
        """False exactly when a blocking finding exists."""
        return not self.blocking

    def of_kind(self, kind: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind == kind]
