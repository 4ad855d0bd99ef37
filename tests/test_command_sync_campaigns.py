"""`manage.py sync_campaigns` and `manage.py setup_schedules`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from campaigns.cxone.factory import set_client_factory
from campaigns.models import Campaign
from campaigns.periodic_tasks import SYNC_EVERY_MINUTES, SYNC_SCHEDULE_NAME, SYNC_TASK_TIMEOUT_SECONDS
from campaigns.sandbox import create_app
from tests.cxone_support import asgi_client, fast_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant():
    app = create_app(fast_config(campaigns=12))
    set_client_factory(lambda: asgi_client(app))
    yield app
    set_client_factory(None)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_prints_created_updated_unchanged_and_missing_counts(tenant):
    first = run("sync_campaigns")
    tenant.state.touch("C-1002", {"name": "Renamed in CXone"})
    tenant.state.remove("C-1003")
    second = run("sync_campaigns")

    assert "created 12, updated 0, unchanged 0, missing 0" in first and "drafts behind CXone 0" in first
    assert "created 0, updated 1, unchanged 10, missing 1" in second
    assert Campaign.objects.count() == 12


def test_a_cxone_failure_is_a_command_error_naming_the_failure(tenant):
    tenant.state.config.update({"client_secret": "rotated"})
    with pytest.raises(CommandError, match="InvalidCredentials"):
        run("sync_campaigns")
    assert Campaign.objects.count() == 0


def test_it_says_when_cxone_is_not_configured(settings):
    settings.CXONE_BASE_URL = None
    set_client_factory(None)
    with pytest.raises(CommandError, match="CXONE_BASE_URL"):
        run("sync_campaigns")


def test_enqueue_queues_one_long_lived_sync_for_the_workers_without_calling_cxone(tenant):
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker = get_broker()
    # Tasks other tests enqueued on a shared broker (Redis in CI) must not be read as ours.
    broker.purge_queue()
    try:
        out = run("sync_campaigns", "--enqueue")
        queued = []
        while batch := broker.dequeue():
            queued += [SignedPackage.loads(payload) for _, payload in batch]
    finally:
        broker.purge_queue()
    assert "sync queued for the workers" in out
    assert [(task["func"], task["timeout"]) for task in queued] == [
        ("campaigns.tasks.sync_campaigns_task", SYNC_TASK_TIMEOUT_SECONDS)
    ]
    assert tenant.state.stats.as_dict()["totalRequests"] == 0


def test_campaigns_it_could_not_read_are_named_and_kept_as_they_were(tenant):
    run("sync_campaigns")
    tenant.state.config.update({"failing_paths": ["/api/v2/outbound/dnc/D-1"]})
    out = run("sync_campaigns")
    using = sorted(i for i, c in tenant.state.campaigns.items() if c["dncListId"] == "D-1")
    assert using and f"failed {len(using)}" in out
    assert f"not written, kept as it was: {using[0]}: DNC list D-1: ServerError" in out


def test_setup_schedules_is_safe_to_run_twice():
    assert f"{SYNC_SCHEDULE_NAME}: created" in run("setup_schedules")
    assert f"{SYNC_SCHEDULE_NAME}: unchanged" in run("setup_schedules")


def test_setup_schedules_leaves_the_first_sync_to_the_start_up_sync_each_entry_point_enqueues():
    from django.utils import timezone
    from django_q.models import Schedule

    run("setup_schedules")
    sync = Schedule.objects.get(name=SYNC_SCHEDULE_NAME)
    # Not due now (a second full sync right behind the start-up one), but one interval from now.
    assert sync.next_run > timezone.now() + dt.timedelta(minutes=SYNC_EVERY_MINUTES - 1)


@pytest.mark.parametrize("wait", ["nan", "inf", "-inf", "-1", "86401", "1e400", "soon", "²"])
def test_a_wait_that_would_never_end_or_is_no_number_is_refused_naming_it(wait):
    with pytest.raises(CommandError, match=f"argument --wait: '{wait}' is not a number of seconds from 0 to 86400"):
        run("sync_campaigns", f"--wait={wait}")  # "=": argparse reads a lone "-inf" as an option


def test_a_wait_that_runs_out_fails_with_the_reason(settings):
    settings.CXONE_BASE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.CXONE_CLIENT_ID, settings.CXONE_CLIENT_SECRET = "id", "secret"
    settings.CXONE_RETRY_BUDGET_SECONDS = 1
    set_client_factory(None)
    with pytest.raises(CommandError, match="CXone sync failed"):
        run("sync_campaigns", "--wait", "0.1")
