"""A dead cluster's activations are taken over from its heartbeats within seconds, not after a 90 s lease."""

from __future__ import annotations

import datetime as dt
import socket
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_q.status import Stat

from campaigns.models import Activation, AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services import cluster_liveness, leases
from campaigns.services.activation import sweeper
from campaigns.services.activation.takeover import take_over
from tests import activation_support
from tests.conftest import make_campaign, make_draft

Step = Activation.Step
HOST = socket.gethostname()[:40]
DEAD = f"{HOST}:4242:cafe0001:qcluster"
ALIVE = f"{HOST}:5151:cafe0002:qcluster"

sandbox, doorbells, target = activation_support.sandbox, activation_support.doorbells, activation_support.target


def heartbeat(*workers, host=HOST):
    """A live cluster's Stat as django-q2's sentinel saves it (only the fields liveness reads)."""
    return SimpleNamespace(host=host, pid=9000, sentinel=9001, monitor=9002, pusher=9003, workers=list(workers))


@pytest.fixture
def heartbeats(monkeypatch):
    beats = [heartbeat(5151)]
    monkeypatch.setattr(Stat, "get_all", staticmethod(lambda broker=None: list(beats)))
    return beats


@pytest.fixture
def pushing(sandbox, target, planner, supervisor, doorbells, django_capture_on_commit_callbacks):
    """An approved activation whose push a cluster worker claimed 10 s ago (its lease runs for 80 s more)."""
    a = activation_support.approved_and_queued(target, planner, supervisor, django_capture_on_commit_callbacks)
    ScheduleDraft.objects.filter(pk=a.draft_id).update(status=DraftStatus.ACTIVATING)

    def held_by(owner, *, claimed_ago=10):
        expires = timezone.now() + dt.timedelta(seconds=90 - claimed_ago)
        Activation.objects.filter(pk=a.pk).update(
            step=Step.PUSHING, lease_owner=owner, lease_expires_at=expires, attempts=1
        )
        return a

    return held_by


@pytest.mark.django_db
def test_a_push_whose_cluster_stopped_its_heartbeats_is_queued_again_at_once(pushing, heartbeats, doorbells):
    a = pushing(DEAD)
    assert sweeper.reclaim_expired_leases() == 1
    a.refresh_from_db()
    assert (a.step, a.lease_owner, a.lease_expires_at) == (Step.QUEUED, "", None)
    assert sweeper.ring_due_doorbells() == 1
    assert ("campaigns.tasks.push_activation", (a.pk,)) in doorbells
    said = AuditEntry.objects.get(action="campaigns.activation.lease_reclaimed").message
    assert DEAD in said and "heartbeats stopped" in said


@pytest.mark.django_db
def test_a_push_held_by_a_worker_a_heartbeat_lists_keeps_its_lease(pushing, heartbeats):
    a = pushing(ALIVE)
    assert take_over() == {"pushes": 0, "polls": 0, "rerung": 0}
    a.refresh_from_db()
    assert (a.step, a.lease_owner) == (Step.PUSHING, ALIVE)


@pytest.mark.django_db
def test_a_holder_that_is_not_a_cluster_worker_is_never_judged_by_heartbeats(pushing, heartbeats):
    web_process = f"{HOST}:4242:cafe0003"
    a = pushing(web_process)
    assert take_over()["pushes"] == 0
    a.refresh_from_db()
    assert a.lease_owner == web_process


@pytest.mark.django_db
def test_nothing_is_taken_over_when_the_heartbeats_cannot_be_read_or_the_host_shows_none(
    pushing, heartbeats, monkeypatch
):
    a = pushing(DEAD)
    heartbeats[:] = [heartbeat(5151, host="another-host")]  # this host's heartbeats are not visible here
    assert take_over()["pushes"] == 0

    def unreadable(broker=None):
        raise ConnectionError("the cache is gone")

    monkeypatch.setattr(Stat, "get_all", staticmethod(unreadable))
    assert take_over()["pushes"] == 0
    a.refresh_from_db()
    assert a.lease_owner == DEAD


@pytest.mark.django_db
def test_a_lease_taken_a_moment_ago_waits_for_the_next_heartbeat(pushing, heartbeats):
    pushing(DEAD, claimed_ago=1)  # a worker spawned this second may not be in a heartbeat yet
    assert take_over()["pushes"] == 0


@pytest.mark.django_db
def test_a_dead_workers_poll_round_frees_its_rows(pushing, heartbeats):
    a = pushing(DEAD)
    Activation.objects.filter(pk=a.pk).update(step=Step.POLLING)
    assert take_over() == {"pushes": 0, "polls": 1, "rerung": 0}
    a.refresh_from_db()
    assert (a.step, a.lease_owner, a.lease_expires_at) == (Step.POLLING, "", None)


def test_liveness_judges_only_cluster_workers_on_hosts_with_live_heartbeats():
    live = {HOST: {9000, 9001, 5151}}
    owners = [DEAD, ALIVE, f"{HOST}:4242:cafe0003", "elsewhere:4242:cafe0004:qcluster", "garbled:qcluster"]
    assert cluster_liveness.dead_owners(owners, live) == {DEAD}


def test_a_sentinel_less_heartbeat_is_no_live_cluster(heartbeats):
    heartbeats[:] = [SimpleNamespace(host=HOST, pid=9000, sentinel=0, workers=[4242])]
    assert cluster_liveness.live_processes() == {}


def test_a_cluster_worker_names_itself_as_one_in_its_leases(monkeypatch):
    assert not leases.worker_id().endswith(":qcluster")
    monkeypatch.setitem(leases._in_cluster, "worker", True)
    assert leases.worker_id().endswith(":qcluster")



@pytest.mark.django_db
def test_queued_pushes_rung_before_the_cluster_died_are_rung_again_at_once(
    pushing, heartbeats, doorbells, planner
):
    a = pushing(DEAD)
    waiting = make_campaign("C-TAKEOVER")
    queued = Activation.objects.create(
        draft=make_draft(waiting, planner),
        campaign=waiting,
        step=Step.QUEUED,
        approved_at=timezone.now(),
        doorbell_at=timezone.now(),  # its task may be in the dead cluster's own queue
    )
    assert sweeper.ring_due_doorbells() == 0  # rung a moment ago: normally it waits DOORBELL_GRACE

    assert take_over() == {"pushes": 1, "polls": 0, "rerung": 1}
    assert sweeper.ring_due_doorbells() == 2
    assert {args for _, args in doorbells} >= {(a.pk,), (queued.pk,)}
