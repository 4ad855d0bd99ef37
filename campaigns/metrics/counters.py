"""Counters shared by every process of a deployment (web processes, qcluster workers, command-line tools).

Why not prometheus-client's own counters: each process would count alone, and the scale-out topology runs
several processes on several hosts. prometheus-client's multiprocess mode shares counts through files in one
directory, so one host only. So each process counts in memory (cheap, safe inside the CXone client's event loop)
and adds its counts to a shared store every METRICS_FLUSH_SECONDS from a background thread: Redis (HINCRBY)
when REDIS_URL is set, else the database (an upsert on campaigns_metriccounter). /metrics reads the sums.
A process killed between flushes loses at most that many seconds of counts; the counters never go backwards.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter

import redis
from django.db import connection, transaction

from campaigns.models import MetricCounter

log = logging.getLogger(__name__)

REDIS_KEY = "planner:metrics:counters"
NAME_SEPARATOR = "|"

_pending: Counter[str] = Counter()
_lock = threading.Lock()
_flusher_pid: int | None = None
_background = False  # a flusher thread runs in this process (then counts are also flushed at exit)


def series(name: str, **labels: str) -> str:
    """One counter's key: its metric name and label values in a fixed order ("cxone_requests|status=200")."""
    return NAME_SEPARATOR.join([name, *(f"{k}={labels[k]}" for k in sorted(labels))])


def parse(key: str) -> tuple[str, dict[str, str]]:
    name, *pairs = key.split(NAME_SEPARATOR)
    return name, dict(pair.split("=", 1) for pair in pairs)


def count(name: str, amount: int = 1, **labels: str) -> None:
    """Add to a counter in this process; flushed to the shared store in the background."""
    key = series(name, **labels)
    with _lock:
        _pending[key] += amount
    _ensure_flusher()


def take_pending() -> dict[str, int]:
    with _lock:
        taken = dict(_pending)
        _pending.clear()
    return taken


def flush() -> None:
    """Add this process's counts to the shared store. On failure they are kept for the next flush."""
    taken = take_pending()
    if not taken:
        return
    try:
        _store().add(taken)
    except Exception:
        log.exception("metrics: could not flush %d counters; keeping them for the next flush", len(taken))
        with _lock:
            _pending.update(taken)


def totals() -> dict[str, int]:
    """Every shared counter's value (this process's unflushed counts included)."""
    flush()
    return _store().read()


class DatabaseStore:
    SQL = (
        "INSERT INTO campaigns_metriccounter (name, value) VALUES (%s, %s) "
        "ON CONFLICT (name) DO UPDATE SET value = campaigns_metriccounter.value + excluded.value"
    )

    def add(self, counts: dict[str, int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.SQL, sorted(counts.items()))

    def read(self) -> dict[str, int]:
        return dict(MetricCounter.objects.values_list("name", "value"))


class RedisStore:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def add(self, counts: dict[str, int]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for key, amount in counts.items():
            pipe.hincrby(REDIS_KEY, key, amount)
        pipe.execute()

    def read(self) -> dict[str, int]:
        return {k.decode(): int(v) for k, v in self._redis.hgetall(REDIS_KEY).items()}


_stores: dict[str, DatabaseStore | RedisStore] = {}


def _store():
    from django.conf import settings

    url = settings.REDIS_URL or ""
    if url not in _stores:
        _stores[url] = RedisStore(url) if url else DatabaseStore()
    return _stores[url]


def _ensure_flusher() -> None:
    """One daemon thread per process flushes every METRICS_FLUSH_SECONDS (0: only explicit flushes, as in tests).
    Checked by pid: a forked worker starts its own."""
    global _flusher_pid, _background
    if _flusher_pid == os.getpid():
        return
    from django.conf import settings

    # A client used outside Django (a bench script) counts in memory only.
    interval = getattr(settings, "METRICS_FLUSH_SECONDS", 0) if settings.configured else 0
    with _lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
    _background = interval > 0
    if _background:
        threading.Thread(target=_flush_every, args=(interval,), name="metrics-flush", daemon=True).start()


def _flush_every(interval: float) -> None:
    stop = threading.Event()
    while not stop.wait(interval):
        flush()
        _close_connection()


def _close_connection() -> None:
    from django.db import connection

    connection.close_if_unusable_or_obsolete()


def _flush_at_exit() -> None:
    if _background and _flusher_pid == os.getpid():
        try:
            flush()
        except Exception:  # the process is going; the counts are lost, as they would be to a SIGKILL
            log.debug("metrics: flush at exit failed", exc_info=True)


atexit.register(_flush_at_exit)
