"""What our own controls want a campaign's running state to be: the workers that stop and resume dialling (Stop
dialling, blackout days) set it, not CXone's users, so a campaign they stopped is not "changed in CXone".

Drift detection asks `running_wanted` once per check: the controls answer from their rows (the last change due
of each campaign: stopped by a stop, a pause or a day off; dialling again after a start)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from campaigns.services.control import holds


def running_wanted(
    campaign_ids: Iterable[int], since: Mapping[int, dt.datetime] | None = None
) -> dict[int, bool]:
    """campaign id → whether the product itself wants it dialling now (True) or stopped (False); a campaign
    left out is held to its reference version's running state, as is one whose last control change is older
    than that version (`since`: when each campaign's reference was recorded)."""
    return holds.running_wanted(campaign_ids, since)
