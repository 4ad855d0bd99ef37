"""/metrics: Prometheus text for operators, behind a token or an address allow-list, with activation latency and
outcomes, webhook deliveries by status, changes found in CXone, CXone requests by status and 429s (counted in the
client, summed across processes in the shared store), the sync's age, the queue's depth and the live workers."""

import asyncio
import datetime as dt

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from campaigns.metrics import counters
from campaigns.models import Activation, CampaignVersion, DiallingChange, Drift, WebhookDelivery
from campaigns.sandbox import create_app
from campaigns.services.sync import status as sync_status
from tests.conftest import make_campaign
from tests.cxone_support import asgi_client, fast_config
from tests.wfm_support import make_activation

TOKEN = "scrape-me-please"


@pytest.fixture(autouse=True)
def guarded(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    counters.take_pending()  # counts left by earlier tests' CXone calls are not this test's


def scrape(client, **headers) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


@pytest.mark.django_db
def test_it_refuses_a_scraper_without_the_token_or_with_a_wrong_one(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.django_db
def test_it_refuses_everyone_when_neither_token_nor_allow_list_is_set(client, settings):
    settings.METRICS_TOKEN = None
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    assert client.get("/metrics").status_code == 403


@pytest.mark.django_db
def test_an_allowed_network_may_scrape_without_a_token(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403


@pytest.mark.django_db
def test_it_reports_activation_latency_and_outcomes(client, planner, pool):
    campaign = make_campaign(pool=pool)
    make_activation(campaign, planner, latency_ms=4000)
    make_activation(campaign, planner, latency_ms=9000)
    make_activation(campaign, planner, latency_ms=45000)
    make_activation(campaign, planner, step=Activation.Step.FAILED)
    make_activation(campaign, planner, step=Activation.Step.POLLING, outcome="", latency_ms=None)

    samples = scrape(client)
    assert value(samples, "planner_activation_latency_seconds_bucket", le="2.0") == 0
    assert value(samples, "planner_activation_latency_seconds_bucket", le="5.0") == 1
    assert value(samples, "planner_activation_latency_seconds_bucket", le="10.0") == 2
    assert value(samples, "planner_activation_latency_seconds_bucket", le="60.0") == 3
    assert value(samples, "planner_activation_latency_seconds_bucket", le="+Inf") == 3
    assert value(samples, "planner_activation_latency_seconds_count") == 3
    assert value(samples, "planner_activation_latency_seconds_sum") == 58.0
    assert value(samples, "planner_activations_total", outcome="active") == 3
    assert value(samples, "planner_activations_total", outcome="failed") == 1
    assert value(samples, "planner_activations_total", outcome="stale") == 0
    assert value(samples, "planner_activations_in_progress", step="polling") == 1


@pytest.mark.django_db
def test_it_reports_webhook_deliveries_by_status(client, planner, pool):
    campaign = make_campaign(pool=pool)
    for status in ["delivered", "delivered", "pending", "dead"]:
        WebhookDelivery.objects.create(
            event_type="campaign.activated", payload={}, status=status,
            activation=make_activation(campaign, planner),
        )
    samples = scrape(client)
    assert value(samples, "planner_webhook_deliveries", status="delivered") == 2
    assert value(samples, "planner_webhook_deliveries", status="pending") == 1
    assert value(samples, "planner_webhook_deliveries", status="dead") == 1
    assert value(samples, "planner_webhook_deliveries", status="gone") == 0


@pytest.mark.django_db
def test_it_reports_campaigns_changed_in_cxone_and_how_long_their_answers_took(client, pool):
    now = timezone.now()
    for number, (answer, minutes) in enumerate(
        [("", None), ("kept", 10), ("restoring", 90), ("reverted", 600)]
    ):
        campaign = make_campaign(f"C-{number}", pool=pool)
        version = CampaignVersion.objects.create(campaign=campaign, source="first_mirrored")
        seen = now - dt.timedelta(hours=20)
        Drift.objects.create(
            campaign=campaign, seen=version, reference=version, changed=["running"], first_seen_at=seen,
            last_seen_at=seen, answer=answer,
            answered_at=None if minutes is None else seen + dt.timedelta(minutes=minutes),
        )  # fmt: skip

    samples = scrape(client)
    assert value(samples, "planner_campaigns_drifted") == 1
    assert value(samples, "planner_drifts_found_total") == 4
    assert value(samples, "planner_drifts_answered_total", answer="kept") == 1
    assert value(samples, "planner_drifts_answered_total", answer="restoring") == 1
    assert value(samples, "planner_drifts_answered_total", answer="replaced") == 0
    assert value(samples, "planner_drift_answer_seconds_bucket", le="900.0") == 1
    assert value(samples, "planner_drift_answer_seconds_bucket", le="14400.0") == 2
    assert value(samples, "planner_drift_answer_seconds_bucket", le="+Inf") == 3
    assert value(samples, "planner_drift_answer_seconds_sum") == (10 + 90 + 600) * 60


@pytest.mark.django_db
def test_cxone_requests_and_429s_are_counted_by_the_client_and_summed_across_processes(client):
    app = create_app(fast_config(rate_limit=0.5, burst=2))

    async def sleep_on_the_sandbox_clock(seconds: float) -> None:
        app.state.clock.advance(seconds)

    async def calls():
        async with asgi_client(app, sleep=sleep_on_the_sandbox_clock) as cxone:
            await cxone.get_campaign("C-1001")
            await cxone.get_campaign("C-1002")  # the burst of 2 (token + first call) is spent: one 429

    before = scrape(client)
    asyncio.run(calls())
    answered = {
        status: sum(counter[status] for counter in app.state.stats.requests.values()) for status in ("200", "429")
    }
    counters._store().add({counters.series("cxone_requests", status="200"): 5})  # another process's flush

    samples = scrape(client)

    def added(name, **labels):  # Redis keeps counts across tests (no rollback): compare with before
        return value(samples, name, **labels) - (value(before, name, **labels) or 0)

    assert added("planner_cxone_rate_limited_total") == 1
    assert added("planner_cxone_requests_total", status="429") == 1
    assert answered == {"200": 3, "429": 1}  # the token and two campaigns; one refused first
    assert added("planner_cxone_requests_total", status="200") == 3 + 5


@pytest.mark.django_db
def test_it_reports_the_sync_age_the_queue_depth_and_no_live_workers(client):
    samples = scrape(client)
    assert value(samples, "planner_sync_age_seconds") is None  # never synced: no sample, not a made-up age
    assert value(samples, "planner_cluster_workers") == 0
    assert value(samples, "planner_queue_depth") is not None

    sync_status.claim()
    sync_status.record_success({}, [], {"created": 1}, now=timezone.now() - dt.timedelta(minutes=2))
    age = value(scrape(client), "planner_sync_age_seconds")
    assert 120 <= age < 180


@pytest.mark.django_db
def test_it_reports_dialling_changes_by_step_and_the_control_alarms_raised_and_still_open(client, pool):
    now = timezone.now()
    for number, (step, alarmed) in enumerate([("done", False), ("queued", True), ("done", True)]):
        DiallingChange.objects.create(
            campaign=make_campaign(f"C-{number}", pool=pool), action="stop", origin="partial_week", step=step,
            due_at=now, alarm_raised_at=now if alarmed else None,
        )  # fmt: skip
    samples = scrape(client)
    assert value(samples, "planner_dialling_changes", action="stop", step="done") == 2
    assert value(samples, "planner_dialling_changes", action="start", step="queued") == 0
    assert value(samples, "planner_control_alarms_total") == 2
    assert value(samples, "planner_control_alarms_open") == 1
