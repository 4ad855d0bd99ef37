import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import CapacityPool
from campaigns.services.drafts.checks import draft_checks
from tests.conftest import make_campaign, make_draft
from tests.history_support import found_in_cxone

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


def test_unknown_filter_values_are_ignored_and_named_with_a_400(signed_in, pool):
    make_campaign("C-1", pool=pool)
    response = signed_in.get(reverse("campaign-list"), {"state": "<bogus>", "skill": "abc", "page": "zzz"})
    assert response.status_code == 400
    assert len(names(response)) == 1
    body = response.content.decode()
    assert "State: “&lt;bogus&gt;” is not one of the choices, so it is ignored." in body
    assert "Skill: “abc” is not a number in the digits 0-9, so it is ignored." in body
    assert "Page: “zzz” is not a page number, so it is ignored." in body


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


def test_the_list_filters_by_finding(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Late dialler", cron_expression="0 20 * * *", duration_minutes=120)
    make_campaign("C-2", pool=pool, name="Day dialler", cron_expression="0 10 * * 1-5", duration_minutes=120)
    make_campaign(
        "C-3", pool=pool, name="Unscheduled", cron_expression="", timezone="", duration_minutes=None
    )
    url = reverse("campaign-list")
    assert names(signed_in.get(url, {"finding": "blocking"})) == ["Late dialler"]
    assert names(signed_in.get(url, {"finding": "clear"})) == ["Day dialler"]
    assert names(signed_in.get(url, {"finding": "unscheduled"})) == ["Unscheduled"]
    assert len(names(signed_in.get(url, {"finding": "<bogus>"}))) == 3
    body = signed_in.get(url, {"finding": "blocking"}).content.decode()
    assert '<option value="blocking" selected>Blocking findings</option>' in body


def test_the_finding_badge_says_why_in_its_title_and_disclosure(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Late dialler", cron_expression="0 20 * * *", duration_minutes=120)
    body = html.unescape(signed_in.get(reverse("campaign-list")).content.decode())
    badge = body.split('<details class="finding-badge">', 1)[1].split("</details>", 1)[0]
    assert "✖ 1 blocking" in badge
    reason = "Error — Calling hours: US (Federal telephone-solicitation hours): the window"
    assert f'title="{reason}' in badge  # hover
    assert f"<li>{reason}" in badge  # and opened, for keyboards and touch


def test_the_list_reads_stored_findings_and_checks_no_windows_per_request(signed_in, pool, monkeypatch):
    make_campaign("C-1", pool=pool, name="Late dialler", cron_expression="0 20 * * *", duration_minutes=120)
    first = signed_in.get(
        reverse("campaign-list")
    )  # computes the new campaign's findings once, and stores them
    assert first.context["page"].object_list[0].badge["level"] == "blocking"

    def no_year_per_request(*args, **kwargs):
        raise AssertionError("the list checked a schedule instead of reading the stored findings")

    monkeypatch.setattr(draft_checks, "evaluate_values", no_year_per_request)
    again = signed_in.get(reverse("campaign-list"))
    assert again.context["page"].object_list[0].badge["level"] == "blocking"


def test_the_demo_campaign_c_1002_is_flagged_for_its_last_two_weeks_in_the_list_and_on_its_page(
    signed_in, pool, frozen_clock
):
    campaign = make_campaign(
        "C-1002", pool=pool, name="Reminders East 1002", timezone="America/New_York",
        cron_expression="0 10 * * 1-5", duration_minutes=300,
        effective_start=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC),
        effective_end=dt.datetime(2027, 3, 29, 4, tzinfo=dt.UTC),
        contact_list_breakdown=[{"state": "AZ", "timezones": ["America/Phoenix"], "count": 232}],
    )  # fmt: skip
    listed = html.unescape(signed_in.get(reverse("campaign-list")).content.decode())
    assert "✖ 1 blocking" in listed and "Mon 2027-03-15 07:00–12:00 MST in America/Phoenix" in listed
    page = html.unescape(signed_in.get(reverse("campaign-detail", args=[campaign.pk])).content.decode())
    assert "10 of 84 windows affected from 2027-03-15, 232 contacts" in page


@pytest.mark.parametrize("page", ["campaign-list", "my-drafts", "audit", "home"])
def test_read_only_pages_answer_post_with_405(signed_in, page):
    response = signed_in.post(reverse(page))
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_the_campaign_page_answers_post_with_405(signed_in, campaign):
    assert signed_in.post(reverse("campaign-detail", args=[campaign.pk])).status_code == 405


def test_the_approval_queue_answers_post_with_405(client, supervisor):
    client.force_login(supervisor)
    assert client.post(reverse("approval-queue")).status_code == 405


@pytest.mark.parametrize("page", ["campaign-list", "audit"])
def test_pages_with_htmx_partials_vary_on_hx_request(signed_in, page):
    response = signed_in.get(reverse(page))
    assert "HX-Request" in response["Vary"]


def test_going_back_after_a_search_gets_the_whole_page_not_a_fragment(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Renewals East")
    # htmx asks for a page it has no snapshot of with HX-History-Restore-Request: it must get the whole page.
    response = signed_in.get(
        reverse("campaign-list"), {"q": "renew"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="campaign-results",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )  # fmt: skip
    body = response.content.decode()
    assert "<html" in body and 'id="id_q"' in body and "Renewals East" in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("skill", ["9" * 30, "١٢", "-1", "²"])
def test_a_skill_filter_no_database_integer_can_hold_is_ignored_not_a_500(signed_in, pool, skill):
    make_campaign("C-1", pool=pool)
    response = signed_in.get(reverse("campaign-list"), {"skill": skill, "page": "9" * 30})
    assert response.status_code == 400
    assert response.context["filters"]["skill"] == "" and len(names(response)) == 1
    assert response.context["query_problems"][0].startswith("Skill: ")


@pytest.mark.parametrize("page", ["timeline", "capacity", "dashboard", "webhooks"])
def test_the_chart_and_outbox_pages_answer_post_with_405(client, supervisor, page):
    client.force_login(supervisor)
    response = client.post(reverse(page))
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("page", ["timeline", "capacity", "webhooks"])
def test_the_chart_and_outbox_pages_vary_on_hx_request(client, supervisor, page):
    client.force_login(supervisor)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]


def test_a_campaign_changed_in_cxone_has_a_badge_and_the_list_filters_by_it(signed_in, pool, supervisor):
    changed = make_campaign("C-1", pool=pool, name="Changed renewals")
    make_campaign("C-2", pool=pool, name="Quiet renewals")
    answered = make_campaign("C-3", pool=pool, name="Answered renewals")
    found_in_cxone(changed, ["running"], running=False)
    kept = found_in_cxone(answered, ["running"], running=False)
    kept.answered_at, kept.answer, kept.answered_by = kept.first_seen_at, "kept", supervisor
    kept.save()

    response = signed_in.get(reverse("campaign-list"))
    body = html.unescape(response.content.decode())
    assert body.count("⚠ Changed in CXone</a>") == 1
    assert f'href="{reverse("campaign-detail", args=[changed.pk])}#changed-in-cxone"' in body
    assert names(signed_in.get(reverse("campaign-list"), {"changed": "yes"})) == ["Changed renewals"]
    assert len(names(signed_in.get(reverse("campaign-list"), {"changed": "<bogus>"}))) == 3


def test_a_campaign_gone_from_cxone_shows_as_gone_without_windows_or_findings_and_is_listed_last(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Alpha gone", missing_since=dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    make_campaign("C-2", pool=pool, name="Beta present")

    response = signed_in.get(reverse("campaign-list"))
    assert names(response) == ["Beta present", "Alpha gone"]
    gone = response.context["page"].object_list[1]
    assert gone.next_window is None and gone.badge is None
    body = response.content.decode()
    assert "1 campaign (and 1 gone from CXone, listed last)" in body
    row = body[body.index("Alpha gone") : body.index("</tr>", body.index("Alpha gone"))]
    assert "Gone from CXone" in row and "No windows: gone from CXone" in row
    assert ">Active<" not in row and "blocking" not in row and "none" not in row


def test_gone_campaigns_are_found_by_their_own_filter_and_by_no_cxone_state(signed_in, pool):
    make_campaign("C-1", pool=pool, name="Gone", state="ACTIVE", missing_since=dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    make_campaign("C-2", pool=pool, name="Here", state="ACTIVE")

    assert names(signed_in.get(reverse("campaign-list"), {"state": "ACTIVE"})) == ["Here"]
    only_gone = signed_in.get(reverse("campaign-list"), {"state": "GONE"})
    assert names(only_gone) == ["Gone"]
    assert "1 campaign gone from CXone" in only_gone.content.decode()
    assert names(signed_in.get(reverse("campaign-list"), {"finding": "clear"})) == ["Here"]
