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
