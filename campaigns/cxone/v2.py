"""The `outbound-v2` backend: the CXone Outbound API v2 contract of shared/design/cxone-api.md, which the
embedded sandbox serves by default (campaigns with cron schedules, versions, DRAFT → ACTIVE).

Tokens are OAuth2 client credentials (`POST /oauth2/token` with our scopes); errors are the contract's
`{code, message, details}` with its status codes (errors.error_for). Connection, token keeping, pacing and
retries are the shared Transport's (transport.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import httpx

from campaigns.cxone import capabilities as caps
from campaigns.cxone import ratelimit
from campaigns.cxone.backend import MAX_PAGE_SIZE
from campaigns.cxone.errors import UnexpectedResponse
from campaigns.cxone.schemas import (
    Campaign,
    CampaignChanges,
    CampaignPage,
    ContactList,
    DncList,
    Schedule,
    Token,
)
from campaigns.cxone.transport import (
    Transport,
    TransportBackend,
    answer_error,
    json_or_none,
    parse_answer,
    path_segment,
)

__all__ = ["CXoneClient", "DEFAULT_SCOPES", "read_answer"]

DEFAULT_SCOPES = (
    "outbound:campaign:read",
    "outbound:campaign:write",
    "outbound:dnc:read",
    "outbound:contactlist:read",
)
TOKEN_PATH = "/oauth2/token"
CAMPAIGNS_PATH = "/api/v2/outbound/campaigns"


def read_answer(response: httpx.Response, *, resent: bool) -> Any:
    """The JSON body of a 2xx (every success of the contract has one), or the typed error of the answer."""
    body = json_or_none(response)
    if 200 <= response.status_code < 300:
        if body is None:
            where = f"{response.request.method} {response.request.url.path}"
            status = response.status_code
            raise UnexpectedResponse(f"{where}: {status} without a JSON body", status_code=status)
        return body
    raise answer_error(response, body, resent=resent)


class ClientCredentialsGrant:
    """OAuth2 client credentials: a token for our scopes, asked for afresh each time."""

    def __init__(self, client_id: str, client_secret: str, scopes: Iterable[str]):
        self.client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes)

    async def fetch(self, transport: Transport, *, deadline: float, refused: bool) -> Token:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._client_secret,
            "scope": " ".join(self.scopes),
        }
        response = await transport.send_token_request(TOKEN_PATH, deadline=deadline, data=form)
        return parse_answer(Token, read_answer(response, resent=False))


class CXoneClient(TransportBackend):
    """Async client of one CXone tenant under the v2 contract (the `outbound-v2` backend.CXoneBackend).
    Safe for any number of concurrent calls on its event loop.

    `options` are the Transport's: timeout, retry, circuit, rate_limit, refresh_margin, transport (httpx's),
    max_connections, sleep, clock."""

    capabilities = caps.OUTBOUND_V2

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        **options: Any,
    ):
        self.client_id = client_id
        grant = ClientCredentialsGrant(client_id, client_secret, scopes)
        super().__init__(Transport(base_url, grant=grant, read_answer=read_answer, **options))

    def __repr__(self) -> str:
        return f"<CXoneClient {self.transport.base_url} client_id={self.client_id!r}>"

    async def list_campaigns(
        self, *, skip: int = 0, top: int = 50, ids: Iterable[str] | None = None
    ) -> CampaignPage:
        """One page of campaigns; `ids` filters to those campaigns (one request reads many)."""
        params: list[tuple[str, str | int]] = [("skip", skip), ("top", top)]
        params.extend(("id", campaign_id) for campaign_id in ids or ())
        return parse_answer(CampaignPage, await self.transport.request("GET", CAMPAIGNS_PATH, params=params))

    async def changed_campaigns(
        self, since: str, *, dnc_lists: Mapping[str, str] | None = None, known: Collection[str] | None = None
    ) -> CampaignChanges:
        """The v2 contract has no read of what changed (capabilities.delta_sync is False): every sync lists."""
        raise NotImplementedError("the Outbound API v2 contract has no read of what changed since a listing")

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
        path = f"{CAMPAIGNS_PATH}/{path_segment(campaign_id)}"
        return parse_answer(Campaign, await self.transport.request("GET", path))

    async def put_campaign_once(
        self, campaign: Campaign, *, base_version: int, partly: frozenset[int] = frozenset()
    ) -> Campaign:
        """PUT the full campaign as DRAFT, proposing version `base_version` + 1; CXone refuses it (409) when
        it no longer has `base_version`, then activates it asynchronously. Never sent twice (see
        Transport.request_once): when the outcome is unknown, read the campaign before writing again."""
        path = f"{CAMPAIGNS_PATH}/{path_segment(campaign.id)}"
        payload = campaign.to_put_payload(base_version + 1)
        return parse_answer(Campaign, await self.transport.request_once("PUT", path, json=payload))

    def next_version(self, schedule: Schedule, *, base_version: int) -> int:
        """The version a PUT over `base_version` proposes (and CXone then reports): base + 1."""
        return base_version + 1

    def partial_versions(self, schedule: Schedule, base: Schedule) -> frozenset[int]:
        """One PUT: it lands whole or not at all."""
        return frozenset()

    async def stop_dialling(self, campaign_id: str) -> None:
        """POST …/pause: 202, PAUSED after a moment (cxone-api.md). Sent once: the caller reads when unsure."""
        path = f"{CAMPAIGNS_PATH}/{path_segment(campaign_id)}/pause"
        await self.transport.request_once("POST", path)

    async def start_dialling(self, campaign_id: str) -> None:
        """POST …/resume: 202, ACTIVE after a moment."""
        path = f"{CAMPAIGNS_PATH}/{path_segment(campaign_id)}/resume"
        await self.transport.request_once("POST", path)

    async def dialling_states(self, ids: Iterable[str]) -> dict[str, str]:
        """A hundred campaigns a request, overtaking queued requests (a stop's confirmation is urgent)."""
        return {c.id: c.state for c in await self.get_campaigns(ids, urgent=True)}

    async def get_dnc_list(self, dnc_list_id: str) -> DncList:
        path = f"/api/v2/outbound/dnc/{path_segment(dnc_list_id)}"
        return parse_answer(DncList, await self.transport.request("GET", path))

    async def get_contact_list(self, contact_list_id: str) -> ContactList:
        path = f"/api/v2/outbound/contact-lists/{path_segment(contact_list_id)}"
        return parse_answer(ContactList, await self.transport.request("GET", path))
