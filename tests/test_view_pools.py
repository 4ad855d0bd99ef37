"""The Pools page: everyone reads it, supervisors define, change and remove pools, errors sit beside their
field with nothing typed lost, and a tenant where nothing shares agents is told what to do."""

import pytest
from django.urls import reverse

from campaigns.models import AgentPool, AuditEntry, CapacityPool
from campaigns.services.pools import editing
from campaigns.services.pools.editing import PoolValues
from tests.conftest import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def lone_skills(db):
    """A tenant where every skill is one campaign (CXone's Admin API)."""
    campaigns = []
    for number in range(2):
        skill = CapacityPool.objects.create(cxone_skill_id=f"S-{number}", name=f"Skill {number}", agents=20)
        campaigns.append(make_campaign(f"C-{number}", pool=skill, name=f"Outreach {number}"))
    return campaigns


def form(**fields):
    values = {"name": "Evening team", "agents": "8", "zone": "America/Chicago", "staffing": ""}
    values.update(fields)
    return values


def test_everyone_reads_the_pools_and_only_supervisors_are_offered_to_define_them(
    client, planner, manager, supervisor, lone_skills
):
    for user in (planner, manager):
        client.force_login(user)
        page = client.get(reverse("pools")).content.decode()
        assert "Skills from CXone" in page and "New pool" not in page
        assert "A supervisor can define pools here." in page
        assert client.get(reverse("pool-new")).status_code == 403
        assert client.post(reverse("pool-new"), form()).status_code == 403
    client.force_login(supervisor)
    page = client.get(reverse("pools")).content.decode()
    assert f'href="{reverse("pool-new")}"' in page
    assert "No two campaigns share agents yet" in page  # as under the Admin API


def test_a_supervisor_defines_a_pool_and_sees_it_listed(client, supervisor, lone_skills):
    client.force_login(supervisor)
    answer = client.post(
        reverse("pool-new"),
        form(staffing="Mon-Fri 08:00-18:00 12", campaigns=[str(c.pk) for c in lone_skills]),
        follow=True,
    )
    page = answer.content.decode()
    assert answer.redirect_chain == [(reverse("pools"), 302)]
    assert "Pool Evening team defined" in page
    assert "8–12 agents by hour" in page and "Mon-Fri 08:00-18:00 12" in page
    assert "Outreach 0" in page and "No two campaigns share agents yet" not in page
    assert AuditEntry.objects.filter(action="campaigns.pool.created", actor=supervisor).exists()


def test_a_refused_value_is_said_beside_its_field_and_nothing_typed_is_lost(client, supervisor, lone_skills):
    client.force_login(supervisor)
    answer = client.post(reverse("pool-new"), form(staffing="Mon 18:00-08:00 5\n", zone="Mars/Olympus"))
    page = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_zone_error"' in page and "Mars/Olympus" in page
    assert not AgentPool.objects.exists()
    answer = client.post(reverse("pool-new"), form(staffing="Mon 18:00-08:00 5"))
    page = answer.content.decode()
    assert answer.status_code == 400 and "Line 1:" in page and "ends before it starts" in page
    assert "Mon 18:00-08:00 5</textarea>" in page


def test_a_supervisor_changes_a_pool_and_a_second_one_working_on_the_same_page_is_refused(
    client, supervisor, other_supervisor, lone_skills
):
    pool = editing.define_pool(supervisor, PoolValues("Day", 8, campaigns=[lone_skills[0].pk]))
    client.force_login(other_supervisor)
    page = client.get(reverse("pool-edit", args=[pool.pk])).content.decode()
    assert 'name="lock_version" value="1"' in page and "Day" in page

    saved = client.post(reverse("pool-edit", args=[pool.pk]), form(name="Day", agents="9", lock_version="1"))
    assert saved.status_code == 302
    stale = client.post(reverse("pool-edit", args=[pool.pk]), form(name="Day", agents="3", lock_version="1"))
    assert stale.status_code == 400 and "Someone changed pool Day after you opened it" in stale.content.decode()
    assert AgentPool.objects.get(pk=pool.pk).agents == 9


def test_removing_a_pool_says_where_its_campaigns_draw_now(client, supervisor, lone_skills):
    pool = editing.define_pool(supervisor, PoolValues("Day", 8, campaigns=[lone_skills[0].pk]))
    client.force_login(supervisor)
    answer = client.post(reverse("pool-remove", args=[pool.pk]), {"lock_version": "1"}, follow=True)
    assert "Pool Day removed; its campaigns draw on their skills again." in answer.content.decode()
    assert not AgentPool.objects.exists()


def test_the_audit_trail_names_the_pool_and_links_the_pools_page(client, supervisor, lone_skills):
    pool = editing.define_pool(supervisor, PoolValues("Day", 8))
    client.force_login(supervisor)
    page = client.get(reverse("audit")).content.decode()
    assert "Pool defined" in page and f"Pool #{pool.pk}" in page and f'href="{reverse("pools")}"' in page


def test_the_capacity_pages_offer_defined_pools_and_not_empty_ones(client, supervisor, lone_skills):
    pool = editing.define_pool(supervisor, PoolValues("Shared", 8, campaigns=[c.pk for c in lone_skills]))
    client.force_login(supervisor)
    page = client.get(reverse("capacity")).content.decode()
    assert f'<option value="{pool.key}">Shared</option>' in page
    assert ">Skill 0</option>" not in page  # its one campaign draws on the shared pool now


def test_the_capacity_page_says_why_nothing_overloads_when_no_two_campaigns_share_agents(
    client, planner, supervisor, lone_skills
):
    client.force_login(planner)
    page = client.get(reverse("capacity")).content.decode()
    assert "no two campaigns share agents" in page and f'href="{reverse("pools")}"' in page
    editing.define_pool(supervisor, PoolValues("Shared", 8, campaigns=[c.pk for c in lone_skills]))
    assert "no two campaigns share agents" not in client.get(reverse("capacity")).content.decode()
