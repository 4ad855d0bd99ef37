"""In a real browser: a supervisor approves a draft and watches it go live in CXone without reloading the page,
pushed by a real qcluster worker to the CXone sandbox on a socket; the planner sees the outcome too."""

import threading

import pytest
from playwright.sync_api import expect

from campaigns.models import Activation, DraftStatus
from campaigns.services.drafts import workflow
from tests.activation_support import PROPOSED, mirror, product_cxone, pushable
from tests.browser import browser_type_launch_args, log_in, screenshot  # noqa: F401 (a fixture)
from tests.cxone_support import fast_config
from tests.qcluster_support import QCluster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cxone():
    # CXone takes 2 s to activate: long enough to see the steps go by.
    with product_cxone(fast_config(campaigns=12, activation_delay=2)) as server:
        yield server


@pytest.fixture
def worker(cxone, transactional_db, tmp_path):
    cluster = QCluster(cxone.url, tmp_path / "qcluster.log").start()
    yield cluster
    cluster.stop()


def in_a_thread(work):
    """Playwright's event loop runs in this thread; the CXone client needs its own (see tests/conftest.py)."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)


def test_a_supervisor_approves_a_draft_and_watches_it_go_live_without_a_reload(
    live_server, page, new_context, cxone, worker, planner, supervisor
):
    in_a_thread(mirror)
    campaign = pushable()[0]
    draft = workflow.start_draft(campaign, planner, **PROPOSED)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)

    log_in(page, live_server.url, supervisor.username)
    item = page.locator(f"#draft-{draft.pk}")
    item.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status").first).to_have_text(f"Approved the draft for {campaign.name}.")
    page.evaluate("window.__marker = 1")

    going_live = page.get_by_role("region", name="Going live: drafts you approved")
    step = going_live.locator(".activation-step").first
    expect(step).to_contain_text(f"draft #{draft.pk}")
    assert "Active" not in step.locator(".badge").inner_text()  # CXone needs 2 s: not live yet
    screenshot(page, "activation-1-going-live")
    expect(step.locator(".badge")).to_have_text("Active", timeout=25_000)
    expect(step).to_contain_text("live in CXone as version")
    assert page.evaluate("window.__marker") == 1, "the page reloaded"
    screenshot(page, "activation-2-live")

    a = Activation.objects.get(draft=draft)
    assert a.step == Activation.Step.ACTIVE and a.latency_ms is not None
    assert cxone.state.stats.puts[campaign.cxone_id] == 1
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACTIVE

    # The planner sees the outcome on their landing page and on the Activations page.
    planner_page = new_context().new_page()
    log_in(planner_page, live_server.url, planner.username)
    # One outcome per draft: the approval's notice says it is live; the draft is not listed a second time.
    notices = planner_page.get_by_role("region", name="What happened to your drafts")
    expect(notices).to_contain_text(f"approved draft #{draft.pk} of {campaign.name}, live in CXone.")
    expect(planner_page.get_by_role("region", name="Your drafts in CXone")).to_have_count(0)
    planner_page.get_by_role("navigation", name="Main").get_by_role("link", name="Activations").click()
    row = planner_page.locator(f"#activation-{a.pk}")
    expect(row).to_contain_text(campaign.name)
    expect(row.locator(".badge").first).to_have_text("Active")
    # WFM is told of the outcome: its outbox event was written with it, and the row says where it is.
    expect(row.locator(".badge").nth(1)).to_contain_text("WFM: ")
    screenshot(planner_page, "activation-3-activations-page")
    row.get_by_role("link", name=f"draft #{draft.pk}").click()
    in_cxone = planner_page.get_by_role("region", name="In CXone")
    expect(in_cxone.locator(".badge")).to_have_text("Active")
    screenshot(planner_page, "activation-4-draft-page")
