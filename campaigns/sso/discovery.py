"""The identity provider's metadata (OpenID Connect Discovery): its endpoints, read from
`{OIDC_ISSUER}/.well-known/openid-configuration` with a timeout, kept for an hour, checked to name the issuer we
were configured with (else a provider could speak for another).

ProviderUnavailable says that signing on cannot start now (no answer, a bad answer); the login page says so and
local passwords, where they are on, still work.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
from django.conf import settings

KEEP_SECONDS = 3600
TRIES = 2


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read, or does not describe it."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None


_lock = threading.Lock()
_cached: tuple[str, float, Provider] | None = None


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider() -> Provider:
    """The configured provider's metadata (from memory for an hour after a successful read)."""
    global _cached
    issuer = settings.OIDC_ISSUER
    if not issuer:
        raise ProviderUnavailable("sign-on is not configured (OIDC_ISSUER is not set)")
    with _lock:
        if _cached and _cached[0] == issuer and time.monotonic() - _cached[1] < KEEP_SECONDS:
            return _cached[2]
    found = read(issuer, timeout=float(settings.OIDC_TIMEOUT_SECONDS))
    with _lock:
        _cached = (issuer, time.monotonic(), found)
    return found


def forget() -> None:
    """Read the document again next time (tests; a provider that moved its endpoints)."""
    global _cached
    with _lock:
        _cached = None


def read(issuer: str, *, timeout: float) -> Provider:
    url = discovery_url(issuer)
    error = ""
    for _ in range(TRIES):
        try:
            response = httpx.get(url, timeout=timeout, follow_redirects=False)
        except httpx.HTTPError as exc:
            error = f"{url}: {type(exc).__name__}: {exc}"
            continue
        if response.status_code >= 500:
            error = f"{url} answered {response.status_code}"
            continue
        if response.status_code != 200:
            raise ProviderUnavailable(f"{url} answered {response.status_code}")
        return parse(issuer, response)
    raise ProviderUnavailable(error)


def parse(issuer: str, response: httpx.Response) -> Provider:
    try:
        document = response.json()
    except ValueError as exc:
        raise ProviderUnavailable(f"{response.url} is not JSON") from exc
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"{response.url} is not a JSON object")
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(
            f"{response.url} names the issuer {document.get('issuer')!r}, not OIDC_ISSUER {issuer!r}"
        )
    needed = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    missing = [name for name in needed if not isinstance(document.get(name), str)]
    if missing:
        raise ProviderUnavailable(f"{response.url} lacks {', '.join(missing)}")
    end_session = document.get("end_session_endpoint")
    return Provider(issuer, *(document[name] for name in needed),
                    end_session if isinstance(end_session, str) else None)  # fmt: skip
