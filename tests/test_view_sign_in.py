"""The login page and the admin's: local passwords while PASSWORD_LOGIN is on, the identity provider's button
when OIDC_ISSUER is set, both following the same rule; logging out; a provider that cannot be reached."""

from __future__ import annotations

import socket

import pytest

from campaigns.sso import discovery
from tests.conftest import PASSWORD

SIGN_ON = "campaigns.sso.backend.SignOnBackend"
PASSWORDS = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def sign_on_only(settings):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))  # nothing answers there: the provider cannot be reached
    settings.OIDC_ISSUER = f"http://127.0.0.1:{holder.getsockname()[1]}"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "planner", "s"
    settings.OIDC_PROVIDER_NAME = "Contoso ID"
    settings.PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [SIGN_ON]
    discovery.forget()
    yield settings
    holder.close()
    discovery.forget()


def test_without_sign_on_the_page_asks_for_a_password_only(client, db):
    page = client.get("/login/").content.decode()
    assert 'name="password"' in page and "Sign in with" not in page


def test_with_sign_on_and_passwords_off_the_page_offers_only_the_identity_provider(client, sign_on_only):
    page = client.get("/login/?next=/drafts/").content.decode()
    assert 'href="/oidc/authenticate/?next=%2Fdrafts%2F"' in page and "Sign in with Contoso ID" in page
    assert 'name="password"' not in page


def test_with_passwords_off_a_right_password_does_not_sign_in(client, planner, sign_on_only):
    answer = client.post("/login/", {"username": planner.username, "password": PASSWORD})
    assert answer.status_code == 403 and "Passwords are switched off here" in answer.content.decode()
    assert client.get("/").status_code == 302


def test_with_passwords_off_the_admins_login_is_the_identity_provider_too(client, sign_on_only):
    answer = client.get("/admin/login/?next=/admin/")
    assert answer.status_code == 302 and answer["Location"] == "/login/?next=%2Fadmin%2F"


def test_with_passwords_on_the_admin_keeps_its_own_login(client, db):
    assert client.get("/admin/login/").status_code == 200


def test_a_session_signed_in_with_a_password_ends_when_passwords_are_switched_off(client, planner, settings):
    client.force_login(planner, backend=PASSWORDS)
    assert client.get("/campaigns/").status_code == 200
    settings.PASSWORD_LOGIN = False
    settings.AUTHENTICATION_BACKENDS = [SIGN_ON]
    assert client.get("/campaigns/").status_code == 302


def test_a_provider_that_cannot_be_reached_is_said_on_the_login_page(client, sign_on_only):
    answer = client.get("/oidc/authenticate/")
    assert answer.status_code == 302 and answer["Location"] == "/login/"
    assert "Signing in with Contoso ID cannot start" in client.get("/login/").content.decode()


def test_logging_out_without_sign_on_returns_to_the_login_page(as_planner):
    answer = as_planner.post("/logout/")
    assert answer["Location"] == "/login/"
    assert as_planner.get("/").status_code == 302
    assert as_planner.get("/logout/").status_code == 405
