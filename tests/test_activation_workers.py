"""Approved drafts go live through real django-q2 workers: two `qcluster` processes on the test database (the
ORM broker on SQLite, Redis when REDIS_URL is set) and the CXone sandbox on a real socket."""

from __future__ import annotations

import pytest
from django.utils import timezone

from campaigns.models import Activation, AuditEntry, DraftStatus
from campaigns.services.activation import doorbell
from campaigns.services.activation import sweeper as periodic
from tests.activation_support import CAMPAIGN, PUT, approve, mirror, product_cxone, pushable, requests
from tests.cxone_support import fast_config
from tests.qcluster_support import QCluster, wait_for

# serialized_rollback: the teardown leaves the database as the next such test expects it (no post-migrate rows).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
Step = Activation.Step


@pytest.fixture
def clusters(transactional_db, tmp_path):
    started: list[QCluster] = []

    def start(url: str, **env) -> QCluster:
        cluster = QCluster(url, tmp_path / f"qcluster-{len(started)}.log", **env).start()
        started.append(cluster)
        return cluster

    yield start
    for cluster in started:  # before the test database is flushed: no worker may hold it
        cluster.stop()


@pytest.fixture
def sandbox_over_socket(transactional_db):
    with product_cxone(fast_config(campaigns=24)) as server:
        yield server


def finished(drafts) -> bool:
    return (
        not Activation.objects.filter(draft__in=drafts).exclude(step__in=Activation.FINISHED_STEPS).exists()
    )


def test_two_qclusters_race_for_every_approval_and_push_each_exactly_once(
    sandbox_over_socket, clusters, planner, supervisor
):
    sandbox = sandbox_over_socket
    mirror()
    targets = pushable(6)
    running = [clusters(sandbox.url), clusters(sandbox.url)]

    drafts = [approve(campaign, planner, supervisor) for campaign in targets]  # each rings its push on commit
    for a in Activation.objects.filter(draft__in=drafts):
        doorbell.ring(a.pk)  # and a second doorbell for every row: both clusters get one for each

    wait_for(lambda: finished(drafts), 25, "every activation to finish", running)
    activations = list(Activation.objects.filter(draft__in=drafts).select_related("draft"))
    assert [(a.step, a.draft.status) for a in activations] == [(Step.ACTIVE, DraftStatus.ACTIVE)] * 6
    assert all(a.attempts == 1 and a.latency_ms is not None for a in activations)
    assert requests(sandbox, PUT) == 6  # no second PUT, not even a refused one
    assert all(sandbox.state.stats.puts[c.cxone_id] == 1 for c in targets)
    for a in activations:
        became_active = sandbox.state.stats.activations[a.campaign.cxone_id][-1]["endedAt"]
        assert a.remote_activated_at.isoformat().replace("+00:00", "Z") == became_active
        assert a.observed_active_at >= a.remote_activated_at


def test_a_qcluster_killed_mid_push_delays_the_activation_but_never_loses_or_repeats_it(
    sandbox_over_socket, clusters, planner, supervisor
):
    sandbox = sandbox_over_socket
    mirror()
    target = pushable()[0]
    # Every CXone call takes 0.8 s, so the worker can be killed while its PUT is on the wire.
    sandbox.state.config.update({"latency_ms": 800})
    lease = {"ACTIVATION_LEASE_SECONDS": 4, "Q_WORKERS": 1}
    first = clusters(sandbox.url, **lease)

    draft = approve(target, planner, supervisor)
    a = Activation.objects.get(draft=draft)
    tokens = sandbox.state.stats.tokens_issued  # the test's own, for the mirror
    wait_for(
        lambda: (
            Activation.objects.filter(pk=a.pk, step=Step.PUSHING, pushed_version__isnull=False).exists()
            and sandbox.state.stats.tokens_issued > tokens
            and sandbox.state.stats.received[PUT] == 1
        ),
        20,
        "the worker to record and send its PUT",
        [first],
    )
    first.kill()  # the PUT is on the wire, its answer 800 ms away
    # Whatever CXone makes of a PUT whose sender vanished, it makes before the next worker starts.
    wait_for(lambda: requests(sandbox, PUT) == 1, 10, "CXone to finish the orphaned PUT")
    second = clusters(sandbox.url, **lease)

    # The one-minute sweeper's work, done now rather than waiting for the next minute.
    wait_for(
        lambda: Activation.objects.get(pk=a.pk).lease_expires_at < timezone.now(), 10, "the lease to expire"
    )
    assert periodic.sweep()["reclaimed"] == 1
    wait_for(lambda: finished([draft]), 25, "the activation to finish", [second])

    a.refresh_from_db()
    assert (a.step, a.attempts) == (Step.ACTIVE, 2)
    assert sandbox.state.stats.puts[target.cxone_id] == 1  # CXone accepted exactly one PUT
    assert requests(sandbox, CAMPAIGN) >= 1  # the second worker read the campaign before anything else
    messages = list(AuditEntry.objects.filter(object_type="activation").values_list("message", flat=True))
    assert any("stopped answering" in m and "reads the campaign first" in m for m in messages)
