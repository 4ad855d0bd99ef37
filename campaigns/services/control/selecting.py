"""Which campaigns a Stop dialling or a timed pause takes: every campaign, or a selection — agent pools, time
zones called, states where contacts live, named campaigns — any campaign matching one of them."""

from __future__ import annotations

from campaigns.models import Campaign


def clean_selection(raw: dict) -> dict:
    """The selection as stored: {"all": bool, "pools": [ids], "zones": [...], "states": [...], "campaigns": [ids]}."""
    def ints(values):
        return sorted({int(v) for v in values or () if str(v).isdigit()})

    def words(values):
        return sorted({str(v).strip() for v in values or () if str(v).strip()})

    return {
        "all": bool(raw.get("all")),
        "pools": ints(raw.get("pools")),
        "zones": words(raw.get("zones")),
        "states": sorted({s.upper() for s in words(raw.get("states"))}),
        "campaigns": ints(raw.get("campaigns")),
    }


def is_empty(selection: dict) -> bool:
    return not (selection["all"] or selection["pools"] or selection["zones"] or selection["states"]
                or selection["campaigns"])  # fmt: skip


def campaigns_of(selection: dict) -> list[Campaign]:
    """The campaigns CXone still has that the selection names, by name."""
    live = Campaign.objects.filter(missing_since__isnull=True).select_related("pool_membership").order_by("name")
    if selection["all"]:
        return list(live)
    chosen = []
    zones, states = set(selection["zones"]), set(selection["states"])
    for campaign in live:
        member = getattr(campaign, "pool_membership", None)
        if (
            campaign.pk in selection["campaigns"]
            or (member is not None and member.pool_id in selection["pools"])
            or (zones and (campaign.timezone in zones or zones & set(campaign.called_zones or ())))
            or (states and states & _contact_states(campaign))
        ):
            chosen.append(campaign)
    return chosen


def describe(selection: dict, pool_names: dict[int, str] | None = None) -> str:
    """The selection in words, for the history and the pages."""
    if selection["all"]:
        return "every campaign"
    parts = []
    if selection["pools"]:
        names = [(pool_names or {}).get(p, f"pool {p}") for p in selection["pools"]]
        parts.append("pools " + ", ".join(names))
    if selection["zones"]:
        parts.append("zones " + ", ".join(selection["zones"]))
    if selection["states"]:
        parts.append("contacts in " + ", ".join(selection["states"]))
    if selection["campaigns"]:
        parts.append(f"{len(selection['campaigns'])} named campaign(s)")
    return "; ".join(parts)


def _contact_states(campaign: Campaign) -> set[str]:
    return {str(row.get("state", "")).upper() for row in campaign.contact_list_breakdown or () if isinstance(row, dict)}
