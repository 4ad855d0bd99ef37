"""The sender: one signed POST of one message to the WFM endpoint, and what the answer means.

    sender = WfmSender(url, parse_secrets(secret))
    answer = sender.send(webhook_id, body)      # never raises for anything the network or WFM does
    answer.outcome                              # DELIVERED | GONE | THROTTLED | FAILED

Every request has a timeout (15 s, the Standard Webhooks recommendation), redirects are never followed (a
redirect is an answer, not a delivery: following it would send signed events wherever the endpoint points), and
only the first bytes of an answer are read and kept. Deciding what happens next (retry when, dead-letter, flag
the endpoint) is the outbox's job (campaigns/services/webhooks.py); this module only says what happened.
The URL comes from the operator's settings, never from a user, so it is not an SSRF vector.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from campaigns.retry_after import parse_retry_after  # noqa: F401 (re-exported)
from campaigns.wfm.signing import signed_headers

log = logging.getLogger("campaigns.wfm")

DEFAULT_TIMEOUT_SECONDS = 15.0
EXCERPT_BYTES = 1000
THROTTLE_STATUSES = frozenset({429, 502, 503, 504})
GONE_STATUS = 410
USER_AGENT = "campaign-schedule-planner-webhooks"


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"  # 2xx
    GONE = "gone"  # 410: the receiver wants no more events at this URL
    THROTTLED = "throttled"  # 429/502/503/504: slow down, honour Retry-After when given
    FAILED = "failed"  # anything else: another status, a redirect, a timeout, no connection


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    status_code: int | None = None
    excerpt: str = ""  # the first bytes of the answer's body, for people reading the Webhooks page
    retry_after: float | None = None  # seconds, when a throttling answer gave a readable Retry-After
    error: str = ""  # what went wrong without a usable answer (timeout, refused, redirect)
    duration_ms: int = 0

    @property
    def summary(self) -> str:
        status = f"HTTP {self.status_code}" if self.status_code else "no answer"
        return f"{status}: {self.error}" if self.error else status


def classify(status: int, excerpt: str, headers: httpx.Headers, duration_ms: int) -> Answer:
    """What an HTTP answer means for a Standard Webhooks sender."""
    if 200 <= status < 300:
        return Answer(Outcome.DELIVERED, status, excerpt, duration_ms=duration_ms)
    if status == GONE_STATUS:
        return Answer(Outcome.GONE, status, excerpt, error="the endpoint is gone", duration_ms=duration_ms)
    if status in THROTTLE_STATUSES:
        retry_after = parse_retry_after(headers.get("retry-after"))
        hint = f"retry after {retry_after:g} s" if retry_after is not None else "no Retry-After"
        return Answer(Outcome.THROTTLED, status, excerpt, retry_after, f"throttled ({hint})", duration_ms)
    error = ""
    if 300 <= status < 400:
        error = f"redirect to {headers.get('location', '?')!r} not followed"
    return Answer(Outcome.FAILED, status, excerpt, error=error, duration_ms=duration_ms)


class WfmSender:
    """Signs and POSTs messages to one WFM endpoint over a pooled connection. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        url: str,
        keys: list[bytes],
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        max_connections: int = 20,
    ):
        if not keys:
            raise ValueError("a WFM sender needs at least one signing secret")
        self.url = url
        self.keys = list(keys)
        self.timeout = timeout
        self._clock = clock
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": USER_AGENT},
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"<WfmSender {self.url} secrets={len(self.keys)}>"

    def close(self) -> None:
        self._http.close()

    def send(self, webhook_id: str, body: bytes, *, timestamp: int | None = None) -> Answer:
        """POST `body` (the exact bytes that are signed) once; the answer, whatever happens on the wire."""
        timestamp = int(self._clock()) if timestamp is None else timestamp
        headers = signed_headers(self.keys, webhook_id, timestamp, body)
        started = time.monotonic()

        def elapsed() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            with self._http.stream("POST", self.url, content=body, headers=headers) as response:
                excerpt = b""
                for chunk in response.iter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
                text = excerpt[:EXCERPT_BYTES].decode("utf-8", errors="replace")
                answer = classify(response.status_code, text, response.headers, elapsed())
        except httpx.TimeoutException:
            answer = Answer(
                Outcome.FAILED, error=f"no answer within {self.timeout:g} s", duration_ms=elapsed()
            )
        except httpx.ConnectError as exc:
            answer = Answer(Outcome.FAILED, error=f"could not connect ({exc})", duration_ms=elapsed())
        except httpx.HTTPError as exc:  # the connection broke off, a malformed answer, ...
            answer = Answer(
                Outcome.FAILED, error=f"no usable answer ({type(exc).__name__}: {exc})", duration_ms=elapsed()
            )
        log.info(
            "webhook %s → %s %s in %d ms", webhook_id, answer.outcome, answer.status_code, answer.duration_ms
        )
        return answer


# One sender per process and configuration, so that connections are pooled across deliveries.
_lock = threading.Lock()
_senders: dict[tuple, WfmSender] = {}


def shared_sender(url: str, keys: list[bytes], timeout: float = DEFAULT_TIMEOUT_SECONDS) -> WfmSender:
    key = (url, tuple(keys), timeout)
    with _lock:
        sender = _senders.get(key)
        if sender is None:
            for old in _senders.values():
                old.close()
            _senders.clear()
            sender = _senders[key] = WfmSender(url, keys, timeout=timeout)
        return sender


def _forget_after_fork() -> None:
    # A forked worker must not share its parent's sockets.
    global _lock
    _lock = threading.Lock()
    _senders.clear()


os.register_at_fork(after_in_child=_forget_after_fork)
