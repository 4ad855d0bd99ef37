"""Helpers shared by the WFM webhook tests: secrets, the sandbox's WFM stand-in on a real socket, settings that
point the outbox at it with a compressed retry schedule, and activations to announce."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket

from django.test import override_settings

from campaigns.models import Activation, DraftStatus
from campaigns.sandbox import SandboxServer
from tests.conftest import make_campaign, make_draft
from tests.cxone_support import fast_config

# Two fixed secrets (24 random-looking bytes each) so that failures are reproducible.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
COMPRESSED_SCHEDULE = (0, 1, 2)  # three attempts: now, 1 s after the first failure, 2 s after the second


@contextlib.contextmanager
def stand_in(**knobs):
    """The sandbox (and its WFM stand-in) on 127.0.0.1 and a free port, receiving with SECRET."""
    knobs.setdefault("wfm_secret", SECRET)
    with SandboxServer(fast_config(**knobs)) as server:
        yield server


def outbox_settings(url: str, **overrides):
    values = {
        "WFM_WEBHOOK_URL": url,
        "WFM_WEBHOOK_SECRET": SECRET,
        "WFM_RETRY_SCHEDULE": COMPRESSED_SCHEDULE,
        "WFM_TIMEOUT_SECONDS": 1,
    }
    values.update(overrides)
    return override_settings(**values)


def refused_url() -> tuple[str, socket.socket]:
    """A loopback URL where nothing listens (connect is refused); keep the socket until the test ends, so
    that no one else takes the port meanwhile."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{holder.getsockname()[1]}/wfm/webhook", holder


def make_activation(campaign, author, step=Activation.Step.ACTIVE, **fields) -> Activation:
    """An activation at a terminal step, with its draft, as the activation pipeline leaves it."""
    draft = make_draft(
        campaign,
        author,
        status=DraftStatus.ACTIVE if step == Activation.Step.ACTIVE else DraftStatus.FAILED,
        findings={
            "conflicts_added": [{"kind": "capacity", "key": "S-10", "campaigns": ["C-1001", "C-1002"]}]
        },
    )
    approved = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    values = {
        "step": step,
        "approved_at": approved,
        "pushed_version": campaign.remote_version + 1,
        "pushed_at": approved + dt.timedelta(seconds=2),
    }
    if step == Activation.Step.ACTIVE:
        values.update(
            observed_active_at=approved + dt.timedelta(seconds=9),
            remote_activated_at=approved + dt.timedelta(seconds=8),
            latency_ms=9000,
            outcome="ACTIVE",
        )
    else:
        values.update(outcome="ERROR", error="dnc.list_inactive: DNC list D-5 is INACTIVE")
    values.update(fields)
    return Activation.objects.create(draft=draft, campaign=campaign, **values)


__all__ = ["make_campaign", "make_activation"]
