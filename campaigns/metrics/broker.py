"""The task broker as /healthz and /metrics see it: is it reachable, and how many tasks wait for a worker."""

from __future__ import annotations

import logging

from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import OrmQ

log = logging.getLogger(__name__)


def queue_depth() -> int | None:
    """Tasks waiting for a worker (not counting those being worked on)."""
    try:
        return int(get_broker().queue_size())
    except Exception:
        log.exception("healthz: queue depth unreadable")
        return None


def broker_is_up() -> bool:
    """Redis broker: a PING. ORM broker: its queue table answers a query (the ORM broker's own ping is a no-op)."""
    try:
        broker = get_broker()
        if Conf.ORM:
            OrmQ.objects.using(Conf.ORM).exists()
            return True
        return bool(broker.ping())
    except Exception:
        log.exception("healthz: broker check failed")
        return False
