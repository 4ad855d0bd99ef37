"""Activations (an approved draft pushed to CXone and watched until ACTIVE) and the leases workers hold."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from campaigns.models.drafts import ScheduleDraft
from campaigns.models.mirror import Campaign


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
