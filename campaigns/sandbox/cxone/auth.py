"""OAuth2 client credentials (POST /oauth2/token), bearer tokens with scopes, and the per-client rate
limit."""

from __future__ import annotations

import base64
import binascii
import hmac
import math
from urllib.parse import parse_qs, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse

from campaigns.sandbox.config import ALL_SCOPES
from campaigns.sandbox.responses import MAX_BODY_BYTES, ApiError
from campaigns.sandbox.state import IssuedToken, SandboxState, state_of


def rate_limit(state: SandboxState, client_id: str) -> None:
    wait = state.take_rate_token(client_id)
    if wait > 0:
        headers = {} if state.config.omit_retry_after else {"Retry-After": str(max(1, math.ceil(wait)))}
        raise ApiError(429, {"code": "rate.limited", "message": "Too many requests"}, headers)


async def token_endpoint(request: Request) -> JSONResponse:
    state = state_of(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type != "application/x-www-form-urlencoded" or len(body) > MAX_BODY_BYTES:
        return _oauth_error(400, "invalid_request", "expected a form-encoded body")
    try:
        form = {
            key: values[0] for key, values in parse_qs(body.decode("utf-8"), strict_parsing=False).items()
        }
    except (UnicodeDecodeError, ValueError):
        return _oauth_error(400, "invalid_request", "malformed form body")
    client_id, client_secret = form.get("client_id"), form.get("client_secret")
    basic = basic_credentials(request.headers.get("authorization"))
    if basic:
        client_id, client_secret = basic
    if form.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "only client_credentials is supported")
    config = state.config
    if not (
        client_id
        and client_secret
        and hmac.compare_digest(client_id.encode(), config.client_id.encode())
        and hmac.compare_digest(client_secret.encode(), config.client_secret.encode())
    ):
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret")
    rate_limit(state, client_id)
    requested = set((form.get("scope") or "").split()) or set(config.granted_scopes)
    if not requested <= set(config.granted_scopes) or not requested <= set(ALL_SCOPES):
        missing = " ".join(sorted(requested - set(config.granted_scopes)))
        return _oauth_error(403, "insufficient_scope", f"not granted: {missing}")
    token, lifetime = state.issue_token(client_id, frozenset(requested))
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": " ".join(sorted(requested)),
        },
        headers={"Cache-Control": "no-store"},
    )


def authorize(request: Request, scope: str) -> IssuedToken:
    """The caller's token for an /api/v2 call needing `scope`; raises 401, 429 or 403 as the contract says."""
    state = state_of(request)
    header = request.headers.get("authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise ApiError(401, {"code": "token.missing", "message": "Bearer token required"}, _challenge())
    info = state.token_info(token.strip())
    if info is None:
        raise ApiError(401, {"code": "token.invalid", "message": "Token unknown or expired"}, _challenge())
    rate_limit(state, info.client_id)
    if scope not in info.scopes:
        raise ApiError(403, {"code": "scope.missing", "message": f"Token lacks scope {scope}"})
    return info


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="cxone-sandbox"'}


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client id, secret) from an HTTP Basic Authorization header; None when there is none or it is malformed."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
