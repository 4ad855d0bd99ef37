"""Every page through axe-core in Chromium, for each role, at 1280 px and at 390 px: no serious or critical
violation. axe-core is vendored for the tests only (tests/vendor/axe-core) and injected with a script tag in a
browser context that bypasses our Content-Security-Policy (the policy itself is tests/test_browser_csp.py's)."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import Activation, CapacityPool, TimedPause, WebhookDelivery
from campaigns.services.blackouts import editing
from tests.browser import launch_args, log_in
from tests.conftest import make_campaign, make_draft
from tests.wfm_support import make_activation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
DRAWN = "() => [...document.querySelectorAll('[data-figure]')].every(c => c.hasAttribute('data-drawn'))"
SERIOUS = """() => axe.run(document, {resultTypes: ["violations"]}).then(result => result.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.id + " (" + v.impact + "): " + v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")))"""


@pytest.fixture
def product(pool, planner, supervisor, other_planner, other_supervisor):
    surveys = CapacityPool.objects.create(cxone_skill_id="S-20", name="Surveys", agents=4)
    first = make_campaign("C-1", pool=pool, name="Renewals East", agents_required=12)
    make_campaign("C-2", pool=pool, name="Renewals West", agents_required=12, cron_expression="0 10 * * *")
    third = make_campaign("C-3", pool=surveys, name="Survey North", contact_list_id="L-9")
    draft = make_draft(first, planner)
    make_draft(third, other_planner, status="submitted")
    active = make_activation(first, planner)
    make_activation(first, planner, step=Activation.Step.FAILED)
    WebhookDelivery.objects.create(
        event_type="campaign_schedule.activated", activation=active, payload={}, status="pending", attempts=2
    )
    revision = editing.create_calendar(other_supervisor, "Closures", "", "fourth Thursday of November: Thanksgiving")
    editing.propose_attachments(revision.calendar_id, other_supervisor, campaigns=[first.pk], pools=[])
    editing.submit(revision.pk, other_supervisor)
    editing.approve(revision.pk, supervisor)
    # A change of where it applies waiting for review: the page shows it beside the attachments in force.
    change = editing.propose_attachments(revision.calendar_id, other_supervisor, campaigns=[third.pk], pools=[])
    editing.submit(change.pk, other_supervisor)
    # Pauses drawn as bands on the timelines: one approved, one awaiting approval.
    start = timezone.now() + dt.timedelta(days=1)
    for status, campaign in ((TimedPause.Status.APPROVED, first), (TimedPause.Status.SUBMITTED, third)):
        pause = TimedPause.objects.create(
            starts_at=start, ends_at=start + dt.timedelta(hours=30), reason="Training day", requested_by=planner,
            status=status, reviewed_by=supervisor if status == TimedPause.Status.APPROVED else None,
        )  # fmt: skip
        pause.campaigns.set([campaign])
    return {"campaign": first, "draft": draft, "calendar": revision.calendar}


def pages_of(product) -> dict[str, list[str]]:
    campaign, draft, calendar = product["campaign"], product["draft"], product["calendar"]
    return {
        "planner": [
            "/campaigns/",
            f"/campaigns/{campaign.pk}/",
            "/drafts/",
            f"/drafts/{draft.pk}/",
            "/timeline/",
            "/capacity/",
            "/activations/",
            "/audit/",
            "/pools/",
            "/calendars/",
            f"/calendars/{calendar.pk}/",
        ],
        "supervisor": ["/approvals/", "/webhooks/", "/pools/new", "/calendars/new", f"/calendars/{calendar.pk}/"],
        "manager": ["/dashboard/"],
    }


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["1280px", "390px"])
def axe_page(request, playwright):
    width, height = request.param
    browser = playwright.chromium.launch(**launch_args())
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    yield context.new_page()
    context.close()
    browser.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(SERIOUS)


def test_no_page_has_a_serious_accessibility_violation(live_server, axe_page, product, planner, supervisor, manager):
    page, base = axe_page, live_server.url
    page.goto(f"{base}/login/")
    found = {"/login/": serious_violations(page)}
    for user, paths in pages_of(product).items():
        page.context.clear_cookies()
        log_in(page, base, {"planner": planner, "supervisor": supervisor, "manager": manager}[user].username)
        for path in paths:
            response = page.goto(base + path)
            assert response.ok, f"{path} answered {response.status}"
            page.wait_for_load_state("networkidle")
            page.wait_for_function(DRAWN)
            found[f"{user} {path}"] = serious_violations(page)
    assert {where: v for where, v in found.items() if v} == {}
