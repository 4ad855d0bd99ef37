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
    assert cluster_liveness.alone_together(worker(101), worker(102))


def test_workers_of_different_clusters_are_not_together(heartbeats):
    assert not cluster_liveness.alone_together(worker(101), worker(201))


def test_with_a_single_cluster_there_is_nowhere_else_to_wait(heartbeats):
    heartbeats[:] = [heartbeat(9000, 101, 102)]
    assert not cluster_liveness.alone_together(worker(101), worker(102))


def test_a_holder_that_is_no_cluster_worker_or_nobody_is_never_together(heartbeats):
    assert not cluster_liveness.alone_together(worker(101), f"{HOST}:102:cafe")
    assert not cluster_liveness.alone_together(worker(101), "")


def test_unreadable_heartbeats_say_not_together(monkeypatch):
    def unreadable(broker=None):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(Stat, "get_all", staticmethod(unreadable))
    assert cluster_liveness.cluster_processes() is None
    assert not cluster_liveness.alone_together(worker(101), worker(102))


def test_each_live_cluster_is_listed_with_its_own_processes(heartbeats):
    assert cluster_liveness.cluster_processes() == [
        (HOST, {9000, 9001, 9002, 9003, 101, 102}),
        (HOST, {8000, 8001, 8002, 8003, 201, 202}),
    ]
