"""Supervisors define pools of agents: which campaigns or skills draw on them, how many agents, a weekly
staffing profile where it varies by hour. Every change is checked here (whatever the page showed), written in one
transaction with its audit entry, and refused with the field and the reason when it cannot be."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from campaigns import roles
from campaigns.models import AgentPool, Campaign, CapacityPool, PoolMember
from campaigns.scheduling import canonical_zone, zone_error
from campaigns.scheduling.staffing import MAX_AGENTS, ProfileError, flat_week, parse_profile, profile_lines
from campaigns.services import audit
from campaigns.services.errors import DraftChanged, InvalidInput, NotAllowed

MAX_NAME = 200


@dataclass
class PoolValues:
    """What a supervisor typed for one pool."""

    name: str
    agents: int
    zone: str = "UTC"
    staffing: str = ""  # lines such as "Mon-Fri 08:00-18:00 25"; empty: the same agents at every hour
    campaigns: list[int] = field(default_factory=list)  # campaign pks
    skills: list[int] = field(default_factory=list)  # skill (CapacityPool) pks


def may_define_pools(user) -> bool:
    """Supervisors define pools (the approvers of what the pools constrain); everyone reads them."""
    return user.has_perm(roles.REVIEW_DRAFTS)


def define_pool(actor, values: PoolValues) -> AgentPool:
    _require(actor)
    name, agents, zone, week = _checked(values, pool_id=None)
    with transaction.atomic():
        campaigns, skills = _members(values, pool_id=None)
        pool = AgentPool.objects.create(name=name, agents=agents, zone=zone, staffing=week, created_by=actor)
        _set_members(pool, campaigns, skills)
        after = _described(pool, campaigns, skills)
        audit.record(
            "campaigns.pool.created",
            pool,
            actor=actor,
            message=f"Pool {name} defined: {_summary(after)}.",
            changes={k: [None, v] for k, v in after.items()},
        )
    return pool


def change_pool(pool_id: int, actor, values: PoolValues, *, lock_version: int) -> AgentPool:
    """Change a pool as it was at `lock_version`: a second supervisor's change meanwhile is never overwritten."""
    _require(actor)
    name, agents, zone, week = _checked(values, pool_id=pool_id)
    with transaction.atomic():
        pool = _locked(pool_id, lock_version)
        before = _described(pool, *_current_members(pool))
        campaigns, skills = _members(values, pool_id=pool_id)
        pool.name, pool.agents, pool.zone, pool.staffing = name, agents, zone, week
        pool.lock_version += 1
        try:
            with transaction.atomic():
                pool.save()
        except IntegrityError as exc:
            raise InvalidInput("name", f"Another pool is called {name!r}: choose another name.") from exc
        _set_members(pool, campaigns, skills)
        after = _described(pool, campaigns, skills)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if changes:
            audit.record(
                "campaigns.pool.changed",
                pool,
                actor=actor,
                message=f"Pool {name}: {_summary(after)}.",
                changes=changes,
            )
    return pool


def remove_pool(pool_id: int, actor, *, lock_version: int) -> str:
    """Remove a pool; its campaigns and skills draw on their skills' own pools again. Returns its name."""
    _require(actor)
    with transaction.atomic():
        pool = _locked(pool_id, lock_version)
        before = _described(pool, *_current_members(pool))
        audit.record(
            "campaigns.pool.removed",
            pool,
            actor=actor,
            message=f"Pool {pool.name} removed; its campaigns draw on their skills again.",
            changes={k: [v, None] for k, v in before.items()},
        )
        name = pool.name
        pool.delete()
    return name


# ---- checks ------------------------------------------------------------------------------------------------


def _require(actor) -> None:
    if not may_define_pools(actor):
        raise NotAllowed("Only supervisors define pools of agents; everyone can read them.")


def _checked(values: PoolValues, *, pool_id: int | None) -> tuple[str, int, str, list]:
    name = " ".join((values.name or "").split())
    if not name:
        raise InvalidInput("name", "Give the pool a name planners will recognise, e.g. “Evening team”.")
    if len(name) > MAX_NAME:
        raise InvalidInput("name", f"A pool's name is at most {MAX_NAME} characters.")
    if AgentPool.objects.filter(name__iexact=name).exclude(pk=pool_id).exists():
        raise InvalidInput("name", f"Another pool is called {name!r}: choose another name.")
    agents = values.agents
    if not isinstance(agents, int) or isinstance(agents, bool) or not 0 <= agents <= MAX_AGENTS:
        raise InvalidInput("agents", f"Agents: a whole number from 0 to {MAX_AGENTS:,}.")
    problem = zone_error(values.zone)
    if problem:
        raise InvalidInput("zone", problem)
    zone = canonical_zone(values.zone)
    try:
        week = parse_profile(values.staffing or "", agents)
    except ProfileError as exc:
        raise InvalidInput("staffing", str(exc)) from exc
    # A profile that says nothing but the usual number is no profile at all.
    return name, agents, zone, [] if week == flat_week(agents) else [list(day) for day in week]


def _members(values: PoolValues, *, pool_id: int | None) -> tuple[list[Campaign], list[CapacityPool]]:
    """The campaigns and skills asked for, each free or already in this pool (read under lock)."""
    campaigns = list(Campaign.objects.select_for_update().filter(pk__in=set(values.campaigns)).order_by("name"))
    skills = list(CapacityPool.objects.select_for_update().filter(pk__in=set(values.skills)).order_by("name"))
    if len(campaigns) != len(set(values.campaigns)):
        raise InvalidInput("campaigns", "Some campaigns chosen no longer exist: reload the page.")
    if len(skills) != len(set(values.skills)):
        raise InvalidInput("skills", "Some skills chosen no longer exist: reload the page.")
    taken = (
        PoolMember.objects.select_related("pool", "campaign", "skill")
        .exclude(pool_id=pool_id)
        .filter(Q(campaign__in=campaigns) | Q(skill__in=skills))
    )
    for member in taken:
        what, which = ("campaigns", member.campaign.name) if member.campaign_id else ("skills", member.skill.name)
        raise InvalidInput(
            what,
            f"{which} already draws on pool {member.pool.name}: take it out of that pool first (a campaign or "
            "skill draws on one pool).",
        )
    return campaigns, skills


def _locked(pool_id: int, lock_version: int) -> AgentPool:
    pool = AgentPool.objects.select_for_update().filter(pk=pool_id).first()
    if pool is None:
        raise InvalidInput("pool", f"There is no pool #{pool_id} (someone removed it): reload the page.")
    if pool.lock_version != lock_version:
        raise DraftChanged(
            f"Someone changed pool {pool.name} after you opened it; nothing was saved. Reload to see their "
            "change, then make yours again.",
            current_lock_version=pool.lock_version,
        )
    return pool


# ---- members and words -------------------------------------------------------------------------------------


def _set_members(pool: AgentPool, campaigns: list[Campaign], skills: list[CapacityPool]) -> None:
    pool.members.all().delete()
    PoolMember.objects.bulk_create(
        [PoolMember(pool=pool, campaign=c) for c in campaigns] + [PoolMember(pool=pool, skill=s) for s in skills]
    )


def _current_members(pool: AgentPool) -> tuple[list[Campaign], list[CapacityPool]]:
    members = list(pool.members.select_related("campaign", "skill"))
    campaigns = sorted((m.campaign for m in members if m.campaign_id), key=lambda c: c.name)
    skills = sorted((m.skill for m in members if m.skill_id), key=lambda s: s.name)
    return campaigns, skills


def _described(pool: AgentPool, campaigns: list[Campaign], skills: list[CapacityPool]) -> dict:
    """The pool as its audit entry records it: names and words, not ids."""
    week = pool.staffing
    lines = profile_lines(tuple(tuple(day) for day in week), pool.agents) if week else []
    return {
        "name": pool.name,
        "agents": pool.agents,
        "zone": pool.zone,
        "staffing": "; ".join(lines) or "the same at every hour",
        "campaigns": [f"{c.name} ({c.cxone_id})" for c in campaigns],
        "skills": [f"{s.name} ({s.cxone_skill_id})" for s in skills],
    }


def _summary(described: dict) -> str:
    members = len(described["campaigns"]) + len(described["skills"])
    return (
        f"{described['agents']} agents ({described['staffing']}, {described['zone']}), "
        f"{members} member{'s' if members != 1 else ''}"
    )
