"""The confirmer: one worker at a time reads the campaigns of accepted changes until CXone shows them (stopped:
PAUSED, or ERROR/FAILED, which do not dial; started: ACTIVE), a hundred a request under v2.

A change accepted but still not showing after timing.CONFIRM_SECONDS is asked again (asking is repeatable).
While it runs, the confirmer also rings queued changes that fell due (a backoff ended, a partial week's stop is
due), so they wait seconds, not the sweeper's minute. `run()` is the confirm_dialling_changes task."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from campaigns.cxone import errors as cx
from campaigns.cxone import ratelimit
from campaigns.cxone.factory import get_client, run_sync
from campaigns.models import DiallingChange
from campaigns.services import leases
from campaigns.services.cluster_liveness import ONLY_CLUSTER, TOGETHER, placement
from campaigns.services.control import doorbell, reclaiming, timing
from campaigns.services.control.outcomes import finish

log = logging.getLogger(__name__)
Step = DiallingChange.Step
Action = DiallingChange.Action
NOT_DIALLING = ("PAUSED", "ERROR", "FAILED")
CONFIRMER_LEASE_SECONDS = 5  # renewed every quarter second; a confirmer that died frees it this soon
STANDBY_LEASE = "dialling-confirmer-standby"
STANDBY_LOOK_SECONDS = 0.5
MAX_STANDBY_HOPS = 6  # with two clusters, the chance that six hand-backs all land in the same one is 1 in 64
RECOVERY_SECONDS = 2.0  # how often a running confirmer reclaims expired sends and re-rings lost doorbells
ROUND_LEASE_SECONDS = 30
IDLE_LOOK_SECONDS = 0.25  # how often due changes are rung (the database only)
# Rows due within this much join the round (fewer requests for the same lag).
AHEAD = dt.timedelta(seconds=0.5)
# The confirmer keeps running while something falls due this soon: the sweeper looks only once a minute.
LOOKAHEAD = dt.timedelta(seconds=75)


def shows(change: DiallingChange, state: str) -> bool:
    """Whether CXone's state shows the change done."""
    return state in NOT_DIALLING if change.action == Action.STOP else state == "ACTIVE"


def confirm_round(owner: str, now: dt.datetime | None = None) -> dict:
    """Claim the due rows, read their campaigns, record what shows. {"read", "confirmed", "asked_again"}."""
    now = now or timezone.now()
    due = list(DiallingChange.objects.due_for_read(now + AHEAD).values_list("pk", flat=True)[:500])
    if not due:
        return {"read": 0, "confirmed": 0, "asked_again": 0, "requests": 0}
    until = timing.later(ROUND_LEASE_SECONDS, now)
    DiallingChange.objects.due_for_read(now + AHEAD).filter(pk__in=due).update(
        lease_owner=owner, lease_expires_at=until
    )
    rows = list(DiallingChange.objects.filter(pk__in=due, lease_owner=owner, step=Step.CONFIRMING)
                .select_related("campaign"))  # fmt: skip
    ids = list(dict.fromkeys(c.campaign.cxone_id for c in rows))
    try:
        states, requests = run_sync(_read(ids))
    except cx.CXoneError as exc:
        log.warning("confirmer: reading %d campaigns failed (%s)", len(ids), exc)
        _release(rows, owner, timing.later(timing.READ_SECONDS, timezone.now()))
        return {"read": 0, "confirmed": 0, "asked_again": 0, "requests": 1}
    seen = timezone.now()
    confirmed = asked_again = 0
    waiting = []
    for change in rows:
        state = states.get(change.campaign.cxone_id)
        if state is None:
            finish(change, Step.FAILED, outcome="campaign gone", error="CXone no longer has this campaign.",
                   owner=owner)  # fmt: skip
        elif shows(change, state):
            verb = "stopped" if change.action == Action.STOP else "dialling"
            confirmed += finish(change, Step.DONE, outcome=f"Confirmed {verb}: CXone shows it {state}",
                                owner=owner, remote_state=state)  # fmt: skip
        elif change.answered_at and seen - change.answered_at > dt.timedelta(seconds=timing.CONFIRM_SECONDS):
            asked_again += _ask_again(change, owner, seen)
        else:
            waiting.append(change)
    _release(waiting, owner, timing.later(timing.READ_SECONDS, seen))
    return {"read": len(rows), "confirmed": confirmed, "asked_again": asked_again, "requests": requests}


async def _read(ids: list[str]) -> tuple[dict[str, str], int]:
    """The campaigns' states, and how many requests reading them took (a few skills are read one by one under
    the Admin API, many a page at a time)."""
    with ratelimit.counting() as requests:
        states = await get_client().dialling_states(ids)
    return states, requests[0]


def _release(rows, owner: str, due_at: dt.datetime) -> None:
    DiallingChange.objects.filter(pk__in=[c.pk for c in rows], lease_owner=owner, step=Step.CONFIRMING).update(
        lease_owner="", lease_expires_at=None, due_at=due_at, reads=F("reads") + 1
    )


def _ask_again(change: DiallingChange, owner: str, now: dt.datetime) -> int:
    moved = DiallingChange.objects.filter(pk=change.pk, step=Step.CONFIRMING, lease_owner=owner).update(
        step=Step.QUEUED, lease_owner="", lease_expires_at=None, due_at=now, doorbell_at=now,
        error=f"CXone accepted it but did not show it within {timing.CONFIRM_SECONDS} s; asked again.",
        updated_at=now,
    )  # fmt: skip
    if moved:
        doorbell.ring(change.pk)
    return moved


def ring_due(now: dt.datetime | None = None, grace: dt.timedelta = dt.timedelta(0)) -> int:
    """Ring queued changes that are due and not rung within `grace` (after a backoff: not rung at all)."""
    now = now or timezone.now()
    due = DiallingChange.objects.doorbell_due(now, grace) if grace else DiallingChange.objects.filter(
        step=Step.QUEUED, due_at__lte=now, doorbell_at__isnull=True
    )
    ids = list(due.order_by("-priority", "due_at").values_list("pk", flat=True)[:500])
    rung = [pk for pk in ids if due.filter(pk=pk).update(doorbell_at=now) == 1]
    for pk in rung:
        doorbell.ring(pk)
    return len(rung)


def read_interval() -> float:
    """Seconds between read rounds, a request each: reads never take more than CONTROL_READ_SHARE of CXone's
    rate, which the stops and starts themselves need (a round reads a hundred campaigns a request)."""
    rate, share = float(settings.CXONE_RATE_LIMIT), float(settings.CONTROL_READ_SHARE)
    return max(timing.READ_SECONDS, 1 / (share * rate)) if rate > 0 and share > 0 else timing.READ_SECONDS


def work_ahead(now: dt.datetime | None = None) -> bool:
    """Anything to read or ring before the sweeper's next minute (a partial week's stop due in 40 s counts: the
    confirmer rings it on time, where the sweeper would be up to a minute late)."""
    now = now or timezone.now()
    return DiallingChange.objects.in_flight().filter(due_at__lte=now + LOOKAHEAD).exists()


def _stand_by(owner: str, ends: float, hops: int = 0) -> bool:
    """Wait beside the running confirmer (one standby at most) and take over the moment its lease expires: a
    worker killed while confirming costs seconds, not the sweeper's minute. True once this task holds the lease.

    A standby in the confirmer's own cluster would die with it (a killed qcluster takes every worker): while
    another cluster lives, it hands itself back to the broker for another cluster to take, a few times at most.
    In the only cluster alive it does not wait at all: it would die with the confirmer all the same, and it would
    hold a worker the stops and starts need (the minute's sweep starts a confirmer if one dies)."""
    if not leases.acquire(STANDBY_LEASE, owner, CONFIRMER_LEASE_SECONDS):
        return False
    where = placement(owner, leases.holder(doorbell.CONFIRMER_LEASE))
    if where == ONLY_CLUSTER or (where == TOGETHER and hops < MAX_STANDBY_HOPS):
        leases.release(STANDBY_LEASE, owner)
        if where == TOGETHER:
            doorbell.start_confirmer(unless_running=False, hops=hops + 1)
        return False
    took_over = False
    try:
        while time.monotonic() < ends and not took_over:
            time.sleep(STANDBY_LOOK_SECONDS)
            leases.renew(STANDBY_LEASE, owner, CONFIRMER_LEASE_SECONDS)
            took_over = leases.acquire(doorbell.CONFIRMER_LEASE, owner, CONFIRMER_LEASE_SECONDS)
    finally:
        leases.release(STANDBY_LEASE, owner)
    if took_over or work_ahead():
        doorbell.start_confirmer(unless_running=False)  # the next standby (this one's budget is spent, or it leads)
    return took_over


def run(seconds: float | None = None, hops: int = 0) -> str:
    """The confirmer task: hold the lease and confirm while anything waits (or until its time is up). `hops`:
    how many times this task went back to the broker to stand by in another cluster."""
    owner = leases.worker_id()
    ends = time.monotonic() + (seconds or settings.ACTIVATION_POLLER_SECONDS)
    if leases.acquire(doorbell.CONFIRMER_LEASE, owner, CONFIRMER_LEASE_SECONDS):
        if work_ahead():
            doorbell.start_confirmer(unless_running=False)  # its standby, waiting beside it
    elif not _stand_by(owner, ends, hops):
        return "another confirmer runs"
    rounds = 0
    next_read = next_recovery = 0.0
    try:
        while time.monotonic() < ends:
            if not leases.renew(doorbell.CONFIRMER_LEASE, owner, CONFIRMER_LEASE_SECONDS):
                return "lease lost"
            ring_due()
            if time.monotonic() >= next_recovery:
                reclaiming.reclaim_expired_leases()
                ring_due(grace=reclaiming.doorbell_grace())
                next_recovery = time.monotonic() + RECOVERY_SECONDS
            if time.monotonic() >= next_read:
                # The reads' share of CXone's rate counts requests, not rounds: a round of a few Admin API
                # skills is a GET each, and those requests are the stops' and starts' too.
                requests = confirm_round(owner)["requests"]
                rounds += 1
                next_read = time.monotonic() + read_interval() * max(1, requests)
            if not work_ahead():
                break
            time.sleep(IDLE_LOOK_SECONDS)
    finally:
        leases.release(doorbell.CONFIRMER_LEASE, owner)
    if work_ahead():
        doorbell.start_confirmer(unless_running=False)  # a fresh task: the confirmer, or the standby beside it
    return f"{rounds} rounds"
