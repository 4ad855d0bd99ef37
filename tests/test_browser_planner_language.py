"""In a real browser at 1280×800, in Chicago: the pages speak the planners' language.

A planner lands on the list and reads what happened to their drafts (an approval; a rejection with its reason),
dismisses one without a reload, revises the rejected draft, and edits it: the schedule in words follows what they
type, superseded live checks leave no console errors, Submit stays disabled (saying why) while findings block it,
and leaving with unsaved changes asks first. The supervisor's queue names the conflicts in one sentence; the
audit trail names drafts and campaigns, shows Chicago times, and exports them as CSV.
"""

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import CapacityPool, DraftStatus, ScheduleDraft
from campaigns.services.drafts import workflow
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign
from tests.workflow_support import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "America/Chicago"
SCREEN = {"viewport": {"width": 1280, "height": 800}, "timezone_id": ZONE}
REASON = "Clashes with Renewals West every afternoon; keep it to two days."


def around_today() -> dict:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"effective_start": today - dt.timedelta(days=2), "effective_end": today + dt.timedelta(days=90)}



@pytest.fixture
def desk(planner, other_planner, supervisor, pool):
    winback = CapacityPool.objects.create(cxone_skill_id="S-30", name="Win-back", agents=4)
    east = make_campaign(
        "C-1016", pool=winback, name="Renewals East", agents_required=3, contact_list_id="L-72",
        contact_list_name="Renewals list 2", **around_today(),
    )  # fmt: skip
    make_campaign(
        "C-1017", pool=winback, name="Renewals West", cron_expression="0 13 * * 1-5", duration_minutes=240,
        agents_required=3, contact_list_id="L-73", **around_today(),
    )  # fmt: skip
    texas = make_campaign(
        "C-1018",
        pool=winback,
        name="Texas Winbacks",
        agents_required=2,
        contact_list_id="L-74",
        **around_today(),
    )
    florida = make_campaign(
        "C-2001", pool=pool, name="Florida Renewals", contact_list_id="L-FL", **around_today()
    )
    rejected = submitted(east, planner, cron_expression="0 8 * * 1-5", duration_minutes=240)
    workflow.reject(rejected.pk, supervisor, seen_lock_version=rejected.lock_version, reason=REASON)
    approved = submitted(florida, planner, duration_minutes=420)
    workflow.approve(approved.pk, supervisor, seen_lock_version=approved.lock_version)
    queued = submitted(texas, other_planner, cron_expression="0 12 * * 1-5", duration_minutes=300)
    return {"rejected": rejected, "approved": approved, "queued": queued}


def test_the_pages_speak_the_planners_language(live_server, new_context, planner, supervisor, desk):
    base = live_server.url
    page = new_context(**SCREEN).new_page()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    # 1. The planner's landing page: what happened to their drafts, in words, with the reason and Revise.
    log_in(page, base, planner.username)
    page.goto(f"{base}/")
    notices = page.get_by_role("region", name="What happened to your drafts")
    rejected, approved = desk["rejected"], desk["approved"]
    expect(notices).to_contain_text(f"sam_supervisor rejected draft #{rejected.pk} of Renewals East.")
    expect(notices).to_contain_text(f"Reason: “{REASON}”")
    # One outcome per draft: the approval says where the push is, with its live step under it.
    expect(notices).to_contain_text(
        f"sam_supervisor approved draft #{approved.pk} of Florida Renewals, going live in CXone."
    )
    expect(notices).to_contain_text("CST")  # when, in the viewer's zone, named
    # Every cron in words with its zone.
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Renewals West"))
    expect(row).to_contain_text("Weekdays 13:00–17:00 CST")
    expect(row).to_contain_text("0 13 * * 1-5")
    screenshot(page, "planner-language-1-campaign-list")

    # Dismissed in place, without a reload.
    page.evaluate("window.__marker = 1")
    notices.get_by_role("button", name=f"Dismiss: sam_supervisor approved draft #{approved.pk}").click()
    expect(notices).not_to_contain_text("approved draft")
    assert page.evaluate("window.__marker") == 1

    # 2. Revise the rejected draft: a new draft with its values, a green message with an icon.
    notices.get_by_role("button", name="Revise").click()
    revised = ScheduleDraft.objects.exclude(pk=rejected.pk).get(
        campaign=rejected.campaign, status=DraftStatus.DRAFT
    )
    expect(page.get_by_role("heading", name=f"Draft #{revised.pk} for Renewals East")).to_be_visible()
    message = page.locator(".message.success")
    expect(message).to_contain_text(f"starts from draft #{rejected.pk}'s values")
    assert message.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(227, 244, 232)"  # green
    assert "✔" in message.evaluate("m => getComputedStyle(m, '::before').content")
    cron = page.get_by_label("Cron expression")
    expect(cron).to_have_value("0 8 * * 1-5")
    expect(page.locator("#cron-words")).to_have_text("Opens Weekdays 08:00–12:00 CST")
    # ISO dates, not the browser's MM/DD.
    start = page.get_by_label("Effective from")
    expect(start).to_have_attribute("type", "text")
    expect(start).to_have_value(revised.effective_start.astimezone(ZoneInfo(ZONE)).date().isoformat())
    # 07:00 is before the 08:00 FCC start: Submit is disabled and says why.
    cron.fill("0 7 * * 1-5")
    submit = page.get_by_role("button", name="Submit for approval")
    expect(submit).to_be_disabled()
    expect(page.locator("#submit-why")).to_contain_text("blocking finding")
    expect(page.locator("#cron-words")).to_have_text("Opens Weekdays 07:00–11:00 CST")

    # 3. The planner types; the words follow, and Submit comes back once nothing blocks.
    cron.fill("")
    cron.press_sequentially("0 10 * * 1,3", delay=15)
    expect(page.locator("#cron-words")).to_have_text("Opens Mon, Wed 10:00–14:00 CST")
    expect(submit).to_be_enabled()
    # Two checks in a row: the second replaces the first, which is aborted without a console error.
    page.evaluate(
        "() => { const form = document.querySelector('form[data-editor-form]');"
        " htmx.trigger(form, 'change'); htmx.trigger(form, 'change'); }"
    )
    expect(page.locator("#cron-words")).to_have_text("Opens Mon, Wed 10:00–14:00 CST")
    live = page.locator("#live-report")
    expect(live).to_contain_text("overload in pool Win-back")
    expect(live.get_by_role("link", name="Renewals West").first).to_be_visible()
    expect(live).not_to_contain_text("interval")
    screenshot(page, "planner-language-2-editor")

    # Leaving with unsaved changes asks first; staying keeps what was typed.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/drafts/" in page.url
    expect(cron).to_have_value("0 10 * * 1,3")
    page.remove_listener("dialog", stay)

    # Saved, nothing to warn about; submitted.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_have_text("Draft saved.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_have_text("Submitted for approval. A supervisor will review it.")
    assert console_errors == [], console_errors

    # 4. The supervisor's queue: schedules in words, conflicts in one sentence with names.
    queue = new_context(**SCREEN).new_page()
    log_in(queue, base, supervisor.username)
    expect(queue.get_by_role("heading", name="Approval queue")).to_be_visible()
    item = queue.locator(f"#draft-{revised.pk}")
    item.locator(":scope > summary").click()
    expect(item.get_by_role("region", name="Proposed schedule")).to_contain_text("Mon, Wed 10:00–14:00 CST")
    expect(item.get_by_role("region", name="Current schedule")).to_contain_text("Weekdays 09:00–17:00 CST")
    expect(item).to_contain_text("overload in pool Win-back")
    expect(item).not_to_contain_text("pool S-30")
    # The supervisor has no open drafts of their own: one line, not a box.
    own = queue.get_by_role("region", name="Your own drafts")
    expect(own).to_contain_text("You have no open drafts.")
    assert own.bounding_box()["height"] < 40
    texas = queue.locator(f"#draft-{desk['queued'].pk}")
    expect(texas.locator(":scope > summary")).to_contain_text("CST")
    screenshot(queue, "planner-language-3-queue")

    # 5. The audit trail: names, labels, Chicago times, links; and the CSV of what is shown.
    main_nav = queue.get_by_role("navigation", name="Main")
    main_nav.get_by_text("More", exact=True).click()  # Audit is one of the pages under More
    main_nav.get_by_role("link", name="Audit").click()
    expect(queue.get_by_role("columnheader", name=f"When ({ZONE})")).to_be_visible()
    first = queue.locator("#audit-results tbody tr").first
    expect(first).to_contain_text("Submitted for approval")
    expect(first).to_contain_text(f"Draft #{revised.pk} of Renewals East")
    expect(first).to_contain_text("CST")
    expect(queue.locator("#audit-results")).not_to_contain_text("scheduledraft")
    expect(queue.locator("#audit-results")).to_contain_text("Draft started as a revision")
    screenshot(queue, "planner-language-4-audit")
    queue.get_by_label("Action").fill("revised")
    expect(queue.locator("#audit-results tbody tr")).to_have_count(1)
    with queue.expect_download() as download:
        queue.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [r["Action"] for r in rows] == ["Draft started as a revision"]
    assert rows[0]["Object"] == f"Draft #{revised.pk} of Renewals East"
    assert rows[0][f"When ({ZONE})"].endswith("CST")
    queue.get_by_role("link", name=f"Draft #{revised.pk} of Renewals East").click()
    expect(queue.get_by_role("heading", name=f"Draft #{revised.pk} for Renewals East")).to_be_visible()

    # The planner's landing page on a phone-sized screen: the news still reads, nothing overflows sideways.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/")
    expect(page.get_by_role("region", name="What happened to your drafts")).to_contain_text("Reason:")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "planner-language-5-campaign-list-390px")
