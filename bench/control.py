"""Benchmark: dialling control through real qcluster workers against the CXone sandbox. ONE JSON line.

    .venv/bin/python bench/control.py [--stop 2000] [--partial 200] [--days 28] [--day-seconds 60] \\
        [--rate 5] [--burst 20] [--qclusters 2] [--part a|b|both]

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/planner_bench REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/control.py ...   (as the issue measures it: PostgreSQL + Redis)

Runs on a throwaway database next to the one DATABASE_URL names (`<name>_bench_activation`; a temporary SQLite
file without it), with Redis as django-q2's broker when REDIS_URL is set (its ORM broker otherwise), and
`--qclusters` real `manage.py qcluster` processes (Q_WORKERS=3 each); the sandbox runs in a child process on a
loopback port.

(a) Stop: a tenant of --stop campaigns, every one running, mirrored by the real sync (v2). A supervisor stops every
campaign in one action (services/control/stopping.stop); the qclusters pause each at --rate requests/s, burst
--burst (activation delay 1-5 s), and read them back. stop_s: from the click to the last stop confirmed;
stop_bound_s = (stops − burst) / rate + the longest activation delay (each stop is one request at least);
stop_missed: campaigns not confirmed stopped, or not paused in the sandbox at the end; started_again: campaigns
the sandbox saw dialling again after their pause took.

(b) Partial weeks: --partial Personal Connection skills under the Admin API (a tenant that refuses days off), each
with a week with days off (Mon–Fri, Tue–Sat, Sun–Thu, Mon/Wed/Fri, Mon–Thu, Mon–Sat in six zones, opening 08–11).
Their --days days of off intervals — held_weeks.off_intervals, what planning.plan wants — are compressed to
--day-seconds a day and wanted as the planner wants them (wanting.want); every skill starts in the state its week
wants. The qclusters stop and start the skills with 10 % 5xx, and one qcluster is SIGKILLed a third of the way
through (not restarted). From the sandbox's own record of each skill's stops and starts: off_day_running_minutes,
every minute (uncompressed) a skill was running inside its written hours on one of its days off;
control_lag_p95_s, real seconds from a change's due time to CXone accepting it (or a read showing it made);
lost: changes due during the run that never finished.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.activation import percentile, say, setup_django  # noqa: E402

PATTERNS = ("1-5", "2-6", "0-4", "1,3,5", "1-4", "1-6")
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
         "Pacific/Honolulu")  # fmt: skip
VIRTUAL_START = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)  # a Monday
ADMIN_ENV = {"CXONE_API": "admin", "CXONE_ACCESS_KEY_ID": "demo-key", "CXONE_ACCESS_KEY_SECRET": "demo-key-secret"}


# ---- the sandbox, in a child process ----------------------------------------------------------------------


def serve(campaigns: int, api: str, replies, commands) -> None:
    from campaigns.sandbox import SandboxConfig, SandboxServer

    config = SandboxConfig(campaigns=campaigns, api=api, rate_limit=1e6, burst=10**6, failure_rate=0, error_rate=0)
    with SandboxServer(config) as server:
        state = server.state
        with state.lock:  # every campaign and skill dialling, as the benchmark starts from
            for campaign in state.campaigns.values():
                campaign.update(state="ACTIVE", errors=[])
            for skill in state.pc.skills.values():
                skill["isRunning"] = True
            skills = sorted(i for i, s in state.pc.skills.items() if s.get("outboundStrategy") == "Personal Connection")
        replies.put((server.port, skills))
        while True:
            command = commands.get()
            if command is None:
                return
            with state.lock:
                for skill_id, running in command.get("running", {}).items():
                    state.pc.skills[skill_id]["isRunning"] = running
            replies.put("ok")


class Sandbox:
    def __init__(self, campaigns: int, api: str = "outbound-v2"):
        context = multiprocessing.get_context("spawn")
        self.replies, self.commands = context.Queue(), context.Queue()
        self.process = context.Process(target=serve, args=(campaigns, api, self.replies, self.commands), daemon=True)

    def start(self) -> Sandbox:
        import httpx

        self.process.start()
        port, self.skills = self.replies.get(timeout=120)
        self.url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.url, timeout=30)
        return self

    def configure(self, **knobs) -> None:
        self.http.patch("/_sandbox/config", json=knobs).raise_for_status()

    def set_running(self, running: dict[str, bool]) -> None:
        self.commands.put({"running": running})
        self.replies.get(timeout=30)

    def stats(self) -> dict:
        return self.http.get("/_sandbox/stats").json()

    def stop(self) -> None:
        self.commands.put(None)
        self.process.join(15)
        if self.process.is_alive():
            self.process.terminate()


def clusters(sandbox: Sandbox, tmpdir: str, count: int, tag: str, **env) -> list:
    from django.conf import settings

    from tests.qcluster_support import QCluster

    env = {"LOG_LEVEL": "WARNING", "Q_WORKERS": 3, "CXONE_RATE_LIMIT": env.pop("rate"), "CXONE_BURST": env.pop("burst"),
           "ACTIVATION_POLLER_SECONDS": settings.ACTIVATION_POLLER_SECONDS, **env}  # fmt: skip
    return [QCluster(sandbox.url, Path(tmpdir) / f"qcluster-{tag}-{i}.log", **env).start() for i in range(count)]


def control_sweeper() -> None:
    from django_q.models import Schedule

    from campaigns.periodic_tasks import CONTROL_SWEEP_SCHEDULE_NAME, WANTED

    wanted = next(w for w in WANTED if w.name == CONTROL_SWEEP_SCHEDULE_NAME)
    Schedule.objects.get_or_create(
        name=wanted.name, defaults={"func": wanted.func, "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1}
    )


# ---- (a) stop every campaign ---------------------------------------------------------------------------------


def run_stop(args, tmpdir: str) -> dict:
    from django.contrib.auth.models import Group, User
    from django.db.models import Max

    from campaigns import roles
    from campaigns.cxone.factory import set_client_factory
    from campaigns.cxone.v2 import CXoneClient
    from campaigns.models import DiallingChange
    from campaigns.services.control import stopping
    from campaigns.services.sync.mirror import sync_campaigns

    sandbox = Sandbox(args.stop).start()
    workers = []
    try:
        set_client_factory(lambda: CXoneClient(sandbox.url, "demo", "demo-secret"))
        say(f"(a) mirrored: {sync_campaigns().summary()}")
        set_client_factory(None)
        supervisor, _ = User.objects.get_or_create(username="bench_supervisor")
        supervisor.groups.add(Group.objects.get(name=roles.SUPERVISOR))
        sandbox.configure(rate_limit=args.rate, burst=args.burst, activation_delay=[1, 5])
        workers = clusters(sandbox, tmpdir, args.qclusters, "stop", rate=args.rate, burst=args.burst)
        time.sleep(5)
        sandbox.http.post("/_sandbox/stats/reset").raise_for_status()
        say(f"(a) stopping every campaign; {args.qclusters} qclusters pause and confirm")
        started = time.time()
        order = stopping.stop(supervisor, {"all": True}, "Carrier incident (benchmark)")
        stops = order.changes.all()
        total = stops.count()
        bound = (total - args.burst) / args.rate + 5.0
        deadline = time.monotonic() + 3 * bound + 120
        while time.monotonic() < deadline and stops.filter(step__in=DiallingChange.UNFINISHED_STEPS).exists():
            time.sleep(1)
        last = stops.aggregate(last=Max("confirmed_at"))["last"]
        done = {c.campaign.cxone_id for c in stops.filter(step=DiallingChange.Step.DONE).select_related("campaign")}
    finally:
        for cluster in workers:
            cluster.stop()
    log = sandbox.stats()["dialling"]
    sandbox.stop()
    ids = {c.campaign.cxone_id for c in stops.select_related("campaign")}
    paused_at_end = {cid for cid, entries in log.items() if entries and entries[-1]["state"] == "PAUSED"}
    again = sum(1 for entries in log.values() if any(
        e["state"] == "ACTIVE" for e in entries[next((i for i, e in enumerate(entries) if e["state"] == "PAUSED"),
                                                     len(entries)):]))  # fmt: skip
    return {
        "stop_campaigns": total,
        "stop_s": round(last.timestamp() - started, 1) if last else None,
        "stop_bound_s": round(bound, 1),
        "stop_missed": len(ids - (done & paused_at_end)),
        "started_again": again,
    }


# ---- (b) partial weeks held over compressed days ----------------------------------------------------------


def weeks(skills: list[str]):
    from campaigns.scheduling import ScheduleSpec

    for i, skill_id in enumerate(skills):
        pattern, zone = PATTERNS[i % len(PATTERNS)], ZONES[(i // len(PATTERNS)) % len(ZONES)]
        hour = 8 + (i // (len(PATTERNS) * len(ZONES))) % 4
        yield skill_id, ScheduleSpec(f"0 {hour} * * {pattern}", zone, 480 - 60 * (i % 3))


def run_partial(args, tmpdir: str) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django_q.models import OrmQ

    from campaigns.models import DiallingChange

    OrmQ.objects.all().delete()  # a fresh phase: nothing left in the broker from part (a)
    sandbox = Sandbox(args.partial, api="admin").start()
    skills = sandbox.skills[: args.partial]
    k = args.day_seconds / 86400
    v_end = VIRTUAL_START + dt.timedelta(days=args.days)
    real_start = time.time() + 45  # the clusters start meanwhile (rows are written first)

    def real(instant: dt.datetime) -> dt.datetime:
        return dt.datetime.fromtimestamp(real_start + (instant - VIRTUAL_START).total_seconds() * k, dt.UTC)

    off_windows: dict[str, list[tuple[float, float]]] = {}
    initial: dict[str, bool] = {}
    rows = 0
    with transaction.atomic():
        rows = plan_compressed(skills, real, v_end, off_windows, initial)
    say(f"(b) {len(skills)} skills, {rows} changes over {args.days} days compressed to {args.day_seconds} s each")
    sandbox.set_running(initial)
    sandbox.configure(rate_limit=args.rate, burst=args.burst, activation_delay=[1, 5], server_error_rate=0.10)
    control_sweeper()
    workers = clusters(sandbox, tmpdir, args.qclusters, "partial", rate=args.rate, burst=args.burst,
                       **ADMIN_ENV)  # fmt: skip
    end = real(v_end).timestamp()
    kill_at = real_start + (end - real_start) / 3
    killed = False
    try:
        while time.time() < end + 20:
            if not killed and time.time() >= kill_at:
                say(f"(b) SIGKILL to qcluster {workers[0].pid} a third of the way through")
                workers[0].kill()
                killed = True
            time.sleep(1)
    finally:
        for cluster in workers:
            cluster.stop()
    stats = sandbox.stats()
    log = stats["dialling"]
    sandbox.stop()
    minutes = 0.0
    for skill_id in skills:
        running = running_intervals(initial[skill_id], log.get(skill_id, []), real_start, end)
        overlap = sum(max(0.0, min(b, d) - max(a, c)) for a, b in running for c, d in off_windows[skill_id])
        minutes += overlap / k / 60
        if overlap and os.environ.get("BENCH_DEBUG"):
            say(f"{skill_id}: running {[(round(a - real_start, 1), round(b - real_start, 1)) for a, b in running]}")
            say(f"  off {[(round(a - real_start, 1), round(b - real_start, 1)) for a, b in off_windows[skill_id]]}")
            for c in DiallingChange.objects.filter(campaign__cxone_id=skill_id):
                stamps = [(t.timestamp() - real_start) if t else None for t in (c.wanted_at, c.sent_at, c.answered_at,
                                                                                  c.confirmed_at)]  # fmt: skip
                say(f"  {c.action} {c.step} {[round(x, 1) if x is not None else None for x in stamps]} {c.error[:80]}")
    changes = DiallingChange.objects.filter(campaign__cxone_id__in=skills, due_at__lte=timezone.now())
    if os.environ.get("BENCH_DUMP"):  # every change's times, relative to the run's start, for a closer look
        rows = [{"skill": c.campaign.cxone_id, "action": c.action, "step": c.step, "attempts": c.attempts,
                 "error": c.error, **{f: (getattr(c, f).timestamp() - real_start) if getattr(c, f) else None
                                      for f in ("wanted_at", "due_at", "sent_at", "answered_at", "confirmed_at")}}
                for c in DiallingChange.objects.filter(campaign__cxone_id__in=skills).select_related("campaign")]
        Path(os.environ["BENCH_DUMP"]).write_text(json.dumps({"changes": rows, "log": log, "start": real_start,
                                                               "requests": stats["requests"]}))
    lags = []
    for change in changes.filter(step=DiallingChange.Step.DONE):
        took = change.answered_at or change.confirmed_at
        lags.append(max(0.0, (took - change.wanted_at).total_seconds()))
    lost = changes.exclude(step__in=(DiallingChange.Step.DONE, DiallingChange.Step.CANCELLED)).count()
    report_failures(changes)
    return {
        "partial_campaigns": len(skills),
        "off_day_running_minutes": round(minutes),
        "control_lag_p95_s": round(percentile(lags, 0.95), 2) if lags else None,
        "lost": lost,
    }


def report_failures(changes) -> None:
    """Tasks that raised and changes that did not finish, said on stderr for honesty."""
    from django_q.models import Failure

    for failure in Failure.objects.all()[:5]:
        say(f"task failed: {failure.func}{failure.args}: {str(failure.result)[:300]}")
    for change in changes.exclude(step="done")[:5]:
        say(f"not done: {change} {change.outcome} {change.error[:200]}")


def plan_compressed(skills, real, v_end, off_windows, initial) -> int:
    """What planning.plan wants over the whole run, compressed (real() maps a virtual instant to a real one), and
    the written week's windows on days off, compressed, for the measurement. How many changes."""
    from campaigns.models import Campaign, DiallingChange
    from campaigns.scheduling import ScheduleSpec, expand_windows
    from campaigns.scheduling.held_weeks import every_day_cron, off_intervals
    from campaigns.services.control.planning import spread_of
    from campaigns.services.control.wanting import want

    lead, margin = dt.timedelta(minutes=5), dt.timedelta(minutes=30)
    rows = 0
    for skill_id, spec in weeks(skills):
        campaign = Campaign.objects.create(cxone_id=skill_id, name=f"Skill {skill_id}", state="ACTIVE",
                                           timezone=spec.timezone)  # fmt: skip
        wanted_starts = {w.start for w in expand_windows(spec, VIRTUAL_START, v_end)}
        written = ScheduleSpec(every_day_cron(spec.cron_expression), spec.timezone, spec.duration_minutes)
        off_windows[skill_id] = [
            (real(w.start).timestamp(), real(w.end).timestamp())
            for w in expand_windows(written, VIRTUAL_START, v_end) if w.start not in wanted_starts
        ]
        initial[skill_id] = True
        for interval in off_intervals(spec, VIRTUAL_START, v_end):
            start_due = interval.start_due(lead, spread_of(campaign))
            held = interval.stop_at <= VIRTUAL_START
            if held and start_due > VIRTUAL_START:
                initial[skill_id] = False  # the product has been holding it: the run starts inside its days off
            if not held:
                want(campaign, DiallingChange.Action.STOP, origin=DiallingChange.Origin.PARTIAL_WEEK,
                     due_at=real(interval.stop_at), hold_until=real(interval.start_at),
                     alarm_at=real(interval.first_off_window - margin), reason="Day off (benchmark)")  # fmt: skip
                rows += 1
            if start_due > VIRTUAL_START and interval.start_at < v_end:  # (before the run: already started)
                want(campaign, DiallingChange.Action.START, origin=DiallingChange.Origin.PARTIAL_WEEK,
                     due_at=real(start_due), hold_until=real(interval.start_at),
                     reason="Next calling day (benchmark)")  # fmt: skip
                rows += 1
    return rows


def running_intervals(initially: bool, entries: list[dict], start: float, end: float) -> list[tuple[float, float]]:
    """When the sandbox had the skill running, from its record of stops and starts."""
    spans, since = [], start if initially else None
    for entry in sorted(entries, key=lambda e: e["at"]):
        if entry["state"] == "PAUSED" and since is not None:
            spans.append((since, entry["at"]))
            since = None
        elif entry["state"] == "ACTIVE" and since is None:
            since = entry["at"]
    if since is not None:
        spans.append((since, end))
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop", type=int, default=2000)
    parser.add_argument("--partial", type=int, default=200)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--day-seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--qclusters", type=int, default=2)
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    args = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="bench-control-")
    old_name = setup_django(tmpdir)
    line: dict = {}
    try:
        if args.part in ("a", "both"):
            line.update(run_stop(args, tmpdir))
        if args.part in ("b", "both"):
            line.update(run_partial(args, tmpdir))
        line["database"] = ("postgresql" if os.environ.get("DATABASE_URL") else "sqlite") + (
            "+redis" if os.environ.get("REDIS_URL") else "+orm-broker")
    finally:
        from django.db import connection
        from django.test.utils import teardown_test_environment

        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if os.environ.get("BENCH_DUMP"):
            for log_file in Path(tmpdir).glob("*.log"):
                shutil.copy(log_file, Path(os.environ["BENCH_DUMP"]).parent)
        shutil.rmtree(tmpdir, ignore_errors=True)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
