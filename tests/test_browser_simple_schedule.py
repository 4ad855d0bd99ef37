"""The editor's simple controls write the cron for a planner who does not speak cron."""

import pytest
from playwright.sync_api import expect

from campaigns.services.drafts import workflow
from tests.browser import browser_type_launch_args, log_in  # noqa: F401 (a fixture)
from tests.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_days_and_hours_write_the_cron_and_the_duration(live_server, new_context, planner, pool):
    campaign = make_campaign("C-1", pool=pool, name="Renewals East")  # 0 9 * * 1-5 for 8 h, Chicago
    draft = workflow.start_draft(campaign, planner)
    page = new_context(viewport={"width": 1280, "height": 800}, timezone_id="America/Chicago").new_page()
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")

    page.get_by_text("Set days and hours instead").click()
    # The controls start from the cron as it is.
    for name in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        expect(page.get_by_label(name, exact=True)).to_be_checked()
    expect(page.get_by_label("Sat", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Opens", exact=True)).to_have_value("09:00")
    expect(page.get_by_label("Closes", exact=True)).to_have_value("17:00")

    page.get_by_label("Fri", exact=True).uncheck()
    page.get_by_label("Opens", exact=True).fill("10:30")
    page.get_by_label("Closes", exact=True).fill("14:00")
    page.get_by_label("Closes", exact=True).press("Tab")

    expect(page.get_by_label("Cron expression")).to_have_value("30 10 * * 1-4")
    expect(page.get_by_label("Duration (minutes)")).to_have_value("210")
    expect(page.locator("#cron-words")).to_have_text("Opens Mon–Thu 10:30–14:00 CST")  # the live check ran
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.duration_minutes) == ("30 10 * * 1-4", 210)


def test_a_cron_beyond_days_and_one_time_is_left_to_the_cron_field(live_server, new_context, planner, pool):
    campaign = make_campaign(
        "C-2", pool=pool, name="Odd", cron_expression="0 9,14 1 * *", duration_minutes=60
    )
    draft = workflow.start_draft(campaign, planner)
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")

    page.get_by_text("Set days and hours instead").click()

    expect(page.locator("#simple-note")).to_have_text(
        "This cron is more than days and one opening time; edit it in the field above."
    )
    expect(page.get_by_label("Cron expression")).to_have_value("0 9,14 1 * *")
