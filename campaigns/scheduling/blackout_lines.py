"""A calendar's rules as the editor shows them: one line per rule, "<when>: <name>", read back into the stored
JSON shape of blackouts.py.

    2026-12-24: Company closure
    2026-12-24 to 2027-01-01: Winter closure
    25 December observed: Christmas Day        (or "December 25"; "observed" adds the nearest weekday)
    fourth Thursday of November: US Thanksgiving
    last Monday of May: Memorial Day
    Easter - 2: Good Friday                    ("Easter: Easter Sunday", "Easter + 1: Easter Monday")
    holidays of us-pa                          (the rules file's ban; the name is optional)
"""

from __future__ import annotations

import re
from typing import Any

from .blackouts import MONTHS, ORDINALS, WEEKDAYS, BlackoutRuleError, DateRule, parse_rule
from .rules import RuleSet

__all__ = ["parse_lines", "rule_line", "rules_text"]

_ISO = r"(\d{4}-\d{2}-\d{2})"
_MONTH_NAMES = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NAMES.update({name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)})
_WEEKDAY_NAMES = {name.lower(): number for number, name in enumerate(WEEKDAYS)}
_WEEKDAY_NAMES.update({name[:3].lower(): number for number, name in enumerate(WEEKDAYS)})
_ORDINAL_NAMES = {word: nth for nth, word in ORDINALS.items()} | {
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}

_ONE_DAY = re.compile(rf"^{_ISO}$")
_RANGE = re.compile(rf"^{_ISO}\s*(?:to|–|-|\.\.)\s*{_ISO}$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"^(?:every\s+)?(\d{1,2})\s+([a-z]+)(\s+observed)?$", re.IGNORECASE)
_MONTH_DAY = re.compile(r"^(?:every\s+)?([a-z]+)\s+(\d{1,2})(\s+observed)?$", re.IGNORECASE)
_NTH = re.compile(r"^(\w+)\s+([a-z]+)\s+(?:of|in)\s+([a-z]+)$", re.IGNORECASE)
_EASTER = re.compile(r"^easter(?:\s*([+\-−])\s*(\d{1,2}))?(?:\s+days?)?$", re.IGNORECASE)
_STATE = re.compile(r"^(?:state\s+)?holidays\s+of\s+([a-z0-9\-]+)$", re.IGNORECASE)


def _month(word: str) -> int:
    number = _MONTH_NAMES.get(word.lower())
    if number is None:
        raise BlackoutRuleError(f"“{word}” is not a month")
    return number


def _entry(when: str, name: str) -> dict[str, Any]:
    if match := _ONE_DAY.match(when):
        return {"kind": "date", "date": match.group(1), "name": name}
    if match := _RANGE.match(when):
        return {"kind": "dates", "from": match.group(1), "to": match.group(2), "name": name}
    if match := _EASTER.match(when):
        offset = int(match.group(2) or 0) * (-1 if match.group(1) in ("-", "−") else 1)
        return {"kind": "easter", "offset": offset, "name": name}
    if match := _STATE.match(when):
        return {"kind": "state_holidays", "rule": match.group(1).lower(), "name": name}
    if match := _DAY_MONTH.match(when):
        day, month, observed = int(match.group(1)), _month(match.group(2)), bool(match.group(3))
        return {"kind": "yearly", "month": month, "day": day, "observed": observed, "name": name}
    if (match := _MONTH_DAY.match(when)) and match.group(1).lower() in _MONTH_NAMES:
        month, day, observed = _month(match.group(1)), int(match.group(2)), bool(match.group(3))
        return {"kind": "yearly", "month": month, "day": day, "observed": observed, "name": name}
    if match := _NTH.match(when):
        nth = _ORDINAL_NAMES.get(match.group(1).lower())
        weekday = _WEEKDAY_NAMES.get(match.group(2).lower())
        if nth is None or weekday is None:
            raise BlackoutRuleError(
                f"“{when}”: say it as “fourth Thursday of November” or “last Monday of May”"
            )
        return {
            "kind": "weekday",
            "month": _month(match.group(3)),
            "weekday": weekday,
            "nth": nth,
            "name": name,
        }
    raise BlackoutRuleError(
        f"“{when}” is not a day this calendar understands: a date (2026-12-24), a range (… to …), "
        "“25 December”, “fourth Thursday of November”, “Easter - 2” or “holidays of us-pa”"
    )


def parse_lines(text: str, ruleset: RuleSet | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The stored rules the text says, and one error per wrong line ("line 3: …"); blank lines and lines starting
    with # are skipped. Nothing is stored while there is an error."""
    entries: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        when, _, name = line.partition(":")
        try:
            rule = parse_rule(_entry(when.strip(), name.strip()), ruleset)
        except BlackoutRuleError as exc:
            errors.append(f"line {number}: {exc}")
            continue
        entries.append(rule.to_dict())
    return entries, errors


def rule_line(rule: DateRule) -> str:
    """The editor's line for a rule (parse_lines reads it back to the same rule)."""
    if rule.kind == "date":
        when = rule.day.isoformat()  # type: ignore[union-attr]
    elif rule.kind == "dates":
        when = f"{rule.day.isoformat()} to {rule.until.isoformat()}"  # type: ignore[union-attr]
    elif rule.kind == "yearly":
        when = f"{rule.month_day} {MONTHS[rule.month - 1]}" + (" observed" if rule.observed else "")
    elif rule.kind == "weekday":
        when = f"{ORDINALS[rule.nth]} {WEEKDAYS[rule.weekday]} of {MONTHS[rule.month - 1]}"
    elif rule.kind == "easter":
        when = "Easter" if not rule.offset else f"Easter {'+' if rule.offset > 0 else '-'} {abs(rule.offset)}"
    else:
        when = f"holidays of {rule.rule_id}"
    return f"{when}: {rule.name}"


def rules_text(rules: tuple[DateRule, ...]) -> str:
    return "\n".join(rule_line(rule) for rule in rules)
