"""The CXone Outbound API v2 client: the only code in the project that speaks HTTP to CXone.

One `CXoneClient` (one pooled httpx.AsyncClient) per process and event loop, from `get_client()`. Sync
Django code
calls it through the bridge loop:

    from campaigns.cxone.client import get_client, run_sync
    campaign = run_sync(get_client().get_campaign("C-1001"))

Every request has a timeout, takes its turn from the deployment's shared rate limit (ratelimit.py: one bucket
for every process, in the database or Redis), goes through the circuit breaker and retries bounded by a time
budget (resilience.py), and is logged as method, path, status and duration: never a header, a body, the secret
or a token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from campaigns.cxone import capabilities as caps
from campaigns.cxone import ratelimit
from campaigns.cxone.backend import API_OUTBOUND_V2, MAX_PAGE_SIZE
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
from campaigns.cxone.ratelimit import SharedRateLimit
from campaigns.cxone.resilience import CircuitBreaker, RetrySettings, parse_retry_after
from campaigns.cxone.runtime import run_sync
from campaigns.cxone.schemas import Campaign, CampaignPage, ContactList, DncList, Schedule, Token
from campaigns.metrics import counters

__all__ = [
    "CXoneClient",
    "DEFAULT_SCOPES",
    "client_from_settings",
    "get_client",
    "run_sync",
    "set_client_factory",
]

log = logging.getLogger("campaigns.cxone")

DEFAULT_SCOPES = (
    "outbound:campaign:read",
    "outbound:campaign:write",
    "outbound:dnc:read",
    "outbound:contactlist:read",
)
TOKEN_PATH = "/oauth2/token"
CAMPAIGNS_PATH = "/api/v2/outbound/campaigns"
# A revoked token is replaced however often it happens, but one attempt stops refreshing after this many.
MAX_REFRESHES_PER_ATTEMPT = 4


class CXoneClient:
    """Async client of one CXone tenant (the `outbound-v2` implementation of backend.CXoneBackend). Safe for
    any number of concurrent calls on its event loop."""

    api = API_OUTBOUND_V2
    capabilities = caps.OUTBOUND_V2
    versions_ordered = True
    concurrency_note = ""  # CXone refuses a stale version itself (409)

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: Iterable[str] = DEFAULT_SCOPES,
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
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes)
        self.retry = retry or RetrySettings()
        self.circuit = circuit or CircuitBreaker()
        # None: this client does not pace itself (tests, tools with a CXone of their own). The product's
        # clients (get_client) take from the deployment's shared bucket.
        self.rate_limit = rate_limit
        self.refresh_margin = refresh_margin
        self._sleep = sleep
        self._clock = clock
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
        self.token_requests = 0
        self._tokens_seen: dict[str, bool] = {}  # our latest tokens → whether CXone has accepted each
        self._refused_unused: set[str] = set()

    def __repr__(self) -> str:
        return f"<CXoneClient {self.base_url} client_id={self.client_id!r}>"

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> CXoneClient:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.aclose()

    # --- The API -------------------------------------------------------------------------------------------

    async def list_campaigns(
        self, *, skip: int = 0, top: int = 50, state: str | None = None, ids: Iterable[str] | None = None
    ) -> CampaignPage:
        """One page of campaigns; `ids` filters to those campaigns (one request reads many)."""
        params: list[tuple[str, str | int]] = [("skip", skip), ("top", top)]
        if state:
            params.append(("state", state))
        params.extend(("id", campaign_id) for campaign_id in ids or ())
        return self._parse(CampaignPage, await self._call("GET", CAMPAIGNS_PATH, params=params))

    async def iter_campaigns(
        self, *, page_size: int = MAX_PAGE_SIZE, state: str | None = None
    ) -> AsyncIterator[Campaign]:
        """Every campaign, page after page, until CXone has no next page."""
        skip = 0
        while True:
            page = await self.list_campaigns(skip=skip, top=page_size, state=state)
            for campaign in page.campaigns:
                yield campaign
            skip += len(page.campaigns)
            if not page.campaigns or "next" not in page.links or skip >= page.total_records:
                return

    async def all_campaigns(
        self, *, page_size: int = MAX_PAGE_SIZE, state: str | None = None
    ) -> list[Campaign]:
        return [campaign async for campaign in self.iter_campaigns(page_size=page_size, state=state)]

    async def get_campaigns(self, ids: Iterable[str], *, urgent: bool = False) -> list[Campaign]:
        """The campaigns with these ids, MAX_PAGE_SIZE per request (absent ids are simply not returned).
        `urgent` reads overtake queued requests in the shared rate limit (the activation poller's)."""
        wanted = list(dict.fromkeys(ids))
        found: list[Campaign] = []
        with ratelimit.urgent(urgent):
            for start in range(0, len(wanted), MAX_PAGE_SIZE):
                chunk = wanted[start : start + MAX_PAGE_SIZE]
                found.extend((await self.list_campaigns(skip=0, top=MAX_PAGE_SIZE, ids=chunk)).campaigns)
        return found

    async def get_campaign(self, campaign_id: str) -> Campaign:
        return self._parse(Campaign, await self._call("GET", f"{CAMPAIGNS_PATH}/{_segment(campaign_id)}"))

    async def put_campaign(self, campaign: Campaign, *, base_version: int | None = None) -> Campaign:
        """PUT the full campaign as DRAFT, proposing version `base_version` + 1 (default:
        campaign.version + 1).
        CXone then activates it asynchronously: poll get_campaign() until ACTIVE, ERROR or FAILED."""
        version = (campaign.version if base_version is None else base_version) + 1
        path = f"{CAMPAIGNS_PATH}/{_segment(campaign.id)}"
        return self._parse(Campaign, await self._call("PUT", path, json=campaign.to_put_payload(version)))

    async def put_campaign_once(self, campaign: Campaign, *, base_version: int) -> Campaign:
        """PUT version `base_version` + 1 and never send it twice: repeated only after a 429, which proves CXone
        did not apply it. A timeout, a dropped connection or a 5xx raise at once (TransportError, ServerError):
        whether the PUT landed is then unknown, and the caller must read the campaign to find out, not PUT
        again blindly (the activation worker does; put_campaign's retries suit callers that cannot)."""
        path = f"{CAMPAIGNS_PATH}/{_segment(campaign.id)}"
        payload = campaign.to_put_payload(base_version + 1)
        deadline = self._clock() + self.retry.total_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._attempt("PUT", path, resent=False, deadline=deadline, json=payload)
                return self._parse(Campaign, response)
            except RateLimited as exc:
                wait = self.retry.backoff(attempt, exc)
                if self._clock() + wait > deadline:
                    raise  # waiting would pass the call's time budget
                if exc.status_code == 429 and self.rate_limit is not None:
                    await self.rate_limit.hold(wait)  # everyone sharing the limit holds off too
                await self._sleep(wait)

    def next_version(self, schedule: Schedule, *, base_version: int) -> int:
        """The version a PUT over `base_version` proposes (and CXone then reports): base + 1."""
        return base_version + 1

    async def get_dnc_list(self, dnc_list_id: str) -> DncList:
        return self._parse(DncList, await self._call("GET", f"/api/v2/outbound/dnc/{_segment(dnc_list_id)}"))

    async def get_contact_list(self, contact_list_id: str) -> ContactList:
        path = f"/api/v2/outbound/contact-lists/{_segment(contact_list_id)}"
        return self._parse(ContactList, await self._call("GET", path))

    # --- Token ---------------------------------------------------------------------------------------------

    def _token_is_fresh(self) -> bool:
        # Refresh 60 s early, or at half-life for tokens shorter than two minutes.
        margin = min(self.refresh_margin, self._token_lifetime / 2)
        return self._token is not None and self._clock() < self._token_expires_at - margin

    async def _access_token(self, *, deadline: float, rejected: str | None = None) -> str:
        """A valid token, fetching one if needed. However many calls wait, one fetch runs at a time, and
        a call that finds a fresh token (other than the one CXone just `rejected`) after waiting uses it."""
        if self._token_is_fresh() and self._token != rejected:
            return self._token
        async with self._token_lock:
            if self._token_is_fresh() and self._token != rejected:
                return self._token
            self._token = None
            return await self._fetch_token(deadline=deadline, rejected=rejected)

    async def _fetch_token(self, *, deadline: float, rejected: str | None) -> str:
        """Get a new token from CXone (client credentials). Only `_access_token` calls it, one fetch at a time."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "scope": " ".join(self.scopes),
        }
        self.token_requests += 1
        started = self._clock()
        response = await self._send("POST", TOKEN_PATH, deadline=deadline, data=form)
        return self._keep_token(self._parse(Token, self._check(response, resent=False)), started)

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

    # --- One call: retries within the time budget around (circuit, token, request, refresh on 401) ---------

    async def _call(self, method: str, path: str, **kwargs) -> Any:
        deadline = self._clock() + self.retry.total_seconds
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
                if self._clock() + wait > deadline:
                    raise  # waiting would pass the call's time budget
                if isinstance(exc, RateLimited) and exc.status_code == 429 and self.rate_limit is not None:
                    # Everyone sharing the limit waits too, not only this call.
                    await self.rate_limit.hold(wait)
                log.warning(
                    "CXone %s %s: attempt %d failed (%s), retrying in %.2f s",
                    method,
                    path,
                    attempt,
                    type(exc).__name__,
                    wait,
                )
                await self._sleep(wait)

    async def _attempt(self, method: str, path: str, *, resent: bool, deadline: float, **kwargs) -> Any:
        self.circuit.before_call()
        token = await self._access_token(deadline=deadline)
        for _ in range(MAX_REFRESHES_PER_ATTEMPT):
            response = await self._send(method, path, token=token, deadline=deadline, **kwargs)
            if response.status_code != 401:
                if response.status_code != 429 and response.status_code < 500:
                    self._token_worked(token)
                return self._check(response, resent=resent)
            self._token_refused(token)
            token = await self._access_token(deadline=deadline, rejected=token)
        raise InvalidCredentials("CXone kept refusing new tokens", status_code=401)

    async def _send(
        self, method: str, path: str, *, deadline: float, token: str | None = None, **kwargs
    ) -> httpx.Response:
        if self.rate_limit is not None:
            await self.rate_limit.acquire(budget=max(0.0, deadline - self._clock()))
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

    def _check(self, response: httpx.Response, *, resent: bool) -> Any:
        """The JSON body of a 2xx, or the typed error the status and body stand for."""
        status = response.status_code
        body = _json_or_none(response)
        where = f"{response.request.method} {response.request.url.path}"
        if 200 <= status < 300:
            if body is None:
                raise UnexpectedResponse(f"{where}: {status} without a JSON body", status_code=status)
            return body
        retry_after = parse_retry_after(response.headers.get("Retry-After")) if status == 429 else None
        raise error_for(status, body, where=where, retry_after=retry_after, resent=resent)

    @staticmethod
    def _parse(model, body: Any):
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            raise UnexpectedResponse(
                f"CXone answered a {model.__name__} outside the contract: {exc}"
            ) from exc


def _segment(value: str) -> str:
    """An id as one URL path segment (an id with a slash must not walk to another route)."""
    if not value or "/" in value or value in (".", ".."):
        raise NotFound(f"{value!r} is not a CXone id")
    return quote(value, safe="-_.~")


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


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


# The shared client per event loop (get_client) lives in shared.py; imported last, as it builds CXoneClients.
from campaigns.cxone.shared import client_from_settings, get_client, set_client_factory  # noqa: E402
