"""The shared CXone rate limit: a token bucket every process takes from (in the database, or in Redis when
REDIS_URL is set), with bursts, a hold after CXone's 429s, a time budget, and a process-local fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from campaigns.cxone.errors import RateLimited
from campaigns.cxone.ratelimit import (
    DatabaseStore,
    MemoryStore,
    RedisStore,
    SharedRateLimit,
    close_database_connection,
    urgent,
)
from campaigns.sandbox import SandboxServer
from tests.cxone_support import FakeClock, fast_config

ROOT = Path(__file__).resolve().parent.parent
# Transactional (another thread or process writes the bucket): serialized_rollback, as the suite's other
# transactional tests, so that the flush after each leaves no re-created content types for them to trip over.


def limit(store=None, rate=10.0, burst=5, clock=None, name="tenant|demo") -> SharedRateLimit:
    clock = clock or FakeClock(start=1_000_000.0)
    return SharedRateLimit(store or MemoryStore(), name, rate, burst, clock=clock, sleep=clock.sleep)


async def test_a_burst_goes_at_once_then_requests_are_spaced_by_the_rate():
    clock = FakeClock(start=1_000_000.0)
    bucket = limit(rate=10, burst=5, clock=clock)
    for _ in range(7):
        await bucket.acquire()
    # A burst of 5 less one kept in reserve against jitter, less one left to urgent reads: 3 at once, then one
    # every 0.1 s.
    assert (bucket.usable_burst, bucket.urgent_reserve) == (4, 1)
    assert clock.waits == pytest.approx([0.1, 0.1, 0.1, 0.1])


def frozen_limit(rate: float, burst: int) -> tuple[SharedRateLimit, list[float]]:
    """A limit on a clock that stands still: each acquire records the wait it was given and returns, so a series
    of acquires shows the queue as many callers asking at the same instant would form it."""
    clock = FakeClock(start=1_000_000.0)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(round(seconds, 6))

    return SharedRateLimit(MemoryStore(), "tenant|demo", rate, burst, clock=clock, sleep=record), waits


async def test_an_urgent_read_overtakes_the_queued_writes_instead_of_waiting_behind_them():
    bucket, waits = frozen_limit(rate=10, burst=20)  # 18 usable, 4 of them left to urgent requests
    for _ in range(17):  # 14 go at once, 3 queue for 0.1, 0.2 and 0.3 s
        await bucket.acquire()
    assert waits == pytest.approx([0.1, 0.2, 0.3])
    with urgent():
        await bucket.acquire()
    assert len(waits) == 3  # the urgent read went at once
    await bucket.acquire()
    # The ordinary request after it waits one slot longer: over time, urgent requests use the same rate.
    assert waits[-1] == pytest.approx(0.5)


async def test_urgent_requests_never_take_more_than_the_usable_burst():
    bucket, waits = frozen_limit(rate=10, burst=20)
    with urgent():
        for _ in range(19):
            await bucket.acquire()
    assert waits == pytest.approx([0.1])  # 18 at once, as CXone's burst less the jitter reserve allows


async def test_after_a_hold_nobody_sends_before_it_ends():
    clock = FakeClock(start=1_000_000.0)
    bucket = limit(clock=clock)
    await bucket.acquire()
    await bucket.hold(3.0)
    with urgent():
        await bucket.acquire()
    await bucket.acquire()
    await bucket.acquire()
    # Not even an urgent read goes before the hold ends; the urgent read took the first slot after it.
    assert clock.waits == pytest.approx([3.0, 0.2, 0.1])


async def test_a_slot_beyond_the_calls_budget_fails_at_once_without_waiting():
    clock = FakeClock(start=1_000_000.0)
    bucket = limit(rate=1, burst=1, clock=clock)
    await bucket.acquire()
    await bucket.hold(30.0)
    with pytest.raises(RateLimited) as caught:
        await bucket.acquire(budget=10.0)
    assert clock.waits == [] and caught.value.retry_after == pytest.approx(30.0)


class BrokenStore:
    def advance(self, *args):
        raise ConnectionError("the store is down")


async def test_when_the_shared_store_fails_the_process_paces_itself_meanwhile():
    clock = FakeClock(start=1_000_000.0)
    bucket = limit(store=BrokenStore(), rate=10, burst=2, clock=clock)
    for _ in range(3):
        await bucket.acquire()
    assert bucket.fallbacks == 3 and clock.waits == pytest.approx([0.1, 0.1])


async def two_processes_take_from_one_bucket(store) -> list[float]:
    clock = FakeClock(start=time.time())
    name = f"http://cxone.test/{time.monotonic_ns()}|demo"
    first, second = (limit(store, rate=10, burst=5, clock=clock, name=name) for _ in range(2))
    for bucket in (first, second, first, second, first, second):
        await bucket.acquire()
    return clock.waits


@pytest.fixture
def database_store():
    yield DatabaseStore()
    close_database_connection()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_the_database_bucket_is_one_for_every_limiter_of_the_same_tenant(database_store):
    waits = await two_processes_take_from_one_bucket(database_store)
    # Six requests from two limiters: the 3 of the burst at once, then 0.1 s apart, as from one.
    assert waits == pytest.approx([0.1, 0.1, 0.1], abs=0.01)


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (CI's second run sets it)")
async def test_the_redis_bucket_is_one_for_every_limiter_of_the_same_tenant():
    waits = await two_processes_take_from_one_bucket(RedisStore(settings.REDIS_URL))
    assert waits == pytest.approx([0.1, 0.1, 0.1], abs=0.01)


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_two_processes(server: SandboxServer, calls: int, *extra: str) -> list[dict]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "planner.settings_test",
        "DATABASE_URL": database_url(),
        "CXONE_BASE_URL": server.url,
        "CXONE_CLIENT_ID": "demo",
        "CXONE_CLIENT_SECRET": "demo-secret",
        # Our bucket: CXone's rate, a burst below CXone's.
        "CXONE_RATE_LIMIT": "10",
        "CXONE_BURST": "5",
        "LOG_LEVEL": "WARNING",
    }
    start_at = time.time() + 3  # both processes have set Django up by then and start together
    command = [sys.executable, "-m", "tests.cxone_caller", "--calls", str(calls), "--start-at", str(start_at)]
    processes = [
        subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [*command, *extra], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err[-2000:]
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_calling_cxone_at_once_stay_within_its_limit_through_the_shared_bucket():
    with SandboxServer(fast_config(rate_limit=10, burst=10)) as server:
        shared = run_two_processes(server, 15)
        refused_shared = server.state.stats.count("GET /api/v2/outbound/campaigns/{campaign_id}", 429)
        server.state.reset_stats()
        own = run_two_processes(server, 15, "--own-bucket")
        refused_own = server.state.stats.count("GET /api/v2/outbound/campaigns/{campaign_id}", 429)
        token_429s = server.state.stats.count("POST /oauth2/token", 429)
    assert shared == [{"done": 15, "fallbacks": 0}] * 2
    assert refused_shared == 0 and token_429s == 0
    # The same two processes, each with a bucket of its own, together exceed CXone's limit (and wait it out).
    assert [outcome["done"] for outcome in own] == [15, 15] and refused_own > 0
