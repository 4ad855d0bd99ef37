"""Signing on in Chromium as a person would: the login page's button, the identity provider's own page (the node
oidc-provider in a process of its own), back on the planner with the role the groups grant; logging out there
too. The same path a newcomer takes after `make run`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaigns.sso import discovery
from tests.browser import browser_type_launch_args  # noqa: F401 (a fixture)
from tests.conftest import make_user
from tests.oidc_support import CLIENT_ID, CLIENT_SECRET, PASSWORD, ROLE_GROUPS, Provider, require_node

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idp(live_server, settings, tmp_path):
    make_user("sue_supervisor", "supervisor")  # the roles' groups, which a transactional test before may have flushed
    provider = Provider(tmp_path)
    provider.set_account("sso-supervisor", ["cc-supervisors"], name="Sol Supervisor")
    provider.start(require_node(), site=live_server.url)
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = provider.issuer, CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_SCOPES, settings.OIDC_ROLE_GROUPS = "openid email profile groups", ROLE_GROUPS
    settings.OIDC_PROVIDER_NAME = "the demo identity provider"
    settings.AUTHENTICATION_BACKENDS = ["campaigns.sso.backend.SignOnBackend"]
    settings.PASSWORD_LOGIN = False
    discovery.forget()
    yield provider
    discovery.forget()
    provider.stop()


def test_a_supervisor_signs_on_through_the_providers_page_and_out_again(live_server, page, idp):
    page.goto(f"{live_server.url}/approvals/")
    expect(page.get_by_label("Password")).to_have_count(0)  # passwords are off: only the provider
    page.get_by_role("link", name="Sign in with the demo identity provider").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # the provider's own page
    page.get_by_label("User name").fill("sso-supervisor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/approvals/")
    expect(page.get_by_text("(supervisor)")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Yes, sign me out").click()  # the provider asks, as providers do
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.get_by_role("link", name="Sign in with the demo identity provider").click()
    expect(page.get_by_label("User name")).to_be_visible()  # signed out there too: the password is asked again
