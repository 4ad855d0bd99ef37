"""Stored findings of each campaign's current schedule: computed when the mirror changes, read by the list."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.cxone.factory import run_sync
from campaigns.models import Campaign
from campaigns.sandbox import create_app
from campaigns.services.drafts.checks import campaign_findings, draft_checks
from campaigns.services.sync.mirror import sync_campaigns
from tests.conftest import make_campaign
from tests.cxone_support import asgi_client, fast_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant():
    return create_app(fast_config(campaigns=12))


@pytest.fixture
def cxone(tenant):
    client = asgi_client(tenant)
    yield client
    run_sync(client.aclose())


def stored(cxone_id: str) -> Campaign:
    return Campaign.objects.get(cxone_id=cxone_id)


def test_sync_stores_the_findings_of_every_campaigns_current_schedule(cxone):
    sync_campaigns(cxone)
    for campaign in Campaign.objects.all():
        assert campaign.findings_computed_at is not None, campaign.cxone_id
        assert campaign.findings_level in {"blocking", "warning", "clear"}
        assert campaign.current_findings["level"] == campaign.findings_level
        assert campaign.findings_key == campaign_findings.findings_key(campaign)
        expected = draft_checks.evaluate_campaign(campaign, conflicts=False)
        assert campaign.current_findings["blocking"] == expected.blocking


def test_a_sync_recomputes_only_the_campaigns_whose_schedule_changed(tenant, cxone):
    sync_campaigns(cxone)
    before = {c.cxone_id: c.findings_computed_at for c in Campaign.objects.all()}
    tenant.state.touch("C-1003", {"schedule": {**tenant.state.campaigns["C-1003"]["schedule"],
                                               "cronExpression": "0 6 * * 1-5"}})  # fmt: skip
    later = timezone.now() + dt.timedelta(minutes=5)
    sync_campaigns(cxone, now=later)
    after = {c.cxone_id: c.findings_computed_at for c in Campaign.objects.all()}
    assert after["C-1003"] == later
    assert stored("C-1003").findings_level == "blocking"  # 06:00 is before the federal 08:00
    assert all(after[cid] == before[cid] for cid in before if cid != "C-1003")


def test_findings_older_than_a_day_are_refreshed_by_the_next_sync(cxone):
    sync_campaigns(cxone)
    next_day = timezone.now() + campaign_findings.MAX_AGE + dt.timedelta(minutes=1)
    sync_campaigns(cxone, now=next_day)
    assert set(Campaign.objects.values_list("findings_computed_at", flat=True)) == {next_day}


def test_a_new_rules_file_makes_every_stored_finding_outdated(monkeypatch, cxone):
    sync_campaigns(cxone)
    assert campaign_findings.refresh_unchecked() == 0  # nothing to do: one query, no checks
    monkeypatch.setattr(campaign_findings, "rules_digest", lambda: "new-rules-file")
    assert campaign_findings.refresh_unchecked() == Campaign.objects.count()
    assert all(c.findings_key.startswith("2.new-rules-file.outbound-v2:") for c in Campaign.objects.all())
    assert campaign_findings.refresh_unchecked() == 0


def test_a_campaign_created_without_findings_is_checked_once_when_first_needed(db):
    campaign = make_campaign("C-1", cron_expression="0 6 * * 1-5")
    assert campaign.findings_computed_at is None
    assert campaign_findings.refresh_unchecked() == 1
    campaign.refresh_from_db()
    assert (campaign.findings_level, len(campaign.current_findings["blocking"])) == ("blocking", 1)
    assert campaign_findings.refresh_unchecked() == 0


def test_a_row_changed_without_a_sync_is_checked_again_when_a_page_shows_it(db):
    campaign = make_campaign("C-1")
    campaign_findings.refresh()
    campaign.refresh_from_db()
    assert campaign.findings_level == "clear"
    Campaign.objects.filter(pk=campaign.pk).update(cron_expression="0 22 * * *")
    campaign.refresh_from_db()
    campaign_findings.ensure_current([campaign])
    assert campaign.findings_level == "blocking"
    assert stored("C-1").findings_level == "blocking"


def test_a_campaign_without_a_schedule_is_stored_as_unscheduled(db):
    make_campaign("C-1", cron_expression="", timezone="", duration_minutes=None)
    campaign_findings.refresh()
    assert stored("C-1").findings_level == "unscheduled"
    assert campaign_findings.badge(stored("C-1").current_findings)["label"] == "—"


def test_the_badge_says_why(db):
    make_campaign("C-1", cron_expression="0 6 * * 1-5")
    texas = [{"state": "TX", "timezones": ["America/Chicago"], "count": 9}]
    make_campaign("C-2", cron_expression="30 8 * * 1-5", contact_list_breakdown=texas)
    make_campaign("C-3")
    campaign_findings.refresh()
    blocking = campaign_findings.badge(stored("C-1").current_findings)
    assert blocking["label"] == "✖ 1 blocking"
    assert (
        "06:00" in blocking["reasons"][0]
        and "US (Federal telephone-solicitation hours)" in blocking["reasons"][0]
    )
    warning = campaign_findings.badge(stored("C-2").current_findings)  # Texas: a low-confidence rule
    assert warning["level"] == "warning" and warning["label"] == f"⚠ {len(warning['reasons'])}"
    assert any("US-TX" in reason for reason in warning["reasons"])
    assert campaign_findings.badge(stored("C-3").current_findings)["label"] == "✔ none"


def test_the_refresh_findings_command_stores_them_all(db):
    make_campaign("C-1")
    make_campaign("C-2")
    out = io.StringIO()
    call_command("refresh_findings", stdout=out)
    assert "stored the findings of 2 campaigns" in out.getvalue()
    assert not Campaign.objects.filter(findings_computed_at__isnull=True).exists()
    out = io.StringIO()
    call_command("refresh_findings", "--outdated", stdout=out)
    assert "stored the findings of 0 campaigns" in out.getvalue()


def test_a_campaign_that_cannot_be_checked_is_stored_as_blocking_and_says_so(db, monkeypatch, caplog):
    make_campaign("C-1")
    make_campaign("C-2")

    def odd_row(campaign, **kwargs):
        if campaign.cxone_id == "C-1":
            raise KeyError("state")
        return real(campaign, **kwargs)

    real = draft_checks.evaluate_campaign
    monkeypatch.setattr(draft_checks, "evaluate_campaign", odd_row)
    assert campaign_findings.refresh() == 2  # the other campaign is stored all the same
    odd = stored("C-1")
    assert odd.findings_level == "blocking"
    assert odd.current_findings["blocking"] == [
        "The schedule could not be checked (KeyError); look at this campaign in CXone."
    ]
    assert stored("C-2").findings_level == "clear"
    assert "Could not check the schedule of campaign C-1" in caplog.text


def test_the_same_instant_with_another_offset_is_the_same_input(db):
    campaign = make_campaign("C-1")
    key = campaign_findings.findings_key(campaign)
    campaign.effective_start = campaign.effective_start.astimezone(dt.timezone(dt.timedelta(hours=-6)))
    assert campaign_findings.findings_key(campaign) == key
