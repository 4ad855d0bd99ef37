"""GET-campaign throughput over a real socket: the shared client versus a new client per request.

Starts the CXone sandbox in a child process on a free loopback port (rate limit far above what the benchmark
can reach), runs a bounded number of sequential GETs each way, stops the sandbox, and prints ONE JSON line.
A new client per request is what a naive script does: new connection, new token, one GET, close.

    .venv/bin/python bench/client.py [--shared 600] [--naive 200] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaigns.cxone.v2 import CXoneClient  # noqa: E402
from campaigns.sandbox import SandboxConfig, SandboxServer  # noqa: E402

CAMPAIGNS = 40


def serve_sandbox(ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    config = SandboxConfig(campaigns=CAMPAIGNS, rate_limit=1e9, burst=10**9)
    with SandboxServer(config) as server:
        ports.put(server.port)
        stop.wait(120)  # never outlive the benchmark by much, whatever happens to the parent


async def shared_client(url: str, count: int, seconds: float) -> tuple[int, float, int]:
    async with CXoneClient(url, "demo", "demo-secret") as cxone:
        await cxone.get_campaign("C-1001")  # warm up: token and connection, as in a long-lived process
        started = time.perf_counter()
        done = 0
        while done < count and time.perf_counter() - started < seconds:
            await cxone.get_campaign(f"C-{1001 + done % CAMPAIGNS}")
            done += 1
        return done, time.perf_counter() - started, cxone.transport.token_requests


async def new_client_per_request(url: str, count: int, seconds: float) -> tuple[int, float, int]:
    started = time.perf_counter()
    done = tokens = 0
    while done < count and time.perf_counter() - started < seconds:
        async with CXoneClient(url, "demo", "demo-secret") as cxone:
            await cxone.get_campaign(f"C-{1001 + done % CAMPAIGNS}")
            tokens += cxone.transport.token_requests
        done += 1
    return done, time.perf_counter() - started, tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=int, default=600, help="GETs with the shared client (at most)")
    parser.add_argument("--naive", type=int, default=200, help="GETs with a new client each (at most)")
    parser.add_argument("--seconds", type=float, default=5.0, help="time limit of each half")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    sandbox = context.Process(target=serve_sandbox, args=(ports, stop), daemon=True)
    sandbox.start()
    try:
        url = f"http://127.0.0.1:{ports.get(timeout=30)}"
        shared_n, shared_s, shared_tokens = asyncio.run(shared_client(url, args.shared, args.seconds))
        naive_n, naive_s, naive_tokens = asyncio.run(new_client_per_request(url, args.naive, args.seconds))
    finally:
        stop.set()
        sandbox.join(15)
        if sandbox.is_alive():
            sandbox.terminate()
    shared_rps, naive_rps = shared_n / shared_s, naive_n / naive_s
    print(
        json.dumps(
            {
                "benchmark": "cxone_get_campaign_over_loopback_socket",
                "shared_client_rps": round(shared_rps, 1),
                "new_client_per_request_rps": round(naive_rps, 1),
                "ratio": round(shared_rps / naive_rps, 2),
                "shared_requests": shared_n,
                "new_client_requests": naive_n,
                "token_requests_shared": shared_tokens,
                "token_requests_new_client": naive_tokens,
            }
        )
    )


if __name__ == "__main__":
    main()
