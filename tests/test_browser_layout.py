"""The pages as a new user meets them in Chromium: at 1280 px every role's navigation holds on one line; at
390 px the header folds behind a Menu button, no page scrolls sideways, and the campaign list is within the first
screen however much news sits above it; from the landing page the search box is two key presses away."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Activation
from campaigns.services import audit
from campaigns.services.blackouts import editing
from tests.browser import launch_args, log_in, screenshot
from tests.conftest import make_campaign, make_draft, make_user
from tests.wfm_support import make_activation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV_TOPS = """() => [...document.querySelectorAll('.topbar nav > ul > li')]
  .map(li => Math.round(li.getBoundingClientRect().top))"""
PAGES = ["/campaigns/", "/drafts/", "/timeline/", "/capacity/", "/activations/", "/audit/", "/pools/", "/calendars/"]


@pytest.fixture
def news(pool, planner, supervisor):
    """A planner back from a week away: six decisions on their drafts, five pushes, forty campaigns."""
    campaigns = [make_campaign(f"C-{n}", pool=pool, name=f"Renewals {n:02d}") for n in range(40)]
    for campaign in campaigns[:6]:
        draft = make_draft(campaign, planner, status="approved", approver=supervisor, reviewed_at=timezone.now())
        audit.record("campaigns.draft.approved", draft, actor=supervisor, campaign=campaign)
    for campaign in campaigns[6:11]:
        activation = make_activation(campaign, planner)
        Activation.objects.filter(pk=activation.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    return campaigns


@pytest.fixture
def browser_at(playwright):
    browser = playwright.chromium.launch(**launch_args())
    contexts = []

    def page(width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield page
    for context in contexts:
        context.close()
    browser.close()


def test_every_roles_navigation_holds_on_one_line_at_1280_px(live_server, browser_at, news, supervisor, manager):
    admin = make_user("ada_admin", "supervisor")
    admin.is_staff = True
    admin.save()
    for user in (supervisor, manager, admin):
        page = browser_at(1280, 800)
        log_in(page, live_server.url, user.username)
        tops = page.evaluate(NAV_TOPS)
        assert max(tops) - min(tops) < 10, f"{user.username}: the navigation wraps ({tops})"
        assert page.locator(".topbar").bounding_box()["height"] < 60
        page.context.close()


def test_the_pages_visited_less_often_are_one_click_further_under_more(live_server, browser_at, news, supervisor):
    page = browser_at(1280, 800)
    log_in(page, live_server.url, supervisor.username)
    more = page.get_by_text("More", exact=True)
    more.click()
    page.get_by_role("link", name="Pools").click()
    expect(page.get_by_role("heading", name="Pools of agents")).to_be_visible()
    page.keyboard.press("Escape")
    more.click()
    page.keyboard.press("Escape")  # closes it again, focus back on its switch
    expect(page.get_by_role("link", name="Webhooks")).to_be_hidden()


def test_on_a_phone_the_header_folds_and_the_campaign_list_is_within_the_first_screen(
    live_server, browser_at, news, planner
):
    page = browser_at(390, 844)
    log_in(page, live_server.url, planner.username)
    assert page.url.endswith("/campaigns/")
    header = page.locator(".topbar").bounding_box()
    assert header["height"] < 60
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    first = page.locator("#campaign-results").get_by_role("link", name="Renewals 00")
    screenshot(page, "layout-campaigns-390")
    assert first.bounding_box()["y"] + first.bounding_box()["height"] < 844
    screenshot(page, "layout-campaigns-390")

    menu = page.get_by_role("button", name="Menu")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline")).to_be_visible()
    menu.click()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()

    page.get_by_text("What happened to your drafts").click()  # the folded news opens
    expect(page.get_by_role("button", name="Dismiss: ").first).to_be_visible()


def test_no_page_scrolls_sideways_at_390_px(live_server, browser_at, news, planner, supervisor):
    page = browser_at(390, 844)
    calendar = editing.create_calendar(supervisor, "Closures", "", "fourth Thursday of November: Thanksgiving").calendar
    # Where it applies, proposed: the calendar's page shows it beside the attachments in force.
    editing.propose_attachments(calendar.pk, supervisor, campaigns=[c.pk for c in news], pools=[])
    log_in(page, live_server.url, planner.username)
    wide = {}
    draft = news[0].drafts.get()
    for path in [*PAGES, f"/campaigns/{news[0].pk}/", f"/drafts/{draft.pk}/"]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    page.context.clear_cookies()
    log_in(page, live_server.url, supervisor.username)
    for path in ("/approvals/", "/webhooks/", "/dashboard/", "/calendars/new", f"/calendars/{calendar.pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}


def test_from_the_landing_page_the_search_box_is_two_key_presses_away(live_server, browser_at, news, planner):
    page = browser_at(1280, 800)
    log_in(page, live_server.url, planner.username)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the campaign search")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Search campaigns")).to_be_focused()
    page.keyboard.type("Renewals 07")
    results = page.locator("#campaign-results")
    expect(results.get_by_role("link", name="Renewals 07")).to_be_visible()
    expect(results.get_by_role("link", name="Renewals 08")).to_be_hidden()
