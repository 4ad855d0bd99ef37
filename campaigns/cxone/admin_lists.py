"""A skill's DNC group and calling lists as our DncList and ContactList. Pure: no HTTP.

- DNC groups come wrapped: {resultSet: {totalGroups, dncGroups: [...]}}; a group's size is `validRecords`.
- Calling lists: a skill dials the lists of its parameters' `callingLists: [{id, name}]`. Its contact list is
  one ContactList whose id names them all (contact_list_id: "71", or "71+75" for two), so skills dialling the
  same lists share one read. Each list's `contactRecords` carry `state`, `zip` and `timeZone`: counted into one
  breakdown row per state and zone, and a row per state marked unknown_zone for records whose zone is empty or
  not a zone (never guessed).
- A skill with no calling list has no contacts: its contact list is its zones (time-zones settings, else the
  business unit's), counted 0, so the checks still see where it may call.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from campaigns.cxone.schemas import BreakdownEntry, ContactList, DncList
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.zones import UnknownZone, canonical_zone

__all__ = [
    "ZONES_LIST_PREFIX",
    "breakdown_of",
    "calling_list_ids",
    "contact_list_id",
    "dnc_group_to_list",
    "dnc_groups_of",
    "merge_lists",
    "zones_to_contact_list",
]

ZONES_LIST_PREFIX = "skill-zones-"
LIST_SEPARATOR = "+"


def dnc_groups_of(body: Any) -> list[dict]:
    """The groups of a GET /dnc-groups or /dnc-groups/{id} answer (wrapped in resultSet)."""
    result = body.get("resultSet") if isinstance(body, dict) else None
    groups = result.get("dncGroups") if isinstance(result, dict) else None
    return [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else []


def dnc_group_to_list(group: dict) -> DncList:
    group_id = str(group.get("dncGroupId", ""))
    active = bool(group.get("isActive")) and not group.get("isRemoved")
    size = group.get("validRecords")
    return DncList(
        id=group_id,
        name=str(group.get("dncGroupName") or group_id),
        state="ACTIVE" if active else "INACTIVE",
        size=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else 0,
    )


def calling_list_ids(refs: Any) -> list[str]:
    """The list ids of a skill's `callingLists: [{id, name}]`, in order, each once."""
    ids = [str(r.get("id")) for r in refs or [] if isinstance(r, dict) and r.get("id") is not None]
    return list(dict.fromkeys(ids))


def contact_list_id(skill_id: str, list_ids: list[str]) -> str:
    """The id of the one ContactList a skill's calling lists make (its zones when it has none)."""
    return LIST_SEPARATOR.join(sorted(list_ids, key=_number)) if list_ids else f"{ZONES_LIST_PREFIX}{skill_id}"


def list_ids_of(contact_id: str) -> list[str]:
    return [part for part in contact_id.split(LIST_SEPARATOR) if part]


def _record_zone(value: Any) -> str | None:
    """A record's zone as an IANA id: CXone's zone name, or an IANA name; None when it is neither."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return iana_zone_for(value)
    except UnknownCXoneZone:
        pass
    try:
        return canonical_zone(value.strip())
    except (UnknownZone, ValueError):
        return None


def breakdown_of(records: Any) -> Counter:
    """(state, IANA zone or None) → contacts, from a list's contactRecords."""
    counts: Counter = Counter()
    for record in records or []:
        if not isinstance(record, dict):
            continue
        state = str(record.get("state") or "").strip().upper()
        counts[(state, _record_zone(record.get("timeZone")))] += 1
    return counts


def merge_lists(contact_id: str, lists: list[tuple[str, Counter]]) -> ContactList:
    """One ContactList from its calling lists' (name, counts): rows by state, then zone; unknown zones last."""
    total: Counter = Counter()
    for _, counts in lists:
        total.update(counts)
    ordered = sorted(total.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))
    rows = [
        BreakdownEntry(state=state, timezones=[zone] if zone else [], count=count, unknown_zone=None if zone else True)
        for (state, zone), count in ordered
    ]
    return ContactList(
        id=contact_id,
        name=", ".join(name for name, _ in lists) or contact_id,
        size=sum(total.values()),
        breakdown=rows,
    )


def zones_to_contact_list(skill_id: str, cxone_names: list[str]) -> ContactList:
    """A skill without a calling list: its zones as a one-row breakdown of no contacts (IANA ids). A CXone name
    the table lacks is refused loudly (UnknownCXoneZone), never guessed."""
    zones = list(dict.fromkeys(iana_zone_for(name) for name in cxone_names))
    return ContactList(
        id=f"{ZONES_LIST_PREFIX}{skill_id}",
        name=f"No calling list: the zones of skill {skill_id}",
        breakdown=[BreakdownEntry(state="", timezones=zones, count=0)] if zones else [],
    )


def _number(text: str) -> tuple[int, str]:
    return (int(text), text) if text.isdigit() else (10**18, text)
