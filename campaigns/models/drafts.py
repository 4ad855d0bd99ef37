"""The drafts planners edit, and the state machine their status moves through (ARCHITECTURE.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campaigns.models.mirror import Campaign


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
# The draft's state machine (ARCHITECTURE.md): the statuses each status may move to. The activation's steps
# have their table beside it (models/activation.py, STEP_TRANSITIONS).
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
    # The Admin API's restricted calling window: at most this many calls within this many minutes (3 in 1440:
    # "3 in 24 hours"; 0: none). Empty under v2, which has no such fields.
    retry_restricted_minutes = models.PositiveIntegerField("retry: restricted calling minutes", null=True, blank=True)
    retry_restricted_max_attempts = models.PositiveSmallIntegerField(
        "retry: restricted calling max attempts", null=True, blank=True
    )
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
    behind_remote_since = models.DateTimeField(null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(retry_restricted_minutes__isnull=True) | Q(retry_restricted_minutes__lte=9999),
                name="draft_restricted_calling_minutes_fit_cxone",
            ),
            models.CheckConstraint(
                condition=Q(retry_restricted_max_attempts__isnull=True) | Q(retry_restricted_max_attempts__lte=10),
                name="draft_restricted_calling_attempts_0_to_10",
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
        policy = {
            "maxAttempts": self.retry_max_attempts,
            "retryIntervalMs": self.retry_interval_ms,
            "retryOnBusy": self.retry_on_busy,
            "retryOnNoAnswer": self.retry_on_no_answer,
        }
        if self.retry_restricted_minutes is not None:
            policy["restrictedCallingMinutes"] = self.retry_restricted_minutes
        if self.retry_restricted_max_attempts is not None:
            policy["restrictedCallingMaxAttempts"] = self.retry_restricted_max_attempts
        return policy
