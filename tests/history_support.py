"""Helpers of the history and drift tests: the CXone sandbox on a real socket as the product's CXone (either
personality), someone editing a campaign in CXone's UI through the sandbox's touch control, and a draft taken
all the way to ACTIVE through the real workflow and the activation steps."""

from __future__ import annotations

import contextlib

import httpx
import pytest
from django.utils import timezone

from campaigns.cxone.factory import set_client_factory
from campaigns.models import Activation, Campaign, CampaignVersion, Drift, ScheduleDraft
from campaigns.sandbox import SandboxServer
from campaigns.services import activation
from campaigns.services.activation import doorbell
from campaigns.services.activation import polling as activation_polling
from campaigns.services.drafts import workflow
from campaigns.services.history import values
from campaigns.services.sync.mirror import sync_campaigns
from tests.activation_support import client_for, due_now
from tests.cxone_support import admin_client_for, admin_config, fast_config


@contextlib.contextmanager
def cxone(config, client):
    with SandboxServer(config) as server:
        set_client_factory(lambda: client(server.url))
        try:
            yield server
        finally:
            set_client_factory(None)


@pytest.fixture
def v2_cxone(monkeypatch):
    monkeypatch.setattr(doorbell, "async_task", lambda func, *args: None)  # each test drives the steps itself
    with cxone(fast_config(campaigns=12), client_for) as server:
        sync_campaigns()
        yield server


@pytest.fixture
def admin_cxone(settings, monkeypatch):
    settings.CXONE_API = "admin"
    monkeypatch.setattr(doorbell, "async_task", lambda func, *args: None)
    with cxone(admin_config(campaigns=12), admin_client_for) as server:
        sync_campaigns()
        yield server


def touch(server, campaign_id: str, body: dict) -> dict:
    """Someone edits the campaign (under the Admin API: the skill) in CXone's UI."""
    answer = httpx.post(f"{server.url}/_sandbox/campaigns/{campaign_id}/touch", json=body, timeout=5)
    assert answer.status_code == 200, answer.text
    return answer.json()


def running_campaign(**filters) -> Campaign:
    return (
        Campaign.objects.filter(state="ACTIVE", **filters).exclude(cron_expression="").order_by("cxone_id")[0]
    )


def drifts(campaign) -> list[Drift]:
    return list(Drift.objects.filter(campaign=campaign).order_by("pk"))


def approved_draft(campaign, planner, supervisor, **fields) -> ScheduleDraft:
    draft = workflow.start_draft(campaign, planner, **fields)
    draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    return workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)


def push_and_wait_for_active(server, draft: ScheduleDraft, capture) -> Activation:
    """The approved draft's activation queued, pushed and polled until CXone says ACTIVE (or it ends)."""
    with capture(execute=True):
        activation.queue(draft.pk)
    a = Activation.objects.get(draft=draft)
    assert activation.push(a.pk) == "pushed"
    server.state.clock.advance(6)  # past the activation delay
    due_now()
    activation_polling.poll_round("test")
    a.refresh_from_db()
    return a


def found_in_cxone(campaign, changed=("schedule",), **seen) -> Drift:
    """A change found in CXone as the sync records it, without a sync: the campaign's values as first mirrored
    (what it is held to), and CXone's values with `seen` changed."""
    mirrored = values.of_campaign(campaign)
    held = CampaignVersion.objects.create(
        campaign=campaign, source=CampaignVersion.Source.FIRST_MIRRORED, **values.version_fields(mirrored)
    )
    in_cxone = CampaignVersion.objects.create(
        campaign=campaign,
        source=CampaignVersion.Source.SEEN_IN_CXONE,
        **values.version_fields({**mirrored, **seen}),
    )
    now = timezone.now()
    return Drift.objects.create(
        campaign=campaign,
        seen=in_cxone,
        reference=held,
        changed=list(changed),
        first_seen_at=now,
        last_seen_at=now,
    )
