"""Ringing the workers: a task carries only an activation's id (or nothing, for the poller). The database is the
truth; a broker that is down or loses a message costs time, never an activation: the sweeper rings again."""

from __future__ import annotations

import logging

from django_q.tasks import async_task

from campaigns.services import leases

log = logging.getLogger(__name__)

PUSH_TASK = "campaigns.tasks.push_activation"
POLL_TASK = "campaigns.tasks.poll_activations"
# The lease the one poller of the deployment holds (polling.run).
POLLER_LEASE = "activation-poller"


def ring(activation_id: int) -> None:
    """Enqueue the push of one activation."""
    _enqueue(PUSH_TASK, activation_id)


def start_poller(*, unless_running: bool = False) -> None:
    """Make sure a poller runs (a second one finds the poller lease taken and ends at once). `unless_running`
    spares the task when a poller holds its lease: it keeps watching while anything is in flight, and one that
    is just ending looks again after giving up its lease (polling.run), so nothing waits for the sweeper."""
    if unless_running and leases.is_held(POLLER_LEASE):
        return
    _enqueue(POLL_TASK)


def _enqueue(func: str, *args) -> None:
    try:
        async_task(func, *args)
    except Exception:  # any broker failure: the row is saved, the sweeper will ring again
        log.warning("could not enqueue %s%s; the sweeper will", func, args, exc_info=True)
