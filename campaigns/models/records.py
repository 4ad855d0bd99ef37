"""What the product keeps about itself: the audit trail and its dismissed notices, the sync's status, the shared
CXone rate bucket and the metric counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from campaigns.models.mirror import Campaign


class AuditEntry(models.Model):
    """Who did what to which object, and when. Written by the service functions, never edited."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(
        max_length=100, db_index=True, help_text='Namespaced, e.g. "campaigns.draft.approved".'
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    message = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text='{"field": [before, after], ...}')

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["campaign", "-created_at"]),
            # What happened to one object (a planner's notices look up the entries of their drafts among 50 000).
            models.Index(fields=["object_type", "object_id"], name="audit_by_object"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class NoticeDismissal(models.Model):
    """A user put away one notification (an audit entry about their draft) on their landing page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_dismissals"
    )
    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="dismissals")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "entry"], name="one_dismissal_per_user_and_entry")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed audit entry {self.entry_id}"


class SyncStatus(models.Model):
    """How the campaign mirror's sync with CXone is going: one row (pk 1) that /healthz and the banner read.

    It is also the sync's claim: a sync runs only after it moved `lease_until` into the future with a
    conditional update, so two workers (a start-up sync and the schedule's) never sync at once, and a sync
    killed mid-way blocks the next one only until its lease runs out."""

    lease_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    # The last sync that read CXone's campaign list and wrote what it read: the mirror is as of this time.
    last_success_at = models.DateTimeField(null=True, blank=True)
    # Why the last sync failed, or which campaigns it could not read; empty when it read everything.
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # {cxone_id: reason} of the campaigns the last sync could not read whole (they kept their previous mirror).
    failed_campaigns = models.JSONField(default=dict, blank=True)
    last_result = models.JSONField(default=dict, blank=True)
    # CXone's lastPollTime of the last listing or change set written: a sync between full ones asks what
    # changed since it (CXONE_FULL_SYNC_SECONDS). Empty: the next sync is a full one.
    poll_marker = models.CharField(max_length=64, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "sync status"
        verbose_name_plural = "sync status"

    def __str__(self) -> str:
        return f"Campaign sync (last success {self.last_success_at or 'never'})"


class CXoneRateBucket(models.Model):
    """The shared CXone rate limit's token bucket when there is no Redis (campaigns/cxone/ratelimit.py): one row
    per CXone tenant and client id, its GCRA theoretical arrival time in epoch seconds."""

    name = models.CharField(max_length=300, primary_key=True)
    tat = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return self.name


class MetricCounter(models.Model):
    """A Prometheus counter shared by every process when there is no Redis (campaigns/metrics/counters.py): each
    process adds what it counted since its last flush with one upsert; /metrics reads the sums."""

    name = models.CharField(max_length=200, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} = {self.value}"
