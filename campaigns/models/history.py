"""What a campaign's schedule has been: every version it had (approved here, seen in CXone, kept from CXone, or
as first mirrored), and each time CXone was found running something other than the version it is held to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as django_timezone

from campaigns.models.drafts import ScheduleDraft
from campaigns.models.mirror import Campaign


class CampaignVersion(models.Model):
    """One version of a campaign's schedule, as CXone holds (or held) it. Written once, never edited.

    The version a campaign is held to (its reference) is its latest one approved here or kept from CXone, or, for
    a campaign never approved here, the one first mirrored."""

    class Source(models.TextChoices):
        FIRST_MIRRORED = "first_mirrored", "First mirrored"
        APPROVED = "approved", "Approved here"
        SEEN_IN_CXONE = "seen_in_cxone", "Seen in CXone"
        KEPT_FROM_CXONE = "kept_from_cxone", "Kept from CXone"

    REFERENCE_SOURCES = (Source.FIRST_MIRRORED, Source.APPROVED, Source.KEPT_FROM_CXONE)

    # The campaign's own history: it goes with the campaign (which the product never deletes: sync marks missing).
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="versions")
    source = models.CharField(max_length=20, choices=Source.choices)
    timezone = models.CharField("time zone", max_length=64, blank=True)
    cron_expression = models.CharField(max_length=120, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    effective_start = models.DateTimeField(null=True, blank=True)
    effective_end = models.DateTimeField(null=True, blank=True)
    retry_policy = models.JSONField(default=dict, blank=True)  # CXone's shape: {"maxAttempts": 3, ...}
    zones = models.JSONField(default=list, blank=True)  # IANA ids, sorted
    running = models.BooleanField(null=True, blank=True, help_text="Dialling (empty: CXone said neither).")
    # The skill's cadence windows (Admin API cadenceSettings timeConstraints, CXone's shape), a second place where
    # calling hours live; empty (None) on versions recorded before they were kept: not compared.
    time_constraints = models.JSONField(null=True, blank=True)
    remote_version = models.PositiveIntegerField(default=0)
    draft = models.ForeignKey(
        ScheduleDraft, on_delete=models.PROTECT, null=True, blank=True, related_name="versions",
        help_text="The approved draft this version went live from.",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="campaign_versions_decided", help_text="Who approved it, or who kept it from CXone.",
    )  # fmt: skip
    recorded_at = models.DateTimeField(default=django_timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "source"], name="version_of_campaign_by_source")]
        constraints = [
            models.UniqueConstraint(
                fields=["draft"], condition=Q(source="approved"), name="one_approved_version_per_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} version #{self.pk} of campaign {self.campaign_id}"

    @property
    def has_schedule(self) -> bool:
        return bool(self.timezone and self.cron_expression and self.duration_minutes)


class Drift(models.Model):
    """CXone was found running another schedule, retry policy, zone set or running state than the version the
    campaign is held to, and not by our own push or control. Open until someone answers it (or CXone goes back,
    or an approved draft replaces both)."""

    class Answer(models.TextChoices):
        KEPT = "kept", "Kept CXone's"
        RESTORING = "restoring", "Restore approved"
        REVERTED = "reverted", "Changed back in CXone"
        REPLACED = "replaced", "Replaced by an approved draft"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="drifts")
    seen = models.ForeignKey(
        CampaignVersion, on_delete=models.CASCADE, related_name="drifts_seen",
        help_text="What CXone runs (the latest seen, when it changed again while open).",
    )  # fmt: skip
    reference = models.ForeignKey(
        CampaignVersion, on_delete=models.CASCADE, related_name="drifts_held_to",
        help_text="The version the campaign was held to when the change was first seen.",
    )  # fmt: skip
    changed = models.JSONField(
        default=list, blank=True, help_text='What differs: ["schedule", "running", ...].'
    )
    first_seen_at = models.DateTimeField(db_index=True)
    last_seen_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    answer = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drifts_answered",
    )
    restore_draft = models.ForeignKey(
        ScheduleDraft, on_delete=models.PROTECT, null=True, blank=True, related_name="restoring_drifts"
    )
    kept = models.ForeignKey(
        CampaignVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="kept_for"
    )

    class Meta:
        ordering = ["-first_seen_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(answered_at__isnull=True), name="one_open_drift_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="drift_answered_with_an_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"Drift #{self.pk} of campaign {self.campaign_id} ({self.answer or 'open'})"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None
