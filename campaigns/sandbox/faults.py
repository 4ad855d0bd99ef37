"""Faults on the wire (added latency, 5xx, dropped connections) and the request stats, as an ASGI wrapper.

A dropped connection starts a response and breaks off mid-body: over a socket uvicorn closes the connection
and the client sees an incomplete message; in process (httpx.ASGITransport) the same exception, an httpx
RemoteProtocolError, reaches the client directly. Either way the client's transport-error path runs."""

from __future__ import annotations

import asyncio
import logging

import httpx
from starlette.routing import Match

from campaigns.sandbox.state import SandboxState


class SimulatedDrop(httpx.RemoteProtocolError):
    """The sandbox broke off a response on purpose (drop_rate knob)."""


class IgnoreSimulatedDrops(logging.Filter):
    """Keeps uvicorn's error log free of the tracebacks of drops the sandbox made on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedDrop))


class FaultsAndStats:
    def __init__(self, app, state: SandboxState, routes):
        self.app = app
        self.state = state
        self.routes = routes

    def route_name(self, scope) -> str:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return f"{scope['method']} {route.path}"
        return "unmatched"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, state, config = scope["path"], self.state, self.state.config
        route = self.route_name(scope)
        state.stats.received[route] += 1
        statuses: list[int] = []

        async def send_and_note(message):
            if message["type"] == "http.response.start" and not statuses:
                statuses.append(message["status"])
                # Counted before the answer leaves: a client that has its answer finds it counted.
                state.stats.record_request(route, message["status"])
            await send(message)

        if path.startswith(("/api/", "/oauth2/", "/inContactAPI/", "/auth/")):
            low, high = config.latency_ms
            if high > 0:
                with state.lock:
                    latency = state.rng.uniform(low, high) / 1000
                await asyncio.sleep(latency)
        if path.startswith(("/api/", "/inContactAPI/")):
            with state.lock:
                drop, fail = state.roll(config.drop_rate), state.roll(config.server_error_rate)
                fail = fail or path in config.failing_paths
            if drop:
                state.stats.record_request(route, "dropped")
                await drop_connection(send)
            if fail:
                state.stats.record_request(route, 503)
                await _server_error(send)
                return
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            if not statuses:
                state.stats.record_request(route, "no-response")


async def drop_connection(send) -> None:
    """Start a 200 answer, then break it off mid-body (SimulatedDrop): the client sees a dropped connection."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"128")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"id": "', "more_body": True})
    raise SimulatedDrop("the sandbox dropped the connection (drop_rate knob)")


async def _server_error(send) -> None:
    body = b'{"code": "server.unavailable", "message": "Simulated server error (server_error_rate knob)"}'
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
