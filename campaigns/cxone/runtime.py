"""The bridge from synchronous Django code (views, commands, django-q2 tasks) to the async CXone client.

`run_sync(coro)` runs a coroutine on one long-lived event loop per process, in a daemon thread. Because that
loop lives as long as the process, the shared httpx.AsyncClient bound to it keeps its pooled connections and
cached token from one sync call to the next (asgiref's async_to_sync would start a fresh loop per call and
throw both away). A forked worker (django-q2) starts its own loop on first use: loops and sockets do not
survive a fork."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None


def bridge_loop() -> asyncio.AbstractEventLoop:
    """The process's bridge loop, started on first use."""
    global _loop, _thread
    with _lock:
        if _loop is None or _loop.is_closed() or _thread is None or not _thread.is_alive():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def run() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            thread = threading.Thread(target=run, name="cxone-bridge-loop", daemon=True)
            thread.start()
            ready.wait()
            _loop, _thread = loop, thread
        return _loop


def run_sync(awaitable: Awaitable[T], timeout: float | None = None) -> T:
    """Run `awaitable` on the bridge loop and return its result (or raise its exception) in the calling
    thread.

    Not for async code: there, await the coroutine. `timeout` (seconds) cancels it if it runs longer; the
    client's own timeouts and retry bounds already keep every call finite."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        if getattr(awaitable, "close", None):
            awaitable.close()
        raise RuntimeError("run_sync() called from async code: await the coroutine instead")
    future = asyncio.run_coroutine_threadsafe(_as_coroutine(awaitable), bridge_loop())
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _forget_after_fork() -> None:
    # The child has the parent's loop object but not its thread: start afresh, never touch the parent's
    # sockets.
    global _lock, _loop, _thread
    _lock = threading.Lock()
    _loop = None
    _thread = None


os.register_at_fork(after_in_child=_forget_after_fork)
