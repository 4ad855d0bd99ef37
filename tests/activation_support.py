"""Helpers of the activation tests: the CXone sandbox on a real socket as the product's CXone, a mirror synced
from it, drafts approved through the real workflow, and the doorbells (enqueued tasks) recorded."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.utils import timezone

from campaigns.cxone.factory import set_client_factory
from campaigns.cxone.resilience import CircuitBreaker
from campaigns.cxone.v2 import CXoneClient
from campaigns.models import Activation, Campaign, ScheduleDraft
from campaigns.sandbox import SandboxServer
from campaigns.services.activation import doorbell
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.sync.mirror import sync_campaigns
from tests.cxone_support import FAST_RETRY, fast_config

# A schedule a planner might propose: windows 12:00-15:00 in the campaign's zone, weekdays.
PROPOSED = {"cron_expression": "0 12 * * 1-5", "duration_minutes": 180}
CAMPAIGN = "GET /api/v2/outbound/campaigns/{campaign_id}"
CAMPAIGNS = "GET /api/v2/outbound/campaigns"
PUT = "PUT /api/v2/outbound/campaigns/{campaign_id}"


def client_for(url: str, **options) -> CXoneClient:
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("circuit", CircuitBreaker(threshold=50, cooldown=1.0))
    return CXoneClient(url, "demo", "demo-secret", **options)


@contextlib.contextmanager
def product_cxone(config):
    """The sandbox on a real socket, serving `config`, as the product's CXone while the block runs."""
    with SandboxServer(config) as server:
        set_client_factory(lambda: client_for(server.url))
        try:
            yield server
        finally:
            set_client_factory(None)


@pytest.fixture
def sandbox():
    with product_cxone(fast_config(campaigns=12)) as server:
        yield server


@pytest.fixture
def target(sandbox, db):
    """A mirrored campaign that can take PROPOSED."""
    mirror()
    return pushable()[0]


@pytest.fixture
def doorbells(monkeypatch):
    """The tasks the code under test enqueued, as (func, args), instead of enqueuing them."""
    rung: list[tuple] = []
    monkeypatch.setattr(doorbell, "async_task", lambda func, *args: rung.append((func, args)))
    return rung


def mirror() -> None:
    sync_campaigns()


def pushable(count: int = 1, proposed: dict = PROPOSED, **filters) -> list[Campaign]:
    """Mirrored campaigns (of `filters`) for which `proposed` has no blocking finding (some seeded ones never
    will)."""
    found = []
    for campaign in Campaign.objects.filter(**filters).order_by("cxone_id"):
        values = {**workflow.campaign_schedule(campaign), **proposed}
        if draft_checks.evaluate_values(campaign, values, conflicts=False).blocking:
            continue
        found.append(campaign)
        if len(found) == count:
            return found
    raise AssertionError(f"the sandbox tenant has fewer than {count} campaigns that can take {proposed}")


def approve(campaign, planner, supervisor, **fields) -> ScheduleDraft:
    """A draft of `campaign` written by `planner`, submitted and approved by `supervisor`, as the pages do it."""
    draft = workflow.start_draft(campaign, planner, **{**PROPOSED, **fields})
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    return workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)


def approved_and_queued(campaign, planner, supervisor, capture) -> Activation:
    """approve(), with the commit callbacks run: the Activation it queued (its push rung, not run)."""
    with capture(execute=True):
        draft = approve(campaign, planner, supervisor)
    return Activation.objects.get(draft=draft)


def due_now(**filters) -> None:
    """Every waiting row is due now (instead of sleeping through its interval)."""
    Activation.objects.filter(**filters).update(due_at=timezone.now() - dt.timedelta(milliseconds=1))


def puts(server, campaign) -> int:
    """PUTs CXone accepted for the campaign."""
    return server.state.stats.puts[campaign.cxone_id]


def requests(server, route: str, status=None) -> int:
    return server.state.stats.count(route, status)
