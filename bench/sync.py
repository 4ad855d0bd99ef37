"""Campaign sync of a large tenant through the shared rate limit, alone and under faults.

Starts the CXone sandbox in a child process on a free loopback port with CXone's limit (--rate, --burst) and
--campaigns campaigns, points the product at it with the same limit (CXONE_RATE_LIMIT, CXONE_BURST; the
shared bucket in a fresh SQLite database, as on the embedded default), and runs the product's sync twice
against an empty mirror: alone, then with 10 % of the API calls answered 503 and 5 % dropped mid-answer.
Prints ONE JSON line per run:

    {"faults": false, "campaigns": 2000, "requests": …, "r429": …, "sync_s": …, "bound_s": …,
     "ratio_to_bound": …, "lost": …}

requests: the requests the sync needed (every request CXone answered other than 429, token requests, 5xx and
dropped ones included); r429: the 429s; bound_s = requests / rate, the least time CXone's limit allows (less
the burst); lost: the tenant's campaigns not mirrored as CXone has them after the run.

With --api admin the sandbox is a real tenant's Admin API and the runs are a full sync and then a delta sync
after 20 skills changed (bench/sync_admin.py says what each line holds).

    .venv/bin/python bench/sync.py [--api admin] [--campaigns 2000] [--rate 5] [--burst 20]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sync_admin  # noqa: E402  (bench/ is on the path as the script's own folder)

FAULTS = {"server_error_rate": 0.10, "drop_rate": 0.05}
NO_FAULTS = {"server_error_rate": 0.0, "drop_rate": 0.0}


def serve_sandbox(campaigns: int, rate: float, burst: int, ports, stop, api: str = "outbound-v2") -> None:
    from campaigns.sandbox import SandboxConfig, SandboxServer

    config = SandboxConfig(campaigns=campaigns, seed=1, rate_limit=rate, burst=burst, api=api)
    with SandboxServer(config) as server:
        ports.put(server.port)
        stop.wait(3600)  # never outlive the benchmark by much, whatever happens to the parent


def configure_django(url: str, rate: float, burst: int, db_path: Path, api: str = "outbound-v2") -> None:
    if api == "admin":
        os.environ.update(sync_admin.django_environment(url))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="planner.settings",
        SECRET_KEY="bench-only-secret-key",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{db_path}",
        CXONE_BASE_URL=url,
        CXONE_CLIENT_ID="demo",
        CXONE_CLIENT_SECRET="demo-secret",
        CXONE_RATE_LIMIT=str(rate),
        CXONE_BURST=str(burst),
        LOG_LEVEL="ERROR",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def empty_the_mirror() -> None:
    from campaigns.models import AuditEntry, Campaign, CapacityPool, ScheduleDraft, SyncStatus

    for model in (AuditEntry, ScheduleDraft, Campaign, CapacityPool, SyncStatus):
        model.objects.all().delete()


def lost_campaigns(campaigns: int) -> int:
    """The tenant's campaigns (rebuilt from the sandbox's seed) not mirrored at their version with their
    contact list, plus campaigns wrongly marked missing."""
    from campaigns.models import Campaign
    from campaigns.sandbox.cxone.seed import build, default_epoch

    tenant = build(1, campaigns, default_epoch(time.time()))
    mirrored = {
        cxone_id: (version, size, missing)
        for cxone_id, version, size, missing in Campaign.objects.values_list(
            "cxone_id", "remote_version", "contact_list_size", "missing_since"
        )
    }
    lost = 0
    for campaign_id, remote in tenant.campaigns.items():
        size = tenant.contact_lists[remote["contactList"]["id"]]["size"]
        if mirrored.get(campaign_id) != (remote["version"], size, None):
            lost += 1
    return lost


def run(admin: httpx.Client, campaigns: int, rate: float, faults: bool) -> dict:
    from campaigns.services.sync.mirror import sync_campaigns

    empty_the_mirror()
    admin.patch("/_sandbox/config", json=FAULTS if faults else NO_FAULTS).raise_for_status()
    admin.post("/_sandbox/stats/reset").raise_for_status()
    started = time.perf_counter()
    sync_campaigns()
    sync_s = time.perf_counter() - started
    admin.patch("/_sandbox/config", json=NO_FAULTS).raise_for_status()
    stats = admin.get("/_sandbox/stats").json()["requests"]
    api = {
        route: counts
        for route, counts in stats.items()
        if route.split(" ")[-1].startswith(("/api/", "/oauth2/"))
    }
    r429 = sum(counts.get("429", 0) for counts in api.values())
    requests = sum(sum(counts.values()) for counts in api.values()) - r429
    bound_s = requests / rate
    return {
        "faults": faults,
        "campaigns": campaigns,
        "requests": requests,
        "r429": r429,
        "sync_s": round(sync_s, 1),
        "bound_s": round(bound_s, 1),
        "ratio_to_bound": round(sync_s / bound_s, 3),
        "lost": lost_campaigns(campaigns),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5.0, help="CXone's limit, requests per second")
    parser.add_argument("--burst", type=int, default=20, help="CXone's bucket size")
    parser.add_argument("--api", default="outbound-v2", choices=["outbound-v2", "admin"], help="CXone's API")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    sandbox = context.Process(
        target=serve_sandbox, args=(args.campaigns, args.rate, args.burst, ports, stop, args.api), daemon=True
    )
    sandbox.start()
    try:
        url = f"http://127.0.0.1:{ports.get(timeout=60)}"
        with tempfile.TemporaryDirectory() as tmp:
            configure_django(url, args.rate, args.burst, Path(tmp) / "bench.sqlite3", args.api)
            with httpx.Client(base_url=url, timeout=30) as control:
                if args.api == "admin":
                    for found in sync_admin.run(control, args.campaigns, args.rate):
                        print(json.dumps(found), flush=True)
                else:
                    for faults in (False, True):
                        print(json.dumps(run(control, args.campaigns, args.rate, faults)), flush=True)
            from campaigns.metrics import counters

            counters.flush()  # now, while the benchmark's database is still there (not at exit)
    finally:
        stop.set()
        sandbox.join(15)
        if sandbox.is_alive():
            sandbox.terminate()


if __name__ == "__main__":
    main()
