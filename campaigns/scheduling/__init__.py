"""The scheduling engine: pure Python (no ORM, no HTTP).

Cron windows in the campaign's IANA zone, DST findings, calling-hours compliance from a versioned rules file,
retry-policy frequency limits judged as each CXone backend dials, DNC readiness — all as one finding model with
one policy of what blocks (findings.py) — and capacity / contact-list conflicts found with a sweep line.
All arithmetic happens on UTC instants; local wall-clock values are only for input and display.
"""

from .budget import CHECK_SECONDS, CutShort, Deadline
from .compliance import check_compliance, contact_list_unread
from .conflicts import CampaignLoad, Conflict, UnknownPool
from .cron import cron_errors
from .dnc import dnc_readiness, fcc_bounds
from .dst import DstFinding, dst_findings
from .findings import BLOCKING, KINDS, WARNING, Finding, FindingsReport, FirstWindow, Proposal, severity_of
from .frequency import PURPOSES, TELEMARKETING, parse_purpose, retry_policy_findings
from .period import Period, period_of
from .period_compliance import check_period_compliance
from .retry import ADMIN, OUTBOUND_V2, RetryPolicy
from .rules import Jurisdiction, Rule, RuleSet, jurisdiction_zones, load_rules, parse_jurisdiction
from .spec import (
    DATE_RANGE,
    FieldError,
    InvalidSchedule,
    ScheduleSpec,
    date_error,
    validate_retry_policy,
    validate_spec,
)
from .whatif import ConflictIndex, WhatIf, find_conflicts
from .windows import Window, clear_expansion_caches, expand_instants, expand_windows, isoformat_utc
from .zones import UnknownZone, canonical_zone, suggest_zones, zone_error, zone_or_utc

__all__ = [
    "ADMIN",
    "CHECK_SECONDS",
    "CutShort",
    "Deadline",
    "Period",
    "period_of",
    "check_period_compliance",
    "BLOCKING",
    "DATE_RANGE",
    "KINDS",
    "OUTBOUND_V2",
    "PURPOSES",
    "TELEMARKETING",
    "WARNING",
    "date_error",
    "CampaignLoad",
    "Conflict",
    "ConflictIndex",
    "DstFinding",
    "FieldError",
    "Finding",
    "FindingsReport",
    "FirstWindow",
    "InvalidSchedule",
    "Jurisdiction",
    "Proposal",
    "RetryPolicy",
    "Rule",
    "RuleSet",
    "ScheduleSpec",
    "UnknownPool",
    "UnknownZone",
    "zone_or_utc",
    "WhatIf",
    "Window",
    "canonical_zone",
    "check_compliance",
    "contact_list_unread",
    "clear_expansion_caches",
    "cron_errors",
    "dnc_readiness",
    "dst_findings",
    "expand_instants",
    "expand_windows",
    "fcc_bounds",
    "find_conflicts",
    "isoformat_utc",
    "jurisdiction_zones",
    "load_rules",
    "parse_jurisdiction",
    "parse_purpose",
    "retry_policy_findings",
    "severity_of",
    "suggest_zones",
    "validate_retry_policy",
    "validate_spec",
    "zone_error",
]
