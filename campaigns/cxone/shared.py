"""The product's CXone clients: one per event loop, built from the settings, pacing themselves on the
deployment's shared rate limit. Import them from campaigns.cxone.client (get_client, set_client_factory)."""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from campaigns.cxone.errors import CXoneNotConfigured
from campaigns.cxone.runtime import bridge_loop

if TYPE_CHECKING:
    from campaigns.cxone.client import CXoneClient


def client_from_settings() -> CXoneClient:
    """A client of the configured tenant, of the API CXONE_API names (backend.py), that takes every request
    from the shared bucket (CXONE_RATE_LIMIT, CXONE_BURST) and gives each call CXONE_RETRY_BUDGET_SECONDS
    to get through."""
    from django.conf import settings

    from campaigns.cxone.client import CXoneClient
    from campaigns.cxone.ratelimit import rate_limit_from_settings
    from campaigns.cxone.resilience import RetrySettings

    admin = getattr(settings, "CXONE_API", "outbound-v2") == "admin"
    needed = ["CXONE_BASE_URL", "CXONE_CLIENT_ID", "CXONE_CLIENT_SECRET"]
    needed += ["CXONE_ACCESS_KEY_ID", "CXONE_ACCESS_KEY_SECRET"] if admin else []
    missing = [name for name in needed if not getattr(settings, name, None)]
    if missing:
        raise CXoneNotConfigured(f"CXone is not configured: set {', '.join(missing)}")
    if admin:
        from campaigns.cxone.admin_client import AdminClient

        return AdminClient(
            settings.CXONE_BASE_URL,
            settings.CXONE_CLIENT_ID,
            settings.CXONE_CLIENT_SECRET,
            settings.CXONE_ACCESS_KEY_ID,
            settings.CXONE_ACCESS_KEY_SECRET,
            tenant_id=settings.CXONE_TENANT_ID,
            api_version=settings.CXONE_ADMIN_API_VERSION,
            time_format=settings.CXONE_ADMIN_TIME_FORMAT,
            schedule_zone=settings.CXONE_ADMIN_SCHEDULE_ZONE,
            schedule_read=settings.CXONE_ADMIN_SCHEDULE_READ,
            timeout=float(settings.CXONE_TIMEOUT_SECONDS),
            retry=RetrySettings(total_seconds=float(settings.CXONE_RETRY_BUDGET_SECONDS)),
            rate_limit=rate_limit_from_settings(settings.CXONE_BASE_URL, settings.CXONE_CLIENT_ID),
        )
    return CXoneClient(
        settings.CXONE_BASE_URL,
        settings.CXONE_CLIENT_ID,
        settings.CXONE_CLIENT_SECRET,
        timeout=float(settings.CXONE_TIMEOUT_SECONDS),
        retry=RetrySettings(total_seconds=float(settings.CXONE_RETRY_BUDGET_SECONDS)),
        rate_limit=rate_limit_from_settings(settings.CXONE_BASE_URL, settings.CXONE_CLIENT_ID),
    )


_factory: Callable[[], CXoneClient] = client_from_settings
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CXoneClient] = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


def get_client() -> CXoneClient:
    """The shared client of the running event loop; called outside any loop, the bridge loop's client (so that
    `run_sync(get_client().get_campaign(...))` runs the call where its client lives)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = bridge_loop()
    with _clients_lock:
        client = _clients.get(loop)
        if client is None or client.is_closed:
            client = _factory()
            _clients[loop] = client
        return client


def set_client_factory(factory: Callable[[], CXoneClient] | None) -> None:
    """Make get_client() build its clients with `factory` (None: back to settings). Clients built so far are
    dropped; the bridge loop's one is closed. For tests and tools that point the product at another CXone."""
    global _factory
    with _clients_lock:
        _factory = factory or client_from_settings
        old = dict(_clients)
        _clients.clear()
    for loop, client in old.items():
        if loop.is_running() and not loop.is_closed() and loop is bridge_loop():
            asyncio.run_coroutine_threadsafe(client.aclose(), loop).result(timeout=5)


def _forget_clients_after_fork() -> None:
    global _clients_lock
    _clients_lock = threading.Lock()
    _clients.clear()


os.register_at_fork(after_in_child=_forget_clients_after_fork)
