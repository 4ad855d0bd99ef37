"""In a real browser: someone changes a campaign in CXone behind the planners' back; after the next sync a
supervisor sees the "Changed in CXone" badge in the list, filters by it, opens the campaign, reads the difference
beside the version it is held to, keeps CXone's, finds the kept version in the campaign's history, and the badge
is gone."""

import threading

import httpx
import pytest
from playwright.sync_api import expect

from campaigns.models import Drift
from tests.activation_support import mirror, product_cxone, pushable
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.cxone_support import fast_config

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cxone():
    with product_cxone(fast_config(campaigns=12)) as server:
        yield server


def in_a_thread(work):
    """Playwright's event loop runs in this thread; the CXone client needs its own (see tests/conftest.py)."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)


def test_a_supervisor_sees_a_change_made_in_cxone_appear_and_keeps_it(live_server, page, cxone, supervisor):
    in_a_thread(mirror)
    campaign = pushable()[0]
    log_in(page, live_server.url, supervisor.username)
    page.goto(f"{live_server.url}/campaigns/")
    expect(page.get_by_role("link", name=campaign.name)).to_be_visible()
    expect(page.get_by_role("link", name="⚠ Changed in CXone")).to_have_count(0)

    edit = {"schedule": {"cronExpression": "0 10 * * 1-5", "durationMinutes": 120}}
    answer = httpx.post(f"{cxone.url}/_sandbox/campaigns/{campaign.cxone_id}/touch", json=edit, timeout=5)
    assert answer.status_code == 200
    in_a_thread(mirror)

    page.reload()
    badge = page.get_by_role("link", name="⚠ Changed in CXone")
    expect(badge).to_have_count(1)
    page.get_by_label("Changes in CXone").select_option("yes")  # the filter, swapped in by htmx
    expect(page.locator("#campaign-results")).to_contain_text("1 campaign")
    expect(page.locator("#campaign-results").get_by_role("link", name=campaign.name)).to_be_visible()
    screenshot(page, "drift-1-badge-in-the-list")

    badge.click()
    finding = page.get_by_role("region", name="⚠ Changed in CXone Calling windows")
    expect(finding).to_contain_text("Someone changed this campaign in CXone")
    expect(finding.locator("tr.changed").first).to_contain_text("Calling windows")
    expect(finding).to_contain_text("Weekdays 10:00–12:00")
    screenshot(page, "drift-2-the-difference")

    finding.get_by_role("button", name="Keep CXone's").click()
    expect(page.get_by_role("status").first).to_contain_text("Kept CXone's version")
    expect(page.get_by_role("region", name="⚠ Changed in CXone Calling windows")).to_have_count(0)
    assert Drift.objects.get(campaign=campaign).answered_by == supervisor

    page.get_by_role("link", name="Every version of its schedule, side by side").click()
    versions = page.get_by_role("region", name="Every version, newest first")
    expect(versions.locator("tbody tr").first).to_contain_text("Kept from CXone: decided by sam_supervisor")
    expect(versions.locator("tbody tr").first).to_contain_text("held to")
    changes = page.get_by_role("region", name="Changes found in CXone")
    expect(changes).to_contain_text("Kept CXone's")
    screenshot(page, "drift-3-history")

    page.goto(f"{live_server.url}/campaigns/")
    expect(page.get_by_role("link", name="⚠ Changed in CXone")).to_have_count(0)
    screenshot(page, "drift-4-answered")
