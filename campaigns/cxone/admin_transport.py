"""The Admin API's transport: discovery, access-key tokens and its error shapes, on the v2 client's machinery
(pooled httpx client, shared rate limit, retries bounded by time, circuit breaker). admin_client.AdminClient
builds the API's operations on it.

- Auth: `POST {CXONE_BASE_URL}/auth/token`, grant_type=password with the access key as username/password and
  the application's client id/secret as HTTP Basic → access_token (+ refresh_token, id_token). The token is
  renewed with the refresh_token when it merely aged, else fetched afresh; one fetch at a time.
- Discovery: `GET {CXONE_BASE_URL}/.well-known/cxone-configuration?tenantId=…` (tenant id from the settings or
  the id_token) → api_endpoint; every call then goes to `{api_endpoint}/inContactAPI/services/{version}/…`.
- Errors are `{error, errorDescription}`: 400 reads as ValidationFailed, 409 ("Invalid state") as SkillBusy. A
  batch answered 2xx with refused items raises BatchItemsFailed naming them.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx

from campaigns.cxone import capabilities as caps
from campaigns.cxone.backend import API_ADMIN
from campaigns.cxone.client import CXoneClient, _json_or_none
from campaigns.cxone.errors import (
    BatchItemsFailed,
    InvalidCredentials,
    SkillBusy,
    UnexpectedResponse,
    ValidationFailed,
    error_for,
)
from campaigns.cxone.resilience import parse_retry_after
from campaigns.cxone.schemas import Token

TOKEN_PATH = "/auth/token"
DISCOVERY_PATH = "/.well-known/cxone-configuration"


class AdminTransport(CXoneClient):
    """How to reach a real tenant's Admin API and read its answers; the operations are AdminClient's."""

    api = API_ADMIN
    capabilities = caps.ADMIN

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        access_key_id: str,
        access_key_secret: str,
        *,
        tenant_id: str | None = None,
        api_version: str = "v31.0",
        time_format: str = "%H:%M",
        schedule_zone: str = "",
        schedule_read: str = "schedule-settings",
        **options,
    ):
        options.setdefault("scopes", ())
        super().__init__(base_url, client_id, client_secret, **options)
        self.access_key_id = access_key_id
        self._access_key_secret = access_key_secret
        self.tenant_id = tenant_id or None
        self.api_version = api_version
        self.time_format = time_format
        self.schedule_zone = schedule_zone
        # Where a skill's schedule is read: its own endpoint, or the combined parameters read (CXONE_ADMIN_
        # SCHEDULE_READ); either way an endpoint the tenant does not have (404) sends it to the other.
        self.schedule_read = schedule_read
        self._refresh_token: str | None = None
        self._api_base: str | None = None
        self._discovery_lock = asyncio.Lock()
        self._shared: dict[str, tuple[float, Any]] = {}

    def __repr__(self) -> str:
        return f"<AdminClient {self.base_url} tenant={self.tenant_id!r} api={self._api_base!r}>"

    # --- Discovery, token and errors ----------------------------------------------------------------------

    async def _api(self, method: str, path: str, **kwargs) -> Any:
        return await self._call(method, await self._api_url(path), **kwargs)

    async def _api_url(self, path: str) -> str:
        if self._api_base is None:
            async with self._discovery_lock:
                if self._api_base is None:
                    if not self.tenant_id:
                        await self._access_token(deadline=self._clock() + self.retry.total_seconds)
                    if not self.tenant_id:
                        raise InvalidCredentials("no tenant id: set CXONE_TENANT_ID (the id_token had none)")
                    found = await self._call("GET", DISCOVERY_PATH, params={"tenantId": self.tenant_id})
                    endpoint = found.get("api_endpoint") if isinstance(found, dict) else None
                    if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
                        raise UnexpectedResponse("discovery answered no api_endpoint")
                    self._api_base = f"{endpoint.rstrip('/')}/inContactAPI/services/{self.api_version}"
        return self._api_base + path

    async def _fetch_token(self, *, deadline: float, rejected: str | None) -> str:
        """The access key's token (the single flight around it is CXoneClient._access_token's)."""
        refresh, self._refresh_token = self._refresh_token, None
        if refresh and rejected is None:  # a token that merely aged is renewed with its refresh token
            try:
                return await self._token_grant({"grant_type": "refresh_token", "refresh_token": refresh}, deadline)
            except InvalidCredentials:
                pass
        form = {"grant_type": "password", "username": self.access_key_id, "password": self._access_key_secret}
        return await self._token_grant(form, deadline)

    async def _token_grant(self, form: dict, deadline: float) -> str:
        self.token_requests += 1
        started = self._clock()
        auth = httpx.BasicAuth(self.client_id, self._client_secret)
        response = await self._send("POST", TOKEN_PATH, deadline=deadline, data=form, auth=auth)
        if response.status_code in (400, 401):
            raise InvalidCredentials(
                f"CXone refused the access key or the application ({_error_text(response)})",
                status_code=response.status_code,
            )
        token = self._parse(Token, self._check(response, resent=False))
        extra = token.model_extra or {}
        self._refresh_token = extra.get("refresh_token") or None
        if not self.tenant_id:
            self.tenant_id = _tenant_of(extra.get("id_token"))
        return self._keep_token(token, started)

    def _check(self, response: httpx.Response, *, resent: bool) -> Any:
        status = response.status_code
        body = _json_or_none(response)
        where = f"{response.request.method} {response.request.url.path}"
        if 200 <= status < 300:
            return {} if body is None else body  # 202/204 of start, stop and some PUTs carry no body
        details = body if isinstance(body, dict) else {}
        code = details.get("error") if isinstance(details.get("error"), str) else None
        text = details.get("errorDescription") or details.get("error_description") or code or ""
        if status == 400:
            raise ValidationFailed(
                f"{where}: refused ({text or 'no details'})",
                details=[{"field": "", "message": str(text)}],
                status_code=400,
                code=code,
            )
        if status == 409:
            raise SkillBusy(f"{where}: {text or 'invalid state'}", status_code=409, code=code)
        retry_after = parse_retry_after(response.headers.get("Retry-After")) if status == 429 else None
        raise error_for(status, body, where=where, retry_after=retry_after, resent=resent)

    @staticmethod
    def _raise_batch_failures(body: Any, where: str) -> None:
        """A 2xx whose body lists refused items: raise BatchItemsFailed naming each."""
        if not isinstance(body, dict):
            return
        items: list[dict] = []
        for key in ("errors", "failures", "invalidItems"):
            rows = body.get(key)
            if isinstance(rows, list):
                items.extend(r if isinstance(r, dict) else {"item": r} for r in rows)
        for key, rows in body.items():
            if isinstance(rows, list) and key not in ("errors", "failures", "invalidItems"):
                items.extend(
                    r for r in rows if isinstance(r, dict) and (r.get("error") or r.get("isSuccess") is False)
                )
        if items:
            said = "; ".join(
                f"{r.get('standardName') or r.get('item') or '?'}: {r.get('errorDescription') or r.get('error')}"
                for r in items
            )
            raise BatchItemsFailed(f"{where}: CXone refused {len(items)} item(s): {said}", items=items)


def _error_text(response: httpx.Response) -> str:
    body = _json_or_none(response)
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("errorDescription") or body.get("error") or "")
    return str(response.status_code)


def _tenant_of(id_token: Any) -> str | None:
    """The tenantId claim of an id_token (read, not verified: it only says where to discover the API)."""
    if not isinstance(id_token, str) or id_token.count(".") < 2:
        return None
    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    tenant = claims.get("tenantId") or claims.get("tenant_id") if isinstance(claims, dict) else None
    return str(tenant) if tenant else None
