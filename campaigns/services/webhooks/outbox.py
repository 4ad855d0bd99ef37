"""The WFM webhook outbox: every activation outcome, and every change found in CXone, becomes one event row,
delivered by a worker until WFM has it, never lost with the broker.

    record_activation_event(activation)   in the transaction that writes the outcome (one row per event)
    record_drift_event(drift)             in the transaction that records a change found in CXone
    record_control_event(kind, ...)       in the transaction that stops or resumes dialling, or raises an alarm
    deliver(delivery_id)                  the task's one step: claim by conditional UPDATE, send, classify
    sweep_due_deliveries()                every minute: due rows and expired leases go back to the workers
    redeliver(delivery_id, actor)         by hand, with the same webhook-id so that the receiver dedupes
    resume_endpoint(actor)                after a 410 was dealt with: the stopped deliveries go again

The database is the source of truth. A task carries only an id; running it twice, or not at all, changes
nothing the sweeper does not put right: a claim succeeds only for a pending, due row whose lease is free, and an
outcome is written only by the worker that still holds the lease.

Answers (the Standard Webhooks rules, see campaigns/wfm/sender.py): 2xx delivered; 410 stops the delivery and
flags the endpoint, so nothing more is sent to it until someone resumes it; 429/502/503/504 throttle (the next
try waits for Retry-After if that is longer than the schedule's wait); anything else, a timeout or no answer
retries on WFM_RETRY_SCHEDULE; after its last attempt a delivery is dead-lettered.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns import roles
from campaigns.models import Activation, Drift, WebhookDelivery, WebhookEndpoint
from campaigns.services import audit
from campaigns.services.errors import NotAllowed, WorkflowError
from campaigns.services.notifications import notify
from campaigns.services.webhooks import waiter
from campaigns.services.webhooks.payload import (
    DRIFT_EVENT,
    EVENTS,
    body_bytes,
    build_drift_payload,
    build_payload,
)
from campaigns.wfm.sender import Answer, Outcome, WfmSender, shared_sender
from campaigns.wfm.signing import InvalidSecret, parse_secrets

log = logging.getLogger("campaigns.webhooks")

DELIVER_TASK = "campaigns.tasks.deliver_webhook"
# Longer than the sender's timeout (15 s) plus the database work around it: a live worker never loses its row.
LEASE = dt.timedelta(seconds=60)
MAX_RETRY_AFTER = dt.timedelta(hours=24)  # a receiver's hint is honoured, within reason
SWEEP_BATCH = 1000
Status = WebhookDelivery.Status
REDELIVERABLE = (Status.DEAD, Status.GONE, Status.DELIVERED)


class CannotRedeliver(WorkflowError):
    """A redelivery was asked of a delivery that is still pending, or while the endpoint is flagged gone."""


@dataclass(frozen=True)
class WfmConfig:
    url: str
    keys: list[bytes]
    timeout: float
    schedule: tuple[int, ...]


def wfm_config() -> WfmConfig | None:
    """The endpoint, secrets, timeout and retry schedule; None while WFM is not configured (or the secret is
    malformed: planner.E006 says so), in which case events wait in the outbox."""
    url, secret = settings.WFM_WEBHOOK_URL, settings.WFM_WEBHOOK_SECRET
    if not url or not secret:
        return None
    try:
        keys = parse_secrets(secret)
    except InvalidSecret as exc:
        log.error("WFM_WEBHOOK_SECRET %s: webhooks wait in the outbox", exc)
        return None
    return WfmConfig(url, keys, float(settings.WFM_TIMEOUT_SECONDS), tuple(settings.WFM_RETRY_SCHEDULE))


# ---- recording events ----------------------------------------------------------------------------------------


def record_activation_event(activation: Activation) -> WebhookDelivery | None:
    """The WFM event of an activation's terminal outcome: active → CAMPAIGN_SCHEDULE_UPDATED, failed →
    CAMPAIGN_ACTIVATION_FAILED. Call it in the transaction that writes the outcome, so that neither commits
    without the other. Idempotent: a second call for the same activation and event returns the first row.
    Delivery is enqueued once the transaction commits. A stale activation tells WFM nothing (CXone did not
    change), so it records no event and returns None."""
    if activation.step == Activation.Step.STALE:
        return None
    if activation.step not in EVENTS:
        raise ValueError(
            f"activation {activation.pk} is {activation.step}: only active or failed have an event"
        )
    event_type = EVENTS[activation.step][0]
    with transaction.atomic():
        existing = WebhookDelivery.objects.filter(activation=activation, event_type=event_type).first()
        if existing is not None:
            return existing
        key = uuid.uuid4()
        now = timezone.now()
        payload = build_payload(activation, str(key), now)
        try:
            with (
                transaction.atomic()
            ):  # a savepoint: if another writer's row won, ours goes, the outcome stays
                delivery = WebhookDelivery.objects.create(
                    idempotency_key=key,
                    event_type=event_type,
                    activation=activation,
                    campaign_id=activation.campaign_id,
                    payload=payload,
                    next_attempt_at=now,
                )
        except IntegrityError:
            return WebhookDelivery.objects.get(activation=activation, event_type=event_type)
        transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


def record_drift_event(drift: Drift) -> WebhookDelivery:
    """The `campaign.drifted` event of the change `drift` last recorded (a drift found, or changed again while
    open). Call it in the transaction that records the change: one event per change seen, never one without
    the other. Delivery is enqueued once the transaction commits."""
    key = uuid.uuid4()
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        idempotency_key=key,
        event_type=DRIFT_EVENT[0],
        campaign_id=drift.campaign_id,
        payload=build_drift_payload(drift, str(key), now),
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


# Dialling control's events: kind → (eventType beside the seed's, Standard Webhooks `type`).
CONTROL_EVENTS = {
    "stopped": ("DIALLING_STOPPED", "dialling.stopped"),
    "resumed": ("DIALLING_RESUMED", "dialling.resumed"),
    "alarm": ("DIALLING_CONTROL_ALARM", "dialling.control_alarm"),
    "paused": ("DIALLING_PAUSE_SCHEDULED", "dialling.pause_scheduled"),
}


def record_control_event(kind: str, campaigns, *, reason: str, actor=None, detail: dict | None = None):
    """The WFM event of a dialling stop, resume, scheduled pause or control alarm (kind of CONTROL_EVENTS) for
    `campaigns`, in the caller's transaction: WFM learns that these campaigns will not (or will again) dial."""
    event_type, kind_type = CONTROL_EVENTS[kind]
    chosen = list(campaigns)
    key = uuid.uuid4()
    now = timezone.now()
    payload = {
        "eventType": event_type,
        "type": kind_type,
        "eventId": str(key),
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "campaignIds": [c.cxone_id for c in chosen],
        "campaignNames": [c.name for c in chosen],
        "reason": reason,
        "actor": actor.get_username() if actor is not None and actor.is_authenticated else None,
        **(detail or {}),
    }
    delivery = WebhookDelivery.objects.create(
        idempotency_key=key,
        event_type=event_type,
        campaign=chosen[0] if len(chosen) == 1 else None,
        payload=payload,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return delivery


def enqueue_delivery(delivery_id: int) -> None:
    """Ring the doorbell: a deliver_webhook task for the row. A broker that is down loses nothing: the
    sweeper finds the row due."""
    try:
        from django_q.tasks import async_task

        async_task(DELIVER_TASK, delivery_id)
    except Exception:
        log.exception("could not enqueue webhook delivery %s; the sweeper will pick it up", delivery_id)


# ---- delivering ------------------------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _free(now: dt.datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now)


def _due(now: dt.datetime) -> Q:  # a retry may leave up to waiter.EARLY before its due time (see there)
    return Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now + waiter.EARLY))


def claim(delivery_id: int, owner: str, now: dt.datetime) -> bool:
    """Take the row for one attempt if it is pending, due and not leased (or its lease expired: the worker that
    had it died). The attempt is counted here, so an attempt cut short by a killed worker still counts."""
    return (
        WebhookDelivery.objects.filter(_due(now) & _free(now), pk=delivery_id).update(
            lease_owner=owner,
            lease_expires_at=now + LEASE,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
        == 1
    )


def deliver(delivery_id: int, *, sender: WfmSender | None = None) -> str:
    """One attempt at one delivery; what happened, in a word (delivered, retrying, throttled, dead, gone, held,
    not-due, not-configured, lease-lost)."""
    config = wfm_config()
    if config is None:
        WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
            last_error="not sent: WFM_WEBHOOK_URL or WFM_WEBHOOK_SECRET is not set (or not valid)"
        )
        return "not-configured"
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.filter(url=config.url).first()
    if endpoint is not None and endpoint.gone_at is not None:
        held = WebhookDelivery.objects.filter(_free(now), pk=delivery_id, status=Status.PENDING).update(
            status=Status.GONE,
            next_attempt_at=None,
            last_error=f"not sent: the endpoint answered 410 Gone at {endpoint.gone_at:%Y-%m-%d %H:%M:%S} UTC",
        )
        return "held" if held else "not-due"
    owner = worker_name()
    if not claim(delivery_id, owner, now):
        return "not-due"
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    sender = sender or shared_sender(config.url, config.keys, config.timeout)
    answer = sender.send(delivery.webhook_id, body_bytes(delivery.payload))
    return record_answer(delivery, owner, answer, config, timezone.now())


def record_answer(
    delivery: WebhookDelivery, owner: str, answer: Answer, config: WfmConfig, now: dt.datetime
) -> str:
    """Write what the attempt's answer means, if this worker still holds the lease."""
    fields = {
        "lease_owner": "",
        "lease_expires_at": None,
        "last_status_code": answer.status_code,
        "last_response": answer.excerpt,
        "last_error": answer.error,
    }
    if answer.outcome == Outcome.DELIVERED:
        fields.update(status=Status.DELIVERED, delivered_at=now, next_attempt_at=None)
        result = "delivered"
    elif answer.outcome == Outcome.GONE:
        fields.update(status=Status.GONE, next_attempt_at=None)
        result = "gone"
    elif delivery.attempts >= len(config.schedule):
        fields.update(status=Status.DEAD, next_attempt_at=None)
        result = "dead"
    else:
        wait = dt.timedelta(seconds=config.schedule[delivery.attempts])
        result = "retrying"
        if answer.outcome == Outcome.THROTTLED:
            result = "throttled"
            if answer.retry_after is not None:
                wait = max(wait, min(dt.timedelta(seconds=answer.retry_after), MAX_RETRY_AFTER))
        fields["next_attempt_at"] = now + wait
    with transaction.atomic():
        if WebhookDelivery.objects.filter(pk=delivery.pk, lease_owner=owner).update(**fields) != 1:
            log.warning(
                "webhook %s: lease lost before the answer was written; another attempt owns it", delivery.pk
            )
            return "lease-lost"
        if answer.outcome == Outcome.GONE:
            flag_gone(config.url, answer, now)
        elif result == "dead":  # the admins hear of it with the outcome, in its transaction
            delivery.refresh_from_db()
            notify.webhook_dead(delivery)
    if fields.get("next_attempt_at") and fields["next_attempt_at"] <= now + waiter.HORIZON:
        waiter.start()  # the retry is rung at its due time by the waiter, not at the next sweep
    return result


def flag_gone(url: str, answer: Answer, now: dt.datetime) -> None:
    endpoint, _ = WebhookEndpoint.objects.get_or_create(url=url)
    if endpoint.gone_at is None:
        endpoint.gone_at = now
        endpoint.gone_answer = answer.excerpt[:1000]
        endpoint.save(update_fields=["gone_at", "gone_answer", "updated_at"])
        log.error("WFM endpoint %s answered 410 Gone: deliveries to it stop until resumed", url)
        notify.webhook_endpoint_gone(url, answer.excerpt, now)


# ---- the sweeper -----------------------------------------------------------------------------------------------


def sweep_due_deliveries(*, enqueue: Callable[[int], None] | None = None, limit: int = SWEEP_BATCH) -> int:
    """Hand every pending delivery that is due, or whose lease expired, to the workers again; how many.
    Called every minute (campaigns.tasks.sweep_webhooks_task). A row already in the broker is harmless to
    enqueue twice: only one claim succeeds."""
    if wfm_config() is None:
        return 0
    enqueue = enqueue or enqueue_delivery
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(_due(now) & _free(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in ids:
        enqueue(delivery_id)
    waiter.start_if_due_soon(now)  # a retry due before the next sweep is rung on time by the waiter
    return len(ids)


# ---- by hand ---------------------------------------------------------------------------------------------------


def redeliver(delivery_id: int, actor) -> WebhookDelivery:
    """Send a dead, stopped or delivered event again, with the same webhook-id (the receiver dedupes), on a
    fresh run of the retry schedule."""
    if not actor.has_perm(roles.REDELIVER_WEBHOOKS):
        raise NotAllowed("Only supervisors and admins can redeliver webhooks.")
    config = wfm_config()
    endpoint = WebhookEndpoint.objects.filter(url=config.url).first() if config else None
    if endpoint is not None and endpoint.gone_at is not None:
        raise CannotRedeliver("The WFM endpoint answered 410 Gone: resume it first, then redeliver.")
    now = timezone.now()
    with transaction.atomic():
        before = WebhookDelivery.objects.filter(pk=delivery_id).first()
        if before is None:
            raise CannotRedeliver(f"There is no webhook delivery #{delivery_id}.")
        changed = WebhookDelivery.objects.filter(pk=delivery_id, status__in=REDELIVERABLE).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            lease_owner="",
            lease_expires_at=None,
            redeliveries=F("redeliveries") + 1,
        )
        if changed != 1:
            raise CannotRedeliver(
                f"Delivery #{delivery_id} is still being tried; it cannot be redelivered now."
            )
        audit.record(
            "campaigns.webhook.redelivered",
            before,
            actor=actor,
            campaign=before.activation.campaign if before.activation_id else before.campaign,
            message=f"{before.event_type} {before.webhook_id} sent again (was {before.get_status_display()} "
            f"after {before.attempts} attempts)",
        )
        transaction.on_commit(lambda: enqueue_delivery(delivery_id))
    return WebhookDelivery.objects.get(pk=delivery_id)


def resume_endpoint(actor) -> int:
    """The WFM endpoint is back (it answered 410 Gone before): clear the flag and send the deliveries it
    stopped again, with their webhook-ids; how many."""
    if not actor.has_perm(roles.REDELIVER_WEBHOOKS):
        raise NotAllowed("Only supervisors and admins can resume the WFM endpoint.")
    config = wfm_config()
    if config is None:
        return 0
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(url=config.url).first()
        if endpoint is None or endpoint.gone_at is None:
            return 0
        endpoint.gone_at = None
        endpoint.resumed_at = now
        endpoint.save(update_fields=["gone_at", "resumed_at", "updated_at"])
        ids = list(WebhookDelivery.objects.filter(status=Status.GONE).values_list("pk", flat=True))
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, lease_owner="", lease_expires_at=None
        )
        audit.record(
            "campaigns.webhook.endpoint_resumed",
            endpoint,
            actor=actor,
            message=f"{config.url} resumed; {len(ids)} stopped deliveries sent again",
        )
        transaction.on_commit(lambda: [enqueue_delivery(pk) for pk in ids])
    return len(ids)
