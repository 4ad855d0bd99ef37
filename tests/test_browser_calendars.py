"""Where a blackout calendar applies, in a real browser: a supervisor proposes the campaigns it applies to and sees
them beside the ones in force, with their own name; they are not offered the approval; another supervisor, in a
session of their own, approves, and only then does the calendar apply there."""

import re

import pytest
from playwright.sync_api import expect

from campaigns.models import BlackoutCalendar
from campaigns.services.blackouts import editing
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def applies_to(page):
    return page.locator("section", has=page.locator("#attached-h"))


def test_a_supervisor_proposes_where_a_calendar_applies_and_another_approves_it(
    live_server, page, new_context, supervisor, other_supervisor, pool
):
    base = live_server.url
    kept = make_campaign("C-1", pool=pool, name="Renewals East")
    added = make_campaign("C-2", pool=pool, name="Renewals West")
    first = editing.create_calendar(other_supervisor, "Closures", "", "25 December: Christmas Day")
    editing.propose_attachments(first.calendar_id, other_supervisor, campaigns=[kept.pk], pools=[])
    editing.submit(first.pk, other_supervisor)
    editing.approve(first.pk, supervisor)
    calendar = BlackoutCalendar.objects.get(pk=first.calendar_id)

    # 1. A supervisor proposes the calendar for both campaigns: nothing changes yet.
    log_in(page, base, supervisor.username)
    page.goto(f"{base}/calendars/{calendar.pk}/")
    page.get_by_text("Attach to campaigns or pools…").click()
    page.get_by_label("Campaigns", exact=True).select_option(label=["Renewals East", "Renewals West"])
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("Proposed in revision 2: Closures applies there once")).to_be_visible()
    section = applies_to(page)
    proposed = section.get_by_role("columnheader", name=re.compile("Proposed in revision 2"))
    expect(proposed).to_contain_text(f"by {supervisor.username}")
    campaigns = section.get_by_role("row", name=re.compile("^Campaigns"))
    expect(campaigns.get_by_role("cell").nth(0)).to_have_text("Renewals East")
    expect(campaigns.get_by_role("cell").nth(1)).to_contain_text("Renewals East, Renewals West")
    expect(page.get_by_text("The days stay as in effect.")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Waiting for another supervisor.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # never one's own proposal
    screenshot(page, "calendar-attach-1-proposed")
    assert list(calendar.campaigns.all()) == [kept]

    # 2. Another supervisor, in a session of their own, approves it: now it applies to both.
    other = new_context().new_page()
    log_in(other, base, other_supervisor.username)
    other.goto(f"{base}/calendars/{calendar.pk}/")
    other.get_by_role("button", name="Approve").click()
    expect(other.get_by_text("Approved: its days and where it applies are in force from now on.")).to_be_visible()
    section = applies_to(other)
    expect(section.get_by_role("columnheader", name=re.compile("Proposed"))).to_have_count(0)
    campaigns = section.get_by_role("row", name=re.compile("^Campaigns"))
    expect(campaigns.get_by_role("cell").nth(0)).to_have_text("Renewals East, Renewals West")
    screenshot(other, "calendar-attach-2-approved")
    assert set(calendar.campaigns.all()) == {kept, added}
