"""/healthz: is the database reachable, is the task broker reachable (these two decide 200 or 503, for load
balancers), and, for monitors, how current the campaign mirror is, how many tasks wait in the queue, and how many
qcluster workers are alive by their heartbeats ("no live workers" is told apart from a busy cluster; it does not
take the web process out of the load balancer, since restarting web would not bring workers back).

A stale mirror or a failed sync does not make the web process unhealthy: it serves the last mirror, says so on
every page, and restarting it would not bring CXone back."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.metrics.broker import broker_is_up, queue_depth
from campaigns.metrics.cluster import cluster_status
from campaigns.services.sync.status import mirror_health

logger = logging.getLogger(__name__)


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "down"; the log says which
        logger.exception("healthz: database check failed")
        return False


def mirror_sync() -> dict | None:
    try:
        return mirror_health().as_json()
    except Exception:
        logger.exception("healthz: sync status unreadable")
        return None


@login_not_required
@never_cache
@require_GET
def healthz(request):
    checks = {"database": database_is_up(), "broker": broker_is_up()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "down", **{k: "ok" if v else "down" for k, v in checks.items()}}
    body["sync"] = mirror_sync() if checks["database"] else None
    body["queue"] = {"depth": queue_depth() if checks["broker"] else None}
    cluster = cluster_status() if checks["broker"] else None
    body["cluster"] = cluster.as_json() if cluster else None
    return JsonResponse(body, status=200 if healthy else 503)
