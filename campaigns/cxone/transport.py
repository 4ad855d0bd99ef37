"""The one way our CXone backends speak HTTP: both the v2 client (v2.py) and the Admin API client
(admin_client.py) send every request through a `Transport`.

A Transport owns one pooled httpx.AsyncClient and keeps one access token, fetched by the backend's
`TokenGrant` (v2: client credentials; Admin: the access key, renewed with its refresh token), one fetch at a
time however many calls wait. Every request takes its turn from the deployment's shared rate limit
(ratelimit.py), goes through the circuit breaker and retries bounded by a time budget that honour Retry-After
(resilience.py), is counted (metrics) and logged as method, path, status and duration: never a header, a body,
a secret or a token. What an answer means is the backend's `AnswerReader`: each API has its own error shapes,
and both end in the typed errors of errors.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from campaigns.cxone.errors import (
    CXoneError,
    InvalidCredentials,
    NotFound,
    RateLimited,
    RequestTimeout,
    TransportError,
    UnexpectedResponse,
    error_for,
)
from campaigns.cxone.ratelimit import SharedRateLimit, count_request
from campaigns.cxone.resilience import CircuitBreaker, RetrySettings, parse_retry_after
from campaigns.cxone.schemas import Token
from campaigns.metrics import counters

__all__ = [
    "AnswerReader",
    "TokenGrant",
    "Transport",
    "TransportBackend",
    "answer_error",
    "json_or_none",
    "parse_answer",
    "path_segment",
]

log = logging.getLogger("campaigns.cxone")

# A revoked token is replaced however often it happens, but one attempt stops refreshing after this many.
MAX_REFRESHES_PER_ATTEMPT = 4

Model = TypeVar("Model", bound=BaseModel)


class TokenGrant(Protocol):
    """How a backend gets an access token."""

    async def fetch(self, transport: Transport, *, deadline: float, refused: bool) -> Token:
        """A new token, asked for with transport.send_token_request(). `refused`: CXone has just refused the
        token we had (else it merely aged, and a grant may renew it more cheaply)."""


class AnswerReader(Protocol):
    def __call__(self, response: httpx.Response, *, resent: bool) -> Any:
        """The body of a successful answer, or raise the typed error the answer stands for. `resent`: this
        request had been sent before (a conflict may then be our own earlier attempt)."""


class Transport:
    """One tenant's connection, token and pacing, for one backend. Safe for any number of concurrent calls
    on its event loop."""

    def __init__(
        self,
        base_url: str,
        *,
        grant: TokenGrant,
        read_answer: AnswerReader,
        timeout: float = 10.0,
        retry: RetrySettings | None = None,
        circuit: CircuitBreaker | None = None,
        rate_limit: SharedRateLimit | None = None,
        refresh_margin: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_connections: int = 20,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        """`transport` is httpx's (tests send to the sandbox in process through one); `clock` and `sleep`
        measure and spend the retries' time budget."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetrySettings()
        self.circuit = circuit or CircuitBreaker()
        # None: this transport does not pace itself (tests, tools with a CXone of their own). The product's
        # clients (factory.get_client) take from the deployment's shared bucket.
        self.rate_limit = rate_limit
        self.refresh_margin = refresh_margin
        self.sleep = sleep
        self.clock = clock
        self.token_requests = 0
        self._grant = grant
        self._read_answer = read_answer
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"Accept": "application/json", "User-Agent": "campaign-schedule-planner"},
            transport=transport,
        )
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lifetime = 0.0
        self._token_lock = asyncio.Lock()
        self._tokens_seen: dict[str, bool] = {}  # our latest tokens → whether CXone has accepted each
        self._refused_unused: set[str] = set()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- Requests ------------------------------------------------------------------------------------------

    async def request(self, method: str, path: str, **kwargs) -> Any:
        """Send until an answer comes or the time budget is spent: 429s waited out (Retry-After, else our own
        backoff, with everyone sharing the limit holding off too), 5xx and lost answers retried up to
        retry.attempts. `path` is under base_url, or a whole URL. The answer as the backend reads it."""
        deadline = self.clock() + self.retry.total_seconds
        attempt = failures = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(method, path, resent=attempt > 1, deadline=deadline, **kwargs)
            except CXoneError as exc:
                if not isinstance(exc, RateLimited):
                    failures += 1
                if self.retry.gives_up(failures, exc):
                    raise
                if self.circuit.state == "open":
                    # That 429 opened the circuit: say so now instead of waiting to be refused by it.
                    self.circuit.before_call()
                wait = self.retry.backoff(attempt, exc)
                if self.clock() + wait > deadline:
                    raise  # waiting would pass the call's time budget
                await self._hold_if_refused(exc, wait)
                log.warning(
                    "CXone %s %s: attempt %d failed (%s), retrying in %.2f s",
                    method,
                    path,
                    attempt,
                    type(exc).__name__,
                    wait,
                )
                await self.sleep(wait)

    async def request_once(self, method: str, path: str, **kwargs) -> Any:
        """request() for a write that must never be applied twice: sent again only after a 429, which proves
        CXone did not apply it. A timeout, a dropped connection or a 5xx raise at once (TransportError,
        ServerError): whether the write landed is then unknown, and the caller must read to find out."""
        deadline = self.clock() + self.retry.total_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(method, path, resent=False, deadline=deadline, **kwargs)
            except RateLimited as exc:
                wait = self.retry.backoff(attempt, exc)
                if self.clock() + wait > deadline:
                    raise  # waiting would pass the call's time budget
                await self._hold_if_refused(exc, wait)
                await self.sleep(wait)

    async def send_token_request(self, path: str, *, deadline: float, **kwargs) -> httpx.Response:
        """One request to a token endpoint, for a TokenGrant: paced and counted like any other, never retried
        here and sent without a bearer token."""
        self.token_requests += 1
        return await self._send("POST", path, deadline=deadline, **kwargs)

    async def access_token(self) -> str:
        """A valid token, fetched now if there is none (the Admin API learns its tenant from it)."""
        return await self._access_token(deadline=self.clock() + self.retry.total_seconds)

    async def _hold_if_refused(self, exc: CXoneError, wait: float) -> None:
        # A 429 is CXone's word that the shared limit is spent: everyone sharing it waits, not only this call.
        # Our own bucket running out of budget (RateLimited without a status) says nothing about the others.
        if isinstance(exc, RateLimited) and exc.status_code == 429 and self.rate_limit is not None:
            await self.rate_limit.hold(wait)

    async def _attempt(self, method: str, path: str, *, resent: bool, deadline: float, **kwargs) -> Any:
        self.circuit.before_call()
        token = await self._access_token(deadline=deadline)
        for _ in range(MAX_REFRESHES_PER_ATTEMPT):
            response = await self._send(method, path, token=token, deadline=deadline, **kwargs)
            if response.status_code != 401:
                if response.status_code != 429 and response.status_code < 500:
                    self._token_worked(token)
                return self._read_answer(response, resent=resent)
            self._token_refused(token)
            token = await self._access_token(deadline=deadline, rejected=token)
        raise InvalidCredentials("CXone kept refusing new tokens", status_code=401)

    async def _send(
        self, method: str, path: str, *, deadline: float, token: str | None = None, **kwargs
    ) -> httpx.Response:
        if self.rate_limit is not None:
            await self.rate_limit.acquire(budget=max(0.0, deadline - self.clock()))
        count_request()
        headers = {"Authorization": f"Bearer {token}"} if token else None
        started = time.perf_counter()
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            self.circuit.record_no_answer()
            _log_request(method, path, type(exc).__name__, started)
            counters.count("cxone_requests", status="timeout")
            raise RequestTimeout(f"{method} {path} timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            self.circuit.record_no_answer()
            _log_request(method, path, type(exc).__name__, started)
            counters.count("cxone_requests", status="transport_error")
            raise TransportError(f"{method} {path} failed: {type(exc).__name__}") from exc
        counters.count("cxone_requests", status=str(response.status_code))
        if response.status_code == 429:
            self.circuit.record_rate_limited()
            counters.count("cxone_rate_limited")
        else:
            self.circuit.record_answer()
        _log_request(method, path, response.status_code, started)
        return response

    # --- The token -----------------------------------------------------------------------------------------

    def _token_is_fresh(self) -> bool:
        # Refresh 60 s early, or at half-life for tokens shorter than two minutes.
        margin = min(self.refresh_margin, self._token_lifetime / 2)
        return self._token is not None and self.clock() < self._token_expires_at - margin

    async def _access_token(self, *, deadline: float, rejected: str | None = None) -> str:
        """A valid token, fetching one if needed. However many calls wait, one fetch runs at a time, and
        a call that finds a fresh token (other than the one CXone just `rejected`) after waiting uses it."""
        if self._token_is_fresh() and self._token != rejected:
            return self._token
        async with self._token_lock:
            if self._token_is_fresh() and self._token != rejected:
                return self._token
            self._token = None
            requested_at = self.clock()
            token = await self._grant.fetch(self, deadline=deadline, refused=rejected is not None)
            return self._keep_token(token, requested_at)

    def _keep_token(self, token: Token, requested_at: float) -> str:
        """Use `token` from now on (it expires `expires_in` after it was requested); remember it was issued."""
        self._token_lifetime = max(0.0, token.expires_in)
        self._token_expires_at = requested_at + self._token_lifetime
        self._token = token.access_token
        self._tokens_seen[self._token] = False
        while len(self._tokens_seen) > 8:
            self._tokens_seen.pop(next(iter(self._tokens_seen)))
        return self._token

    def _token_refused(self, token: str) -> None:
        """CXone answered 401 to `token`. A token that has worked before was revoked or expired: fetch another,
        however often that happens. A token refused before its first use counts: when two tokens in a row are
        refused before ever working, CXone will not take ours (wrong tenant, clock, or revoked client)."""
        if self._tokens_seen.get(token):
            return
        self._refused_unused.add(token)
        if len(self._refused_unused) >= 2:
            raise InvalidCredentials("CXone refused a freshly issued token twice in a row", status_code=401)

    def _token_worked(self, token: str) -> None:
        if token in self._tokens_seen:
            self._tokens_seen[token] = True
        self._refused_unused.clear()


class TransportBackend:
    """What both backends share: their one Transport (`transport`), closing it, and `async with`. Each
    backend adds its `capabilities` and the operations of backend.CXoneBackend."""

    def __init__(self, transport: Transport):
        self.transport = transport

    @property
    def is_closed(self) -> bool:
        return self.transport.is_closed

    @property
    def circuit(self) -> CircuitBreaker:
        """The breaker, for those who watch whether CXone's pushback ever stopped this client."""
        return self.transport.circuit

    async def aclose(self) -> None:
        await self.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.aclose()


# --- Helpers both backends read answers with -----------------------------------------------------------------


def path_segment(value: str) -> str:
    """An id as one URL path segment (an id with a slash must not walk to another route)."""
    if not value or "/" in value or value in (".", ".."):
        raise NotFound(f"{value!r} is not a CXone id")
    return quote(value, safe="-_.~")


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def answer_error(response: httpx.Response, body: Any, *, resent: bool) -> CXoneError:
    """The typed error a non-2xx answer stands for under the contract's status codes (errors.error_for),
    with CXone's Retry-After when it sent one with a 429."""
    status = response.status_code
    where = f"{response.request.method} {response.request.url.path}"
    retry_after = parse_retry_after(response.headers.get("Retry-After")) if status == 429 else None
    return error_for(status, body, where=where, retry_after=retry_after, resent=resent)


def parse_answer(model: type[Model], body: Any) -> Model:
    """`body` as `model`, or UnexpectedResponse when CXone answered outside the contract."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise UnexpectedResponse(f"CXone answered a {model.__name__} outside the contract: {exc}") from exc


def _log_request(method: str, path: str, outcome: int | str, started: float) -> None:
    duration_ms = (time.perf_counter() - started) * 1000
    log.info(
        "CXone %s %s -> %s in %.1f ms",
        method,
        path,
        outcome,
        duration_ms,
        extra={
            "cxone_method": method,
            "cxone_path": path,
            "cxone_status": outcome,
            "duration_ms": duration_ms,
        },
    )
