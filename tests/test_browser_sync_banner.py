"""A planner opens the dashboard while CXone is failing: the page serves the last mirror and a calm banner says
why it may be out of date."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.cxone.errors import ServerError
from campaigns.services.sync import status as sync_status
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_banner_tells_a_planner_the_last_sync_failed_and_why(live_server, page, planner, pool):
    make_campaign("C-1001", pool=pool, name="Renewals East")
    earlier = timezone.now() - dt.timedelta(minutes=25)
    sync_status.claim(earlier)
    sync_status.record_success({}, [], {}, now=earlier)
    sync_status.claim()
    sync_status.record_failure(ServerError("GET /api/v2/outbound/campaigns: CXone answered 503"))

    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/campaigns/")
    banner = page.get_by_role("note").filter(has_text="Campaign data may be out of date.")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("CXone answered 503")
    expect(banner).to_contain_text("Campaigns show CXone as of 25")
    expect(page.get_by_role("link", name="Renewals East")).to_be_visible()  # the mirror is still served
    screenshot(page, "sync-banner")
