"""Serve the sandbox over a real socket: `SandboxServer` runs uvicorn in a thread (tests, benchmarks),
`serve()` runs it in the foreground (the cxone_sandbox management command)."""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn

from campaigns.sandbox.app import SandboxApp, create_app
from campaigns.sandbox.config import SandboxConfig
from campaigns.sandbox.faults import IgnoreSimulatedDrops


def _quiet_simulated_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, IgnoreSimulatedDrops) for f in logger.filters):
        logger.addFilter(IgnoreSimulatedDrops())


def serve(app: SandboxApp, host: str = "127.0.0.1", port: int = 8700, log_level: str = "info") -> None:
    _quiet_simulated_drops()
    uvicorn.run(app, host=host, port=port, log_level=log_level, lifespan="off", access_log=False)


class SandboxServer:
    """The sandbox on 127.0.0.1 and a free port, in a background thread:

    with SandboxServer(SandboxConfig(rate_limit=1000, burst=1000)) as server:
        client = CXoneClient(server.url, "demo", "demo-secret")
    """

    def __init__(
        self, config: SandboxConfig | None = None, *, app: SandboxApp | None = None, host="127.0.0.1"
    ):
        self.app = app or create_app(config)
        self.host = host
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
        # without it every response (headers and body written apart) waits ~40 ms for a delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self._server = uvicorn.Server(
            uvicorn.Config(self.app, log_level="warning", lifespan="off", access_log=False)
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def state(self):
        return self.app.state

    def start(self, timeout: float = 10.0) -> SandboxServer:
        _quiet_simulated_drops()
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="cxone-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the CXone sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._socket.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
