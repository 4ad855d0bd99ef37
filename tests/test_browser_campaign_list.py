"""A planner logs in through the real form, sees the campaign list, and searches it as they type."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_logs_in_sees_the_campaigns_and_searches_them(live_server, page, planner, pool):
    make_campaign("C-1001", pool=pool, name="Renewals East")
    make_campaign("C-1002", pool=pool, name="Winbacks West")
    make_campaign("C-1003", pool=pool, name="Renewals Central")

    log_in(page, live_server.url, planner.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
    expect(page.get_by_role("link", name="Winbacks West")).to_be_visible()

    url_before = page.url
    page.get_by_label("Search campaigns").press_sequentially("renew", delay=30)
    expect(page.get_by_role("link", name="Winbacks West")).to_have_count(0)
    expect(page.get_by_role("link", name="Renewals East")).to_be_visible()
    expect(page.get_by_role("link", name="Renewals Central")).to_be_visible()
    expect(page.get_by_text("2 campaigns matching")).to_be_visible()
    # Swapped in place, not a reload: the search box still holds what was typed and keeps focus.
    expect(page.get_by_label("Search campaigns")).to_have_value("renew")
    expect(page.get_by_label("Search campaigns")).to_be_focused()
    assert "q=renew" in page.url and page.url != url_before
    screenshot(page, "campaign-list-search")


def test_the_findings_badge_says_why_and_back_after_a_search_shows_the_whole_page(
    live_server, page, planner, pool
):
    make_campaign(
        "C-1001", pool=pool, name="Late dialler", cron_expression="0 20 * * *", duration_minutes=120
    )
    make_campaign("C-1002", pool=pool, name="Renewals East")

    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/campaigns/")
    badge = page.locator("details.finding-badge")
    expect(badge.locator("summary")).to_have_attribute(
        "title", re.compile(r"^Error — Calling hours: US \(Federal telephone-solicitation")
    )
    badge.locator("summary").click()
    expect(badge.get_by_role("listitem")).to_contain_text("breaks the rule")
    screenshot(page, "campaign-list-finding-reasons")
    page.get_by_label("Findings").select_option("blocking")
    expect(page.get_by_role("link", name="Renewals East")).to_have_count(0)
    screenshot(page, "campaign-list-findings")

    # Search (htmx swaps the results and pushes the URL), go elsewhere, come back: the whole styled page.
    page.get_by_label("Findings").select_option("")
    page.get_by_label("Search campaigns").press_sequentially("renew", delay=30)
    expect(page.get_by_role("link", name="Late dialler")).to_have_count(0)
    page.get_by_role("link", name="Renewals East").click()
    expect(page.get_by_role("heading", name=re.compile("Renewals East"))).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
    expect(page.get_by_label("Search campaigns")).to_be_visible()
    expect(page.get_by_role("link", name="Renewals East")).to_be_visible()
    page.reload()  # a reload of the pushed URL is a plain request: it gets the whole page too
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Renewals East")).to_be_visible()
