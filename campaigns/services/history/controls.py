"""What our own controls want a campaign's running state to be: the workers that stop and resume dialling (Stop
dialling, blackout days) set it, not CXone's users, so a campaign they stopped is not "changed in CXone".

Drift detection asks `running_wanted` once per check. No control exists yet: nobody here wants anything, and
every campaign is held to the running state of its reference version. The controls fill this in from their rows
(the campaigns they hold stopped, and those they are resuming)."""

from __future__ import annotations

from collections.abc import Iterable


def running_wanted(campaign_ids: Iterable[int]) -> dict[int, bool]:
    """campaign id → whether the product itself wants it dialling now (True) or stopped (False); a campaign
    left out is held to its reference version's running state."""
    return {}
