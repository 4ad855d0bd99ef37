import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from campaigns.cxone.errors import ServerError
from campaigns.services.sync import status as sync_status


@pytest.mark.django_db
def test_healthz_answers_ok_without_login_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["broker"]) == ("ok", "ok", "ok")
    assert body["sync"]["last_success_at"] is None and body["sync"]["stale"] is True


@pytest.mark.django_db
def test_healthz_reports_the_last_successful_sync_its_age_the_last_error_and_the_queue_depth(client):
    from django_q.brokers import get_broker

    broker = get_broker()
    waiting = broker.queue_size()
    finished = timezone.now() - dt.timedelta(minutes=3)
    sync_status.claim()
    sync_status.record_success({}, [], {"created": 4}, now=finished)
    sync_status.claim()
    sync_status.record_failure(ServerError("GET /api/v2/outbound/campaigns: CXone answered 503"))
    broker.enqueue("a task for the depth")
    try:
        body = client.get("/healthz").json()
    finally:
        broker.purge_queue()

    assert body["status"] == "ok"  # a failed sync does not take the web process out of the load balancer
    assert body["sync"]["last_success_at"] == finished.isoformat()
    assert 180 <= body["sync"]["age_seconds"] < 240 and body["sync"]["stale"] is False
    assert body["sync"]["last_error"] == "ServerError: GET /api/v2/outbound/campaigns: CXone answered 503"
    assert body["sync"]["last_error_at"] is not None and body["sync"]["running"] is False
    assert body["queue"] == {"depth": waiting + 1}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch("campaigns.views.health.connection.cursor", side_effect=Exception("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["status"] == "down"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client):
    with mock.patch("campaigns.metrics.broker.get_broker", side_effect=ConnectionError("no broker")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
