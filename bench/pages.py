"""Benchmark: the pages of a large contact centre, over HTTP through gunicorn, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/planner_bench_pages \\
        .venv/bin/python bench/pages.py [--campaigns 10000] [--activations 100000] [--deliveries 200000] \\
        [--requests 20] [--workers 2] [--keep]

Creates the database DATABASE_URL names (it must not exist; dropped at the end unless --keep), migrates it and
seeds it: --campaigns campaigns in 20 pools with the schedules of bench/conflicts.py (zones, crons, durations,
shared contact lists), one open draft per ten campaigns (a tenth of them submitted, the approval queue), a
finished draft and activation for each of --activations (over the last 90 days: mostly active, some failed or
stale, retries), --deliveries WFM webhook deliveries and an audit trail. Then gunicorn (--workers processes,
planner.wsgi) serves it on a free loopback port and a signed-in supervisor-planner asks each page --requests
times, one after the other, after one warm-up request each (a process's first request builds its caches).

Prints ONE JSON line: {"<page>_p50_ms", "<page>_p95_ms" for campaigns, campaign, editor, queue, activations,
webhooks, audit, timeline, capacity and dashboards; "campaigns", "activations", "deliveries", "requests"}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conflicts import build  # noqa: E402

BATCH = 5000


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def admin_connection(url: str):
    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username, password=parsed.password,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


def create_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with admin_connection(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    with admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(args) -> dict:
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from campaigns import roles
    from campaigns.models import (
        Activation,
        AuditEntry,
        Campaign,
        CapacityPool,
        DraftStatus,
        ScheduleDraft,
        WebhookDelivery,
    )

    rng = random.Random(24)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now.replace(hour=0, minute=0, second=0)
    pools, loads = build(args.campaigns, start, 90, 20260302)
    pool_rows = {
        key: CapacityPool.objects.create(cxone_skill_id=key, name=f"Skill {key}", agents=agents)
        for key, agents in pools.items()
    }
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                cxone_id=load.id,
                name=f"Campaign {load.id}",
                state=Campaign.State.ACTIVE,
                remote_version=3,
                pool=pool_rows[load.pool],
                agents_required=load.agents,
                contact_list_id=load.contact_list or "",
                contact_list_name=load.contact_list or "",
                timezone=load.timezone,
                cron_expression=load.cron_expression,
                duration_minutes=load.duration_minutes,
                effective_start=load.effective_start,
                effective_end=load.effective_end,
                synced_at=now,
            )
            for load in loads
        ],
        batch_size=BATCH,
    )
    say(f"{len(campaigns)} campaigns in {len(pools)} pools")
    user = User.objects.create_user("bench_supervisor", password="bench-only")
    author = User.objects.create_user("bench_author", password="bench-only")
    for group in (roles.PLANNER, roles.SUPERVISOR, roles.MANAGER):
        user.groups.add(Group.objects.get(name=group))
    author.groups.add(Group.objects.get(name=roles.PLANNER))

    def draft(campaign, **fields) -> ScheduleDraft:
        return ScheduleDraft(
            campaign=campaign,
            timezone=campaign.timezone,
            cron_expression=campaign.cron_expression,
            duration_minutes=campaign.duration_minutes,
            effective_start=start,
            effective_end=start + dt.timedelta(days=90),
            agents_required=campaign.agents_required,
            base_version=3,
            **fields,
        )

    # Open drafts spread over 50 planners (the measuring user among them): no one has hundreds in hand. Counted
    # from 1, so the measuring user (planners[0]) holds drafts that are not submitted: n % 50 == 0 would give
    # them only every tenth draft, all submitted by bench_author, and leave the editor page nothing to open.
    planners = [user] + [
        User.objects.create_user(f"bench_planner_{n}", password="bench-only") for n in range(49)
    ]
    for planner in planners[1:]:
        planner.groups.add(Group.objects.get(name=roles.PLANNER))
    open_drafts = []
    for n, campaign in enumerate(campaigns[::10]):
        submitted = n % 10 == 0
        open_drafts.append(
            draft(
                campaign,
                author=author if submitted else planners[(n + 1) % len(planners)],
                status=DraftStatus.SUBMITTED if submitted else DraftStatus.DRAFT,
                submitted_at=now - dt.timedelta(minutes=n) if submitted else None,
            )
        )
    open_drafts = ScheduleDraft.objects.bulk_create(open_drafts, batch_size=BATCH)
    say(
        f"{len(open_drafts)} open drafts ({sum(d.status == DraftStatus.SUBMITTED for d in open_drafts)} submitted)"
    )

    made = 0
    while made < args.activations:
        count = min(BATCH, args.activations - made)
        chosen = [campaigns[rng.randrange(len(campaigns))] for _ in range(count)]
        drafts = ScheduleDraft.objects.bulk_create(
            [draft(c, author=author, approver=user, status=DraftStatus.ACTIVE) for c in chosen]
        )
        rows = []
        for d in drafts:
            approved = now - dt.timedelta(seconds=rng.randrange(90 * 86400))
            step = rng.choices(
                [Activation.Step.ACTIVE, Activation.Step.FAILED, Activation.Step.STALE], [90, 7, 3]
            )[0]
            latency = rng.randrange(3000, 600_000)
            rows.append(
                Activation(
                    draft=d,
                    campaign_id=d.campaign_id,
                    step=step,
                    base_version=3,
                    pushed_version=4,
                    approved_at=approved,
                    pushed_at=approved + dt.timedelta(seconds=2),
                    observed_active_at=approved + dt.timedelta(milliseconds=latency)
                    if step == Activation.Step.ACTIVE
                    else None,
                    latency_ms=latency if step == Activation.Step.ACTIVE else None,
                    outcome={"active": "ACTIVE", "failed": rng.choice(["ERROR", "timed out"]), "stale": ""}[
                        step
                    ],
                    error="dnc.list_inactive: DNC list is INACTIVE" if step == Activation.Step.FAILED else "",
                )
            )
        Activation.objects.bulk_create(rows)
        made += count
    say(f"{made} activations")

    statuses = [WebhookDelivery.Status.DELIVERED] * 95 + [WebhookDelivery.Status.DEAD] * 2
    statuses += [WebhookDelivery.Status.PENDING] * 3
    made = 0
    while made < args.deliveries:
        count = min(BATCH, args.deliveries - made)
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    event_type="CAMPAIGN_SCHEDULE_UPDATED",
                    campaign=campaigns[rng.randrange(len(campaigns))],
                    payload={"type": "campaign_schedule.activated"},
                    status=(status := rng.choice(statuses)),
                    attempts=1 if status == WebhookDelivery.Status.DELIVERED else rng.randrange(0, 5),
                )
                for _ in range(count)
            ]
        )
        made += count
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=user,
                action="campaigns.draft.approved",
                campaign=campaigns[rng.randrange(len(campaigns))],
                object_type="scheduledraft",
                object_id=str(n),
                message="approved",
            )
            for n in range(50_000)
        ],
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:  # spread over the last 90 days (auto_now_add set them all to now)
        for table in ("campaigns_webhookdelivery", "campaigns_auditentry", "campaigns_activation"):
            cursor.execute(f"UPDATE {table} SET created_at = now() - (id % 90) * interval '1 day'")  # noqa: S608
        cursor.execute("ANALYZE")
    say(f"{made} deliveries, 50000 audit entries")
    editable = next(d for d in open_drafts if d.status == DraftStatus.DRAFT and d.author_id == user.pk)
    return {"user": user, "campaign": campaigns[0].pk, "draft": editable.pk}


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(  # noqa: S603 (our own interpreter's gunicorn)
        [str(gunicorn), "planner.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return process
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def measure(base: str, cookie: str, pages: dict[str, str], count: int) -> dict:
    result = {}
    with httpx.Client(base_url=base, cookies={"sessionid": cookie}, timeout=120) as client:
        for name, path in pages.items():
            for _ in range(2):  # a warm-up for each gunicorn worker (caches are per process)
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{name} {path}: {response.status_code}")
            times = []
            for _ in range(count):
                began = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            result[f"{name}_p50_ms"] = round(percentile(times, 0.5), 1)
            result[f"{name}_p95_ms"] = round(percentile(times, 0.95), 1)
            say(f"{name}: p50 {result[f'{name}_p50_ms']} ms, p95 {result[f'{name}_p95_ms']} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=10_000)
    parser.add_argument("--activations", type=int, default=100_000)
    parser.add_argument("--deliveries", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database (and reuse it with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="use the database as a --keep run left it")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database this benchmark may create and drop")
    if not args.reuse:
        create_database(url)
    server = None
    try:
        setup_django()
        if args.reuse:
            from django.contrib.auth.models import User

            from campaigns.models import ScheduleDraft

            user = User.objects.get(username="bench_supervisor")
            editable = ScheduleDraft.objects.filter(status="draft", author=user).order_by("pk").first()
            seeded = {"user": user, "campaign": editable.campaign_id, "draft": editable.pk}
        else:
            seeded = seed(args)
        # What the sync does as it mirrors a tenant: each campaign's findings stored once (else the first page
        # view computes 10 000 of them).
        from campaigns.services.drafts.checks import campaign_findings

        began = time.monotonic()
        checked = campaign_findings.refresh_unchecked()
        say(f"findings of {checked} campaigns stored in {time.monotonic() - began:.0f} s")
        cookie = session_cookie(seeded["user"])
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = serve(port, args.workers, Path("/tmp") / f"bench-pages-{port}.log")
        pages = {
            "campaigns": "/campaigns/",
            "campaign": f"/campaigns/{seeded['campaign']}/",
            "editor": f"/drafts/{seeded['draft']}/",
            "queue": "/approvals/",
            "activations": "/activations/",
            "webhooks": "/webhooks/",
            "audit": "/audit/",
            "timeline": "/timeline/",
            "capacity": "/capacity/",
            "dashboards": "/dashboard/",
        }
        line = measure(f"http://127.0.0.1:{port}", cookie, pages, args.requests)
        line.update(
            campaigns=args.campaigns,
            activations=args.activations,
            deliveries=args.deliveries,
            requests=args.requests,
            gunicorn_workers=args.workers,
        )
        print(json.dumps(line))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
