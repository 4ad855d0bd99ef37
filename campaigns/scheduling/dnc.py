"""DNC readiness: the dncRules a campaign needs before it may dial, and the FCC bounds they carry.

CXone payloads carry a rule's tag at the top level ({"type": "STATE_DNC"}) or, in newer payloads, nested
under the rule's `regulatory` object ({"regulatory": {"type": "STATE_DNC"}}); both shapes are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from typing import Any

from .findings import DNC, Finding

__all__ = [
    "REQUIRED_DNC_TAGS",
    "dnc_readiness",
    "dnc_rule_type",
    "dnc_rule_value",
    "fcc_bounds",
    "parse_clock",
]

REQUIRED_DNC_TAGS = ("FCC_MIN_TIME", "FCC_MAX_TIME", "STATE_DNC")
_DESCRIPTIONS = {
    "FCC_MIN_TIME": "the earliest local calling time",
    "FCC_MAX_TIME": "the latest local calling time",
    "STATE_DNC": "state do-not-call list scrubbing",
}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?$")


def _finding(code: str, item: str, message: str) -> Finding:
    """A DNC finding: `code` says what is wrong ("dnc_rule_missing", "dnc_rule_invalid", "dnc_list_not_active"),
    `item` exactly what (a dncRules tag, or "DNC list"). CXone would dial without it: high confidence."""
    return Finding(
        kind=DNC,
        rule=code,
        message=message,
        confidence="high",
        source="the campaign's dncRules and DNC list in CXone",
        facts={"item": item},
    )


def dnc_rule_type(rule: object) -> str | None:
    """A rule's tag, from the top level or from its `regulatory` object."""
    if not isinstance(rule, dict):
        return None
    tag = rule.get("type")
    regulatory = rule.get("regulatory")
    if not tag and isinstance(regulatory, dict):
        tag = regulatory.get("type")
    return tag.strip().upper() if isinstance(tag, str) and tag.strip() else None


def dnc_rule_value(rule: dict[str, Any]) -> Any:
    if "value" in rule:
        return rule["value"]
    regulatory = rule.get("regulatory")
    return regulatory.get("value") if isinstance(regulatory, dict) else None


def parse_clock(value: object) -> time | None:
    """ "08:00", "8:00", "08:00:00", "8" or 8 → 08:00; None when it is not a clock time."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return time(value) if 0 <= value <= 23 else None
    if not isinstance(value, str):
        return None
    match = _CLOCK.match(value.strip())
    if not match:
        return None
    hour, minute, second = (int(part) if part else 0 for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _by_tag(dnc_rules: Iterable[object] | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for rule in dnc_rules or ():
        tag = dnc_rule_type(rule)
        if tag and tag not in found:
            found[tag] = rule  # type: ignore[assignment]
    return found


def fcc_bounds(dnc_rules: Iterable[object] | None) -> tuple[time | None, time | None]:
    """The FCC_MIN_TIME / FCC_MAX_TIME values of the campaign (None where absent or unreadable)."""
    tags = _by_tag(dnc_rules)
    lower = parse_clock(dnc_rule_value(tags["FCC_MIN_TIME"])) if "FCC_MIN_TIME" in tags else None
    upper = parse_clock(dnc_rule_value(tags["FCC_MAX_TIME"])) if "FCC_MAX_TIME" in tags else None
    return lower, upper


def dnc_readiness(dnc_rules: Iterable[object] | None, dnc_list_state: str | None) -> list[Finding]:
    """Blocking findings, one per thing that is missing or wrong; empty when the campaign may dial."""
    findings: list[Finding] = []
    tags = _by_tag(dnc_rules)
    for tag in REQUIRED_DNC_TAGS:
        if tag not in tags:
            findings.append(
                _finding("dnc_rule_missing", tag, f"dncRules lack {tag} ({_DESCRIPTIONS[tag]})")
            )
    bounds = {}
    for tag in ("FCC_MIN_TIME", "FCC_MAX_TIME"):
        if tag in tags:
            raw = dnc_rule_value(tags[tag])
            bounds[tag] = parse_clock(raw)
            if bounds[tag] is None:
                findings.append(
                    _finding("dnc_rule_invalid", tag, f"{tag} value {raw!r} is not a clock time (HH:MM)")
                )
    lower, upper = bounds.get("FCC_MIN_TIME"), bounds.get("FCC_MAX_TIME")
    if lower is not None and upper is not None and lower >= upper:
        findings.append(
            _finding(
                "dnc_rule_invalid",
                "FCC_MAX_TIME",
                f"FCC_MAX_TIME {upper:%H:%M} is not after FCC_MIN_TIME {lower:%H:%M}",
            )
        )
    state = dnc_list_state.strip().upper() if isinstance(dnc_list_state, str) else ""
    if state != "ACTIVE":
        shown = f"is {dnc_list_state.strip()}" if state else "is unknown"
        findings.append(
            _finding("dnc_list_not_active", "DNC list", f"the DNC list {shown}; it must be ACTIVE")
        )
    return findings
