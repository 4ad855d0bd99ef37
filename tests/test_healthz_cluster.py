"""/healthz and /metrics tell a live cluster from one with no live workers, by django-q2's heartbeats: a real
qcluster process is seen with its workers, and once stopped (or reduced to a husk whose sentinel is gone) it is
"no live workers" within the heartbeat's 3-second expiry."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.test_webhooks_killed_worker import ROOT, database_url


def wait_for(condition, seconds: float = 40.0):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.2)


def start_cluster(settings, tmp_path) -> subprocess.Popen:
    """A real `manage.py qcluster` in a process group of its own, sharing the test's database and heartbeats."""
    settings.CACHES = {**settings.CACHES, "cluster": {**settings.CACHES["cluster"], "LOCATION": str(tmp_path)}}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings_test",
        "DATABASE_URL": database_url(),
        "CLUSTER_CACHE_DIR": str(tmp_path),
        "Q_WORKERS": "2",
        # The cluster's start-up checks want an integration configured; nothing here calls it.
        "CXONE_BASE_URL": "http://127.0.0.1:9",
        "CXONE_CLIENT_ID": "demo",
        "CXONE_CLIENT_SECRET": "demo-secret",
        "ALLOWED_HOSTS": "localhost",
        "LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, start_new_session=True
    )


def wait_until_live(client, cluster) -> dict:
    def live():
        assert cluster.poll() is None, "qcluster exited"
        found = client.get("/healthz").json()["cluster"]
        return found if found["workers"] >= 2 else None

    return wait_for(live)


def kill_group(cluster) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(cluster.pid, signal.SIGKILL)
    cluster.wait(timeout=10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_sees_the_workers_of_a_running_cluster_and_none_after_it_stopped(client, settings, tmp_path):
    cluster = start_cluster(settings, tmp_path)
    try:
        assert client.get("/healthz").json()["cluster"]["status"] == "no live workers"  # not started yet
        seen = wait_until_live(client, cluster)
        assert seen["clusters"] == 1 and seen["status"] in {"idle", "working"}
        assert client.get("/healthz").status_code == 200

        os.kill(cluster.pid, signal.SIGTERM)  # the main process only: it stops its sentinel and workers
        cluster.wait(timeout=30)
        gone = wait_for(lambda: (c := client.get("/healthz").json()["cluster"])["workers"] == 0 and c, 10)
        assert gone["status"] == "no live workers"
        assert client.get("/healthz").status_code == 200  # web itself stays in the load balancer
    finally:
        kill_group(cluster)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cluster_stopped_uncleanly_counts_as_no_live_workers_whatever_its_main_process_does(
    client, settings, tmp_path
):
    """SIGTERM to the whole process group (as `make run` was stopped) reaches sentinel and workers at once; the
    main process may then linger as a husk (facts.md). Its heartbeats stop all the same."""
    cluster = start_cluster(settings, tmp_path)
    try:
        wait_until_live(client, cluster)
        os.killpg(cluster.pid, signal.SIGTERM)
        gone = wait_for(lambda: (c := client.get("/healthz").json()["cluster"])["workers"] == 0 and c, 10)
        assert gone["status"] == "no live workers"
        settings.METRICS_TOKEN = "t"
        metrics = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
        assert "\nplanner_cluster_workers 0.0\n" in metrics
    finally:
        kill_group(cluster)
