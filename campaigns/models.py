"""The domain model: the CXone mirror, the drafts planners edit, activations, the webhook outbox and the audit trail.

Rules that must hold whatever code path writes a row (one open draft per campaign, a draft's approver is never
its author, a window lasts 1..1440 minutes, ...) are database constraints, not only form validation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class CapacityPool(models.Model):
    """A CXone skill seen as a pool of agents that campaigns dial from."""

    cxone_skill_id = models.CharField("CXone skill id", max_length=64, unique=True)
    name = models.CharField(max_length=200)
    agents = models.PositiveIntegerField(
        "agents available", default=0, help_text="How many agents can staff this pool's windows at once."
    )
    # Reserved for a weekly staffing profile ({"mon": [[start, end, agents], ...], ...}); flat `agents` until then.
    staffing_profile = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cxone_skill_id})"


class Campaign(models.Model):
    """Mirror of one CXone outbound campaign, as last read by sync. Never edited by hand."""

    class State(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        ACTIVE = "ACTIVE", "Active"
        PAUSED = "PAUSED", "Paused"
        ERROR = "ERROR", "Error"
        FAILED = "FAILED", "Failed"

    cxone_id = models.CharField("CXone id", max_length=64, unique=True)
    name = models.CharField(max_length=300)
    state = models.CharField(max_length=16, choices=State.choices, db_index=True)
    remote_version = models.PositiveIntegerField(default=0)
    pool = models.ForeignKey(
        CapacityPool,
        verbose_name="skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    agents_required = models.PositiveIntegerField(
        default=1,
        help_text="Agents this campaign's windows take from its pool (from its last approved draft).",
    )

    contact_list_id = models.CharField(max_length=64, blank=True)
    contact_list_name = models.CharField(max_length=300, blank=True)
    contact_list_size = models.PositiveIntegerField(default=0)
    # [{"state": "FL", "timezones": ["America/New_York", ...], "count": 310}, ...] — where the contacts are.
    contact_list_breakdown = models.JSONField(default=list, blank=True)

    dnc_list_id = models.CharField("DNC list id", max_length=64, blank=True)
    dnc_list_name = models.CharField("DNC list name", max_length=300, blank=True)
    dnc_list_state = models.CharField("DNC list state", max_length=16, blank=True)
    dnc_rules = models.JSONField("DNC rules", default=list, blank=True)

    # The current remote schedule, flattened for querying and display.
    timezone = models.CharField(max_length=64, blank=True)
    cron_expression = models.CharField(max_length=120, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    effective_start = models.DateTimeField(null=True, blank=True)
    effective_end = models.DateTimeField(null=True, blank=True)
    retry_policy = models.JSONField(default=dict, blank=True)

    remote_errors = models.JSONField(default=list, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    remote_activated_at = models.DateTimeField(null=True, blank=True)
    raw_payload = models.JSONField(default=dict, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # Set when a sync no longer finds the campaign in CXone: kept (drafts and audit point at it), never deleted.
    missing_since = models.DateTimeField(null=True, blank=True)

    # The findings of the current schedule over its whole effective period, stored by
    # services/campaign_findings.py when the mirror changes, so the list never checks a year per row per request.
    current_findings = models.JSONField(default=dict, blank=True)
    findings_level = models.CharField(max_length=16, blank=True, db_index=True)  # blocking|warning|clear|...
    findings_key = models.CharField(max_length=100, blank=True)  # what they were computed from (hashed)
    findings_computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "cxone_id"]
        indexes = [models.Index(fields=["pool", "state"])]
        permissions = [("view_dashboards", "Can view the latency, conflict and capacity dashboards")]

    def __str__(self) -> str:
        return f"{self.name} ({self.cxone_id})"

    @property
    def is_missing(self) -> bool:
        return self.missing_since is not None


class DraftStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    ACTIVATING = "activating", "Activating"
    ACTIVE = "active", "Active"
    FAILED = "failed", "Failed"
    STALE = "stale", "Stale"


# A campaign has at most one draft in flight: two would race each other to CXone.
OPEN_DRAFT_STATUSES = (DraftStatus.DRAFT, DraftStatus.SUBMITTED, DraftStatus.APPROVED, DraftStatus.ACTIVATING)

# The edges of ARCHITECTURE.md's state machine; services/workflow.py guards every change with it.
DRAFT_TRANSITIONS: dict[str, set[str]] = {
    DraftStatus.DRAFT: {DraftStatus.SUBMITTED, DraftStatus.STALE},
    DraftStatus.SUBMITTED: {DraftStatus.APPROVED, DraftStatus.REJECTED, DraftStatus.DRAFT, DraftStatus.STALE},
    DraftStatus.APPROVED: {DraftStatus.ACTIVATING, DraftStatus.STALE, DraftStatus.FAILED},
    DraftStatus.ACTIVATING: {DraftStatus.ACTIVE, DraftStatus.FAILED, DraftStatus.STALE},
    DraftStatus.REJECTED: set(),
    DraftStatus.ACTIVE: set(),
    # A supervisor's Retry pushes a failed draft again (a new Activation): it is activating once more. Not back
    # to approved: approving is the review's edge, and a failed draft is not up for review.
    DraftStatus.FAILED: {DraftStatus.ACTIVATING},
    DraftStatus.STALE: set(),
}


class ScheduleDraft(models.Model):
    """A planner's proposed schedule for one campaign, on its way through review to CXone."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="drafts")
    timezone = models.CharField("time zone", max_length=64)
    cron_expression = models.CharField("cron expression", max_length=120)
    duration_minutes = models.PositiveIntegerField("duration (minutes)")
    effective_start = models.DateTimeField("effective from")
    effective_end = models.DateTimeField("effective until")
    retry_max_attempts = models.PositiveSmallIntegerField("retry: max attempts", default=3)
    retry_interval_ms = models.PositiveIntegerField("retry: interval (ms)", default=60_000)
    retry_on_busy = models.BooleanField("retry on busy", default=True)
    retry_on_no_answer = models.BooleanField("retry on no answer", default=True)
    agents_required = models.PositiveIntegerField("agents required", default=1)

    base_version = models.PositiveIntegerField(
        help_text="The remote campaign version this draft was drafted from."
    )
    # The campaign's schedule as it was at base_version, so a rebase can show what CXone changed since.
    base_snapshot = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drafts_written"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drafts_reviewed",
        help_text="Who approved or rejected it.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    status_reason = models.TextField(blank=True, help_text="Why it failed or went stale.")
    # Set by sync when CXone's campaign moved past base_version; cleared by a rebase. Guards do not trust it
    # alone: they compare base_version with the campaign's remote_version, which is right even before a sync.
    stale_since = models.DateTimeField(null=True, blank=True)
    findings = models.JSONField(
        default=dict, blank=True, help_text="Validation, compliance and conflict results."
    )
    # Bumped on every save from the editor: a save carrying an older lock_version is refused, never merged.
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("submit_scheduledraft", "Can submit schedule drafts for approval"),
            ("review_scheduledraft", "Can approve or reject schedule drafts of others"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status__in=[s.value for s in OPEN_DRAFT_STATUSES]),
                name="one_open_draft_per_campaign",
                violation_error_message="This campaign already has an open draft.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=1440),
                name="draft_duration_1_to_1440_minutes",
            ),
            models.CheckConstraint(
                condition=Q(effective_start__lt=F("effective_end")), name="draft_effective_period_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(retry_max_attempts__gte=1, retry_max_attempts__lte=10),
                name="draft_retry_attempts_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(retry_interval_ms__gte=60_000), name="draft_retry_interval_min_60s"
            ),
            models.CheckConstraint(condition=Q(agents_required__gte=1), name="draft_needs_an_agent"),
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | ~Q(approver=F("author")), name="draft_four_eyes"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DraftStatus]), name="draft_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Draft #{self.pk} of {self.campaign.name} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DRAFT_STATUSES

    @property
    def is_behind_remote(self) -> bool:
        """The campaign changed in CXone after this draft was drafted from it."""
        return self.base_version != self.campaign.remote_version  # Admin API versions are fingerprints: not ordered

    def retry_policy(self) -> dict:
        """The retry policy in the CXone payload's shape."""
        return {
            "maxAttempts": self.retry_max_attempts,
            "retryIntervalMs": self.retry_interval_ms,
            "retryOnBusy": self.retry_on_busy,
            "retryOnNoAnswer": self.retry_on_no_answer,
        }


class Activation(models.Model):
    """One attempt to push an approved draft to CXone and see it become ACTIVE."""

    class Step(models.TextChoices):
        QUEUED = "queued", "Queued"
        PUSHING = "pushing", "Pushing"
        POLLING = "polling", "Waiting for ACTIVE"
        ACTIVE = "active", "Active"
        FAILED = "failed", "Failed"
        STALE = "stale", "Stale"

    UNFINISHED_STEPS = (Step.QUEUED, Step.PUSHING, Step.POLLING)
    FINISHED_STEPS = (Step.ACTIVE, Step.FAILED, Step.STALE)

    draft = models.ForeignKey(ScheduleDraft, on_delete=models.PROTECT, related_name="activations")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="activations")
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.QUEUED, db_index=True)
    # A worker owns the row until lease_expires_at; a sweeper gives expired leases to another worker.
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    poll_count = models.PositiveIntegerField(default=0)
    # When the row is next due: a queued row's next push (after CXone said "locked" or "slow down"; empty =
    # now), a polling row's next read.
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When push_activation(id) was last enqueued for a queued row: the sweeper rings again only after a grace
    # period, so a task lost by the broker delays the push but never loses it.
    doorbell_at = models.DateTimeField(null=True, blank=True)
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The CXone version this push builds on (it PUTs base_version + 1)."
    )
    # Set (committed) before the PUT goes out and pushed_at after CXone accepted it: pushed_version without
    # pushed_at is a PUT whose outcome is unknown, which the next attempt resolves by reading the campaign.
    pushed_version = models.PositiveIntegerField(null=True, blank=True)
    approved_at = models.DateTimeField()
    pushed_at = models.DateTimeField(null=True, blank=True)
    remote_activated_at = models.DateTimeField(null=True, blank=True)
    observed_active_at = models.DateTimeField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="From approval to observed ACTIVE."
    )
    outcome = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # CXone's own words: errors[] of an ERROR/FAILED campaign or the field messages of a 422, as
    # [{"field"?, "code"?, "message"}], shown to people as they are.
    remote_errors = models.JSONField(default=list, blank=True)
    retry_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retries",
        help_text="The failed activation a supervisor retried with this one.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(step__in=["queued", "pushing", "polling"]),
                name="one_unfinished_activation_per_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"Activation #{self.pk} of draft #{self.draft_id} ({self.step})"

    @property
    def is_finished(self) -> bool:
        return self.step in self.FINISHED_STEPS

    @property
    def landed(self) -> bool:
        """CXone accepted our PUT (its version is pushed_version)."""
        return self.pushed_at is not None

    @property
    def version_at_end(self) -> int | None:
        """The version CXone had when this activation ended, as far as we know: ours if the PUT landed."""
        return self.pushed_version if self.landed else self.base_version


class WorkerLease(models.Model):
    """A named lease held by one worker at a time (the activation poller): a conditional UPDATE claims it, and
    a holder that dies loses it when it expires."""

    name = models.CharField(max_length=64, primary_key=True)
    owner = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} held by {self.owner or 'nobody'} until {self.expires_at}"


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

    @property
    def webhook_id(self) -> str:
        """The `webhook-id` header: the same on every attempt and redelivery, so the receiver dedupes."""
        return str(self.idempotency_key)


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
        indexes = [models.Index(fields=["campaign", "-created_at"])]

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
