"""planner/security.py: Cache-Control: private, no-store on every page we make (signed-in pages, the log-in
page, partials, CSV, redirects), never on static files; answers that chose their own header keep it."""

import pytest
from django.urls import reverse

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
