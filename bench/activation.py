"""Benchmark: N drafts approved at once go live in CXone through real qcluster workers, versus the seed's way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/planner_i10 REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/activation.py [--approvals 200] [--rate 5] [--burst 20] [--delay 1-5] \\
        [--qclusters 2] [--faults]

A throwaway database is made next to the one DATABASE_URL names (`<name>_bench_activation`, or a temporary
SQLite file without DATABASE_URL) and dropped at the end; REDIS_URL, when set, makes the workers use Redis. The
CXone sandbox runs in a child process on a free loopback port: its tenant is mirrored by the real sync, planners'
drafts are submitted through the services, then all N are approved at once through workflow.approve (which
queues each activation and rings its push) while the qclusters (Q_WORKERS workers each) push and poll against
the sandbox at --rate requests/s, burst --burst, activation delay --delay. What happened on the wire comes from
the sandbox's stats.

The seed's way, in the same run (without --faults): per campaign, a PUT, then GET until ACTIVE with a delay of
2·2^i·U(0.5, 1.5) s capped at 30 s, a new HTTP client (so a new token) per call, all campaigns at once.

--deployment: run against a deployment that is already running (the scale-out topology of scripts/scale, as
.ci/run does): the sandbox at CXONE_BASE_URL (driven through its /_sandbox/ control endpoints), the database
DATABASE_URL names and the broker at REDIS_URL, whose own qcluster workers push and poll (SECRET_KEY must be the
deployment's: django-q2 signs tasks with it, and workers drop what they cannot verify). Nothing is started,
created or dropped; the deployment's sandbox needs twice --approvals campaigns (SANDBOX_CAMPAIGNS).

--faults: 10 % 5xx, 5 % dropped connections, 429s without Retry-After, a 30 s token lifetime, and one qcluster
killed with SIGKILL once a third of the activations finished, then started again (the seed is not run).

stdout gets ONE JSON line: {approvals, all_terminal, lost, duplicate_puts, total_s, bound_s, lag_p50_s,
lag_p95_s, requests, r429, seed_total_s, seed_lag_p50_s, seed_lag_p95_s, seed_requests, seed_r429, faults},
lag = observed ACTIVE − CXone's activatedAt (the sandbox's), bound_s = (approvals − burst) / rate + the longest
activation delay. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APPROVERS = 8  # threads approving at once (each commit waits on the database's disk, not on the CPU)
FAULTS = {
    "server_error_rate": 0.10,
    "drop_rate": 0.05,
    "omit_retry_after": True,
    "token_lifetime": 30,
}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# ---- the sandbox, in a child process ----------------------------------------------------------------------


def serve_sandbox(campaigns: int, ports, stop) -> None:
    from campaigns.sandbox import SandboxConfig, SandboxServer

    config = SandboxConfig(campaigns=campaigns, rate_limit=1e6, burst=10**6)
    with SandboxServer(config) as server:
        ports.put(server.port)
        stop.wait(3600)


class Sandbox:
    def __init__(self, campaigns: int, url: str | None = None):
        self.url = url
        self.process = None  # a running sandbox's url (--deployment): nothing to start or stop
        if url:
            return
        context = multiprocessing.get_context("spawn")
        self.ports, self.stop_event = context.Queue(), context.Event()
        self.process = context.Process(
            target=serve_sandbox, args=(campaigns, self.ports, self.stop_event), daemon=True
        )

    def start(self) -> Sandbox:
        import httpx

        if self.process is not None:
            self.process.start()
            self.url = f"http://127.0.0.1:{self.ports.get(timeout=60)}"
        self.http = httpx.Client(base_url=self.url, timeout=30)
        return self

    def configure(self, **knobs) -> None:
        response = self.http.patch("/_sandbox/config", json=knobs)
        response.raise_for_status()

    def reset_stats(self) -> None:
        self.http.post("/_sandbox/stats/reset").raise_for_status()

    def stats(self) -> dict:
        return self.http.get("/_sandbox/stats").json()

    def stop(self) -> None:
        if self.process is None:
            return
        self.stop_event.set()
        self.process.join(15)
        if self.process.is_alive():
            self.process.terminate()


def wire(stats: dict) -> tuple[int, int]:
    """(requests, 429s) to CXone: not the WFM stand-in's webhooks or the sandbox's own control routes."""
    cxone = {
        route: counts
        for route, counts in stats["requests"].items()
        if "/_sandbox/" not in route and "/wfm/" not in route
    }
    requests = sum(sum(counts.values()) for counts in cxone.values())
    r429 = sum(counts.get("429", 0) for counts in cxone.values())
    return requests, r429


# ---- the product side -------------------------------------------------------------------------------------


def setup_django(tmpdir: str, *, throwaway_database: bool = True) -> str | None:
    """Django on a throwaway database (its name, to drop it at the end), or on DATABASE_URL's (None)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings_test")
    import django

    django.setup()
    logging.getLogger("campaigns").setLevel(logging.WARNING)
    logging.getLogger("django-q").setLevel(logging.WARNING)
    if not throwaway_database:
        return None
    from django.db import connection
    from django.test.utils import setup_test_environment

    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tmpdir) / "bench-activation.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_activation"
    setup_test_environment(debug=False)
    return connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)


def prepare(sandbox: Sandbox, approvals: int, *, deployment: bool = False) -> list:
    """Mirror the tenant, then one submitted draft per campaign that can take the proposed schedule."""
    from django.contrib.auth.models import Group, User

    from campaigns import roles
    from campaigns.cxone.factory import set_client_factory
    from campaigns.cxone.ratelimit import rate_limit_from_settings
    from campaigns.cxone.v2 import CXoneClient
    from campaigns.models import Campaign
    from campaigns.services.drafts import workflow
    from campaigns.services.drafts.checks import draft_checks
    from campaigns.services.sync.mirror import sync_campaigns

    # A deployment's sandbox limits the tenant, whose rate its workers share: take turns with them as the
    # product's own processes do. (Our own sandbox is unlimited until the run starts.)
    shared = rate_limit_from_settings(sandbox.url, "demo") if deployment else None
    set_client_factory(lambda: CXoneClient(sandbox.url, "demo", "demo-secret", rate_limit=shared))
    result = sync_campaigns()
    say(f"mirrored: {result.summary()}")
    planner, _ = User.objects.get_or_create(username="bench_planner")  # a deployment may have them already
    planner.groups.add(Group.objects.get(name=roles.PLANNER))
    supervisor, _ = User.objects.get_or_create(username="bench_supervisor")
    supervisor.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    # A retry policy within the strictest frequency limit (Florida: 3 calls in 24 hours): since findings that
    # block do block, a sandbox campaign's own 4 or 5 attempts would keep its draft from being approved.
    proposed = {"cron_expression": "0 12 * * 1-5", "duration_minutes": 180, "retry_max_attempts": 3}
    drafts = []
    for campaign in Campaign.objects.order_by("cxone_id"):
        values = {**workflow.campaign_schedule(campaign), **proposed}
        report = draft_checks.evaluate_values(campaign, values, conflicts=False)
        if report.blocking:
            continue
        try:
            draft = workflow.start_draft(campaign, planner, **proposed)
            draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
        except workflow.WorkflowError:
            continue
        drafts.append(draft)
        if len(drafts) == approvals:
            break
    if len(drafts) < approvals:
        raise SystemExit(f"only {len(drafts)} campaigns can take the proposed schedule")
    say(f"{len(drafts)} drafts submitted")
    return supervisor, drafts


def approve(workflow, draft, supervisor) -> None:
    from django.db import connection

    try:
        workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    finally:
        connection.close()


def sweeper_schedule() -> None:
    """Only the activation sweeper (a sync every 5 minutes would add its own requests to the run)."""
    from django_q.models import Schedule

    from campaigns.periodic_tasks import SWEEP_SCHEDULE_NAME, WANTED

    wanted = next(w for w in WANTED if w.name == SWEEP_SCHEDULE_NAME)
    Schedule.objects.create(
        name=wanted.name, func=wanted.func, schedule_type=Schedule.MINUTES, minutes=wanted.minutes, repeats=-1
    )


def run_ours(args, sandbox: Sandbox, tmpdir: str) -> dict:
    from django.db.models import Max

    from campaigns.models import Activation
    from campaigns.services.drafts import workflow
    from tests.qcluster_support import QCluster

    supervisor, drafts = prepare(sandbox, args.approvals, deployment=args.deployment)
    if not args.deployment:  # a deployment has its schedules (setup_schedules)
        sweeper_schedule()
    low, high = (float(x) for x in args.delay.split("-")) if "-" in args.delay else (float(args.delay),) * 2
    knobs = {"rate_limit": args.rate, "burst": args.burst, "activation_delay": [low, high]}
    if args.faults:
        knobs.update(FAULTS)
    sandbox.configure(**knobs)
    from django.conf import settings

    # The product's settings (the test helper's defaults are tuned for tests).
    env = {
        "LOG_LEVEL": "WARNING",
        "ACTIVATION_POLL_MS": settings.ACTIVATION_POLL_MS,
        "ACTIVATION_POLL_SHARE": settings.ACTIVATION_POLL_SHARE,
        # Our bucket is configured with CXone's limit, as a deployment's would be.
        "CXONE_RATE_LIMIT": args.rate,
        "CXONE_BURST": args.burst,
        "ACTIVATION_POLLER_SECONDS": settings.ACTIVATION_POLLER_SECONDS,
        "Q_WORKERS": settings.Q_CLUSTER["workers"],
    }
    clusters = [
        QCluster(sandbox.url, Path(tmpdir) / f"qcluster-{i}.log", **env).start()
        for i in range(0 if args.deployment else args.qclusters)  # a deployment's own workers do the work
    ]
    try:
        if clusters:
            time.sleep(5)  # the clusters start their workers
        sandbox.reset_stats()
        workers = "the deployment's workers" if args.deployment else f"{args.qclusters} qclusters"
        say(f"approving {len(drafts)} drafts at once; {workers} push and poll")
        started = time.time()
        with ThreadPoolExecutor(APPROVERS) as pool:  # supervisors approving side by side
            list(pool.map(lambda draft: approve(workflow, draft, supervisor), drafts))
        say(f"approved in {time.time() - started:.1f} s")
        ids = [d.pk for d in drafts]
        killed = False
        deadline = time.monotonic() + max(300.0, 8 * bound(args))
        unfinished = Activation.objects.filter(draft_id__in=ids).exclude(step__in=Activation.FINISHED_STEPS)
        while time.monotonic() < deadline:
            left = unfinished.count() + len(ids) - Activation.objects.filter(draft_id__in=ids).count()
            if args.faults and not killed and left <= 2 * len(ids) / 3:
                say(f"SIGKILL to qcluster {clusters[0].pid}, {left} activations unfinished; starting another")
                clusters[0].kill()
                clusters.append(QCluster(sandbox.url, Path(tmpdir) / "qcluster-again.log", **env).start())
                killed = True
            if left == 0:
                break
            time.sleep(0.25)
    finally:
        for cluster in clusters:
            cluster.stop()
    stats = sandbox.stats()
    requests, r429 = wire(stats)
    activations = list(Activation.objects.filter(draft_id__in=ids).select_related("campaign"))
    finished = [a for a in activations if a.is_finished]
    ended = Activation.objects.filter(draft_id__in=ids).aggregate(last=Max("updated_at"))["last"]
    lags = []
    for a in finished:
        became = stats["becameActive"].get(a.campaign.cxone_id)
        if a.step == Activation.Step.ACTIVE and became:
            active_at = dt.datetime.fromisoformat(became.replace("Z", "+00:00"))
            lags.append((a.observed_active_at - active_at).total_seconds())
    from django_q.models import Failure

    outcomes = {step: sum(1 for a in activations if a.step == step) for step in Activation.Step.values}
    say(f"outcomes: {outcomes}; puts per campaign max {max(stats['putsPerCampaign'].values(), default=0)}")
    for failure in Failure.objects.all()[:5]:  # tasks that raised (the rows were put back; said for honesty)
        say(f"task failed: {failure.func}{failure.args}: {str(failure.result)[:200]}")
    return {
        "approvals": len(ids),
        "all_terminal": len(finished) == len(ids),
        "lost": len(ids) - len(finished),
        "duplicate_puts": sum(max(0, n - 1) for n in stats["putsPerCampaign"].values()),
        "total_s": round(ended.timestamp() - started, 1) if ended else None,
        "bound_s": round(bound(args), 1),
        "lag_p50_s": round(statistics.median(lags), 2) if lags else None,
        "lag_p95_s": round(percentile(lags, 0.95), 2) if lags else None,
        "requests": requests,
        "r429": r429,
    }


def bound(args) -> float:
    high = float(args.delay.split("-")[-1])
    return (args.approvals - args.burst) / args.rate + high


# ---- the seed's way ---------------------------------------------------------------------------------------


async def seed_way(url: str, targets: list[tuple[str, object]]) -> tuple[float, list[float]]:
    """Per campaign: PUT, then GET until ACTIVE with 2·2^i·U(0.5, 1.5) s between reads (≤ 30 s), each call on
    a new client. Returns (seconds until the last one ended, lags observed − activatedAt)."""
    from campaigns.cxone.errors import CXoneError
    from campaigns.cxone.v2 import CXoneClient

    started = time.time()
    lags: list[float] = []

    async def call(method, *args, **kwargs):
        async with CXoneClient(url, "demo", "demo-secret") as client:
            return await getattr(client, method)(*args, **kwargs)

    async def one(payload):
        for _ in range(5):
            try:
                await call("put_campaign_once", payload, base_version=payload.version)
                break
            except CXoneError:
                await asyncio.sleep(2)
        else:
            return
        attempt = 0
        while time.time() - started < 1800:
            await asyncio.sleep(min(30.0, 2 * 2**attempt * random.uniform(0.5, 1.5)))
            attempt += 1
            try:
                remote = await call("get_campaign", payload.id)
            except CXoneError:
                continue
            if remote.state in ("ACTIVE", "ERROR", "FAILED"):
                if remote.state == "ACTIVE" and remote.activated_at:
                    lags.append(time.time() - remote.activated_at.timestamp())
                return

    await asyncio.gather(*(one(payload) for _, payload in targets))
    return time.time() - started, lags


def run_seed(sandbox: Sandbox, count: int) -> dict:
    from campaigns.cxone import schemas
    from campaigns.models import Campaign

    targets = []
    for campaign in Campaign.objects.filter(activations__isnull=False).distinct().order_by("cxone_id")[:count]:
        remote = schemas.Campaign.model_validate(campaign.raw_payload)
        schedule = remote.schedule.model_copy(update={"duration_minutes": 120})
        targets.append((campaign.cxone_id, remote.with_schedule(schedule)))
    sandbox.reset_stats()
    say(f"the seed's way: {len(targets)} campaigns, a new client per call")
    total, lags = asyncio.run(seed_way(sandbox.url, targets))
    requests, r429 = wire(sandbox.stats())
    return {
        "seed_total_s": round(total, 1),
        "seed_lag_p50_s": round(statistics.median(lags), 2) if lags else None,
        "seed_lag_p95_s": round(percentile(lags, 0.95), 2) if lags else None,
        "seed_requests": requests,
        "seed_r429": r429,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="sandbox requests per second")
    parser.add_argument("--burst", type=int, default=20, help="sandbox token bucket size")
    parser.add_argument("--delay", default="1-5", help="activation delay in seconds: 3 or 1-5")
    parser.add_argument("--qclusters", type=int, default=2)
    parser.add_argument("--faults", action="store_true", help="5xx, drops, no Retry-After, a SIGKILL")
    parser.add_argument("--no-seed", action="store_true", help="skip the seed's way")
    parser.add_argument(
        "--deployment", action="store_true", help="against the running deployment at CXONE_BASE_URL/DATABASE_URL"
    )
    args = parser.parse_args()
    if args.deployment and args.faults:
        parser.error("--faults kills and restarts qclusters of its own: not with --deployment")
    if args.deployment and not os.environ.get("CXONE_BASE_URL"):
        parser.error("--deployment: set CXONE_BASE_URL to the deployment's sandbox")

    tmpdir = tempfile.mkdtemp(prefix="bench-activation-")
    sandbox = Sandbox(args.approvals * 2, url=os.environ["CXONE_BASE_URL"] if args.deployment else None).start()
    old_name = None
    try:
        old_name = setup_django(tmpdir, throwaway_database=not args.deployment)
        line = run_ours(args, sandbox, tmpdir)
        # Not on a deployment: the seed's PUTs would change its campaigns behind its mirror.
        if not (args.faults or args.no_seed or args.deployment):
            sandbox.configure(**{name: 0 for name in ("server_error_rate", "drop_rate")})
            line.update(run_seed(sandbox, args.approvals))
        line["faults"] = args.faults
    finally:
        sandbox.stop()
        if old_name is not None:
            from django.db import connection
            from django.test.utils import teardown_test_environment

            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        shutil.rmtree(tmpdir, ignore_errors=True)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
