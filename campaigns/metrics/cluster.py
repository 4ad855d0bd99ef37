"""The task cluster as its heartbeats show it: django-q2's Stat, which every cluster's sentinel saves every
guard cycle with a 3-second expiry. A qcluster main process whose sentinel and workers are gone (the husk seen
after an unclean stop) saves none, so it counts as no live workers however long it lingers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClusterStatus:
    clusters: int
    workers: int
    busy: int  # clusters whose sentinel says "Working"

    @property
    def state(self) -> str:
        if self.workers == 0:
            return "no live workers"
        return "working" if self.busy else "idle"

    def as_json(self) -> dict:
        return {"status": self.state, "clusters": self.clusters, "workers": self.workers, "busy": self.busy}


def cluster_status() -> ClusterStatus | None:
    """The live clusters and their workers, or None when the heartbeats cannot be read."""
    try:
        from django_q.status import Stat

        stats = Stat.get_all()
    except Exception:
        log.exception("cluster heartbeats unreadable")
        return None
    live = [stat for stat in stats if getattr(stat, "sentinel", None)]
    return ClusterStatus(
        clusters=len(live),
        workers=sum(len(getattr(stat, "workers", None) or []) for stat in live),
        busy=sum(1 for stat in live if getattr(stat, "status", "") == "Working"),
    )
