"""Helpers of the dialling-control tests: the sandbox on a real socket as the product's CXone (activation's
helpers), the control doorbells recorded instead of enqueued, and rows made due now instead of sleeping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign, DiallingChange
from campaigns.services.control import doorbell
from campaigns.services.control.wanting import want

PAUSE = "POST /api/v2/outbound/campaigns/{campaign_id}/pause"
RESUME = "POST /api/v2/outbound/campaigns/{campaign_id}/resume"


@pytest.fixture
def rung(monkeypatch):
    """The control tasks the code under test enqueued, as (func, args), or (func, args, kwargs) with keywords."""
    found: list[tuple] = []

    def record(func, *args, **kwargs):
        found.append((func, args, kwargs) if kwargs else (func, args))

    monkeypatch.setattr(doorbell, "async_task", record)
    return found


def running(count: int = 1) -> list[Campaign]:
    return list(Campaign.objects.filter(state="ACTIVE").order_by("cxone_id")[:count])


def wanted(campaign, action=DiallingChange.Action.STOP, **fields) -> DiallingChange:
    fields.setdefault("origin", DiallingChange.Origin.STOP_ORDER)
    return want(campaign, action, **fields)


def due_now(change: DiallingChange) -> None:
    DiallingChange.objects.filter(pk=change.pk).update(due_at=timezone.now() - dt.timedelta(milliseconds=1))


def settle(server, seconds: float = 2.0) -> None:
    """Let the sandbox's pauses, resumes and activations take (its clock moved instead of sleeping)."""
    server.state.clock.advance(seconds)


def fresh(change: DiallingChange) -> DiallingChange:
    change.refresh_from_db()
    return change
