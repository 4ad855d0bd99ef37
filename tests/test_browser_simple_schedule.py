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


def test_a_cron_beyond_days_and_one_time_disables_the_controls_saying_why(
    live_server, new_context, planner, pool
):
    campaign = make_campaign(
        "C-2", pool=pool, name="Odd", cron_expression="0 9,14 1 * *", duration_minutes=60
    )
    draft = workflow.start_draft(campaign, planner)
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")

    page.get_by_text("Set days and hours instead").click()

    expect(page.locator("#simple-note")).to_have_text(
        "These controls cannot show this cron: it names several hours (9,14). Edit it in the cron field above."
    )
    expect(page.get_by_label("Opens", exact=True)).to_be_disabled()
    expect(page.get_by_label("Mon", exact=True)).to_be_disabled()
    expect(page.get_by_label("Cron expression")).to_have_value("0 9,14 1 * *")  # never rewritten


def test_the_controls_follow_the_cron_as_it_is_typed(live_server, new_context, planner, pool):
    campaign = make_campaign("C-3", pool=pool, name="Typed")  # 0 9 * * 1-5 for 8 h, Chicago
    draft = workflow.start_draft(campaign, planner)
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    page.get_by_text("Set days and hours instead").click()
    cron = page.get_by_label("Cron expression")

    cron.fill("15 11 * * 2,4")

    for name in ("Tue", "Thu"):
        expect(page.get_by_label(name, exact=True)).to_be_checked()
    for name in ("Mon", "Wed", "Fri", "Sat", "Sun"):
        expect(page.get_by_label(name, exact=True)).not_to_be_checked()
    expect(page.get_by_label("Opens", exact=True)).to_have_value("11:15")
    expect(page.get_by_label("Closes", exact=True)).to_have_value("19:15")  # the 8 hours it lasts

    page.get_by_label("Duration (minutes)").fill("45")
    expect(page.get_by_label("Closes", exact=True)).to_have_value("12:00")

    cron.fill("*/15 9 * * *")
    expect(page.locator("#simple-note")).to_have_text(
        "These controls cannot show this cron: its minutes repeat in steps (*/15). Edit it in the cron field above."
    )
    expect(page.get_by_label("Closes", exact=True)).to_be_disabled()
    expect(cron).to_have_value("*/15 9 * * *")

    cron.fill("0 9 1 * *")
    expect(page.locator("#simple-note")).to_contain_text("it names days of the month (1)")

    cron.fill("30 8 * * 1-5")  # readable again: the controls come back
    expect(page.get_by_label("Opens", exact=True)).to_be_enabled()
    expect(page.get_by_label("Opens", exact=True)).to_have_value("08:30")
    expect(page.locator("#simple-note")).to_have_text(
        "Writes the cron expression and the duration above, in the draft's time zone."
    )
