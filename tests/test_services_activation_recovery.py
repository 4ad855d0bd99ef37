"""What never gets lost or doubled: PUTs whose answer was lost, workers killed mid-push, lost doorbells, two
workers racing for one row; and the poller's batching. Against the CXone sandbox on a real socket."""

from __future__ import annotations

import datetime as dt
import threading

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from campaigns.cxone.factory import get_client, run_sync, set_client_factory
from campaigns.models import Activation, AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services import activation
from campaigns.services.activation import doorbell
from campaigns.services.activation import polling as activation_polling
from campaigns.services.sent_schedule import schedule_of
from tests import activation_support
from tests.activation_support import (
    CAMPAIGN,
    CAMPAIGNS,
    PUT,
    approve,
    client_for,
    due_now,
    mirror,
    pushable,
    puts,
    requests,
)
from tests.conftest import make_campaign, make_draft

Step = Activation.Step


sandbox, doorbells, target = activation_support.sandbox, activation_support.doorbells, activation_support.target
approved_and_queued = activation_support.approved_and_queued


class LosesAnswers(httpx.AsyncBaseTransport):
    """A real socket transport whose next PUT times out on the client side: after CXone answered it
    (`landed=True`), or before it was sent (`landed=False`)."""

    def __init__(self, *, landed: bool):
        self.inner = httpx.AsyncHTTPTransport()
        self.landed = landed
        self.armed = True

    async def handle_async_request(self, request):
        if request.method == "PUT" and self.armed:
            self.armed = False
            if self.landed:
                response = await self.inner.handle_async_request(request)
                await response.aread()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self):
        await self.inner.aclose()




@pytest.mark.django_db
@pytest.mark.parametrize("landed", [True, False])
def test_a_put_whose_answer_was_lost_is_resolved_by_reading_never_by_a_blind_second_put(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, landed
):
    transport = LosesAnswers(landed=landed)
    set_client_factory(lambda: client_for(sandbox.url, transport=transport))
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)

    outcome = activation.push(a.pk)

    a.refresh_from_db()
    assert requests(sandbox, CAMPAIGN) == 1  # read once to learn what happened
    if landed:
        assert outcome == "pushed"
        assert (a.step, a.pushed_version) == (Step.POLLING, target.remote_version + 1)
        assert (
            "answer was lost had landed" in AuditEntry.objects.filter(action__endswith="pushed").get().message
        )
        assert requests(sandbox, PUT) == 1
    else:
        assert outcome.startswith("waiting") and a.step == Step.QUEUED and a.pushed_version is None
        assert requests(sandbox, PUT) == 0
        due_now()
        assert activation.push(a.pk) == "pushed"  # read showed the base version: safe to PUT now
        assert requests(sandbox, PUT) == 1
    assert puts(sandbox, target) == 1


@pytest.mark.django_db
def test_a_worker_killed_after_sending_its_put_loses_the_lease_and_the_next_one_reads_first(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    from campaigns.services.activation import sweeper as periodic

    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    # The killed worker's traces: it claimed the row, recorded its PUT, sent it, and died before the answer.
    remote = run_sync(get_client().get_campaign(target.cxone_id))
    run_sync(get_client().put_campaign_once(remote.with_schedule(schedule_of(a.draft)),
                                                       base_version=a.base_version))  # fmt: skip
    Activation.objects.filter(pk=a.pk).update(
        step=Step.PUSHING,
        lease_owner="worker-1:4242:dead",
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),
        pushed_version=a.base_version + 1,
        attempts=1,
    )
    ScheduleDraft.objects.filter(pk=a.draft_id).update(status=DraftStatus.ACTIVATING)

    assert periodic.sweep()["reclaimed"] == 1
    a.refresh_from_db()
    assert a.step == Step.QUEUED and a.pushed_version == a.base_version + 1  # the unknown PUT stays known
    assert ("campaigns.tasks.push_activation", (a.pk,)) in doorbells

    assert activation.push(a.pk) == "pushed"
    assert puts(sandbox, target) == 1 and requests(sandbox, PUT) == 1
    reclaimed = AuditEntry.objects.get(action="campaigns.activation.lease_reclaimed")
    assert "worker-1:4242:dead" in reclaimed.message and "reads the campaign first" in reclaimed.message


def test_a_put_refused_because_cxone_holds_our_own_version_already_is_pushed_not_stale(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    """A worker judged dead too soon: its PUT lands after the next worker read the campaign at the base and sent
    its own, which CXone refuses (409) with our version as the current one."""
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    remote = run_sync(get_client().get_campaign(target.cxone_id))
    run_sync(get_client().put_campaign_once(remote.with_schedule(schedule_of(a.draft)),
                                                       base_version=a.base_version))  # fmt: skip
    sandbox.state.clock.advance(6)  # CXone has activated it since
    # The mirror (the push builds on it) still shows the base: this worker read before the other PUT landed.

    assert activation.push(a.pk) == "pushed"
    a.refresh_from_db()
    assert (a.step, a.pushed_version) == (Step.POLLING, a.base_version + 1)
    assert puts(sandbox, target) == 1  # CXone took one PUT: the other's


@pytest.mark.django_db
def test_a_lost_doorbell_is_rung_again_after_the_grace_period_and_orphans_are_queued(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    from campaigns.services.activation import sweeper as periodic

    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    doorbells.clear()
    assert periodic.ring_due_doorbells() == 0  # rung just now: the task may still be in the queue
    Activation.objects.filter(pk=a.pk).update(doorbell_at=timezone.now() - periodic.DOORBELL_GRACE)
    assert periodic.ring_due_doorbells() == 1
    assert doorbells == [("campaigns.tasks.push_activation", (a.pk,))]

    # A process that died between an approval's commit and its Activation row.
    other = pushable(2)[1]
    draft = approve(other, planner, supervisor)  # no on-commit hooks run here: no Activation
    assert not draft.activations.exists()
    ScheduleDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=1))
    assert periodic.queue_orphans() == 1
    assert draft.activations.get().step == Step.QUEUED


@pytest.mark.django_db
def test_the_poller_reads_up_to_100_campaigns_a_request(sandbox, planner, doorbells):
    # 150 campaigns waiting for CXone: the sandbox has them ACTIVE at the version we "pushed".
    sandbox.state.config.update({"campaigns": 150})
    sandbox.state.reset()
    rows = []
    for cxone_id, remote in sandbox.state.campaigns.items():
        remote.update(state="ACTIVE", errors=[])
        campaign = make_campaign(cxone_id, remote_version=remote["version"] - 1)
        draft = make_draft(
            campaign, planner, status=DraftStatus.ACTIVATING, base_version=campaign.remote_version
        )
        rows.append(
            Activation(
                draft=draft,
                campaign=campaign,
                step=Step.POLLING,
                approved_at=timezone.now() - dt.timedelta(seconds=5),
                pushed_at=timezone.now() - dt.timedelta(seconds=4),
                base_version=remote["version"] - 1,
                pushed_version=remote["version"],
                due_at=timezone.now(),
            )
        )
    Activation.objects.bulk_create(rows)
    sandbox.state.reset_stats()

    result = activation_polling.poll_round("test")

    assert result == {"read": 150, "requests": 2, "finished": 150}
    assert requests(sandbox, CAMPAIGNS) == 2 and requests(sandbox, CAMPAIGN) == 0
    active = Activation.objects.filter(step=Step.ACTIVE)
    assert active.count() == 150 and not active.filter(latency_ms__isnull=True).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_for_one_row_push_it_once(
    sandbox, planner, supervisor, doorbells, django_capture_on_commit_callbacks
):
    mirror()
    a = approved_and_queued(pushable()[0], planner, supervisor, django_capture_on_commit_callbacks)
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            start.wait()
            outcomes.append(activation.push(a.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes) == ["not claimed: not due, finished, or another worker holds it", "pushed"]
    assert requests(sandbox, PUT) == 1
    assert Activation.objects.get(pk=a.pk).attempts == 1


@pytest.mark.django_db
def test_the_poller_task_runs_until_nothing_is_in_flight_and_only_one_runs_at_a_time(
    sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks, settings
):
    from campaigns.services import leases

    settings.ACTIVATION_POLL_MS = 100
    a = approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    activation.push(a.pk)
    sandbox.state.clock.advance(2)  # CXone activates it before the first read

    assert leases.acquire(doorbell.POLLER_LEASE, "someone-else", 30)
    assert activation_polling.run(seconds=5) == "another poller is running"
    leases.release(doorbell.POLLER_LEASE, "someone-else")

    assert activation_polling.run(seconds=5).endswith(" rounds, 1 reads")
    assert Activation.objects.get(pk=a.pk).step == Step.ACTIVE
    assert not [d for d in doorbells if d[0] == "campaigns.tasks.poll_activations"][1:]  # no hand-over needed


@pytest.mark.django_db
def test_the_sweeper_is_scheduled_every_minute_and_the_task_settings_never_hand_out_a_running_task(settings):
    from django_q.models import Schedule

    from campaigns.periodic_tasks import SWEEP_SCHEDULE_NAME, ensure_schedules

    assert ensure_schedules()[SWEEP_SCHEDULE_NAME] == "created"
    sweeper = Schedule.objects.get(name=SWEEP_SCHEDULE_NAME)
    assert (sweeper.func, sweeper.schedule_type, sweeper.minutes) == (
        "campaigns.tasks.sweep",
        Schedule.MINUTES,
        1,
    )
    q = settings.Q_CLUSTER
    assert q["timeout"] < q["retry"] and q["catch_up"] is False
    # A live push keeps its row past the task timeout; a poll task ends before it.
    assert settings.ACTIVATION_LEASE_SECONDS > q["timeout"] > settings.ACTIVATION_POLLER_SECONDS
