"""The WFM webhook outbox: endpoints and the deliveries of each event."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from campaigns.models.activation import Activation
from campaigns.models.mirror import Campaign


class WebhookEndpoint(models.Model):
    """A WFM endpoint we deliver to, flagged when it answered 410 Gone: nothing more is sent to it until someone
    resumes it (Standard Webhooks: 410 means the receiver wants no more events)."""

    url = models.URLField(max_length=500, unique=True)
    gone_at = models.DateTimeField(null=True, blank=True, help_text="When it answered 410 Gone.")
    gone_answer = models.TextField(blank=True)
    resumed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.url}{' (gone)' if self.gone_at else ''}"


# Where a delivery stands, as every page says it (the Webhooks page's badges, its filter and its counts): the
# stored status, with a pending one told apart by what happened to it so far.
THROTTLE_STATUS_CODES = (429, 502, 503, 504)  # WFM asked us to slow down (campaigns/wfm/sender.py throttles)
STATES = (
    ("waiting", "Waiting"),  # pending, not tried yet
    ("sending", "Sending"),  # a worker holds it right now
    ("retrying", "Retrying"),  # pending after a failed attempt
    ("throttled", "Throttled"),  # pending after WFM asked us to slow down
    ("delivered", "Delivered"),
    ("dead", "Dead-lettered"),
    ("gone", "Stopped: endpoint gone"),
)


def in_state(state: str, now) -> Q:
    """The deliveries in one of STATES at `now` (a query, for the filter and the counts)."""
    sending = Q(lease_expires_at__gt=now)
    throttled = Q(last_status_code__in=THROTTLE_STATUS_CODES)
    pending = Q(status="pending")
    return {
        "waiting": pending & ~sending & Q(attempts=0),
        "sending": pending & sending,
        "retrying": pending & ~sending & Q(attempts__gt=0) & ~throttled,
        "throttled": pending & ~sending & Q(attempts__gt=0) & throttled,
        "delivered": Q(status="delivered"),
        "dead": Q(status="dead"),
        "gone": Q(status="gone"),
    }[state]


class WebhookDelivery(models.Model):
    """Outbox row for one WFM event; delivered (signed, retried) by a worker, never lost with the broker."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Dead-lettered"
        GONE = "gone", "Stopped: endpoint gone"

    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=64)
    activation = models.ForeignKey(
        Activation, on_delete=models.PROTECT, null=True, blank=True, related_name="webhook_deliveries"
    )
    # The campaign the event is about: an activation's, or one changed in CXone (which has no activation).
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="webhook_deliveries"
    )
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A worker owns the row while it sends; a sweeper hands an expired lease (a killed worker) to another.
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redeliveries = models.PositiveIntegerField(default=0, help_text="How often someone asked to send it again.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The webhooks page reads the newest 50 of 200 000; the dashboards count them by day of creation.
        indexes = [models.Index(fields=["-created_at", "-id"], name="delivery_newest_first")]
        verbose_name_plural = "webhook deliveries"
        permissions = [("redeliver_webhookdelivery", "Can redeliver WFM webhooks by hand")]
        constraints = [
            models.UniqueConstraint(
                fields=["activation", "event_type"],
                condition=Q(activation__isnull=False),
                name="one_event_per_activation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.idempotency_key} ({self.status})"

    def state(self, now) -> str:
        """Which of STATES it is in at `now` (the same rule as in_state)."""
        if self.status != self.Status.PENDING:
            return self.status
        if self.lease_expires_at and self.lease_expires_at > now:
            return "sending"
        if not self.attempts:
            return "waiting"
        return "throttled" if self.last_status_code in THROTTLE_STATUS_CODES else "retrying"

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same on every attempt and redelivery, so the receiver dedupes."""
        return str(self.idempotency_key)
