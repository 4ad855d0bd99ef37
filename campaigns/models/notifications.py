"""Telling people when something needs them: one Notification per person and event (the notifications page
reads them), each person's choices, and the mail outbox the workers send from.

A notification is written in the transaction of its event, so neither commits without the other; its mail is
composed from it (one message, or one batch per five minutes for the kinds that come in bursts) and sent by a
worker from a MailMessage row, never lost with the broker or with a mail server that is down.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from campaigns.models.drafts import ScheduleDraft
from campaigns.models.mirror import Campaign


class NotificationKind(models.TextChoices):
    """The catalogue: what a person can be told of (services/notifications/catalogue.py says who and how)."""

    DRAFT_WAITING = "draft_waiting", "A draft waits for approval"
    DRAFT_APPROVED = "draft_approved", "My draft was approved"
    DRAFT_REJECTED = "draft_rejected", "My draft was rejected"
    WENT_LIVE = "went_live", "A draft went live in CXone"
    ACTIVATION_FAILED = "activation_failed", "A draft failed to go live"
    ACTIVATION_STALE = "activation_stale", "A draft went stale before going live"
    DIALLING_STOPPED = "dialling_stopped", "Dialling was stopped"
    CONTROL_ALARM = "control_alarm", "A control alarm"
    WEBHOOK_DEAD = "webhook_dead", "A WFM webhook was dead-lettered"
    WEBHOOK_GONE = "webhook_gone", "The WFM endpoint is gone"
    DRIFT_FOUND = "drift_found", "CXone drifted from the approved schedule"


class MailMessage(models.Model):
    """One email, as it will be sent: the outbox row a worker claims, sends and marks. Its Message-ID is the same
    on every attempt, so a receiving server that sees it twice (a worker killed between the server's "accepted"
    and our commit) can tell."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Given up"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"

    @staticmethod
    def new_message_id(domain: str) -> str:
        return f"<{uuid.uuid4().hex}@{domain}>"


class Notification(models.Model):
    """One event told to one person: on their notifications page (unread until they read it) and, if they want
    it by mail, in a MailMessage. `facts` hold what the words are made of (names, ids, reasons, instants in ISO),
    so that the page and the mail say it in the reader's own time zone."""

    class Mail(models.TextChoices):
        PENDING = "pending", "To be mailed"
        QUEUED = "queued", "In a mail"
        OFF = "off", "Not mailed (not wanted, or no address)"
        DROPPED = "dropped", "Not mailed (dealt with before the mail went)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # The event; with the recipient unique, so that telling of the same event twice tells nobody twice.
    event_key = models.CharField(max_length=200)
    facts = models.JSONField(default=dict, blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    draft = models.ForeignKey(
        ScheduleDraft, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(max_length=16, choices=Mail.choices, default=Mail.PENDING)
    mail_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    message = models.ForeignKey(
        MailMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event")
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → user {self.recipient_id}"


class NotificationSettings(models.Model):
    """A person's choices: the kinds they do not want by mail, and the zone their mail's times are written in
    (the browser's at their last sign-in, or the one they chose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    mail_off = models.JSONField(default=list, blank=True, help_text="Kinds not to be mailed.")
    zone = models.CharField(max_length=64, blank=True)
    zone_chosen = models.BooleanField(default=False, help_text="Chosen by the person: sign-ins keep it.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of user {self.user_id}"
