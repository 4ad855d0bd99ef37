"""Conflicts in planners' words: pools by their skill's name, contact lists by name, campaigns by name (with a
link), and one sentence per line instead of interval counts: "Adds 36 h of overload in pool Renewals, mostly
Tue–Thu 14:00–17:00 EST." The engine keys conflicts by CXone ids; this looks the names up, once per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services.pools import lookup as pools


@dataclass
class ConflictLine:
    sentence: str  # "Adds 36 h of overload in pool Renewals, mostly Tue–Thu 14:00–17:00 EST"
    detail: str  # "up to 25 agents needed, 20 available"
    subject_ref: str  # the CXone id of the pool or contact list, as secondary text
    others: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, url, CXone id)
    raw: dict = field(default_factory=dict)


class NameBook:
    """The names of the pools, campaigns and contact lists a page's conflicts mention, read as the page asks
    for them and kept for the rest of the page: a queue of drafts names its conflicts in a few small queries
    (the ids each report mentions), never by reading the names of all 10 000 campaigns."""

    def __init__(self):
        self.pools = pools.names()  # skills and the pools supervisors defined (a few dozen)
        self.campaigns: dict[str, tuple[int, str]] = {}
        self.lists: dict[str, str] = {}
        self._asked_campaigns: set[str] = set()
        self._asked_lists: set[str] = set()

    def learn(self, conflicts: list[dict]) -> None:
        """Read the names of the campaigns and contact lists `conflicts` mention that are not known yet (at
        most two queries)."""
        wanted = {cid for c in conflicts for cid in c.get("campaigns") or []} - self._asked_campaigns
        lists = {c["key"] for c in conflicts if c["kind"] != "capacity"} - self._asked_lists
        if wanted:
            self._asked_campaigns |= wanted
            for pk, cxone_id, name in Campaign.objects.filter(cxone_id__in=wanted).values_list(
                "pk", "cxone_id", "name"
            ):
                self.campaigns[cxone_id] = (pk, name)
        if lists:
            self._asked_lists |= lists
            named = (
                Campaign.objects.filter(contact_list_id__in=lists)
                .exclude(contact_list_name="")
                .values_list("contact_list_id", "contact_list_name")
                .order_by("contact_list_id", "pk")
            )
            for list_id, list_name in named:
                self.lists.setdefault(list_id, list_name)


def lines(
    conflicts: list[dict], *, relieves: bool = False, own: str | None = None, book: NameBook | None = None
) -> list[ConflictLine]:
    """One line per summarised conflict (campaigns/scheduling/summary.py). `relieves`: these are the conflicts a
    draft removes; `own`: the CXone id of the draft's campaign, left out of "with …"."""
    if not conflicts:
        return []
    book = book or NameBook()
    book.learn(conflicts)
    pools, list_names = book.pools, book.lists
    result = []
    for c in conflicts:
        capacity = c["kind"] == "capacity"
        added, removed = c.get("hours_added") or 0, c.get("hours_removed") or 0
        # Net: a draft that takes 80 h of overload away and puts 8 h back relieves 72 h. A clash that only moves
        # (as many hours added as removed) is new at its new times: say the hours it adds.
        hours = removed - added if relieves else (added - removed if added > removed else added)
        amount = hours_text(hours)
        if capacity:
            what = f"{amount} of overload in pool {pools.get(c['key'], c['key'])}"
            need = f"up to {c['peak_demand']} agents needed, {c['capacity']} available"
            if not c.get("peak_demand"):
                detail = ""
            elif relieves:  # the peak describes what remains, or what there was when nothing remains
                detail = (
                    f"where it remains, {need}"
                    if added
                    else f"up to {c['peak_demand']} agents were needed, {c['capacity']} available"
                )
            else:
                detail = need
        else:
            what = f"{amount} of dialling the same contacts on list {list_names.get(c['key'], c['key'])}"
            detail = ""
        sentence = f"{'Relieves' if relieves else 'Adds'} {what}"
        if c.get("pattern"):
            sentence += f", {'on' if c.get('pattern_share', 0) >= 0.999 else 'mostly'} {c['pattern']}"
        others = []
        for cid in c.get("campaigns") or []:
            if cid == own:
                continue
            known = book.campaigns.get(cid)
            if known:
                others.append((known[1], reverse("campaign-detail", args=[known[0]]), cid))
            else:
                others.append((cid, None, cid))
        result.append(ConflictLine(sentence, detail, c["key"], sorted(others), c))
    return result


def hours_text(hours: float) -> str:
    """36.0 → "36 h", 1.5 → "1.5 h", 0.5 → "30 min"."""
    if hours < 1:
        return f"{round(hours * 60)} min"
    return f"{hours:g} h" if hours == round(hours, 1) else f"{round(hours, 1):g} h"
