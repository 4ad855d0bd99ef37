"""One CXone rate limit for the whole deployment: a token bucket that every process takes from.

CXone limits requests per client id, not per process. A web process, each qcluster worker and every CLI that
assumed it had CXone's whole limit would together exceed it. So the bucket lives where all of them can see it:
in Redis when REDIS_URL is set, else in the database (one row per CXone tenant and client id).

The bucket is kept as a GCRA "theoretical arrival time" (tat): one number per bucket, moved forward by one
interval (1 / rate) per request in a single atomic statement (an upsert with RETURNING, or a Lua script in
Redis). The statement hands the caller its slot: now, or a moment later that it sleeps until. Callers queue in
the order they asked, nobody polls, and a request is never refused by us, only scheduled.

A 429 from CXone (someone else spends the same limit, or the configured rate is higher than CXone's) holds the
shared bucket: no process sends before the Retry-After (or our own backoff) has passed.

Network jitter can bring two requests to CXone closer together than we sent them. Were our bucket as deep as
CXone's, a request arriving a few milliseconds early would find CXone's bucket empty and get a 429, so ours
keeps a tenth of the burst (at least one request) in reserve.

Some reads cannot wait behind a queue of writes: the activation poller's read tells a planner their change is
live, and every second it queues is a second of detection lag. Inside `urgent()`, a request may also use a
quarter of the burst that ordinary requests leave untouched, so it overtakes up to that many queued requests
instead of joining the end of the queue. The rate over time is the same for everyone (each urgent request moves
the shared bucket forward like any other), and the bucket never holds more than the burst.

The store is called from a dedicated thread (one per process), so the event loop never blocks on it and the
database store has its own connection. When the store fails (database or Redis unreachable), the process falls
back to a bucket of its own at the same rate, logs it, and tries the store again on the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from typing import Any, Protocol

from campaigns.cxone.errors import RateLimited

log = logging.getLogger("campaigns.cxone")

# Keys idle this long are forgotten by Redis (a bucket that old is full again anyway).
REDIS_KEY_TTL_SECONDS = 3600
REDIS_PREFIX = "planner:cxone-rate:"
# A database store waits at most this long for SQLite's write lock before the process uses its own bucket for
# that request (a long write transaction elsewhere must not stall every CXone call for the 20 s busy timeout).
SQLITE_LOCK_WAIT_MS = 2000
# A slot less than this far away is now (the stores round to the microsecond).
MIN_WAIT_SECONDS = 0.001


_urgent: ContextVar[bool] = ContextVar("cxone_rate_limit_urgent", default=False)


def count_request() -> None:
    """One request sent (see counting)."""
    counted = _counted.get()
    if counted is not None:
        counted[0] += 1


@contextlib.contextmanager
def urgent(on: bool = True):
    """Requests made inside (in this task, and tasks it starts) may use the urgent reserve of the burst (with
    `on` false, nothing changes: callers pass their own `urgent` flag)."""
    token = _urgent.set(on or _urgent.get())
    try:
        yield
    finally:
        _urgent.reset(token)


_counted: ContextVar[list[int] | None] = ContextVar("cxone_rate_limit_counted", default=None)


@contextlib.contextmanager
def counting():
    """How many requests were sent inside (in this task, and tasks it starts; the transport counts each one it
    sends): `with counting() as n:`, then n[0]. A job that budgets its share of the rate (the dialling
    confirmer's reads) counts what it took."""
    box = [0]
    token = _counted.set(box)
    try:
        yield box
    finally:
        _counted.reset(token)


class BucketStore(Protocol):
    def advance(self, name: str, now: float, interval: float, floor: float) -> float:
        """Atomically set the bucket's tat to max(tat, now, floor) + interval and return it."""


class MemoryStore:
    """One process's bucket: tests, benchmarks, and the fallback while the shared store is unreachable."""

    def __init__(self) -> None:
        self._tat: dict[str, float] = {}
        self._lock = threading.Lock()

    def advance(self, name: str, now: float, interval: float, floor: float) -> float:
        with self._lock:
            tat = max(self._tat.get(name, 0.0), now, floor) + interval
            self._tat[name] = tat
            return tat


class DatabaseStore:
    """The bucket as a row of campaigns_cxoneratebucket, moved by one upsert ... RETURNING (SQLite ≥ 3.35,
    PostgreSQL). Runs on the limiter thread's own connection, outside any transaction of the caller."""

    SQL = (
        "INSERT INTO campaigns_cxoneratebucket AS bucket (name, tat) VALUES (%s, GREATEST(%s, %s) + %s) "
        "ON CONFLICT (name) DO UPDATE SET tat = GREATEST(bucket.tat, %s, %s) + %s RETURNING tat"
    )

    def advance(self, name: str, now: float, interval: float, floor: float) -> float:
        from django.db import connection

        sql = self.SQL
        if connection.vendor == "sqlite":
            sql = sql.replace("GREATEST(", "MAX(")  # SQLite's many-argument MAX is PostgreSQL's GREATEST
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")
                cursor.execute(sql, [name, now, floor, interval, now, floor, interval])
                return float(cursor.fetchone()[0])
        except Exception:
            connection.close()  # a broken connection is reopened on the next request
            raise


class RedisStore:
    """The bucket as a Redis string, moved by a Lua script (atomic on the server)."""

    SCRIPT = """
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
local now, floor, interval = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local new = math.max(tat, now, floor) + interval
local text = string.format('%.6f', new)
redis.call('SET', KEYS[1], text, 'EX', tonumber(ARGV[4]))
return text
"""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script = self._redis.register_script(self.SCRIPT)

    def advance(self, name: str, now: float, interval: float, floor: float) -> float:
        keys = [REDIS_PREFIX + name]
        return float(self._script(keys=keys, args=[now, floor, interval, REDIS_KEY_TTL_SECONDS]))


class SharedRateLimit:
    """`rate` requests per second with bursts of up to `burst`, for everyone using the same `name` in `store`.

    await acquire(budget) returns when this request may go; it raises RateLimited at once, without waiting, if
    its slot is more than `budget` seconds away."""

    def __init__(
        self,
        store: BucketStore,
        name: str,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ):
        if not rate > 0 or burst < 1:
            raise ValueError("a rate limit needs rate > 0 and burst >= 1")
        self.store = store
        self.name = name
        self.rate = rate
        self.burst = burst
        self.interval = 1.0 / rate
        # The burst we let through at once: CXone's, less the reserve against jitter (see the module's doc).
        self.usable_burst = burst - max(1, burst // 10) if burst > 1 else 1
        # Of which ordinary requests leave this many to urgent ones (see the module's doc).
        self.urgent_reserve = self.usable_burst // 4
        self._tau_urgent = self.usable_burst * self.interval
        self._tau = (self.usable_burst - self.urgent_reserve) * self.interval
        self._clock = clock
        self._sleep = sleep
        self._fallback = MemoryStore()
        self.fallbacks = 0

    def __repr__(self) -> str:
        return (
            f"<SharedRateLimit {self.name} {self.rate:g}/s burst {self.burst} in {type(self.store).__name__}>"
        )

    async def acquire(self, budget: float | None = None) -> None:
        now = self._clock()
        tat = await self._advance(now, self.interval, 0.0)
        wait = tat - (self._tau_urgent if _urgent.get() else self._tau) - now
        if wait <= MIN_WAIT_SECONDS:
            return
        if budget is not None and wait > budget:
            raise RateLimited(
                f"the shared CXone rate limit has no slot for {wait:.1f} s (budget {budget:.1f} s)",
                retry_after=wait,
            )
        await self._sleep(wait)

    async def hold(self, seconds: float) -> None:
        """Nobody, in any process, sends before `seconds` from now (CXone answered 429)."""
        if seconds <= 0:
            return
        now = self._clock()
        # The next (urgent) slot is max(tat, now) + interval - tau: put it at now + seconds.
        await self._advance(now, 0.0, now + seconds + self._tau_urgent - self.interval)

    async def _advance(self, now: float, interval: float, floor: float) -> float:
        if isinstance(self.store, MemoryStore):
            return self.store.advance(self.name, now, interval, floor)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                _store_thread(), self.store.advance, self.name, now, interval, floor
            )
        except Exception as exc:  # the store is down: keep CXone safe with a bucket of our own meanwhile
            self.fallbacks += 1
            log.warning(
                "CXone rate limit: %s failed (%s: %s); this process uses its own bucket for this request",
                type(self.store).__name__,
                type(exc).__name__,
                exc,
            )
            return self._fallback.advance(self.name, now, interval, floor)


_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None
_executor_lock = threading.Lock()


def _store_thread() -> ThreadPoolExecutor:
    """One thread per process talks to the store (so the database store has one connection per process)."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxone-rate-limit")
            _executor_pid = os.getpid()
        return _executor


def close_database_connection() -> None:
    """Close the store thread's database connection (a test database cannot be dropped while it is open)."""
    if _executor is not None and _executor_pid == os.getpid():
        _executor.submit(_close_this_threads_connection).result(timeout=10)


def _close_this_threads_connection() -> None:
    from django.db import connection  # resolved in the store thread: its own connection

    connection.close()


def _forget_after_fork() -> None:
    global _executor, _executor_lock
    _executor = None
    _executor_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)

_stores: dict[str, BucketStore] = {}


def shared_store(redis_url: str | None) -> BucketStore:
    """Redis when a URL is given, else the database; one store object per process."""
    key = redis_url or "database"
    store = _stores.get(key)
    if store is None:
        store = RedisStore(redis_url) if redis_url else DatabaseStore()
        _stores[key] = store
    return store


def rate_limit_from_settings(base_url: str, client_id: str) -> SharedRateLimit:
    """The deployment's bucket for this CXone tenant and client id (CXONE_RATE_LIMIT, CXONE_BURST)."""
    from django.conf import settings

    return SharedRateLimit(
        shared_store(settings.REDIS_URL or None),
        f"{base_url}|{client_id}",
        float(settings.CXONE_RATE_LIMIT),
        int(settings.CXONE_BURST),
    )
