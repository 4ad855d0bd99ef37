"""Cluster liveness from django-q2's heartbeats: which lease holders share a cluster (a standby should not wait in
the cluster of the confirmer it stands by for). Dead holders: test_services_activation_takeover.py."""

from __future__ import annotations

import socket
from types import SimpleNamespace

import pytest
from django_q.status import Stat

from campaigns.services import cluster_liveness

HOST = socket.gethostname()[:40]


def worker(pid: int, host: str = HOST) -> str:
    return f"{host}:{pid}:cafe{pid}:qcluster"


def heartbeat(pid: int, *workers: int, host: str = HOST):
    return SimpleNamespace(
        host=host, pid=pid, sentinel=pid + 1, monitor=pid + 2, pusher=pid + 3, workers=list(workers)
    )


@pytest.fixture
def heartbeats(monkeypatch):
    beats = [heartbeat(9000, 101, 102), heartbeat(8000, 201, 202)]
    monkeypatch.setattr(Stat, "get_all", staticmethod(lambda broker=None: list(beats)))
    return beats


def test_two_workers_of_one_cluster_are_together_while_another_cluster_lives(heartbeats):
    assert cluster_liveness.placement(worker(101), worker(102)) == cluster_liveness.TOGETHER


def test_workers_of_different_clusters_are_apart(heartbeats):
    assert cluster_liveness.placement(worker(101), worker(201)) == cluster_liveness.APART


def test_with_a_single_cluster_alive_there_is_nowhere_else_to_wait(heartbeats):
    heartbeats[:] = [heartbeat(9000, 101, 102)]
    assert cluster_liveness.placement(worker(101), worker(102)) == cluster_liveness.ONLY_CLUSTER


def test_a_holder_that_is_no_cluster_worker_nobody_or_in_no_heartbeat_is_unknown(heartbeats):
    assert cluster_liveness.placement(worker(101), f"{HOST}:102:cafe") == cluster_liveness.UNKNOWN
    assert cluster_liveness.placement(worker(101), "") == cluster_liveness.UNKNOWN
    assert cluster_liveness.placement(worker(101), worker(777)) == cluster_liveness.UNKNOWN


def test_unreadable_heartbeats_say_not_together(monkeypatch):
    def unreadable(broker=None):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(Stat, "get_all", staticmethod(unreadable))
    assert cluster_liveness.cluster_processes() is None
    assert cluster_liveness.placement(worker(101), worker(102)) == cluster_liveness.UNKNOWN


def test_each_live_cluster_is_listed_with_its_own_processes(heartbeats):
    assert cluster_liveness.cluster_processes() == [
        (HOST, {9000, 9001, 9002, 9003, 101, 102}),
        (HOST, {8000, 8001, 8002, 8003, 201, 202}),
    ]
