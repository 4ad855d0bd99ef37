"""The numbers /metrics exposes, gathered at scrape time: activations, webhook deliveries and changes found in
CXone from their tables (the database is the source of truth, and every process writes there), the CXone request
counters from the shared store, the sync's age, the queue's depth and the live workers from their heartbeats."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from campaigns.metrics import counters
from campaigns.metrics.broker import queue_depth
from campaigns.metrics.cluster import cluster_status
from campaigns.models import Activation, DiallingChange, Drift, SyncStatus, WebhookDelivery

# Seconds from approval to observed ACTIVE: the sandbox takes 1-5 s, a busy CXone tens of seconds.
LATENCY_BUCKETS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
FINISHED_STEPS = ("active", "failed", "stale")
# Seconds from a change first seen in CXone to its answer: people answer in minutes to days.
ANSWER_BUCKETS = (300, 900, 3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 7 * 86400)
UNFINISHED_STEPS = ("queued", "pushing", "polling")


class PlannerCollector:
    def collect(self):
        yield from activation_metrics()
        yield from webhook_metrics()
        yield from drift_metrics()
        yield from control_metrics()
        yield from cxone_metrics()
        yield from sync_metrics()
        yield from queue_metrics()
        yield from cluster_metrics()


def activation_metrics():
    measured = Activation.objects.filter(latency_ms__isnull=False).aggregate(
        total=Count("pk"),
        sum_ms=Sum("latency_ms"),
        **{f"le_{b}": Count("pk", filter=Q(latency_ms__lte=b * 1000)) for b in LATENCY_BUCKETS},
    )
    histogram = HistogramMetricFamily(
        "planner_activation_latency_seconds",
        "Seconds from a draft's approval to CXone observed ACTIVE, per finished activation.",
    )
    buckets = [(str(float(b)), measured[f"le_{b}"]) for b in LATENCY_BUCKETS] + [("+Inf", measured["total"])]
    histogram.add_metric([], buckets, sum_value=(measured["sum_ms"] or 0) / 1000)
    yield histogram

    by_step = dict(Activation.objects.values_list("step").annotate(n=Count("pk")).order_by())
    finished = CounterMetricFamily(
        "planner_activations", "Finished activations by outcome.", labels=["outcome"]
    )
    for step in FINISHED_STEPS:
        finished.add_metric([step], by_step.get(step, 0))
    yield finished
    unfinished = GaugeMetricFamily(
        "planner_activations_in_progress", "Activations not finished yet, by step.", labels=["step"]
    )
    for step in UNFINISHED_STEPS:
        unfinished.add_metric([step], by_step.get(step, 0))
    yield unfinished


def webhook_metrics():
    by_status = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("pk")).order_by())
    family = GaugeMetricFamily(
        "planner_webhook_deliveries", "WFM webhook deliveries by status.", labels=["status"]
    )
    for status in WebhookDelivery.Status.values:
        family.add_metric([status], by_status.get(status, 0))
    yield family


def drift_metrics():
    """Campaigns changed in CXone behind the product's back: open now, found in all, answered (by answer), and
    how long the answers took."""
    by_answer = dict(Drift.objects.values_list("answer").annotate(n=Count("pk")).order_by())
    drifted = GaugeMetricFamily(
        "planner_campaigns_drifted", "Campaigns changed in CXone whose change nobody answered yet."
    )
    drifted.add_metric([], by_answer.get("", 0))
    yield drifted
    found = CounterMetricFamily("planner_drifts_found", "Changes made in CXone found by the sync.")
    found.add_metric([], sum(by_answer.values()))
    yield found
    answered = CounterMetricFamily(
        "planner_drifts_answered", "Changes found in CXone that were answered, by answer.", labels=["answer"]
    )
    for answer in Drift.Answer.values:
        answered.add_metric([answer], by_answer.get(answer, 0))
    yield answered
    rows = Drift.objects.filter(answered_at__isnull=False).values_list("first_seen_at", "answered_at")
    seconds = [max(0.0, (answered - seen).total_seconds()) for seen, answered in rows]
    histogram = HistogramMetricFamily(
        "planner_drift_answer_seconds", "Seconds from a change first seen in CXone to its answer."
    )
    buckets = [(str(float(b)), sum(1 for s in seconds if s <= b)) for b in ANSWER_BUCKETS]
    histogram.add_metric([], buckets + [("+Inf", len(seconds))], sum_value=sum(seconds))
    yield histogram


def control_metrics():
    """Dialling control: changes by action and step, and the control alarm (raised in all, and open now: a stop
    CXone has not confirmed in time)."""
    rows = DiallingChange.objects.values_list("action", "step").annotate(n=Count("pk")).order_by()
    changes = GaugeMetricFamily(
        "planner_dialling_changes", "Dialling changes (stop, start) by step.", labels=["action", "step"]
    )
    counts = {(action, step): n for action, step, n in rows}
    for action in DiallingChange.Action.values:
        for step in DiallingChange.Step.values:
            changes.add_metric([action, step], counts.get((action, step), 0))
    yield changes
    alarmed = DiallingChange.objects.filter(alarm_raised_at__isnull=False)
    raised = CounterMetricFamily("planner_control_alarms", "Control alarms raised: stops not confirmed in time.")
    raised.add_metric([], alarmed.count())
    yield raised
    open_now = GaugeMetricFamily("planner_control_alarms_open", "Alarmed stops CXone has still not confirmed.")
    open_now.add_metric([], alarmed.exclude(step__in=("done", "cancelled")).count())
    yield open_now


def cxone_metrics():
    requests = CounterMetricFamily(
        "planner_cxone_requests", "Requests sent to CXone by every process, by answer status.", labels=["status"]
    )
    limited = CounterMetricFamily("planner_cxone_rate_limited", "CXone answers 429 Too Many Requests.")
    limited_total = 0
    for key, value in sorted(counters.totals().items()):
        name, labels = counters.parse(key)
        if name == "cxone_requests":
            requests.add_metric([labels.get("status", "")], value)
        elif name == "cxone_rate_limited":
            limited_total += value
    limited.add_metric([], limited_total)
    yield requests
    yield limited


def sync_metrics():
    status = SyncStatus.objects.filter(pk=1).first()
    last = status.last_success_at if status else None
    age = GaugeMetricFamily(
        "planner_sync_age_seconds", "Seconds since the campaign mirror last synced with CXone (absent: never)."
    )
    if last:
        age.add_metric([], (timezone.now() - last).total_seconds())
    yield age
    failed = GaugeMetricFamily(
        "planner_sync_failed_campaigns", "Campaigns the last sync could not read whole."
    )
    failed.add_metric([], len(status.failed_campaigns or {}) if status else 0)
    yield failed


def queue_metrics():
    depth = queue_depth()
    family = GaugeMetricFamily("planner_queue_depth", "Tasks waiting in the broker for a worker.")
    if depth is not None:
        family.add_metric([], depth)
    yield family


def cluster_metrics():
    status = cluster_status()
    workers = GaugeMetricFamily("planner_cluster_workers", "Live qcluster worker processes (heartbeats).")
    clusters = GaugeMetricFamily("planner_clusters", "Live qcluster clusters (heartbeats).")
    if status is not None:
        workers.add_metric([], status.workers)
        clusters.add_metric([], status.clusters)
    yield workers
    yield clusters
