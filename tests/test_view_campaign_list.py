import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import CapacityPool
from tests.conftest import make_campaign, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, planner):
    client.force_login(planner)
    return client


def names(response):
    return [c.name for c in response.context["page"].object_list]


def test_the_list_shows_campaigns_by_name(signed_in, pool):
    make_campaign("C-2", pool=pool, name="Winbacks West")
    make_campaign("C-1", pool=pool, name="Renewals East")
    response = signed_in.get(reverse("campaign-list"))
    assert response.status_code == 200
    assert names(response) == ["Renewals East", "Winbacks West"]


def test_search_matches_name_or_cxone_id(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Renewals East")
    make_campaign("C-2", pool=pool, name="Winbacks West")
    assert names(signed_in.get(reverse("campaign-list"), {"q": "renew"})) == ["Renewals East"]
    assert names(signed_in.get(reverse("campaign-list"), {"q": "c-2"})) == ["Winbacks West"]


def test_search_as_you_type_returns_only_the_results_partial(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Renewals East")
    response = signed_in.get(
        reverse("campaign-list"), {"q": "renew"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="campaign-results"
    )
    body = response.content.decode()
    assert "Renewals East" in body
    assert "<html" not in body
    assert 'id="id_q"' not in body


def test_filters_by_state_and_skill(signed_in, pool):
    other = CapacityPool.objects.create(cxone_skill_id="S-99", name="Collections", agents=5)
    make_campaign("C-1", pool=pool, name="Active renewals", state="ACTIVE")
    make_campaign("C-2", pool=pool, name="Paused renewals", state="PAUSED")
    make_campaign("C-3", pool=other, name="Active collections", state="ACTIVE")
    assert names(signed_in.get(reverse("campaign-list"), {"state": "PAUSED"})) == ["Paused renewals"]
    assert names(signed_in.get(reverse("campaign-list"), {"skill": other.pk})) == ["Active collections"]
    both = signed_in.get(reverse("campaign-list"), {"state": "ACTIVE", "skill": pool.pk})
    assert names(both) == ["Active renewals"]


def test_unknown_filter_values_are_ignored_not_an_error(signed_in, pool):
    make_campaign("C-1", pool=pool)
    response = signed_in.get(reverse("campaign-list"), {"state": "<bogus>", "skill": "abc", "page": "zzz"})
    assert response.status_code == 200
    assert len(names(response)) == 1


def test_the_list_is_paginated_and_keeps_its_filters(signed_in, pool):
    for i in range(30):
        make_campaign(f"C-{i:03}", pool=pool, name=f"Renewals {i:03}")
    first = signed_in.get(reverse("campaign-list"), {"q": "renewals"})
    assert len(names(first)) == 25
    assert "q=renewals&amp;page=2" in first.content.decode()
    second = signed_in.get(reverse("campaign-list"), {"q": "renewals", "page": 2})
    assert len(names(second)) == 5


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_campaigns(signed_in, pool, planner):
    url = reverse("campaign-list")
    for i in range(3):
        make_draft(make_campaign(f"C-A{i}", pool=pool), planner)
    few = query_count(signed_in, url)
    for i in range(20):
        extra_pool = CapacityPool.objects.create(cxone_skill_id=f"S-X{i}", name=f"Pool {i}", agents=3)
        make_draft(make_campaign(f"C-B{i}", pool=extra_pool), planner)
    assert query_count(signed_in, url) == few


def test_campaign_names_from_cxone_are_escaped(signed_in, pool):
    make_campaign("C-1", pool=pool, name='<script>alert("x")</script> Renewals')
    body = signed_in.get(reverse("campaign-list")).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_an_empty_search_says_what_to_do(signed_in, pool):
    make_campaign("C-1", pool=pool)
    body = signed_in.get(reverse("campaign-list"), {"q": "nothing-matches"}).content.decode()
    assert "No campaigns match" in body


def test_each_row_shows_the_next_window_in_local_time_and_utc(signed_in, pool):
    import time_machine

    make_campaign(
        "C-1", pool=pool, name="Renewals East", timezone="America/Chicago", cron_expression="0 9 * * 1-5"
    )
    with time_machine.travel("2026-12-07 12:00Z", tick=False):  # a Monday, 06:00 in Chicago
        body = signed_in.get(reverse("campaign-list")).content.decode()
    assert "Mon 07 Dec 09:00 CST" in body
    assert "2026-12-07 15:00 UTC" in body


def test_a_campaign_dialling_outside_calling_hours_is_flagged_in_the_list(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Late dialler", cron_expression="0 20 * * *", duration_minutes=120)
    make_campaign("C-2", pool=pool, name="Day dialler", cron_expression="0 10 * * 1-5", duration_minutes=120)
    response = signed_in.get(reverse("campaign-list"))
    rows = {c.name: c.badge for c in response.context["page"].object_list}
    assert rows["Late dialler"]["level"] == "blocking"
    assert rows["Day dialler"]["level"] == "clear"
    assert "✖ 1 blocking" in response.content.decode()


def test_a_planner_finds_their_open_drafts_above_the_list(signed_in, pool, planner, other_planner):
    mine = make_draft(make_campaign("C-1", pool=pool, name="Renewals East"), planner)
    make_draft(make_campaign("C-2", pool=pool, name="Winbacks West"), other_planner)
    response = signed_in.get(reverse("campaign-list"))
    assert response.context["my_open_drafts"] == [mine]
    body = response.content.decode()
    assert body.index('id="my-drafts-h"') < body.index("<h1>Campaigns</h1>")


def test_a_manager_sees_no_drafts_panel(client, manager, pool):
    client.force_login(manager)
    response = client.get(reverse("campaign-list"))
    assert "my_open_drafts" not in response.context
    assert 'id="my-drafts-h"' not in response.content.decode()
