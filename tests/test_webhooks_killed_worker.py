"""A worker killed in the middle of sending loses no event: a real process claims the delivery and is SIGKILLed
while WFM has not answered; once its lease expires, the sweeper hands the row to another worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import WebhookDelivery
from campaigns.services.webhooks import outbox as webhooks
from tests.conftest import make_campaign, make_user
from tests.wfm_support import SECRET, make_activation, outbox_settings, stand_in

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import django
django.setup()
from campaigns.services.webhooks.outbox import deliver
deliver({delivery_id})
"""


def database_url() -> str:
    """The test database, for a process of its own."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(delivery_id: int, url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings_test",
        "DATABASE_URL": database_url(),
        "WFM_WEBHOOK_URL": url,
        "WFM_WEBHOOK_SECRET": SECRET,
        "WFM_TIMEOUT_SECONDS": "30",
        "LOG_LEVEL": "ERROR",
    }
    code = WORKER.format(delivery_id=delivery_id)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)  # noqa: S603


def wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_no_event(monkeypatch):
    monkeypatch.setattr(webhooks, "enqueue_delivery", lambda pk: None)
    planner = make_user("kim_planner", "planner")
    delivery = webhooks.record_activation_event(make_activation(make_campaign(), planner))
    with stand_in(wfm_hang_seconds=3) as wfm, outbox_settings(wfm.url + "/wfm/webhook"):
        worker = start_worker(delivery.pk, wfm.url + "/wfm/webhook")
        try:
            wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).lease_owner != "")
            # The POST is out; WFM hangs 3 s before answering it.
            wait_for(lambda: wfm.state.stats.received["POST /wfm/webhook"] == 1)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.wait(10)
        claimed = WebhookDelivery.objects.get(pk=delivery.pk)
        assert worker.returncode == -signal.SIGKILL
        assert claimed.status == WebhookDelivery.Status.PENDING and claimed.attempts == 1 and claimed.lease_owner

        swept: list[int] = []
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 0  # its lease still holds
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            lease_expires_at=timezone.now() - dt.timedelta(seconds=1)  # the lease's minute has passed
        )
        wfm.state.config.update({"wfm_hang_seconds": 0})
        assert webhooks.sweep_due_deliveries(enqueue=swept.append) == 1
        assert [webhooks.deliver(pk) for pk in swept] == ["delivered"]
    delivered = WebhookDelivery.objects.get(pk=delivery.pk)
    assert delivered.status == WebhookDelivery.Status.DELIVERED and delivered.attempts == 2
    assert list(wfm.state.wfm_deliveries) == [delivered.webhook_id]
