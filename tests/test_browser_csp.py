"""Every page under the Content-Security-Policy in Chromium: the header is there, and no page (the chart pages
with Plotly, htmx swaps and their indicators, the editor's live check, the admin) makes the browser refuse
anything, whether it says so with a `securitypolicyviolation` event or on the console."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from campaigns.models import Activation, CapacityPool
from campaigns.services.notifications import notify, preferences
from tests.browser import browser_type_launch_args, log_in  # noqa: F401 (a fixture)
from tests.conftest import PASSWORD, make_campaign, make_draft
from tests.history_support import found_in_cxone
from tests.wfm_support import make_activation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")
    + " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording every CSP violation its documents report (event or console)."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        else None,
    )
    page.add_init_script(LISTEN)
    page.csp_console = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + page.csp_console


def visit(page, url: str, ready=None) -> None:
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    if ready:
        page.wait_for_function(ready)
    assert violations(page) == [], f"{url}: {violations(page)}"


@pytest.fixture
def product(pool, planner, supervisor):
    surveys = CapacityPool.objects.create(cxone_skill_id="S-20", name="Surveys", agents=4)
    first = make_campaign("C-1", pool=pool, name="Renewals East", agents_required=12)
    make_campaign("C-2", pool=pool, name="Renewals West", agents_required=12, cron_expression="0 10 * * *")
    make_campaign("C-3", pool=surveys, name="Survey North", contact_list_id="L-9")
    draft = make_draft(first, planner)
    make_activation(first, planner)
    make_activation(first, planner, step=Activation.Step.FAILED)
    notify.drift_found(first, differences=["CXone opens 09:00 CST"], key="scan-1")
    # Changed in CXone: the campaign page's finding, the list's badge, the history page's comparison.
    found_in_cxone(first, ["schedule"], cron_expression="0 10 * * 1-5")
    return {"campaign": first, "draft": draft}


DRAWN = "() => [...document.querySelectorAll('[data-figure]')].every(c => c.hasAttribute('data-drawn'))"


def test_no_page_makes_the_browser_refuse_anything(
    live_server, watched, product, planner, supervisor, manager
):
    page, base = watched, live_server.url
    visit(page, f"{base}/login/")
    log_in(page, base, planner.username)
    visit(page, f"{base}/campaigns/")
    page.get_by_label("Search").fill("Renewals")  # an htmx swap with its indicator
    page.wait_for_load_state("networkidle")
    visit(page, f"{base}/campaigns/{product['campaign'].pk}/")
    visit(page, f"{base}/campaigns/{product['campaign'].pk}/history/")
    visit(page, f"{base}/campaigns/?changed=yes")
    visit(page, f"{base}/drafts/")
    visit(page, f"{base}/drafts/{product['draft'].pk}/", ready=DRAWN)
    page.get_by_label("Cron expression").fill("0 11 * * 1-5")  # the live check and the editor's timeline
    page.wait_for_load_state("networkidle")
    page.wait_for_function(DRAWN)
    visit(page, f"{base}/audit/")
    visit(page, f"{base}/notifications/")
    page.get_by_role("button", name="Mark read: CXone's schedule of Renewals East differs").click()  # htmx, oob
    expect(page.locator(".notification.unread")).to_have_count(0)
    visit(page, f"{base}/timeline/", ready=DRAWN)
    visit(page, f"{base}/capacity/", ready=DRAWN)
    page.get_by_label("UTC", exact=True).check()  # redraw after an htmx swap
    page.wait_for_load_state("networkidle")
    page.wait_for_function(DRAWN)
    assert violations(page) == []

    page.context.clear_cookies()
    log_in(page, base, manager.username)
    visit(page, f"{base}/dashboard/", ready=DRAWN)
    expect(page.locator("[data-figure]").first).to_be_visible()
    visit(page, f"{base}/webhooks/")
    visit(page, f"{base}/activations/")

    page.context.clear_cookies()
    log_in(page, base, supervisor.username)
    visit(page, f"{base}/approvals/")
    page.get_by_text("More", exact=True).click()  # the top bar's list of pages visited less often
    visit(page, f"{base}/pools/")
    visit(page, f"{base}/pools/new")
    assert violations(page) == []

    page.context.clear_cookies()  # a mail's unsubscribe link, opened without signing in
    visit(page, f"{base}/notifications/unsubscribe/{preferences.unsubscribe_token(planner.pk, 'drift_found')}/")
    page.get_by_role("button", name="Undo: mail me again").click()
    expect(page.get_by_role("heading", name="Mailed again")).to_be_visible()
    assert violations(page) == []


def test_the_login_page_with_sign_on_keeps_the_policy(live_server, watched, settings, db):
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "https://id.example.test", "p", "s"
    visit(watched, f"{live_server.url}/login/")
    expect(watched.get_by_role("link", name="Sign in with your company account")).to_be_visible()


def test_the_watch_sees_what_the_policy_refuses(live_server, watched, db):
    """The listener above is not blind: an inline style and an inline script are both reported."""
    page = watched
    visit(page, f"{live_server.url}/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.ran") is None
    assert {v.split()[0] for v in violations(page) if not v.startswith(("Applying", "Executing"))} == {
        "style-src-attr",
        "script-src-elem",
    }


def test_the_admin_works_under_the_same_policy(live_server, watched, db):
    User.objects.create_superuser("ada_admin", "ada@example.test", PASSWORD)
    page, base = watched, live_server.url
    log_in(page, base, "ada_admin")
    visit(page, f"{base}/admin/")
    visit(page, f"{base}/admin/campaigns/campaign/")
    visit(page, f"{base}/admin/auth/user/add/")


def bar_centre(page, chart: str, trace_name: str) -> tuple[float, float]:
    """Where the first bar of the named trace is drawn on the screen."""
    index = page.locator(f'[data-chart="{chart}"].js-plotly-plot').evaluate(
        f"el => el.data.findIndex(t => t.name === {trace_name!r})"
    )
    assert index >= 0, f"no trace {trace_name!r}"
    box = page.locator(f'[data-chart="{chart}"] g.trace.bars').nth(index).locator("path").first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_hovering_zooming_and_clicking_the_timeline_break_no_policy_and_point_where_a_click_opens(
    live_server, watched, product, planner
):
    page, base = watched, live_server.url
    log_in(page, base, planner.username)
    visit(page, f"{base}/timeline/", ready=DRAWN)
    plot = page.locator('[data-chart="timeline"]')
    drag = plot.locator(".nsewdrag").first

    for trace_name in ("Capacity overload (agents needed > pool's agents)", "Calling window"):
        page.mouse.move(*bar_centre(page, "timeline", trace_name), steps=4)
        expect(plot.locator(".hoverlayer .hovertext").first).to_be_visible()
        assert violations(page) == [], f"hovering {trace_name}: {violations(page)}"
    pointing = re.compile(r"\bchart-pointing\b")
    expect(plot).to_have_class(pointing)
    assert drag.evaluate("el => getComputedStyle(el).cursor") == "pointer"
    page.mouse.move(5, 5)  # off the chart: back to Plotly's own cursor
    expect(plot).not_to_have_class(pointing)
    assert drag.evaluate("el => getComputedStyle(el).cursor") != "pointer"

    box = drag.bounding_box()  # a zoom by dragging (no click: the pointer moves), then the toolbar's way back
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 120, steps=5)
    page.mouse.up()
    plot.locator(".modebar-btn[data-title='Zoom in']").click()
    plot.locator(".modebar-btn[data-title='Reset axes']").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("/timeline/")
    assert violations(page) == []

    page.mouse.click(*bar_centre(page, "timeline", "Calling window"))
    page.wait_for_url("**/campaigns/*/")
    assert violations(page) == []
