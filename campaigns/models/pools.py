"""Pools of agents as supervisors define them: which campaigns or skills draw on which agents, how many, and
a weekly staffing profile where it varies by hour.

CXone has no pool of agents shared by skills: the mirror makes one pool per skill (models/mirror.py,
CapacityPool), and under the Admin API every skill is a campaign of its own, so nothing would ever share
agents. A defined pool says who really shares them; a campaign (or every campaign of a skill) listed here draws
on it instead of on its skill.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from campaigns.models.mirror import Campaign, CapacityPool


class AgentPool(models.Model):
    name = models.CharField(max_length=200, unique=True)
    agents = models.PositiveIntegerField(
        "usual agents", help_text="How many agents the pool has whenever the staffing profile says nothing else."
    )
    zone = models.CharField(
        "time zone of the profile", max_length=64, default="UTC", help_text="The wall clock the hours are on."
    )
    # 7 × 24 agents (Monday first, hour by hour on the zone's wall clock); empty: `agents` at every hour.
    staffing = models.JSONField("weekly staffing", default=list, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
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
    def key(self) -> str:
        """The pool's id for the engine and the charts (skills keep their CXone id; this cannot be one)."""
        return f"pool-{self.pk}"


class PoolMember(models.Model):
    """A campaign, or a skill (all its campaigns), drawing on a pool. Each draws on one pool at most."""

    pool = models.ForeignKey(AgentPool, on_delete=models.CASCADE, related_name="members")
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="pool_membership"
    )
    skill = models.OneToOneField(
        CapacityPool, on_delete=models.CASCADE, null=True, blank=True, related_name="pool_membership"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(campaign__isnull=False, skill__isnull=True)
                | Q(campaign__isnull=True, skill__isnull=False),
                name="pool_member_is_a_campaign_or_a_skill",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign or self.skill} → {self.pool}"
