"""The one door to CXone for everything above campaigns/cxone/: the client of the configured backend
(`get_client`), the capabilities of that backend (`capabilities`, known without building a client, so a page
can ask it while CXone is not configured), `run_sync` to call the async client from sync code,
`set_client_factory` for tests and tools that point the product at another CXone, and `settings_problems` (each
a SettingsProblem of one kind: MISSING_CREDENTIALS, UNKNOWN_API, BACKEND_SETTING) for the system checks.

One client per event loop: sync code reaches the bridge loop's (runtime.py), so that
`run_sync(get_client().get_campaign(...))` runs the call where its client lives and keeps its pooled
connections and token from one call to the next."""

from __future__ import annotations

import asyncio
import os
import threading
import weakref
from collections.abc import Callable

from campaigns.cxone import configured
from campaigns.cxone.backend import CXoneBackend
from campaigns.cxone.capabilities import Capabilities
from campaigns.cxone.configured import (
    BACKEND_SETTING,
    MISSING_CREDENTIALS,
    UNKNOWN_API,
    SettingsProblem,
    settings_problems,
)
from campaigns.cxone.runtime import bridge_loop, run_sync

__all__ = [
    "BACKEND_SETTING",
    "MISSING_CREDENTIALS",
    "UNKNOWN_API",
    "SettingsProblem",
    "bridge_loop",
    "capabilities",
    "get_client",
    "run_sync",
    "set_client_factory",
    "settings_problems",
]

_factory: Callable[[], CXoneBackend] = configured.build_client
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CXoneBackend] = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


def capabilities() -> Capabilities:
    """What the configured backend can do (CXONE_API)."""
    return configured.configured_capabilities()


def get_client() -> CXoneBackend:
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


def set_client_factory(factory: Callable[[], CXoneBackend] | None) -> None:
    """Make get_client() build its clients with `factory` (None: back to the settings). Clients built so far
    are dropped; the bridge loop's one is closed."""
    global _factory
    with _clients_lock:
        _factory = factory or configured.build_client
        old = dict(_clients)
        _clients.clear()
    for loop, client in old.items():
        if loop.is_running() and not loop.is_closed() and loop is bridge_loop():
            asyncio.run_coroutine_threadsafe(client.aclose(), loop).result(timeout=5)


def _forget_clients_after_fork() -> None:
    # The child has the parent's clients but not their loops' threads, and must never use their sockets.
    global _clients_lock
    _clients_lock = threading.Lock()
    _clients.clear()


os.register_at_fork(after_in_child=_forget_clients_after_fork)
