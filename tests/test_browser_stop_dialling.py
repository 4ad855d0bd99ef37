"""In a real browser: a supervisor stops the campaigns of one pool with a reason and watches each reach "stopped"
on the live page without reloading it, paused by a real qcluster worker in the CXone sandbox on a socket."""

import threading

import pytest
from playwright.sync_api import expect

from campaigns.models import AgentPool, Campaign, DiallingChange, PoolMember
from tests.activation_support import mirror, product_cxone
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.cxone_support import fast_config
from tests.qcluster_support import QCluster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cxone():
    # CXone takes 2 s to pause a campaign: long enough to see the rows go by.
    with product_cxone(fast_config(campaigns=12, activation_delay=2)) as server:
        yield server


@pytest.fixture
def worker(cxone, transactional_db, tmp_path):
    cluster = QCluster(cxone.url, tmp_path / "qcluster.log").start()
    yield cluster
    cluster.stop()


def test_a_supervisor_stops_a_pool_and_watches_each_campaign_reach_stopped_without_a_reload(
    live_server, page, cxone, worker, supervisor
):
    thread = threading.Thread(target=mirror)  # the CXone client needs its own event loop (tests/conftest.py)
    thread.start()
    thread.join(60)
    chosen = list(Campaign.objects.filter(state="ACTIVE").order_by("cxone_id")[:3])
    pool = AgentPool.objects.create(name="Renewals callers", agents=9)
    for campaign in chosen:
        PoolMember.objects.create(pool=pool, campaign=campaign)

    log_in(page, live_server.url, supervisor.username)
    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_text("More").click()  # a rare, grave action: one click further, the bar on one line
    navigation.get_by_role("link", name="Stop dialling").click()
    form = page.locator("#stop-form")
    form.get_by_label("Pools").select_option(label="Renewals callers")
    form.get_by_label("Reason").fill("A regulator's letter about this list")
    form.get_by_role("button", name="Stop dialling").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stop #")
    page.evaluate("window.__marker = 1")
    rows = page.locator("#dialling-rows tbody tr")
    expect(rows).to_have_count(3)
    screenshot(page, "stop-dialling-1-stopping")
    for campaign in chosen:
        row = page.locator(f'#dialling-rows tr[data-campaign="{campaign.name}"]')
        expect(row.locator(".badge")).to_have_text("Stopped", timeout=30_000)
    expect(page.locator("#dialling-progress")).to_contain_text("3 of 3 confirmed stopped")
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    screenshot(page, "stop-dialling-2-stopped")

    assert all(c.step == DiallingChange.Step.DONE for c in DiallingChange.objects.all())
    assert {cxone.state.campaigns[c.cxone_id]["state"] for c in chosen} == {"PAUSED"}
    others = Campaign.objects.exclude(pk__in=[c.pk for c in chosen]).filter(state="ACTIVE")
    assert all(cxone.state.campaigns[c.cxone_id]["state"] == "ACTIVE" for c in others)
