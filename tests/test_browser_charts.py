"""The chart pages in Chromium: each draws its chart, the zone toggle moves the bars, a click opens the campaign,
the CSV holds what the chart draws, and the editor's timeline follows edits without leaking plots or listeners."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import CapacityPool, TimedPause
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.conftest import make_campaign, make_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRACES = "el => el.data.filter(t => t.name !== 'rows').map(t => t.name)"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "timezone_id": "America/Chicago",
        "viewport": {"width": 1280, "height": 900},
    }


def around_today() -> dict:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"effective_start": today - dt.timedelta(days=2), "effective_end": today + dt.timedelta(days=90)}


@pytest.fixture
def schedules(pool):
    surveys = CapacityPool.objects.create(cxone_skill_id="S-20", name="Surveys", agents=4)
    return [
        make_campaign(
            "C-1",
            pool=pool,
            name="Renewals East",
            agents_required=12,
            cron_expression="0 9 * * *",
            **around_today(),
        ),
        make_campaign(
            "C-2",
            pool=pool,
            name="Renewals West",
            agents_required=12,
            cron_expression="0 10 * * *",
            **around_today(),
        ),
        make_campaign(
            "C-3",
            pool=surveys,
            name="Survey North",
            contact_list_id="L-9",
            cron_expression="0 8 * * *",
            **around_today(),
        ),
    ]


def plot(page, chart):
    container = page.locator(f'[data-chart="{chart}"].js-plotly-plot')
    # Functions, not expressions: Playwright evaluates a bare expression with eval, which our CSP refuses.
    page.wait_for_function(f"() => document.querySelector('[data-chart=\"{chart}\"]')?.hasAttribute('data-drawn')")
    return container


def test_the_timeline_draws_moves_with_the_zone_toggle_opens_a_campaign_and_matches_its_csv(
    live_server, page, manager, schedules
):
    log_in(page, live_server.url, manager.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Timeline").click()
    container = plot(page, "timeline")
    assert set(container.evaluate(TRACES)) >= {
        "Calling window",
        "Capacity overload (agents needed > pool's agents)",
    }
    expect(page.get_by_role("group", name="Gantt chart of calling windows")).to_be_visible()
    expect(page.get_by_text("your zone (America/Chicago)")).to_be_visible()
    local_first = container.evaluate(
        "el => Math.min(...el.data.filter(t => t.name === 'Calling window')[0].base)"
    )
    screenshot(page, "charts-timeline")

    page.get_by_label("UTC", exact=True).check()
    page.wait_for_function(
        "() => document.querySelector('[data-chart=\"timeline\"]')?.hasAttribute('data-drawn')"
        " && location.search.includes('times=utc')"
    )
    container = plot(page, "timeline")
    expect(page.get_by_text("times in UTC").first).to_be_visible()
    utc_bases = container.evaluate("el => el.data.filter(t => t.name === 'Calling window')[0].base")
    assert local_first + 6 * 3600 * 1000 in utc_bases or local_first + 5 * 3600 * 1000 in utc_bases

    # The CSV holds the windows the chart draws (UTC view: its bases are the UTC starts).
    drawn = container.evaluate(
        "el => el.data.filter(t => t.name.startsWith('Calling window') || t.name.startsWith('Window in'))"
        ".flatMap(t => t.base)"
    )
    csv_url = page.get_by_role("link", name="Download the numbers (CSV)").get_attribute("href")
    response = page.request.get(live_server.url + "/timeline/" + csv_url)
    rows = [r for r in csv.DictReader(io.StringIO(response.text())) if r["kind"] == "window"]
    as_iso = [dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for ms in drawn]
    assert sorted(r["start_utc"] for r in rows) == sorted(as_iso)

    # A click on a campaign's bar opens the campaign.
    index, link = container.evaluate(
        "el => { const i = el.data.findIndex(t => t.name === 'Calling window'); return [i, el.data[i].customdata[0]]; }"
    )
    page.locator('[data-chart="timeline"] g.trace.bars').nth(index).locator("path").first.click(force=True)
    page.wait_for_url(f"**{link}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_approved_pause_is_drawn_over_its_campaign_with_its_windows_held(
    live_server, page, manager, planner, supervisor, schedules
):
    start = timezone.now() + dt.timedelta(days=1)
    pause = TimedPause.objects.create(
        starts_at=start, ends_at=start + dt.timedelta(hours=30), reason="Training day", requested_by=planner,
        status=TimedPause.Status.APPROVED, reviewed_by=supervisor,
    )  # fmt: skip
    pause.campaigns.set([schedules[0]])
    log_in(page, live_server.url, manager.username)
    page.goto(live_server.url + "/timeline/")
    container = plot(page, "timeline")

    assert {"Paused (approved)", "Window held (does not dial)"} <= set(container.evaluate(TRACES))
    hover = container.evaluate("el => el.data.find(t => t.name === 'Paused (approved)').hovertext[0]")
    assert "Training day" in hover and "CST" in hover
    expect(page.locator('[data-chart="timeline"] .legendtext', has_text="Paused (approved)")).to_be_visible()
    screenshot(page, "charts-timeline-paused")


def test_capacity_and_the_dashboards_draw_their_charts(live_server, page, manager, schedules):
    log_in(page, live_server.url, manager.username)
    expect(page.get_by_role("heading", name="Dashboards")).to_be_visible()  # where managers land
    assert plot(page, "conflicts").evaluate(TRACES) == [
        "Capacity overload (hours)",
        "Contact-list clash (hours)",
    ]
    expect(page.get_by_text("No activations yet").first).to_be_visible()
    screenshot(page, "charts-dashboards")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capacity").click()
    assert plot(page, "heatmap").evaluate("el => el.data[0].type") == "heatmap"
    assert plot(page, "curve").evaluate(TRACES)[:2] == [
        "Agents required (peak in the interval)",
        "Agents available (20)",
    ]
    screenshot(page, "charts-capacity")


def test_the_editors_timeline_follows_edits_and_leaks_nothing_after_a_hundred(
    live_server, page, planner, schedules
):
    campaign = schedules[0]
    draft = make_draft(campaign, planner, cron_expression="0 9 * * *", duration_minutes=480, **around_today())
    log_in(page, live_server.url, planner.username)
    page.goto(f"{live_server.url}/drafts/{draft.pk}/")
    container = plot(page, "draft-timeline")
    before = container.evaluate("el => el.data.find(t => t.name === 'This draft').base")

    page.get_by_label("Cron expression").fill("0 13 * * *")
    page.wait_for_function(
        "() => window.plannerCharts.drawn >= 2"
        " && document.querySelector('[data-chart=\"draft-timeline\"]')?.hasAttribute('data-drawn')"
    )
    after = plot(page, "draft-timeline").evaluate("el => el.data.find(t => t.name === 'This draft').base")
    assert [b - a for a, b in zip(before, after, strict=False)][:3] == [
        4 * 3600 * 1000
    ] * 3  # four hours later
    screenshot(page, "charts-draft-editor")

    cdp = page.context.new_cdp_session(page)

    def window_listeners() -> int:
        handle = cdp.send("Runtime.evaluate", {"expression": "window"})["result"]["objectId"]
        return len(cdp.send("DOMDebugger.getEventListeners", {"objectId": handle})["listeners"])

    listeners = window_listeners()
    drawn = page.evaluate(
        """async () => {
            const field = document.getElementById('id_cron_expression');
            for (let i = 0; i < 100; i++) {
                const before = window.plannerCharts.drawn;
                field.value = `0 ${8 + (i % 8)} * * *`;
                field.dispatchEvent(new Event('change', {bubbles: true}));
                while (window.plannerCharts.drawn === before) { await new Promise(r => setTimeout(r, 10)); }
            }
            return window.plannerCharts;
        }"""
    )
    assert drawn["drawn"] >= 102 and drawn["purged"] == drawn["drawn"] - 1  # every old plot purged
    assert page.locator(".js-plotly-plot").count() == 1
    assert window_listeners() == listeners  # Plotly's resize handlers went with their plots
