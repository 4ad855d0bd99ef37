"""Ringing the control workers: a task carries only a change's id (or nothing, for the confirmer). A broker that
is down or loses a message costs time, never a change: the sweeper rings again."""

from __future__ import annotations

import logging

from django_q.tasks import async_task

from campaigns.services import leases

log = logging.getLogger(__name__)

SEND_TASK = "campaigns.tasks.send_dialling_change"
CONFIRM_TASK = "campaigns.tasks.confirm_dialling_changes"
CONFIRMER_LEASE = "dialling-confirmer"


def ring(change_id: int) -> None:
    _enqueue(SEND_TASK, change_id)


def start_confirmer(*, unless_running: bool = True, hops: int = 0) -> None:
    """Make sure a confirmer runs (a second one finds its lease taken and ends at once, or stands by beside it;
    `hops`: a standby handing itself on to another cluster)."""
    if unless_running and leases.is_held(CONFIRMER_LEASE):
        return
    if hops:
        _enqueue(CONFIRM_TASK, hops=hops)
    else:
        _enqueue(CONFIRM_TASK)


def _enqueue(func: str, *args, **kwargs) -> None:
    try:
        async_task(func, *args, **kwargs)
    except Exception:  # any broker failure: the row is saved, the sweeper will ring again
        log.warning("could not enqueue %s%s; the sweeper will", func, args, exc_info=True)
