"""The scheduling engine: pure Python (no ORM, no HTTP).

Cron windows in the campaign's IANA zone, DST findings, calling-hours compliance from a versioned rules file,
retry-policy frequency limits, DNC readiness, and capacity / contact-list conflicts found with a sweep line.
All arithmetic happens on UTC instants; local wall-clock values are only for input and display.
"""

from .compliance import ComplianceFinding, ComplianceReport, check_compliance
from .conflicts import CampaignLoad, Conflict, UnknownPool
from .cron import cron_errors
from .dnc import DncFinding, dnc_readiness, fcc_bounds
from .dst import DstFinding, dst_findings
from .frequency import RetryFinding, retry_policy_findings
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
from .windows import Window, clear_expansion_caches, expand_windows, isoformat_utc
from .zones import UnknownZone, canonical_zone, suggest_zones, zone_error, zone_or_utc

__all__ = [
    "DATE_RANGE",
    "date_error",
    "CampaignLoad",
    "ComplianceFinding",
    "ComplianceReport",
    "Conflict",
    "ConflictIndex",
    "DncFinding",
    "DstFinding",
    "FieldError",
    "InvalidSchedule",
    "Jurisdiction",
    "RetryFinding",
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
    "clear_expansion_caches",
    "cron_errors",
    "dnc_readiness",
    "dst_findings",
    "expand_windows",
    "fcc_bounds",
    "find_conflicts",
    "isoformat_utc",
    "jurisdiction_zones",
    "load_rules",
    "parse_jurisdiction",
    "retry_policy_findings",
    "suggest_zones",
    "validate_retry_policy",
    "validate_spec",
    "zone_error",
]
