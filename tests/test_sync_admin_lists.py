"""Sync of a real tenant's DNC groups and calling lists (the sandbox's Admin personality in process, every
request and answer held to the contract), to what the checks judge: DNC groups read from their resultSet
wrapper, their scrubbed skills paged and a 204 taken as none, down to DNC readiness; calling-list records
counted by state and zone, down to the contacts a compliance finding says it affects."""

from __future__ import annotations

import pytest

from campaigns.cxone.factory import run_sync, set_client_factory
from campaigns.models import Campaign
from campaigns.sandbox import create_app
from campaigns.sandbox.cxone import pc_shapes
from campaigns.scheduling.findings import CALLING_HOURS, DNC
from campaigns.services import schedule_values
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.sync.mirror import sync_campaigns
from tests.cxone_support import admin_asgi_client, admin_config

pytestmark = pytest.mark.django_db
API = "/inContactAPI/services/{version}"


@pytest.fixture
def tenant(settings):
    settings.CXONE_API = "admin"
    app = create_app(admin_config(campaigns=12))
    clients = []

    def client():
        clients.append(admin_asgi_client(app))
        return clients[-1]

    set_client_factory(client)
    yield app
    set_client_factory(None)
    for made in clients:
        assert made.transport.contract.violations == []


def dnc_findings(campaign: Campaign) -> list[str]:
    values = schedule_values.campaign_values(campaign)
    return [f.message for f in draft_checks.evaluate_values(campaign, values, conflicts=False).of_kind(DNC)]


def test_a_dnc_group_read_from_its_result_set_makes_the_skill_ready_to_dial(tenant):
    sync_campaigns()
    group_of = {str(s): g for g, skills in tenant.state.pc.scrubbed.items() for s in skills}
    scrubbed = Campaign.objects.get(cxone_id=next(s for s, g in group_of.items()
                                                  if tenant.state.pc.dnc_groups[g]["isActive"]))  # fmt: skip
    group = tenant.state.pc.dnc_groups[group_of[scrubbed.cxone_id]]
    assert (scrubbed.dnc_list_id, scrubbed.dnc_list_name, scrubbed.dnc_list_state) == (
        str(group["dncGroupId"]), group["dncGroupName"], "ACTIVE")  # fmt: skip
    assert {"type": "STATE_DNC"} in scrubbed.dnc_rules
    assert dnc_findings(scrubbed) == []


def test_a_group_that_scrubs_no_skill_answers_204_and_its_skills_lack_state_dnc(tenant):
    skill_id = "1003"
    for skills in tenant.state.pc.scrubbed.values():  # nobody scrubs skill 1003 any more
        if int(skill_id) in skills:
            skills.remove(int(skill_id))
    emptied = next(g for g, skills in tenant.state.pc.scrubbed.items() if not skills)
    sync_campaigns()
    assert tenant.state.stats.count(f"GET {API}/dnc-groups/{{group_id}}/scrubbed-skills", 204) >= 1
    assert emptied
    campaign = Campaign.objects.get(cxone_id=skill_id)
    assert campaign.dnc_list_id == "" and {"type": "STATE_DNC"} not in campaign.dnc_rules
    assert any("STATE_DNC" in message for message in dnc_findings(campaign))


def test_an_inactive_dnc_group_blocks_by_dnc_readiness(tenant):
    sync_campaigns()
    inactive = [g for g, found in tenant.state.pc.dnc_groups.items() if not found["isActive"]]
    campaign = Campaign.objects.filter(dnc_list_id__in=inactive).first()
    assert campaign is not None and campaign.dnc_list_state == "INACTIVE"
    assert any("INACTIVE" in message for message in dnc_findings(campaign))


def test_a_group_scrubbing_more_than_a_page_of_skills_is_read_page_by_page(settings):
    app = create_app(admin_config(campaigns=230))
    group = next(g for g, found in app.state.pc.dnc_groups.items() if found["isActive"])
    app.state.pc.scrubbed[group] = sorted(int(s) for s in app.state.pc.retry)  # this group scrubs them all
    client = admin_asgi_client(app)
    found = run_sync(client.scrubbed_skills(group))
    assert len(found) == 230
    assert app.state.stats.count(f"GET {API}/dnc-groups/{{group_id}}/scrubbed-skills") == 3
    run_sync(client.aclose())


def records_of(tenant, skill_id: str) -> list[dict]:
    return [r for list_id in tenant.state.pc.skill_lists[skill_id]
            for r in pc_shapes.records(tenant.state.pc.call_lists[str(list_id)])]  # fmt: skip


def test_the_calling_lists_records_give_the_breakdown_by_state_and_zone_with_an_unknown_zone_bucket(tenant):
    sync_campaigns()
    campaign = Campaign.objects.get(cxone_id="1001")
    records = records_of(tenant, "1001")
    assert campaign.contact_list_size == len(records) == sum(r["count"] for r in campaign.contact_list_breakdown)
    assert campaign.contact_list_name == tenant.state.pc.call_lists[str(
        tenant.state.pc.skill_lists["1001"][0])]["listName"]  # fmt: skip
    unknown = [r for r in campaign.contact_list_breakdown if r.get("unknownZone")]
    assert unknown and all(r["timezones"] == [] for r in unknown)
    assert sum(r["count"] for r in unknown) == sum(1 for r in records if not r["timeZone"])
    known = [r for r in campaign.contact_list_breakdown if not r.get("unknownZone")]
    assert all(len(r["timezones"]) == 1 and "/" in r["timezones"][0] for r in known)


def test_a_compliance_finding_counts_the_contacts_of_the_states_and_zones_it_touches(tenant):
    sync_campaigns()
    florida = next(c for c in Campaign.objects.order_by("cxone_id")
                   if any(r["state"] == "FL" for r in c.contact_list_breakdown))  # fmt: skip
    # 08:30-11:30 New York time: inside Florida's hours in its Eastern part, before 08:00 in its Central part.
    values = {**schedule_values.campaign_values(florida), "cron_expression": "30 8 * * *",
              "duration_minutes": 180}  # fmt: skip
    report = draft_checks.evaluate_values(florida, values, conflicts=False)
    (finding,) = [f for f in report.of_kind(CALLING_HOURS) if f.jurisdiction == "US-FL"]
    records = records_of(tenant, florida.cxone_id)
    central_or_unknown = sum(1 for r in records if r["state"] == "FL"
                             and r["timeZone"] in ("Central Standard Time", ""))  # fmt: skip
    assert finding.contacts_affected == central_or_unknown > 0
    assert f"{central_or_unknown} contact" in finding.message


def test_a_skill_without_a_calling_list_has_its_zones_and_no_contacts(tenant):
    tenant.state.pc.skill_lists["1002"] = []
    sync_campaigns()
    campaign = Campaign.objects.get(cxone_id="1002")
    assert campaign.contact_list_id == "skill-zones-1002" and campaign.contact_list_size == 0
    (row,) = campaign.contact_list_breakdown
    assert row["count"] == 0 and row["timezones"]


def test_a_skills_schedule_is_open_ended_so_its_findings_cover_the_next_400_days(tenant, planner):
    sync_campaigns()
    campaign = Campaign.objects.get(cxone_id="1001")
    assert campaign.open_ended and campaign.effective_end  # the end is only where drafts start from
    report = draft_checks.evaluate_campaign(campaign, conflicts=False)
    assert (report.checked_until - report.checked_from).days == draft_checks.OPEN_ENDED_DAYS
    draft = workflow.start_draft(campaign, planner)
    assert draft.effective_end == campaign.effective_end
