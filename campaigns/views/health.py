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

from campaigns.metrics.cluster import cluster_status

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
    from campaigns.services.sync.status import mirror_health

    try:
        return mirror_health().as_json()
    except Exception:
        logger.exception("healthz: sync status unreadable")
        return None


def queue_depth() -> int | None:
    """Tasks waiting for a worker (not counting those being worked on)."""
    try:
        from django_q.brokers import get_broker

        return int(get_broker().queue_size())
    except Exception:
        logger.exception("healthz: queue depth unreadable")
        return None


def broker_is_up() -> bool:
    """Redis broker: a PING. ORM broker: its queue table answers a query (the ORM broker's own ping is a no-op)."""
    try:
        from django_q.brokers import get_broker
        from django_q.conf import Conf

        broker = get_broker()
        if Conf.ORM:
            from django_q.models import OrmQ

            OrmQ.objects.using(Conf.ORM).exists()
            return True
        return bool(broker.ping())
    except Exception:
        logger.exception("healthz: broker check failed")
        return False


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
