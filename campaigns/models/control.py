"""Dialling control: each wanted change of a campaign's dialling (stop or start it) as a durable row, and the
orders that want them (a Stop dialling with its resume, a timed pause, a partial week's off days).

A DiallingChange is like an Activation: due at a time, claimed with a lease, sent once, confirmed by a read,
retried within the shared rate limit and swept when its worker dies. The database is the truth; the broker only
rings (campaigns/services/control/)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Min, Q

from campaigns.models.mirror import Campaign


class DiallingStop(models.Model):
    """Stop dialling: supervisors stop every campaign, or a selection, with a reason, in one action. Resume starts
    again exactly what it stopped (and is still within its schedule) once a second supervisor agrees."""

    class State(models.TextChoices):
        STOPPING = "stopping", "Stopping"
        RESUME_REQUESTED = "resume_requested", "Resume asked"
        RESUMING = "resuming", "Resuming"
        RESUMED = "resumed", "Resumed"

    reason = models.TextField()
    selection = models.JSONField(default=dict, blank=True, help_text="What was chosen, as the page said it.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.STOPPING, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resume_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resume_requested_at = models.DateTimeField(null=True, blank=True)
    resume_note = models.TextField(blank=True)
    resume_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resume_approved_by__isnull=True) | ~Q(resume_approved_by=models.F("resume_requested_by")),
                name="resume_agreed_by_a_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Stop #{self.pk} ({self.state}): {self.reason[:60]}"


class TimedPause(models.Model):
    """"Paused from … until …" for a campaign or a selection: a planner asks, a second person approves (like a
    draft), and the workers stop and start the campaigns at those instants with nobody present."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"

    campaigns = models.ManyToManyField(Campaign, related_name="timed_pauses")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="pause_ends_after_start"),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("requested_by")),
                name="pause_approver_is_not_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Pause #{self.pk} {self.starts_at:%Y-%m-%d %H:%M} → {self.ends_at:%Y-%m-%d %H:%M} ({self.status})"


class DiallingChangeQuerySet(models.QuerySet):
    """The questions the sender, the confirmer and the sweeper ask, answered in one place."""

    def in_flight(self):
        return self.filter(step__in=DiallingChange.UNFINISHED_STEPS)

    def claimable(self, now: dt.datetime):
        """Rows a sender may claim: queued and due, or sending under a lease that expired (a killed worker)."""
        due = Q(step=DiallingChange.Step.QUEUED, due_at__lte=now)
        return self.filter(due | Q(step=DiallingChange.Step.SENDING, lease_expires_at__lt=now))

    def due_for_read(self, now: dt.datetime):
        free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
        return self.filter(free, step=DiallingChange.Step.CONFIRMING, due_at__lte=now)

    def lease_expired(self, now: dt.datetime, step: str):
        return self.filter(step=step, lease_expires_at__lt=now)

    def doorbell_due(self, now: dt.datetime, grace: dt.timedelta):
        """Queued, due, and not rung within `grace` (a broker may lose a task)."""
        return self.filter(
            Q(step=DiallingChange.Step.QUEUED, due_at__lte=now)
            & (Q(doorbell_at__isnull=True) | Q(doorbell_at__lt=now - grace))
        )

    def next_due(self) -> dt.datetime | None:
        return self.in_flight().exclude(step=DiallingChange.Step.SENDING).aggregate(due=Min("due_at"))["due"]


class DiallingChange(models.Model):
    """One wanted change of one campaign's dialling: stop it or start it, due at `due_at`."""

    class Action(models.TextChoices):
        STOP = "stop", "Stop"
        START = "start", "Start"

    class Step(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        CONFIRMING = "confirming", "Waiting for CXone"
        DONE = "done", "Confirmed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Origin(models.TextChoices):
        STOP_ORDER = "stop_order", "Stop dialling"
        RESUME = "resume", "Resume"
        PARTIAL_WEEK = "partial_week", "Partial week"
        BLACKOUT = "blackout", "Blackout day"
        TIMED_PAUSE = "timed_pause", "Timed pause"
        HOLD = "hold", "Held off"

    UNFINISHED_STEPS = (Step.QUEUED, Step.SENDING, Step.CONFIRMING)
    FINISHED_STEPS = (Step.DONE, Step.FAILED, Step.CANCELLED)

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="dialling_changes")
    action = models.CharField(max_length=8, choices=Action.choices)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.QUEUED, db_index=True)
    # Stops go before starts, and both before any other CXone work (the sender asks the rate limit to hurry).
    priority = models.PositiveSmallIntegerField(default=0)
    # When the change is wanted (its first due time); due_at moves on with retries and the confirmer's reads.
    wanted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)
    stop_order = models.ForeignKey(
        DiallingStop, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    timed_pause = models.ForeignKey(
        TimedPause, on_delete=models.PROTECT, null=True, blank=True, related_name="changes"
    )
    # The off interval (partial week or timed pause) a stop holds: the alarm compares its confirmation with
    # the start of the hours it keeps silent.
    hold_until = models.DateTimeField(null=True, blank=True)
    alarm_at = models.DateTimeField(
        null=True, blank=True, help_text="A stop not confirmed by then raises the control alarm."
    )
    alarm_raised_at = models.DateTimeField(null=True, blank=True)
    # Whether the campaign was dialling when the stop order took it (Resume starts only those).
    was_running = models.BooleanField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    doorbell_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    reads = models.PositiveIntegerField(default=0)
    # Set before the request goes out and cleared once CXone answered: sent_at without answered_at is a request
    # whose outcome is unknown, which the next attempt resolves by reading the campaign first.
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DiallingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["campaign", "step"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.campaign_id} at {self.due_at:%Y-%m-%d %H:%M} ({self.step})"

    @property
    def is_finished(self) -> bool:
        return self.step in self.FINISHED_STEPS

    @property
    def wanted_state(self) -> str:
        """The campaign state a read shows once this change took: PAUSED after a stop, ACTIVE after a start."""
        return Campaign.State.PAUSED if self.action == self.Action.STOP else Campaign.State.ACTIVE


_S = DiallingChange.Step
# The steps each step may move to (the conditional UPDATE that moves a row filters on these).
CONTROL_TRANSITIONS: dict[str, set[str]] = {
    _S.QUEUED: {_S.SENDING, _S.CANCELLED},
    _S.SENDING: {_S.QUEUED, _S.CONFIRMING, _S.DONE, _S.FAILED, _S.CANCELLED},
    _S.CONFIRMING: {_S.QUEUED, _S.DONE, _S.FAILED, _S.CANCELLED},
    _S.DONE: set(),
    _S.FAILED: set(),
    _S.CANCELLED: set(),
}


def control_steps_leading_to(step: str) -> list[str]:
    return [s for s, following in CONTROL_TRANSITIONS.items() if step in following]
