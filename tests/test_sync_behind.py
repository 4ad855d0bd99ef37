"""Open drafts CXone moved past, and how sync words versions: numbers under v2, none under the Admin API, whose
"versions" are fingerprints of a skill's week."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import AuditEntry
from campaigns.services import audit
from campaigns.services.reports import audit_words
from campaigns.services.sync import behind
from campaigns.services.sync.mirror import SyncResult
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 3, 12, tzinfo=dt.UTC)


def test_under_v2_sync_says_which_version_cxone_moved_to(planner, settings):
    settings.CXONE_API = "outbound-v2"
    campaign = make_campaign(remote_version=7)
    draft = make_draft(campaign, planner, base_version=6)

    [entry] = behind.flag_open_drafts(NOW, SyncResult())

    assert entry.message == "CXone moved C-1001 to version 7; this draft was based on version 6."
    assert behind.at_version(7) == " at version 7"
    draft.refresh_from_db()
    assert draft.behind_remote_since == NOW


def test_under_the_admin_api_sync_names_no_fingerprint(planner, settings):
    settings.CXONE_API = "admin"
    campaign = make_campaign(remote_version=1209657775, name="Renewals East")
    make_draft(campaign, planner, base_version=998877665)

    [entry] = behind.flag_open_drafts(NOW, SyncResult())

    assert entry.message == "Someone changed Renewals East's schedule in CXone after this draft was started."
    assert "1209657775" not in entry.message
    assert behind.at_version(1209657775) == ""


def test_a_draft_already_flagged_is_not_flagged_again(planner):
    make_draft(make_campaign(remote_version=7), planner, base_version=6, behind_remote_since=NOW)

    assert behind.flag_open_drafts(NOW, SyncResult()) == []


def test_the_audit_trail_hides_version_fingerprints_under_the_admin_api(settings):
    campaign = make_campaign(remote_version=1209657775)
    audit.record(
        "campaigns.campaign.synced",
        campaign,
        campaign=campaign,
        message="Updated from CXone.",
        changes={"remote_version": [998877665, 1209657775], "cron_expression": ["0 9 * * 1-5", "0 10 * * 1-5"]},
    )
    entry = AuditEntry.objects.get()

    settings.CXONE_API = "admin"
    assert [row.field for row in audit_words.line(entry, dt.UTC).changes] == ["cron_expression"]
    settings.CXONE_API = "outbound-v2"
    assert [row.field for row in audit_words.line(entry, dt.UTC).changes] == ["remote_version", "cron_expression"]
