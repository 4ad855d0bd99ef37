"""The draft flow in a real browser, as a new planner and supervisor would do it.

A planner opens a campaign, types an invalid cron and sees the error beside the field without a reload, fixes it,
sees the windows and a calling-hours finding for the Florida contacts, cannot submit it while it is blocked, makes
it compliant, saves and submits. The planner cannot reach the approval queue; a supervisor cannot approve a draft
they wrote. A supervisor with the queue open in two tabs approves in one; the stale tab is told it was already
approved, and the approval is recorded once.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign
from tests.workflow_support import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]


def effective_period() -> dict:
    # Around today, so the next 14 days always hold windows whenever the suite runs.
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"effective_start": today - dt.timedelta(days=2), "effective_end": today + dt.timedelta(days=90)}



def test_planner_drafts_and_submits_a_supervisor_approves_it_once(
    live_server, page, new_context, planner, supervisor, pool
):
    base = live_server.url
    campaign = make_campaign(
        "C-2001",
        pool=pool,
        name="Florida Renewals",
        timezone="America/New_York",
        cron_expression="0 9 * * 1-5",
        duration_minutes=480,
        contact_list_id="L-FL",
        contact_list_breakdown=FLORIDA,
        **effective_period(),
    )
    # The supervisor's own draft of another campaign, submitted before the planner's: first in the queue.
    other = make_campaign(
        "C-2002", pool=pool, name="Texas Winbacks", contact_list_id="L-TX", **effective_period()
    )
    own = submitted(other, supervisor, agents_required=other.agents_required + 1)

    # 1. The planner logs in through the real form, opens the campaign from the list, starts a draft.
    log_in(page, base, planner.username)
    expect(page.get_by_role("heading", name="My drafts")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    expect(page.get_by_role("link", name="Florida Renewals")).to_be_visible()
    screenshot(page, "draft-flow-1-campaign-list")
    page.get_by_role("link", name="Florida Renewals").click()
    expect(page.get_by_role("heading", name="Florida Renewals")).to_be_visible()
    page.get_by_role("button", name="New draft").click()
    expect(page.get_by_text("Draft started from the current schedule.")).to_be_visible()
    draft = ScheduleDraft.objects.get(campaign=campaign)
    expect(page.get_by_role("heading", name=f"Draft #{draft.pk} for Florida Renewals")).to_be_visible()
    cron = page.get_by_label("Cron expression")
    expect(cron).to_have_value("0 9 * * 1-5")
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")

    # 2. An invalid cron: the error appears beside the field, swapped in without a reload.
    editor_url = page.url
    page.evaluate("window.__marker = 1")
    cron.fill("")
    cron.press_sequentially("0 25 * * 1-5", delay=20)
    cron_error = page.locator("#id_cron_expression_error")
    expect(cron_error).to_have_text("hour: 25 is outside 0-23")
    expect(page.get_by_role("alert").filter(has_text="Fix these first")).to_contain_text(
        "Cron expression: hour: 25 is outside 0-23"
    )
    expect(cron).to_have_value("0 25 * * 1-5")  # what was typed is kept
    expect(cron).to_have_attribute("aria-invalid", "true")  # announced as invalid to screen readers
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    assert page.url == editor_url
    screenshot(page, "draft-flow-2-editor-cron-error")

    # 3. Fixed, but the windows run to 22:00 in Florida: next windows (local and UTC) and a calling-hours finding.
    cron.fill("0 19 * * 1-5")
    page.get_by_label("Duration (minutes)").fill("180")
    expect(cron_error).to_have_text("")
    expect(cron).to_have_attribute("aria-invalid", "false")
    calling_hours = page.locator("#live-report .card").filter(
        has=page.get_by_role("heading", name="Calling hours")
    )
    expect(calling_hours).to_contain_text("310 contacts affected")
    expect(calling_hours.locator(".finding.error").first).to_be_visible()
    windows = page.locator("#live-report").get_by_role("table").filter(has_text="Opens (local)")
    first_window = windows.locator("tbody tr").first
    expect(first_window.locator("td").nth(0)).to_contain_text("19:00 E")  # EST / EDT: the zone is named
    expect(first_window.locator("td").nth(1)).to_contain_text("22:00 E")
    expect(first_window.locator("td").nth(2)).to_contain_text("UTC")
    expect(page.get_by_text("Cannot be submitted yet:")).to_be_visible()
    assert page.evaluate("window.__marker") == 1 and page.url == editor_url
    screenshot(page, "draft-flow-3-editor-findings")

    # Blocking findings disable Submit, and the page says why beside it; nothing typed is lost.
    submit = page.get_by_role("button", name="Submit for approval")
    expect(submit).to_be_disabled()
    expect(page.locator("#submit-why")).to_contain_text("blocking finding")
    expect(page.get_by_label("Cron expression")).to_have_value("0 19 * * 1-5")
    expect(page.get_by_label("Duration (minutes)")).to_have_value("180")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT

    # A compliant schedule: 10:00-14:00 local.
    page.get_by_label("Cron expression").fill("0 10 * * 1-5")
    page.get_by_label("Duration (minutes)").fill("240")
    expect(
        page.get_by_text("Every window is inside the calling hours of the contacts' zones.")
    ).to_be_visible()
    expect(page.get_by_text("Cannot be submitted yet:")).to_have_count(0)
    expect(submit).to_be_enabled()
    expect(page.locator("#submit-why")).to_have_count(0)

    # 4. Save, then submit.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    expect(page.get_by_label("Cron expression")).to_have_value("0 10 * * 1-5")
    expect(page.get_by_label("Duration (minutes)")).to_have_value("240")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_have_text("Submitted for approval. A supervisor will review it.")
    expect(page.get_by_role("heading", name=f"Draft #{draft.pk}")).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Withdraw")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED
    assert (draft.cron_expression, draft.duration_minutes) == ("0 10 * * 1-5", 240)

    # 5. The planner cannot approve: no queue in the navigation, and the queue itself is forbidden.
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Approval queue")
    ).to_have_count(0)
    response = page.goto(f"{base}/approvals/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    expect(page.get_by_text("Your role (planner) does not allow it.")).to_be_visible()
    screenshot(page, "draft-flow-planner-forbidden-queue")

    # 6 and 7. The supervisor logs in and opens the queue in two tabs before approving.
    supervisor_context = new_context()
    first_tab = supervisor_context.new_page()
    log_in(first_tab, base, supervisor.username)
    expect(first_tab.get_by_role("heading", name="Approval queue")).to_be_visible()
    second_tab = supervisor_context.new_page()
    second_tab.goto(f"{base}/approvals/")
    expect(second_tab.locator(f"#draft-{draft.pk}")).to_have_count(1)

    # Oldest first: the supervisor's own draft, then the planner's.
    expect(first_tab.locator("details.queue-item > summary")).to_have_count(2)
    summaries = first_tab.locator("details.queue-item > summary")
    expect(summaries.nth(0)).to_contain_text(f"Texas Winbacks — draft #{own.pk} by {supervisor.username}")
    expect(summaries.nth(1)).to_contain_text(f"Florida Renewals — draft #{draft.pk} by {planner.username}")

    # Four-eyes: no Approve on the supervisor's own draft, and the page says why.
    own_item = first_tab.locator(f"#draft-{own.pk}")
    expect(
        own_item.get_by_text(
            re.compile(r"You wrote draft #\d+, so you cannot approve it: another supervisor")
        )
    ).to_be_visible()
    expect(own_item.get_by_role("button", name="Approve")).to_have_count(0)
    expect(own_item.get_by_role("button", name="Reject")).to_have_count(0)

    # The planner's draft: current → proposed side by side.
    item = first_tab.locator(f"#draft-{draft.pk}")
    item.locator(":scope > summary").click()
    current = item.get_by_role("region", name="Current schedule")
    proposed = item.get_by_role("region", name="Proposed schedule")
    expect(current).to_contain_text("0 9 * * 1-5")
    expect(current).to_contain_text("8 h")
    expect(proposed).to_contain_text("0 10 * * 1-5")
    expect(proposed).to_contain_text("4 h")
    proposed_window = proposed.get_by_role("table").filter(has_text="Opens (local)").locator("tbody tr").first
    expect(proposed_window.locator("td").nth(0)).to_contain_text("10:00 E")
    expect(proposed_window.locator("td").nth(2)).to_contain_text("UTC")
    current_box, proposed_box = current.bounding_box(), proposed.bounding_box()
    assert current_box["x"] + current_box["width"] <= proposed_box["x"], "not side by side"
    screenshot(first_tab, "draft-flow-4-approval-queue")

    item.get_by_role("button", name="Approve").click()
    expect(first_tab.get_by_role("status")).to_have_text("Approved the draft for Florida Renewals.")
    expect(first_tab.locator(f"#draft-{draft.pk}")).to_have_count(0)
    screenshot(first_tab, "draft-flow-5-after-approval")

    # The stale tab still shows the draft; approving it again is refused with a clear message.
    stale_item = second_tab.locator(f"#draft-{draft.pk}")
    stale_item.locator(":scope > summary").click()
    stale_item.get_by_role("button", name="Approve").click()
    expect(second_tab.get_by_role("status")).to_contain_text(
        f"Draft #{draft.pk} was already approved by {supervisor.username}"
    )
    screenshot(second_tab, "draft-flow-6-stale-tab-refused")

    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED
    assert draft.approver == supervisor
    approvals = AuditEntry.objects.filter(
        action="campaigns.draft.approved", object_type="scheduledraft", object_id=str(draft.pk)
    )
    assert approvals.count() == 1

    # The planner sees it approved, with who reviewed it.
    page.goto(f"{base}/drafts/{draft.pk}/")
    expect(page.get_by_role("heading", name=f"Draft #{draft.pk}")).to_contain_text("Approved")
    expect(page.get_by_text(f"reviewed by {supervisor.username}")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)
