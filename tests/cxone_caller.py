"""A second process for tests/test_cxone_ratelimit.py: N concurrent CXone calls through the product's shared
client (get_client), configured from the environment like any web or worker process. Prints one JSON line.

    DJANGO_SETTINGS_MODULE=planner.settings_test DATABASE_URL=… CXONE_BASE_URL=… \\
        python -m tests.cxone_caller --calls 15 --start-at EPOCH [--own-bucket]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, required=True)
    parser.add_argument("--start-at", type=float, required=True, help="epoch seconds: start with the others")
    parser.add_argument("--own-bucket", action="store_true", help="a bucket of this process's own instead")
    args = parser.parse_args()

    import django

    django.setup()
    from campaigns.cxone import configured, ratelimit
    from campaigns.cxone.factory import get_client, run_sync, set_client_factory

    if args.own_bucket:  # what each process did before the bucket was shared: assume CXone's whole limit

        def own_bucket_client():
            client = configured.build_client()
            shared = client.transport.rate_limit
            client.transport.rate_limit = ratelimit.SharedRateLimit(
                ratelimit.MemoryStore(), shared.name, shared.rate, shared.burst
            )
            return client

        set_client_factory(own_bucket_client)

    async def calls() -> int:
        client = get_client()
        done = await asyncio.gather(*(client.get_campaign(f"C-{1001 + n % 40}") for n in range(args.calls)))
        return len(done)

    time.sleep(max(0.0, args.start_at - time.time()))
    done = run_sync(calls())
    print(json.dumps({"done": done, "fallbacks": run_sync(_fallbacks())}))


async def _fallbacks() -> int:
    from campaigns.cxone.factory import get_client

    return get_client().transport.rate_limit.fallbacks


if __name__ == "__main__":
    main()
