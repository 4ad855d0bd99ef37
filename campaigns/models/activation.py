"""Activations (an approved draft pushed to CXone and watched until ACTIVE) and the leases workers hold."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Min, Q

from campaigns.models.drafts import ScheduleDraft
from campaigns.models.mirror import Campaign


class ActivationQuerySet(models.QuerySet):
    """The questions the push, the poller and the sweeper ask of activations, answered in one place."""

    def in_flight(self):
        return self.filter(step__in=Activation.UNFINISHED_STEPS)

    def claimable(self, now: dt.datetime):
        """Rows a push may claim: queued and due, or pushing under a lease that expired (a killed worker)."""
        due = Q(step=Activation.Step.QUEUED) & (Q(due_at__isnull=True) | Q(due_at__lte=now))
        return self.filter(due | Q(step=Activation.Step.PUSHING, lease_expires_at__lt=now))

    def due_for_poll(self, soon: dt.datetime, now: dt.datetime):
        """Pushed rows whose next read is due by `soon` and that no poll round holds."""
        free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
        return self.filter(free, step=Activation.Step.POLLING, due_at__lte=soon)

    def lease_expired(self, now: dt.datetime, step: str):
        """Rows of `step` whose holder stopped renewing its lease."""
        return self.filter(step=step, lease_expires_at__lt=now)

    def doorbell_due(self, now: dt.datetime, grace: dt.timedelta):
        """Queued rows that are due and whose push task was not enqueued within `grace` (a broker may lose it)."""
        return self.filter(
            Q(step=Activation.Step.QUEUED)
            & (Q(due_at__isnull=True) | Q(due_at__lte=now))
            & (Q(doorbell_at__isnull=True) | Q(doorbell_at__lt=now - grace))
        )

    def next_poller_due(self) -> dt.datetime | None:
        """When the poller has something to do next: a read, or a push whose backoff ends (None: nothing)."""
        waiting = Q(step=Activation.Step.POLLING) | Q(step=Activation.Step.QUEUED, due_at__isnull=False)
        return self.filter(waiting).aggregate(due=Min("due_at"))["due"]


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
    # When the row is next due: a queued row's next push attempt (after CXone said "locked" or "slow down";
    # empty = now), a polling row's next read.
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
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

    objects = ActivationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The activations page reads the newest 50 of 100 000 and the dashboards count by approval: no sort of all.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="activation_newest_first"),
            models.Index(fields=["approved_at"], name="activation_by_approval"),
        ]
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


_S = Activation.Step
# The activation's steps, beside the draft's state machine (models/drafts.py, DRAFT_TRANSITIONS): the steps each
# step may move to. A push claims a queued row (or one whose worker died); it goes back to queued to wait out a
# lock or a rate limit, on to polling once CXone took the PUT, or ends; a poll round ends a polling row.
STEP_TRANSITIONS: dict[str, set[str]] = {
    _S.QUEUED: {_S.PUSHING},
    _S.PUSHING: {_S.QUEUED, _S.POLLING, _S.FAILED, _S.STALE},
    _S.POLLING: {_S.ACTIVE, _S.FAILED, _S.STALE},
    _S.ACTIVE: set(),
    _S.FAILED: set(),
    _S.STALE: set(),
}


def steps_leading_to(step: str) -> list[str]:
    """The steps from which an activation may move to `step` (for the conditional UPDATE that moves it)."""
    return [s for s, following in STEP_TRANSITIONS.items() if step in following]


class WorkerLease(models.Model):
    """A named lease held by one worker at a time (the activation poller): a conditional UPDATE claims it, and
    a holder that dies loses it when it expires."""

    name = models.CharField(max_length=64, primary_key=True)
    owner = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} held by {self.owner or 'nobody'} until {self.expires_at}"
