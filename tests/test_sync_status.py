"""The sync status record: the claim that keeps two syncs apart, and what /healthz and the banner on every
page make of the last outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.cxone.errors import ServerError
from campaigns.cxone.factory import run_sync
from campaigns.sandbox import create_app
from campaigns.services.sync import status as sync_status
from campaigns.services.sync.mirror import sync_campaigns
from tests.cxone_support import asgi_client, fast_config

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def succeeded(at: dt.datetime, failed: dict | None = None) -> None:
    sync_status.claim(at)
    sync_status.record_success(failed or {}, [], {}, now=at)


def test_only_one_sync_holds_the_claim_until_it_ends_or_its_lease_runs_out():
    assert sync_status.claim(NOW) is True
    assert sync_status.claim(NOW + dt.timedelta(seconds=30)) is False
    assert sync_status.claim(NOW + sync_status.LEASE + dt.timedelta(seconds=1)) is True  # holder died
    sync_status.record_success({}, [], {}, now=NOW)
    assert sync_status.claim(NOW) is True


def test_a_sync_started_while_another_runs_stands_down_without_calling_cxone():
    app = create_app(fast_config(campaigns=5))
    client = asgi_client(app)
    sync_status.claim()
    try:
        result = sync_campaigns(client)
    finally:
        run_sync(client.aclose())
    assert result.skipped and result.summary() == "another sync is running; nothing done"
    assert app.state.stats.as_dict()["totalRequests"] == 0


def test_no_banner_while_the_mirror_is_fresh_and_complete():
    succeeded(NOW - dt.timedelta(minutes=9))
    assert sync_status.banner(NOW) == ""


def test_the_banner_says_the_mirror_is_older_than_two_sync_periods():
    succeeded(NOW - dt.timedelta(minutes=12))
    text = sync_status.banner(NOW)
    assert text.startswith("Campaigns show CXone as of 12\xa0minutes ago.")
    assert "runs every 5 minutes" in text


def test_the_banner_gives_the_reason_the_last_sync_failed():
    succeeded(NOW - dt.timedelta(minutes=4))
    sync_status.claim(NOW)
    sync_status.record_failure(ServerError("GET /api/v2/outbound/campaigns: CXone answered 503"), now=NOW)
    assert sync_status.banner(NOW) == (
        "The last sync with CXone failed (ServerError: GET /api/v2/outbound/campaigns: CXone answered 503). "
        "Campaigns show CXone as of 4\xa0minutes ago. It is retried on its schedule."
    )
    succeeded(NOW + dt.timedelta(minutes=1))
    assert sync_status.banner(NOW + dt.timedelta(minutes=1)) == ""


def test_the_banner_names_the_campaigns_the_last_sync_could_not_read():
    succeeded(NOW, failed={"C-1002": "contact list L-72: ServerError: 503"})
    assert sync_status.banner(NOW) == (
        "The last sync with CXone was incomplete: 1 campaign(s) could not be read and kept their previous "
        "data: C-1002 (contact list L-72: ServerError: 503). It is retried on its schedule."
    )


def test_before_the_first_sync_the_banner_says_campaigns_are_not_synced_yet():
    assert sync_status.banner(NOW).startswith("Campaigns have not been synced from CXone yet")


def test_every_page_shows_the_banner_to_signed_in_users_only(client, planner):
    sync_status.claim()
    sync_status.record_failure(ServerError("GET /api/v2/outbound/campaigns: CXone answered 503"))
    login_page = client.get(reverse("login")).content.decode()
    client.force_login(planner)
    pages = [client.get(reverse(name)).content.decode() for name in ("campaign-list", "my-drafts", "audit")]
    assert "sync-banner" not in login_page
    assert all('class="sync-banner" role="note"' in page and "CXone answered 503" in page for page in pages)


def test_the_banner_is_gone_once_a_sync_succeeds(client, planner):
    succeeded(timezone.now())
    client.force_login(planner)
    assert "sync-banner" not in client.get(reverse("campaign-list")).content.decode()
