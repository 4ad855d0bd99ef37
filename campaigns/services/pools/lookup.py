"""Where each campaign draws its agents from, as the engine, the charts and the editor see it.

A campaign draws on the pool a supervisor put it in; else on the pool its skill was put in; else on its skill
itself (the mirror's one pool per skill). Pools are keyed as the engine keys them: a skill by its CXone id, a
defined pool by `AgentPool.key`; each pool's capacity is its agents, or its weekly staffing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from campaigns.models import AgentPool, Campaign, CapacityPool, PoolMember
from campaigns.scheduling.staffing import DAYS, Staffing, profile_lines


@dataclass(frozen=True)
class Pool:
    key: str
    name: str
    agents: int  # the usual number (all of them without a profile)
    capacity: int | Staffing
    defined: bool  # by a supervisor (else a CXone skill)

    @property
    def agents_text(self) -> str:
        """ "20 agents", or "4–25 agents by hour" for a staffing that varies."""
        if isinstance(self.capacity, Staffing) and self.capacity.fewest != self.capacity.most:
            return f"{self.capacity.fewest}–{self.capacity.most} agents by hour"
        return f"{self.agents} agents"

    @property
    def most(self) -> int:
        return self.capacity.most if isinstance(self.capacity, Staffing) else self.capacity


def capacity_of(pool: AgentPool) -> int | Staffing:
    """A defined pool's capacity: its weekly staffing when it has one, else its agents."""
    week = pool.staffing
    if isinstance(week, list) and len(week) == len(DAYS) and all(len(day) == 24 for day in week):
        return Staffing(pool.zone, tuple(tuple(int(v) for v in day) for day in week))
    return pool.agents


@dataclass
class PoolBook:
    """Every pool and who draws on which, read once (three queries)."""

    pools: dict[str, Pool] = field(default_factory=dict)
    by_campaign: dict[int, str] = field(default_factory=dict)  # campaign pk → defined pool key
    by_skill: dict[int, str] = field(default_factory=dict)  # skill (CapacityPool) pk → pool key

    def key_of(self, campaign_pk: int | None, skill_pk: int | None) -> str:
        """The pool a campaign draws on ("" for none)."""
        if campaign_pk is not None and campaign_pk in self.by_campaign:
            return self.by_campaign[campaign_pk]
        return self.by_skill.get(skill_pk, "") if skill_pk is not None else ""

    @property
    def capacities(self) -> dict[str, int | Staffing]:
        return {key: pool.capacity for key, pool in self.pools.items()}

    @property
    def names(self) -> dict[str, str]:
        return {key: pool.name for key, pool in self.pools.items()}


def book() -> PoolBook:
    result = PoolBook()
    skills = {}
    for pk, key, name, agents in CapacityPool.objects.values_list("pk", "cxone_skill_id", "name", "agents"):
        skills[pk] = key
        result.pools[key] = Pool(key, name, agents, agents, defined=False)
        result.by_skill[pk] = key
    for pool in AgentPool.objects.all():
        result.pools[pool.key] = Pool(pool.key, pool.name, pool.agents, capacity_of(pool), defined=True)
    for pool_id, campaign_id, skill_id in PoolMember.objects.values_list("pool_id", "campaign_id", "skill_id"):
        key = AgentPool(pk=pool_id).key
        if campaign_id is not None:
            result.by_campaign[campaign_id] = key
        elif skill_id in skills:
            result.by_skill[skill_id] = key
    return result


def names() -> dict[str, str]:
    """Every pool's name by its key: skills and defined pools (two queries)."""
    result = dict(CapacityPool.objects.values_list("cxone_skill_id", "name"))
    result.update((AgentPool(pk=pk).key, name) for pk, name in AgentPool.objects.values_list("pk", "name"))
    return result


def key_of_campaign(campaign: Campaign) -> str:
    """The key of the pool one campaign draws on ("" for none). Asks nothing of the database when the campaign
    was read with select_related("pool_membership", "pool__pool_membership") (a page of many drafts)."""
    try:
        return AgentPool(pk=campaign.pool_membership.pool_id).key
    except PoolMember.DoesNotExist:
        pass
    if campaign.pool_id is None:
        return ""
    try:
        return AgentPool(pk=campaign.pool.pool_membership.pool_id).key
    except PoolMember.DoesNotExist:
        return campaign.pool.cxone_skill_id


def pool_of(campaign: Campaign) -> Pool | None:
    """The pool one campaign draws on (None: it has no skill and no pool)."""
    pools = book()
    key = pools.key_of(campaign.pk, campaign.pool_id)
    return pools.pools.get(key) if key else None


def pools_in_use(book_: PoolBook | None = None) -> list[Pool]:
    """The pools some campaign present in CXone draws on, by name: a pool whose campaigns are all gone (or that
    has none) has nothing to plan."""
    pools = book_ or book()
    # Asked of the database, not of 10 000 rows in Python: the defined pools present campaigns were put in, and
    # the skills of the others (key_of's two rules; no ordering, which DISTINCT would otherwise group by).
    present = Campaign.objects.filter(missing_since__isnull=True).order_by()
    put_in = present.filter(pool_membership__isnull=False).values_list("pool_membership__pool_id", flat=True)
    skills = present.filter(pool_membership__isnull=True, pool__isnull=False).values_list("pool_id", flat=True)
    used = {AgentPool(pk=pool_id).key for pool_id in put_in.distinct()}
    used |= {pools.by_skill.get(skill, "") for skill in skills.distinct()}
    return sorted((p for k, p in pools.pools.items() if k in used), key=lambda p: (p.name.lower(), p.key))


def fingerprint() -> tuple:
    """Changes whenever a defined pool or its members change (for caches built from the pools)."""
    pools = AgentPool.objects.aggregate(n=Count("id"), changed=Max("updated_at"), versions=Max("lock_version"))
    members = PoolMember.objects.aggregate(
        n=Count("id"), last=Max("id"), campaigns=Count("id", filter=Q(campaign__isnull=False))
    )
    return tuple(pools.values()) + tuple(members.values())


@dataclass
class PoolCard:
    """One defined pool as the Pools page shows it."""

    pool: AgentPool
    agents_text: str
    lines: list[str]  # its staffing, as the lines a supervisor types
    campaigns: list[Campaign]
    skills: list[CapacityPool]


@dataclass
class SkillRow:
    skill: CapacityPool
    campaigns: int  # present in CXone
    drawn_into: AgentPool | None  # the defined pool it draws on, if any


def overview() -> tuple[list[PoolCard], list[SkillRow]]:
    """The Pools page: every defined pool with its members, and every skill with its campaigns and pool."""
    cards = []
    members = PoolMember.objects.select_related("campaign", "skill")
    by_pool: dict[int, list[PoolMember]] = {}
    for member in members:
        by_pool.setdefault(member.pool_id, []).append(member)
    skill_pool: dict[int, AgentPool] = {}
    for pool in AgentPool.objects.all():
        own = by_pool.get(pool.pk, [])
        capacity = capacity_of(pool)
        lines = profile_lines(capacity.week, pool.agents) if isinstance(capacity, Staffing) else []
        cards.append(
            PoolCard(
                pool,
                Pool(pool.key, pool.name, pool.agents, capacity, defined=True).agents_text,
                lines,
                sorted((m.campaign for m in own if m.campaign_id), key=lambda c: c.name.lower()),
                sorted((m.skill for m in own if m.skill_id), key=lambda s: s.name.lower()),
            )
        )
        for member in own:
            if member.skill_id:
                skill_pool[member.skill_id] = pool
    counts = dict(
        Campaign.objects.filter(missing_since__isnull=True, pool__isnull=False)
        .values_list("pool_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    skills = [
        SkillRow(skill, counts.get(skill.pk, 0), skill_pool.get(skill.pk))
        for skill in CapacityPool.objects.order_by("name")
    ]
    return cards, skills


def nothing_shared() -> bool:
    """No two campaigns draw on the same agents: no defined pool, and no skill with more than one campaign present
    in CXone (as under CXone's Admin API, where every skill is a campaign of its own). Capacity planning then
    finds nothing, and the pages say why."""
    if AgentPool.objects.exists():
        return False
    per_skill = list(
        Campaign.objects.filter(missing_since__isnull=True, pool__isnull=False)
        .values("pool_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("n", flat=True)
    )
    return bool(per_skill) and max(per_skill) <= 1
