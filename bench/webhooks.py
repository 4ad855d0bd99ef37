"""The WFM outbox end to end: 500 events to the sandbox's WFM stand-in over a real socket, the stand-in down for
the first 60 s (schedule compressed), then up. Prints ONE JSON line.

    .venv/bin/python bench/webhooks.py [--events 500] [--down 60] [--workers 8]

What runs is the product's code: record_activation_event (the outbox row, committed), the deliver_webhook task
(claim by conditional UPDATE, sign, POST, classify, write), the waiter that rings each retry at its due time
(campaigns/services/webhooks/waiter.py) and sweep_due_deliveries every minute (due rows and expired leases), as
deployed. The broker is replaced by an in-process queue feeding `--workers` threads and the waiter's task by a
thread that runs it whenever it ends (as its doorbell would start it again); the retry schedule is compressed;
what is measured is the outbox, not django-q2. A SQLite file in a temporary folder holds the rows (DATABASE_URL
overrides).

retry_lateness_p50_s / _p95_s: when each retry was claimed (the moment it leaves) minus when it was due;
_min_s and _max_s the earliest and the latest (negative: it left before it was due).

First a healthy phase (the same number of events, the receiver up) gives deliveries_per_s; then the outage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import queue
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaigns.sandbox import DEMO_SECRET, SandboxConfig, SandboxServer  # noqa: E402

# Waits before each attempt, in seconds: 20 attempts over 92 s, none further apart than 5 s (the real schedule
# is 0, 5 s, 5 min, ... 24 h over about three days).
COMPRESSED_SCHEDULE = "0 1 2 4 5 5 5 5 5 5 5 5 5 5 5 5 5 5 5 5"
SWEEP_EVERY = 60.0  # as deployed: the waiter, not the sweep, rings retries on time
LATENESS: list[float] = []  # seconds each retry left after it was due


def serve_stand_in(ports: multiprocessing.Queue, stop: multiprocessing.Event) -> None:
    config = SandboxConfig(campaigns=5, rate_limit=1e9, burst=10**9, wfm_secret=DEMO_SECRET)
    with SandboxServer(config) as server:
        ports.put(server.port)
        stop.wait(600)  # never outlive the benchmark by much, whatever happens to the parent


def set_up_django(url: str, folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench-webhooks.sqlite3")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="planner.settings",
        SECRET_KEY="bench-only",
        WFM_WEBHOOK_URL=url,
        WFM_WEBHOOK_SECRET=DEMO_SECRET,
        WFM_RETRY_SCHEDULE=COMPRESSED_SCHEDULE,
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_activations(count: int, label: str) -> list:
    """`count` activations that ended ACTIVE, over 50 campaigns, as the activation pipeline leaves them."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from campaigns.models import Activation, Campaign, DraftStatus, ScheduleDraft

    author, _ = User.objects.get_or_create(username="bench-planner")
    start = timezone.now()
    campaigns = [
        Campaign.objects.get_or_create(
            cxone_id=f"C-{label}-{n}",
            defaults={
                "name": f"Bench {n}",
                "state": "ACTIVE",
                "remote_version": 3,
                "timezone": "America/Chicago",
            },
        )[0]
        for n in range(50)
    ]
    activations = []
    for n in range(count):
        campaign = campaigns[n % len(campaigns)]
        draft = ScheduleDraft.objects.create(
            campaign=campaign,
            author=author,
            timezone="America/Chicago",
            cron_expression=f"{n % 60} 9 * * 1-5",
            duration_minutes=480,
            effective_start=start,
            effective_end=start + dt.timedelta(days=90),
            base_version=3,
            status=DraftStatus.ACTIVE,
            agents_required=1 + n % 7,
        )
        activations.append(
            Activation.objects.create(
                draft=draft,
                campaign=campaign,
                step=Activation.Step.ACTIVE,
                approved_at=start - dt.timedelta(seconds=30),
                observed_active_at=start,
                latency_ms=30_000,
                pushed_version=4,
                outcome="ACTIVE",
            )
        )
    return activations


class Workers:
    """The doorbell and the workers: ids on a queue, `count` threads running the deliver_webhook task."""

    def __init__(self, count: int, ids: queue.Queue | None = None):
        self.ids: queue.Queue = ids or queue.Queue()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.work, daemon=True) for _ in range(count)]
        self.threads.append(threading.Thread(target=self.sweep, daemon=True))
        self.threads.append(threading.Thread(target=self.wait_for_retries, daemon=True))

    def work(self) -> None:
        from django.db import connection

        from campaigns.tasks import deliver_webhook

        while not self.stop.is_set():
            try:
                delivery_id = self.ids.get(timeout=0.1)
            except queue.Empty:
                continue
            deliver_webhook(delivery_id)
        connection.close()

    def sweep(self) -> None:
        from django.db import connection

        from campaigns.services.webhooks.outbox import sweep_due_deliveries

        while not self.stop.wait(SWEEP_EVERY):
            sweep_due_deliveries(enqueue=self.ids.put)
        connection.close()

    def wait_for_retries(self) -> None:
        from django.db import connection

        from campaigns.services.webhooks import waiter

        waiter.async_task = lambda *args: None  # this thread is the waiter's worker: it runs it again at once
        while not self.stop.is_set():
            waiter.run(self.ids.put, sleep=self.stop.wait)
            self.stop.wait(0.2)
        connection.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def time_claims() -> None:
    """Note how late each retry leaves: a claim's moment against the due time it claimed the row at."""
    from campaigns.models import WebhookDelivery
    from campaigns.services.webhooks import outbox

    claim = outbox.claim

    def timed(delivery_id, owner, now):
        due, attempts = WebhookDelivery.objects.filter(pk=delivery_id).values_list(
            "next_attempt_at", "attempts"
        )[0]
        claimed = claim(delivery_id, owner, now)
        if claimed and attempts >= 1 and due is not None:
            LATENESS.append((now - due).total_seconds())
        return claimed

    outbox.claim = timed


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))], 2)


def record_all(activations, doorbell) -> list[int]:
    from django.db import transaction

    from campaigns.services.webhooks import outbox as webhooks

    webhooks.enqueue_delivery = doorbell  # the broker: the in-process queue
    ids = []
    for activation in activations:
        with transaction.atomic():  # the outcome's transaction, as the activation pipeline runs it
            ids.append(webhooks.record_activation_event(activation).pk)
    return ids


def wait_until_settled(ids: list[int], limit_s: float) -> None:
    from campaigns.models import WebhookDelivery

    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if not WebhookDelivery.objects.filter(pk__in=ids, status=WebhookDelivery.Status.PENDING).exists():
            return
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--down", type=float, default=60.0, help="seconds the stand-in is down at first")
    parser.add_argument("--workers", type=int, default=8, help="worker threads running deliver_webhook")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    ports, stop = context.Queue(), context.Event()
    stand_in = context.Process(target=serve_stand_in, args=(ports, stop), daemon=True)
    stand_in.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            base = f"http://127.0.0.1:{ports.get(timeout=30)}"
            set_up_django(base + "/wfm/webhook", folder)
            result = run(base, args)
    finally:
        stop.set()
        stand_in.join(15)
        if stand_in.is_alive():
            stand_in.terminate()
    print(json.dumps(result))


def run(base: str, args) -> dict:
    import httpx
    from django.db.models import Max

    from campaigns.models import WebhookDelivery

    Status = WebhookDelivery.Status
    healthy_activations = make_activations(args.events, "healthy")
    outage_activations = make_activations(args.events, "outage")

    # Healthy receiver: how fast do the workers drain the outbox? (Events recorded first, then the clock runs.)
    doorbell: queue.Queue = queue.Queue()
    healthy_ids = record_all(healthy_activations, doorbell.put)
    with Workers(args.workers, doorbell):
        started = time.monotonic()
        wait_until_settled(healthy_ids, 120)
        healthy_s = time.monotonic() - started
    healthy_delivered = WebhookDelivery.objects.filter(pk__in=healthy_ids, status=Status.DELIVERED).count()
    httpx.post(base + "/_sandbox/stats/reset")

    # Outage: down for the first `down` seconds, then up.
    time_claims()
    httpx.post(base + "/_sandbox/wfm/down", json={"seconds": args.down})
    recovered_at = time.time() + args.down
    with Workers(args.workers) as workers:
        ids = record_all(outage_activations, workers.ids.put)
        time.sleep(max(0.0, recovered_at - time.time()))
        wait_until_settled(ids, 120)
    rows = WebhookDelivery.objects.filter(pk__in=ids)
    delivered = rows.filter(status=Status.DELIVERED)
    last = delivered.aggregate(last=Max("delivered_at"))["last"]
    stats = httpx.get(base + "/_sandbox/stats").json()["wfm"]
    return {
        "benchmark": "wfm_webhook_outbox_over_loopback_socket",
        "events": len(ids),
        "delivered": delivered.count(),
        "dead": rows.filter(status=Status.DEAD).count(),
        "pending": rows.filter(status=Status.PENDING).count(),
        "duplicates_at_receiver": stats["duplicates"],
        "bad_signatures": stats["bad_signatures"] + stats["stale_timestamps"],
        "dropped_while_down": stats["dropped"],
        "max_delay_after_recovery_s": round(last.timestamp() - recovered_at, 2) if last else None,
        "deliveries_per_s": round(healthy_delivered / healthy_s, 1),
        "healthy_events": len(healthy_ids),
        "healthy_delivered": healthy_delivered,
        "down_s": args.down,
        "workers": args.workers,
        "retries": len(LATENESS),
        "retry_lateness_p50_s": percentile(LATENESS, 0.5),
        "retry_lateness_p95_s": percentile(LATENESS, 0.95),
        # The goal is due time ± 2 s both ways: a retry may leave up to waiter.EARLY (0.5 s) before it is due.
        "retry_lateness_min_s": round(min(LATENESS), 2) if LATENESS else None,
        "retry_lateness_max_s": round(max(LATENESS), 2) if LATENESS else None,
        "retry_schedule_s": COMPRESSED_SCHEDULE,
        "sweep_every_s": SWEEP_EVERY,
    }


if __name__ == "__main__":
    main()
