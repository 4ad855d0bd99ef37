"""Named leases (WorkerLease rows): one holder at a time, claimed by a conditional UPDATE, lost on expiry.

Used where one worker in the whole deployment should do a job at a time (the activation poller): the database
decides, so it holds across processes and hosts, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.models import WorkerLease

# Set in a qcluster worker process (django-q2's post_spawn signal, wired in apps.py): its leases then say so, and
# a holder that is a cluster worker can be known dead from the cluster's heartbeats (cluster_liveness.py).
CLUSTER_WORKER_MARK = "qcluster"
_in_cluster = {"worker": False}


def mark_cluster_worker(**_signal) -> None:
    """Receiver of django-q2's post_spawn: this process is a qcluster worker from now on."""
    _in_cluster["worker"] = True


def worker_id() -> str:
    """Who holds a lease: host, process and a random part (one process may run several tasks over time), and
    ":qcluster" when the process is a cluster worker (only those are judged by heartbeats)."""
    owner = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return f"{owner}:{CLUSTER_WORKER_MARK}" if _in_cluster["worker"] else owner


def acquire(name: str, owner: str, seconds: float) -> bool:
    """Take the lease `name` for `seconds` if it is free, expired or already ours."""
    now = timezone.now()
    until = now + dt.timedelta(seconds=seconds)
    free = Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(owner=owner)
    if WorkerLease.objects.filter(free, name=name).update(owner=owner, expires_at=until) == 1:
        return True
    try:
        with transaction.atomic():
            WorkerLease.objects.create(name=name, owner=owner, expires_at=until)
        return True
    except IntegrityError:  # the row exists and someone else holds it
        return False


def renew(name: str, owner: str, seconds: float) -> bool:
    """Extend our lease; False if it expired and someone else took it meanwhile."""
    until = timezone.now() + dt.timedelta(seconds=seconds)
    return WorkerLease.objects.filter(name=name, owner=owner).update(expires_at=until) == 1


def release(name: str, owner: str) -> None:
    WorkerLease.objects.filter(name=name, owner=owner).update(owner="", expires_at=None)


def is_held(name: str) -> bool:
    """Whether someone holds the lease `name` now (a hint only: it may expire the next instant)."""
    return WorkerLease.objects.filter(name=name, expires_at__gt=timezone.now()).exclude(owner="").exists()


def holder(name: str) -> str:
    """Who holds the lease `name` now ("" when nobody does; a hint only)."""
    found = WorkerLease.objects.filter(name=name, expires_at__gt=timezone.now()).values_list(
        "owner", flat=True
    )
    return next(iter(found), "")


def skip_locked(queryset):
    """FOR UPDATE SKIP LOCKED where the database has it (PostgreSQL), so that claimers pass each other's rows;
    SQLite's IMMEDIATE transactions serialise the claim instead."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset
