"""django-q2 entry points: primitive arguments in, one idempotent step each, the outcome in the database.

The broker is only a doorbell (ARCHITECTURE.md): a task lost or run twice changes nothing that the next run
does not put right.
"""

from __future__ import annotations

import dataclasses


def sync_campaigns_task() -> dict:
    """Mirror CXone's campaigns (scheduled every few minutes by campaigns.schedules.ensure_schedules)."""
    from campaigns.services.sync import sync_campaigns

    return dataclasses.asdict(sync_campaigns())


def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one WFM webhook delivery (enqueued when its event is recorded, and by the sweeper)."""
    from campaigns.services.webhooks import deliver

    return deliver(delivery_id)


def sweep_webhooks_task() -> int:
    """Every minute: give due deliveries and expired leases back to the workers (campaigns.schedules)."""
    from campaigns.services.webhooks import sweep_due_deliveries

    return sweep_due_deliveries()


def push_activation(activation_id: int) -> str:
    """Push one approved draft to CXone (enqueued when its approval commits, and by the sweeper); then, if no
    poller runs, become it for the rest of the task's time: a poll task enqueued behind a burst of pushes would
    wait for all of them, and the activations they started would be seen late."""
    import time

    from django.conf import settings

    from campaigns.services import activation_polling
    from campaigns.services.activation import push

    started = time.monotonic()
    outcome = push(activation_id)
    left = settings.ACTIVATION_POLLER_SECONDS - (time.monotonic() - started)
    if left > 1 and activation_polling.next_due() is not None:
        outcome += f"; poller: {activation_polling.run(seconds=left)}"
    return outcome


def poll_activations() -> str:
    """Read the campaigns of pushed activations until CXone says ACTIVE (one poller at a time)."""
    from campaigns.services.activation_polling import run

    return run()


def sweep() -> dict:
    """Every minute (campaigns.schedules): re-enqueue due work, reclaim expired leases, queue orphans."""
    from campaigns.periodic import sweep as sweep_activations

    return sweep_activations()
