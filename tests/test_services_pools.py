"""Supervisor-defined pools: defined, changed and removed with an audit entry each, refused with the field and the
reason, and used wherever capacity is planned (the conflict index, the editor's what-if, the capacity charts)."""

import datetime as dt

import pytest

from campaigns.models import AgentPool, AuditEntry, CapacityPool
from campaigns.scheduling.staffing import Staffing
from campaigns.services.drafts.checks import conflict_index, draft_checks
from campaigns.services.errors import DraftChanged, InvalidInput, NotAllowed
from campaigns.services.pools import editing, lookup
from campaigns.services.pools.editing import PoolValues
from campaigns.services.reports import dashboards
from tests.conftest import MONDAY_BEFORE_DECEMBER, make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def skills(db):
    """Under the Admin API every skill is a campaign: one campaign per skill, nothing shared."""
    made = []
    for number in range(3):
        skill = CapacityPool.objects.create(cxone_skill_id=f"S-{number}", name=f"Skill {number}", agents=20)
        made.append(
            make_campaign(
                f"C-{number}", pool=skill, name=f"Outreach {number}", agents_required=5, contact_list_id=f"L-{number}"
            )
        )
    return made


def test_a_supervisor_defines_a_pool_with_an_audit_entry_in_words(supervisor, skills):
    pool = editing.define_pool(
        supervisor,
        PoolValues(
            "Evening team", 8, "America/Chicago", "Mon-Fri 08:00-18:00 12", campaigns=[skills[0].pk, skills[1].pk]
        ),
    )

    assert (pool.name, pool.agents, pool.zone, pool.created_by) == ("Evening team", 8, "America/Chicago", supervisor)
    assert pool.staffing[0][8] == 12 and pool.staffing[0][7] == 8 and pool.staffing[5][8] == 8
    entry = AuditEntry.objects.get(action="campaigns.pool.created")
    assert entry.actor == supervisor and entry.object_type == "agentpool"
    assert entry.changes["campaigns"] == [None, ["Outreach 0 (C-0)", "Outreach 1 (C-1)"]]
    assert entry.changes["staffing"] == [None, "Mon-Fri 08:00-18:00 12"]
    assert "Pool Evening team defined: 8 agents" in entry.message


def test_planners_and_managers_may_read_pools_but_not_define_them(planner, manager, skills):
    for user in (planner, manager):
        with pytest.raises(NotAllowed):
            editing.define_pool(user, PoolValues("Mine", 5))
    assert not AgentPool.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        (PoolValues("  ", 5), "name", "Give the pool a name"),
        (PoolValues("P", -1), "agents", "a whole number from 0"),
        (PoolValues("P", 5, "EST"), "zone", "EST"),
        (PoolValues("P", 5, "UTC", "Mon 18-08 3"), "staffing", "Line 1:"),
    ],
)
def test_a_value_that_cannot_be_stored_is_refused_naming_its_field(supervisor, values, field, says):
    with pytest.raises(InvalidInput) as refused:
        editing.define_pool(supervisor, values)
    assert refused.value.field == field and says in refused.value.message
    assert not AgentPool.objects.exists() and not AuditEntry.objects.exists()


def test_a_campaign_draws_on_one_pool_only(supervisor, skills):
    editing.define_pool(supervisor, PoolValues("Day", 8, campaigns=[skills[0].pk]))
    with pytest.raises(InvalidInput) as refused:
        editing.define_pool(supervisor, PoolValues("Night", 8, campaigns=[skills[0].pk]))
    assert refused.value.field == "campaigns"
    assert "Outreach 0 already draws on pool Day" in refused.value.message
    with pytest.raises(InvalidInput, match="Another pool is called 'day'"):
        editing.define_pool(supervisor, PoolValues("day", 3))


def test_a_change_records_only_what_changed_and_refuses_a_stale_page(supervisor, other_supervisor, skills):
    pool = editing.define_pool(supervisor, PoolValues("Day", 8, campaigns=[skills[0].pk]))
    editing.change_pool(pool.pk, other_supervisor, PoolValues("Day", 10, campaigns=[skills[0].pk]), lock_version=1)

    entry = AuditEntry.objects.get(action="campaigns.pool.changed")
    assert entry.changes == {"agents": [8, 10]} and entry.actor == other_supervisor
    with pytest.raises(DraftChanged, match="Someone changed pool Day after you opened it"):
        editing.change_pool(pool.pk, supervisor, PoolValues("Day", 3), lock_version=1)
    assert AgentPool.objects.get(pk=pool.pk).agents == 10


def test_removing_a_pool_gives_its_campaigns_back_to_their_skills(supervisor, skills):
    pool = editing.define_pool(supervisor, PoolValues("Day", 8, campaigns=[skills[0].pk, skills[1].pk]))
    assert lookup.book().key_of(skills[0].pk, skills[0].pool_id) == pool.key

    assert editing.remove_pool(pool.pk, supervisor, lock_version=1) == "Day"
    assert lookup.book().key_of(skills[0].pk, skills[0].pool_id) == "S-0"
    removed = AuditEntry.objects.get(action="campaigns.pool.removed")
    assert removed.changes["name"] == ["Day", None]


def test_a_campaign_draws_on_its_own_pool_then_its_skills_pool_then_its_skill(supervisor, skills):
    by_skill = editing.define_pool(supervisor, PoolValues("Skill pool", 30, skills=[skills[0].pool_id]))
    own = editing.define_pool(supervisor, PoolValues("Own pool", 3, campaigns=[skills[1].pk]))
    other_of_skill0 = make_campaign("C-9", pool=skills[0].pool, name="Outreach 9")

    book = lookup.book()
    assert book.key_of(other_of_skill0.pk, skills[0].pool_id) == by_skill.key
    assert book.key_of(skills[1].pk, skills[1].pool_id) == own.key
    assert book.key_of(skills[2].pk, skills[2].pool_id) == "S-2"
    assert lookup.key_of_campaign(skills[1]) == own.key and lookup.key_of_campaign(skills[2]) == "S-2"
    assert isinstance(book.capacities[own.key], int)


def test_campaigns_of_skills_of_their_own_overload_a_pool_they_share(supervisor, skills):
    now = MONDAY_BEFORE_DECEMBER
    assert conflict_index.current(now).conflicts == []  # three skills, one campaign each: nothing shared

    editing.define_pool(supervisor, PoolValues("Shared", 8, campaigns=[c.pk for c in skills]))

    conflicts = conflict_index.current(now).conflicts  # the pool's change is seen without a restart
    assert conflicts and {c.kind for c in conflicts} == {"capacity"}
    assert conflicts[0].demand == 15 and conflicts[0].capacity == 8


def test_a_weekly_staffing_sets_the_capacity_hour_by_hour(supervisor, skills):
    # Weekdays 09:00–17:00 Chicago, 5 agents each: three campaigns need 15; the pool has 20 until noon, then 10.
    editing.define_pool(
        supervisor,
        PoolValues("Shared", 20, "America/Chicago", "Mon-Fri 12:00-24:00 10", campaigns=[c.pk for c in skills]),
    )
    conflicts = conflict_index.current(MONDAY_BEFORE_DECEMBER).conflicts
    first = conflicts[0]
    assert first.capacity == 10 and first.demand == 15
    assert first.start == dt.datetime(2026, 12, 1, 18, tzinfo=dt.UTC)  # Tue 12:00 CST
    assert first.end == dt.datetime(2026, 12, 1, 23, tzinfo=dt.UTC)  # Tue 17:00 CST


def test_the_editors_what_if_counts_a_draft_against_the_pool_its_campaign_draws_on(supervisor, skills):
    pool = editing.define_pool(supervisor, PoolValues("Shared", 10, campaigns=[skills[0].pk, skills[1].pk]))

    def added(campaign):
        values = {**draft_checks.campaign_schedule_values(campaign), "agents_required": 6}
        return draft_checks.evaluate_values(campaign, values, now=MONDAY_BEFORE_DECEMBER).conflicts_added

    assert [c["key"] for c in added(skills[0])] == [pool.key]  # 6 + 5 of 10 shared agents
    assert added(skills[2]) == []  # its skill's own 20 agents


def test_capacity_charts_plan_with_defined_pools_and_leave_out_pools_nobody_draws_on(supervisor, skills):
    editing.define_pool(
        supervisor, PoolValues("Shared", 20, "UTC", "Every day 15:00-24:00 10", campaigns=[c.pk for c in skills])
    )
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    demands = dashboards.pool_demands(start, start + dt.timedelta(days=1))

    assert [d.name for d in demands] == ["Shared"]  # the skills' own pools are left without campaigns
    shared = demands[0]
    assert shared.available[0] == 20 and shared.available[15 * 4] == 10
    assert shared.overloaded() and all(shared.available_at(i) == 10 for i in shared.overloaded())
    assert shared.label == "Shared (10–20 agents by hour)"


def test_a_pool_whose_campaigns_are_all_gone_is_left_out_of_charts_and_choices(pool, supervisor):
    make_campaign("C-1", pool=pool, missing_since=dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    assert dashboards.pool_demands(start, start + dt.timedelta(days=1)) == []
    assert lookup.pools_in_use() == []


def test_a_pools_capacity_is_its_staffing_when_it_has_one(supervisor, skills):
    pool = editing.define_pool(supervisor, PoolValues("Shared", 6, "Europe/Berlin", "Sat 10-12 2"))
    capacity = lookup.capacity_of(pool)
    assert isinstance(capacity, Staffing) and capacity.zone == "Europe/Berlin" and capacity.week[5][10] == 2
    flat = editing.define_pool(supervisor, PoolValues("Flat", 6, "UTC", "Mon 10-12 6"))  # says nothing new
    assert flat.staffing == [] and lookup.capacity_of(flat) == 6


def test_the_pools_in_use_are_those_present_campaigns_draw_on_by_either_rule(supervisor, skills):
    CapacityPool.objects.create(cxone_skill_id="S-IDLE", name="Idle skill", agents=5)  # nobody draws on it
    editing.define_pool(supervisor, PoolValues("Own pool", 10, campaigns=[skills[0].pk]))
    editing.define_pool(supervisor, PoolValues("Skill pool", 10, skills=[skills[1].pool_id]))
    make_campaign("C-GONE", pool=skills[2].pool, missing_since=dt.datetime(2026, 11, 28, tzinfo=dt.UTC))

    # Skill 0 lost its only campaign to "Own pool", skill 1 is drawn on through "Skill pool"; gone ones count not.
    assert [p.name for p in lookup.pools_in_use()] == ["Own pool", "Skill 2", "Skill pool"]
