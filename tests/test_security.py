"""planner/security.py: Cache-Control: private, no-store on every page we make (signed-in pages, the log-in
page, partials, CSV, redirects), never on static files; answers that chose their own header keep it. The
Content-Security-Policy header: with sign-on, the identity provider's origin may receive the Log out form's
redirect (form-action), and nothing else is widened."""

import pytest
from django.urls import reverse

from planner.security import current_policy, policy_header

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/campaigns/", "/audit/", "/audit.csv", "/activations/", "/timeline/", "/dashboard/", "/drafts/"]
)
def test_signed_in_pages_are_never_stored(client, supervisor, url):
    client.force_login(supervisor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_htmx_partials_and_redirects_are_never_stored_either(client, supervisor):
    client.force_login(supervisor)
    partial = client.get("/campaigns/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="campaign-results")
    landing = client.get("/")
    assert partial["Cache-Control"] == landing["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_the_login_pages_are_never_stored(client, url):
    cache_control = {part.strip() for part in client.get(url)["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_an_anonymous_visitor_sent_to_the_login_is_not_stored(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/css/planner.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_healthz_keeps_its_own_header(client):
    cache_control = client.get(reverse("healthz"))["Cache-Control"]
    assert cache_control != "private, no-store" and "max-age=0" in cache_control


def test_without_sign_on_forms_go_to_our_own_origin_only(settings):
    settings.OIDC_ISSUER = None
    assert current_policy()["form-action"] == ["'self'"]


def test_with_sign_on_the_providers_origin_is_a_form_action_and_nothing_else_changes(settings):
    settings.OIDC_ISSUER = "https://login.example.test/realms/contact-centre/"
    policy = current_policy()
    assert policy["form-action"] == ["'self'", "https://login.example.test"]
    assert {k: v for k, v in policy.items() if k != "form-action"} == {
        k: v for k, v in settings.CONTENT_SECURITY_POLICY.items() if k != "form-action"
    }
    assert "form-action 'self' https://login.example.test" in policy_header(policy)


def test_every_response_carries_the_policy_as_the_settings_say_now(client, settings, db):
    settings.OIDC_ISSUER = "https://id.example.test"
    assert "form-action 'self' https://id.example.test;" in client.get("/login/")["Content-Security-Policy"]
