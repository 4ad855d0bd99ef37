"""How the Admin API backend reaches a real tenant over the shared Transport: its token, where its API is, and
what its answers mean. admin_client.AdminClient builds the API's operations on these.

- Auth: `POST {CXONE_BASE_URL}/auth/token`, grant_type=password with the access key as username/password and
  the application's client id/secret as HTTP Basic → access_token (+ refresh_token, id_token). A token that
  merely aged is renewed with its refresh_token, else one is fetched afresh (the Transport runs one fetch at a
  time).
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

from campaigns.cxone.errors import (
    BatchItemsFailed,
    InvalidCredentials,
    SkillBusy,
    UnexpectedResponse,
    ValidationFailed,
)
from campaigns.cxone.schemas import Token
from campaigns.cxone.transport import Transport, answer_error, json_or_none, parse_answer

__all__ = ["AccessKeyGrant", "Discovery", "raise_batch_failures", "read_answer"]

TOKEN_PATH = "/auth/token"
DISCOVERY_PATH = "/.well-known/cxone-configuration"


def read_answer(response: httpx.Response, *, resent: bool) -> Any:
    """The body of a 2xx ({} for the bodiless 202/204 of start, stop and some PUTs), or the typed error of the
    Admin API's error shape."""
    status = response.status_code
    body = json_or_none(response)
    if 200 <= status < 300:
        return {} if body is None else body
    where = f"{response.request.method} {response.request.url.path}"
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
    raise answer_error(response, body, resent=resent)


def raise_batch_failures(body: Any, where: str) -> None:
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


class AccessKeyGrant:
    """The access key's token; learns the tenant id from the first id_token when the settings gave none."""

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        access_key_id: str,
        access_key_secret: str,
        *,
        tenant_id: str | None = None,
    ):
        self.client_id = client_id
        self._client_secret = client_secret
        self.access_key_id = access_key_id
        self._access_key_secret = access_key_secret
        self.tenant_id = tenant_id or None
        self._refresh_token: str | None = None

    async def fetch(self, transport: Transport, *, deadline: float, refused: bool) -> Token:
        refresh, self._refresh_token = self._refresh_token, None
        if refresh and not refused:  # a token that merely aged is renewed with its refresh token
            try:
                form = {"grant_type": "refresh_token", "refresh_token": refresh}
                return await self._grant(transport, form, deadline)
            except InvalidCredentials:
                pass
        form = {"grant_type": "password", "username": self.access_key_id, "password": self._access_key_secret}
        return await self._grant(transport, form, deadline)

    async def _grant(self, transport: Transport, form: dict, deadline: float) -> Token:
        auth = httpx.BasicAuth(self.client_id, self._client_secret)
        response = await transport.send_token_request(TOKEN_PATH, deadline=deadline, data=form, auth=auth)
        if response.status_code in (400, 401):
            raise InvalidCredentials(
                f"CXone refused the access key or the application ({_error_text(response)})",
                status_code=response.status_code,
            )
        token = parse_answer(Token, read_answer(response, resent=False))
        extra = token.model_extra or {}
        self._refresh_token = extra.get("refresh_token") or None
        if not self.tenant_id:
            self.tenant_id = _tenant_of(extra.get("id_token"))
        return token


class Discovery:
    """Where the tenant's Admin API is: asked once, on the first call."""

    def __init__(self, grant: AccessKeyGrant, api_version: str):
        self.grant = grant
        self.api_version = api_version
        self.api_base: str | None = None
        self._lock = asyncio.Lock()

    async def url(self, transport: Transport, path: str) -> str:
        """The whole URL of the API's `path` ("/skills/1001")."""
        if self.api_base is None:
            async with self._lock:
                if self.api_base is None:
                    self.api_base = await self._discover(transport)
        return self.api_base + path

    async def _discover(self, transport: Transport) -> str:
        if not self.grant.tenant_id:
            await transport.access_token()  # its id_token names the tenant
        if not self.grant.tenant_id:
            raise InvalidCredentials("no tenant id: set CXONE_TENANT_ID (the id_token had none)")
        found = await transport.request("GET", DISCOVERY_PATH, params={"tenantId": self.grant.tenant_id})
        endpoint = found.get("api_endpoint") if isinstance(found, dict) else None
        if not isinstance(endpoint, str) or not endpoint.startswith(("http://", "https://")):
            raise UnexpectedResponse("discovery answered no api_endpoint")
        return f"{endpoint.rstrip('/')}/inContactAPI/services/{self.api_version}"


def _error_text(response: httpx.Response) -> str:
    body = json_or_none(response)
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
