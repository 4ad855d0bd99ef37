"""Blackout calendars: named sets of days no attached campaign dials (holidays, company closures).

Supervisors write a calendar's rules as a revision; another supervisor approves it (four-eyes, as drafts). Only
an approved revision takes effect: its rules are copied onto the calendar, which is what the engine reads. A
change to an approved calendar is a new revision, and the approved rules stay in effect until it is approved.
A calendar is attached to campaigns and to defined pools (every campaign drawing on the pool).

Where a calendar applies goes through the same review: what dials is only ever what a second supervisor approved.
A revision may propose the campaigns and pools the calendar applies to (the whole selection, `changes_attachments`
set), besides or instead of its days; approval copies them onto the calendar's own `campaigns` and `pools`, the
attachments in force, which are all the engine reads (services/blackouts/days.py). The proposal lives on the
revision rather than in a model of its own because it is the same act under the same rules: one change in flight
per calendar, its author never its approver, decided on the version the reviewer saw, the trail in one history;
and one review can take a new calendar's days and where it applies together. A revision that changes only where
the calendar applies carries the days in effect unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from campaigns.models.mirror import Campaign
from campaigns.models.pools import AgentPool


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    DISCARDED = "discarded", "Discarded"  # by its author, before any review: it frees the calendar's open slot


OPEN_REVISION_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.SUBMITTED)


class BlackoutCalendar(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)  # the approved revision's
    # A ready calendar: the rules file's rule whose holiday ban it carries ("us-pa"); "" for a supervisor's own.
    ready_rule = models.CharField(max_length=40, blank=True)
    rules = models.JSONField(default=list, blank=True)  # in effect: the approved revision's (none before it)
    approved_revision = models.ForeignKey(
        "CalendarRevision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # In force: set only by approving a revision that proposes them (the engine reads these alone).
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="blackout_calendars")
    pools = models.ManyToManyField(AgentPool, blank=True, related_name="blackout_calendars")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def in_effect(self) -> bool:
        return self.approved_revision_id is not None


class CalendarRevision(models.Model):
    """One proposed change to a calendar, on its way through review: its rules, and where it applies when
    `changes_attachments` is set."""

    calendar = models.ForeignKey(BlackoutCalendar, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    description = models.TextField(blank=True)
    rules = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)  # why it was rejected
    # Where the calendar would apply once approved, when this revision changes that; otherwise the campaigns and
    # pools stay empty and the attachments in force are left as they are.
    changes_attachments = models.BooleanField(default=False)
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="+")
    pools = models.ManyToManyField(AgentPool, blank=True, related_name="+")
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["calendar", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "number"], name="calendar_revision_number_unique"),
            # One change in flight per calendar: two would each be approved over the other.
            models.UniqueConstraint(
                fields=["calendar"],
                condition=Q(status__in=["draft", "submitted"]),
                name="calendar_one_open_revision",
            ),
            models.CheckConstraint(
                condition=~Q(approver=F("author")), name="calendar_revision_approver_is_not_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calendar} revision {self.number} ({self.status})"
