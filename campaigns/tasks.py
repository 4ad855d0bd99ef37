"""django-q2 entry points: primitive arguments in, one idempotent step each, the outcome in the database.

The broker is only a doorbell (ARCHITECTURE.md): a task lost or run twice changes nothing that the next run
does not put right.
"""

from __future__ import annotations

import dataclasses

from campaigns.services import activation, control
from campaigns.services.notifications import sending as notification_mail
from campaigns.services.sync.mirror import sync_campaigns
from campaigns.services.webhooks import outbox, waiter


def sync_campaigns_task() -> dict:
    """Mirror CXone's campaigns (scheduled every few minutes by campaigns.periodic_tasks)."""
    return dataclasses.asdict(sync_campaigns())


def deliver_webhook(delivery_id: int) -> str:
    """One attempt at one WFM webhook delivery (enqueued when its event is recorded, and by the sweeper)."""
    return outbox.deliver(delivery_id)


def wait_for_webhook_retries() -> str:
    """Ring each webhook retry at its due time while one is due soon (one waiter at a time)."""
    return waiter.run(outbox.enqueue_delivery)


def sweep_webhooks_task() -> int:
    """Every minute: give due deliveries and expired leases back to the workers (campaigns.periodic_tasks)."""
    return outbox.sweep_due_deliveries()


def push_activation(activation_id: int) -> str:
    """Push one approved draft to CXone (enqueued when its approval commits, and by the sweeper)."""
    return activation.push(activation_id)


def poll_activations() -> str:
    """Read the campaigns of pushed activations until CXone says ACTIVE (one poller at a time)."""
    return activation.run()


def sweep() -> dict:
    """Every minute (campaigns.periodic_tasks): re-enqueue due work, reclaim expired leases, queue orphans."""
    return activation.sweep()


def compose_notification_mail(user_ids: list[int]) -> int:
    """Compose these people's due notification mail and ring for each message (enqueued when notifications
    commit, and by the mail sweeper); how many messages were written."""
    return len(notification_mail.compose(user_ids))


def send_notification_mail(message_id: int) -> str:
    """One attempt at one notification mail (enqueued when it is composed, and by the mail sweeper)."""
    return notification_mail.send(message_id)


def sweep_notification_mail_task() -> dict:
    """Every minute (campaigns.periodic_tasks): compose due notifications (batches whose five minutes have
    passed), send due mail (retries after a mail server was down, messages of killed workers)."""
    return notification_mail.sweep()


def send_dialling_change(change_id: int) -> str:
    """Ask CXone to stop or start one campaign's dialling (enqueued when the change is due, and by the sweeper)."""
    return control.send(change_id)


def confirm_dialling_changes(hops: int = 0) -> str:
    """Read accepted dialling changes until CXone shows them (one confirmer at a time, one standby beside it)."""
    return control.run(hops=hops)


def sweep_dialling_control() -> dict:
    """Every minute (campaigns.periodic_tasks): expired leases, lost doorbells, partial weeks ahead, late stops."""
    return control.sweep()
