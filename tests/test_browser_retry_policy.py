"""In a real browser: a retry policy that calls Florida contacts five times a day is an error that disables
Submit, and the nearest compliant policy, applied by one click, clears it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import ScheduleDraft
from campaigns.services.drafts import workflow
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]


def test_a_blocking_frequency_finding_disables_submit_and_its_proposal_clears_it(
    live_server, new_context, planner, pool
):
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    campaign = make_campaign(
        "C-FL", pool=pool, name="Florida Renewals", timezone="America/New_York", contact_list_breakdown=FLORIDA,
        effective_start=today - dt.timedelta(days=2), effective_end=today + dt.timedelta(days=60),
    )  # fmt: skip
    draft = workflow.start_draft(campaign, planner, agents_required=2)
    page = new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York").new_page()
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    submit = page.get_by_role("button", name="Submit for approval")
    expect(submit).to_be_enabled()

    page.get_by_label("Retry: max attempts").fill("5")

    retry = page.locator("#findings-frequency")
    finding = retry.locator(".finding.error")
    expect(finding).to_contain_text("Florida: at most 3 calls per 24 hours")
    expect(finding.locator("strong")).to_have_text("Error")
    expect(submit).to_be_disabled()
    expect(page.locator("#submit-why")).to_contain_text("Fix the 1 blocking finding")
    screenshot(page, "retry-policy-1-blocked")

    retry.get_by_role("button", name="Apply: Retry every 8 h: at most 3 attempts in 24 h").click()

    expect(page.get_by_label("Retry: interval (seconds)")).to_have_value("28800")
    expect(page.get_by_label("Retry: max attempts")).to_have_value("5")  # every attempt kept
    expect(retry.locator(".finding.error")).to_have_count(0)
    expect(retry).to_contain_text("The retry policy stays inside every frequency limit that applies.")
    expect(submit).to_be_enabled()
    screenshot(page, "retry-policy-2-fixed")

    submit.click()
    expect(page.get_by_role("status")).to_have_text("Submitted for approval. A supervisor will review it.")
    draft = ScheduleDraft.objects.get(pk=draft.pk)
    assert (draft.status, draft.retry_max_attempts, draft.retry_interval_ms) == ("submitted", 5, 28_800_000)
