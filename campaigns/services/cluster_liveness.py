"""Which lease holders are dead, from django-q2's cluster heartbeats.

Every live cluster's sentinel saves a Stat (host, its own and its workers' PIDs) every guard cycle with a
3-second expiry, in the broker (Redis) or the cluster cache (ORM broker: shared by the processes of one host).
A holder that is a qcluster worker (its lease owner ends in ":qcluster", see leases.worker_id) is dead when its
host has live heartbeats and none of them lists its PID: its cluster was killed, or its worker was (a task
timeout, the OOM killer). Anything else is judged alive: a holder that is not a cluster worker (a web process, a
command), a host whose heartbeats this process cannot see, or heartbeats that cannot be read at all; those
keep waiting for their lease to expire, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django_q.status import Stat

from campaigns.services.leases import CLUSTER_WORKER_MARK

log = logging.getLogger(__name__)


def live_processes() -> dict[str, set[int]] | None:
    """host → PIDs of every live cluster process there (main, sentinel, monitor, pusher, workers); None when
    the heartbeats cannot be read."""
    clusters = cluster_processes()
    if clusters is None:
        return None
    live: dict[str, set[int]] = {}
    for host, pids in clusters:
        live.setdefault(host, set()).update(pids)
    return live


def dead_owners(owners: Iterable[str], live: dict[str, set[int]] | None = None) -> set[str]:
    """The lease owners among `owners` that are cluster workers no live heartbeat lists."""
    owners = [owner for owner in owners if owner.endswith(":" + CLUSTER_WORKER_MARK)]
    if not owners:
        return set()
    live = live_processes() if live is None else live
    if not live:
        return set()
    dead = set()
    for owner in owners:
        host, pid = _host_and_pid(owner)
        if pid is not None and host in live and pid not in live[host]:
            dead.add(owner)
    return dead


def cluster_processes() -> list[tuple[str, set[int]]] | None:
    """(host, PIDs) of each live cluster, one entry a cluster; None when the heartbeats cannot be read (then no
    lease is taken over and no standby moves)."""
    try:
        stats = Stat.get_all()
    except Exception:
        log.warning("cluster heartbeats unreadable: no lease is taken over", exc_info=True)
        return None
    found = []
    for stat in stats:
        if not getattr(stat, "sentinel", None):  # a main process whose sentinel is gone: no live workers
            continue
        pids = {int(pid) for pid in getattr(stat, "workers", None) or []}
        pids.update(
            int(pid)
            for pid in (stat.pid, stat.sentinel, getattr(stat, "monitor", 0), getattr(stat, "pusher", 0))
        )
        found.append((str(getattr(stat, "host", ""))[:40], pids))  # the host as leases.worker_id cuts it
    return found


APART, TOGETHER, ONLY_CLUSTER, UNKNOWN = "apart", "together", "only cluster", "unknown"


def placement(owner: str, other: str) -> str:
    """Where the cluster workers `owner` and `other` run: APART (different live clusters), TOGETHER (the same
    cluster, and another cluster lives), ONLY_CLUSTER (the same cluster, the only one alive), or UNKNOWN (not
    both cluster workers, not in a heartbeat yet, or heartbeats unreadable). A kill of one cluster takes every
    worker in it: a standby should wait APART from what it stands by for."""
    if not (owner.endswith(":" + CLUSTER_WORKER_MARK) and other.endswith(":" + CLUSTER_WORKER_MARK)):
        return UNKNOWN
    (host, pid), (other_host, other_pid) = _host_and_pid(owner), _host_and_pid(other)
    clusters = cluster_processes()
    if not clusters or pid is None or other_pid is None:
        return UNKNOWN
    mine = next((i for i, (h, pids) in enumerate(clusters) if h == host and pid in pids), None)
    theirs = next((i for i, (h, pids) in enumerate(clusters) if h == other_host and other_pid in pids), None)
    if mine is None or theirs is None:
        return UNKNOWN
    if mine != theirs:
        return APART
    return TOGETHER if len(clusters) > 1 else ONLY_CLUSTER


def _host_and_pid(owner: str) -> tuple[str, int | None]:
    # host:pid:random:qcluster; a host name may hold no colon (leases.worker_id cuts it at 40 characters).
    parts = owner.rsplit(":", 3)
    if len(parts) != 4:
        return "", None
    try:
        return parts[0], int(parts[1])
    except ValueError:
        return "", None
