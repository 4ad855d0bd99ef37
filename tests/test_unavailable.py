"""The database down: a 503 page that says so (log-in, any page, before or inside the view), never a 500."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every query from now on fails to connect, as when PostgreSQL is down or the SQLite file is unreadable."""
    refused = OperationalError('connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused')
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=refused):
        yield


def says_the_database_is_down(response) -> bool:
    body = response.content.decode()
    return response.status_code == 503 and "The planner cannot reach its database" in body


def test_logging_in_while_the_database_is_down_answers_503_saying_so(client, planner, database_down, caplog):
    caplog.set_level(logging.WARNING, logger="planner.unavailable")

    response = client.post(reverse("login"), {"username": planner.username, "password": PASSWORD})

    assert says_the_database_is_down(response)
    assert response["Retry-After"] == "30"
    assert "nothing was changed" in response.content.decode()
    assert [r.event for r in caplog.records if r.name == "planner.unavailable"] == ["database_unavailable"]


def test_the_admin_login_answers_the_same_way(client, planner, database_down):
    response = client.post(reverse("admin:login"), {"username": planner.username, "password": PASSWORD})
    assert says_the_database_is_down(response)


def test_a_signed_in_page_answers_503_when_even_the_session_cannot_be_read(planner):
    # The session is read before any view runs (by the login-required middleware): Django's handler500 path.
    client = Client(raise_request_exception=False)
    client.force_login(planner)
    with mock.patch.object(connections["default"], "ensure_connection", side_effect=OperationalError("gone")):
        response = client.get(reverse("campaign-list"))
    assert says_the_database_is_down(response)


def test_the_page_carries_no_inline_script_or_style_and_keeps_the_security_headers(client, planner, database_down):
    response = client.post(reverse("login"), {"username": planner.username, "password": PASSWORD})
    body = response.content.decode()
    assert "<script" not in body and "<style" not in body and "style=" not in body
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_other_errors_are_still_a_plain_500(rf):
    from planner.unavailable import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/campaigns/"))
    assert response.status_code == 500
