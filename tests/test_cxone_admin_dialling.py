"""Stopping and starting dialling under the Admin API: a skill is stopped and started (202); a stop of a skill not
running (404) and a start of one running (409) are resolved by a read and left as they are, a start while it
starts is SkillBusy (the sender waits it out); the
capabilities say how CXone words it and that this tenant's days off are held by the product."""

from __future__ import annotations

import pytest

from campaigns.cxone.errors import ServerError, SkillBusy
from campaigns.cxone.factory import run_sync
from campaigns.sandbox import create_app
from tests.cxone_support import admin_asgi_client, admin_config


@pytest.fixture
def tenant():
    return create_app(admin_config())


@pytest.fixture
def admin(tenant):
    client = admin_asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def running(tenant) -> str:
    return next(i for i, s in sorted(tenant.state.pc.skills.items()) if s.get("isRunning"))


def test_a_running_skill_is_stopped_and_a_second_stop_is_resolved_by_a_read(tenant, admin):
    skill_id = running(tenant)
    run_sync(admin.stop_dialling(skill_id))
    assert tenant.state.pc.skills[skill_id]["isRunning"] is False
    run_sync(admin.stop_dialling(skill_id))  # 404 "not running": read, and left so
    assert (run_sync(admin.get_campaign(skill_id))).state == "PAUSED"
    assert [e["state"] for e in tenant.state.stats.dialling[skill_id]] == ["PAUSED"]


def test_a_stopped_skill_is_started_after_the_delay_and_a_second_start_is_resolved_by_a_read(tenant, admin):
    skill_id = running(tenant)
    run_sync(admin.stop_dialling(skill_id))
    run_sync(admin.start_dialling(skill_id))
    with pytest.raises(SkillBusy):  # 409 while it starts, and a read that does not show it running yet
        run_sync(admin.start_dialling(skill_id))
    tenant.state.clock.advance(60)
    assert run_sync(admin.get_campaign(skill_id)).state == "ACTIVE"
    run_sync(admin.start_dialling(skill_id))  # 409 while it runs: read, and left so


def test_a_stop_or_start_answered_with_a_5xx_is_sent_once_for_the_sender_to_resolve_by_a_read(tenant, admin):
    skill_id = running(tenant)
    tenant.state.config.server_error_rate = 1.0
    for ask, route in ((admin.stop_dialling, "stop"), (admin.start_dialling, "start")):
        with pytest.raises(ServerError):
            run_sync(ask(skill_id))
        assert tenant.state.stats.count(f"POST /inContactAPI/services/{{version}}/skills/{{skill_id}}/{route}") == 1


def test_the_admin_capabilities_stop_and_start_skills_and_hold_days_off(admin):
    assert admin.capabilities.dialling_verbs == ("stop", "start")
    assert admin.capabilities.holds_partial_weeks is True
    told = admin_asgi_client(create_app(admin_config()), require_all_days=False)
    assert told.capabilities.holds_partial_weeks is False
    run_sync(told.aclose())


def test_dialling_states_read_a_few_skills_one_by_one_and_many_from_the_paged_list(tenant, admin):
    skill_id = running(tenant)
    run_sync(admin.stop_dialling(skill_id))
    ids = sorted(i for i, s in tenant.state.pc.skills.items() if s.get("outboundStrategy") == "Personal Connection")
    tenant.state.reset_stats()
    assert run_sync(admin.dialling_states([skill_id, "999999"])) == {skill_id: "PAUSED"}
    many = run_sync(admin.dialling_states(ids))
    assert many[skill_id] == "PAUSED" and set(many) == set(ids)
    reads = tenant.state.stats.as_dict()["requests"]
    assert not any("parameters" in route for route in reads)  # never the skills' parameters
