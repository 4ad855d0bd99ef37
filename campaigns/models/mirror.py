"""The CXone mirror: campaigns as sync last read them, and the capacity pools (skills) they dial in."""

from __future__ import annotations

from django.db import models

from campaigns.scheduling.frequency import PURPOSES, TELEMARKETING

PURPOSE_CHOICES = list(PURPOSES.items())


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
    # CXone's schedule has no end (a Personal Connection skill's): effective_end is only where drafts start from,
    # and the schedule is checked as any open-ended one is.
    open_ended = models.BooleanField(default=False)
    retry_policy = models.JSONField(default=dict, blank=True)
    # Not in CXone: ours. Which frequency limits the retry policy must keep (telemarketing: the states' 3 calls in
    # 24 h; debt collection: Regulation F). Set from the draft that last went live, audited.
    purpose = models.CharField(max_length=24, choices=PURPOSE_CHOICES, default=TELEMARKETING)
    # The per-number windows of the campaign's cadences (Admin API timeConstraints), a second place where calling
    # hours live: [{"cadence": "Mobile numbers", "dayType": "Weekday", "startTime": "10:00", "endTime": "20:00"}].
    time_constraints = models.JSONField(default=list, blank=True)
    # The zones the campaign is itself set to call in CXone (a skill's active time-zone settings: IANA ids); empty
    # where its zones are only where its contacts are (v2). What a change of zones in CXone's UI moves.
    called_zones = models.JSONField(default=list, blank=True)

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
        indexes = [
            models.Index(fields=["pool", "state"]),
            # The campaign list's order (campaigns gone from CXone last, then by name): its page of 25 is read in
            # index order instead of sorting 10 000 rows on every view.
            models.Index(
                models.ExpressionWrapper(
                    models.Q(missing_since__isnull=False), output_field=models.BooleanField()
                ),
                models.F("name"),
                models.F("cxone_id"),
                name="campaign_list_order",
            ),
            # The names of the contact lists a page's conflicts mention (conflict_words.NameBook).
            models.Index(fields=["contact_list_id"], name="campaign_contact_list"),
        ]
        permissions = [("view_dashboards", "Can view the latency, conflict and capacity dashboards")]

    def __str__(self) -> str:
        return f"{self.name} ({self.cxone_id})"

    @property
    def is_missing(self) -> bool:
        return self.missing_since is not None
