"""The audit trail page: every transition with who, when and what; filters by campaign, user and action; the
results partial for HTMX."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.forms import DraftForm
from campaigns.models import AuditEntry, ScheduleDraft
from tests.conftest import make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

TAG = re.compile(r"<[^>]+>")


def form_data(draft, **overrides) -> dict:
    values = {**DraftForm.initial_from(draft), **overrides}
    data = {"lock_version": str(draft.lock_version)}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def history(pool, planner, supervisor, other_supervisor, frozen_clock):
    """Two campaigns taken through the workflow in the browser, a minute between steps:
    Renewals: created, edited, submitted, withdrawn, submitted, approved (supervisor);
    Winbacks: created, edited and submitted at once, rejected (other_supervisor)."""
    renewals = make_campaign("C-1", pool=pool, name="Renewals")
    winbacks = make_campaign("C-2", pool=pool, name="Winbacks", contact_list_id="L-2")
    as_planner = signed_in(planner)

    def step(client, name, draft_or_campaign, data=None):
        frozen_clock.shift(dt.timedelta(minutes=1))
        response = client.post(reverse(name, args=[draft_or_campaign.pk]), data or {})
        assert response.status_code == 302, (name, response.status_code)

    def draft_of(campaign):
        return ScheduleDraft.objects.get(campaign=campaign)

    step(as_planner, "draft-new", renewals)
    step(
        as_planner,
        "draft-editor",
        draft_of(renewals),
        form_data(draft_of(renewals), cron_expression="0 10 * * 1-5"),
    )
    step(as_planner, "draft-submit", draft_of(renewals), form_data(draft_of(renewals)))
    step(as_planner, "draft-withdraw", draft_of(renewals))
    step(as_planner, "draft-submit", draft_of(renewals), form_data(draft_of(renewals)))
    step(
        signed_in(supervisor),
        "draft-approve",
        draft_of(renewals),
        {"seen_lock_version": draft_of(renewals).lock_version},
    )
    step(as_planner, "draft-new", winbacks)
    # Submitting saves the form first: a shorter window is an edit, then the submission.
    step(
        as_planner, "draft-submit", draft_of(winbacks), form_data(draft_of(winbacks), duration_minutes="300")
    )
    step(
        signed_in(other_supervisor),
        "draft-reject",
        draft_of(winbacks),
        {"seen_lock_version": draft_of(winbacks).lock_version, "reason": "Overlaps the renewals push."},
    )
    return {"renewals": renewals, "winbacks": winbacks, "draft": draft_of(renewals)}


def rows(response) -> list[dict]:
    """The audit table as dicts of cell text."""
    body = response.content.decode()
    if "<tbody>" not in body:
        return []
    tbody = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    result = []
    for row in tbody.split("<tr>")[1:]:
        cells = [
            " ".join(html.unescape(TAG.sub(" ", cell)).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        result.append(dict(zip(["when", "who", "action", "object", "campaign", "what"], cells, strict=True)))
    return result


def actions(response) -> list[str]:
    """The action codes of the rows (the page shows their labels and keeps the code on hover)."""
    return re.findall(r'<td><span title="([a-z_.]+)">', response.content.decode())


def test_every_transition_appears_newest_first_with_who_when_and_what(client, planner, history):
    client.force_login(planner)

    response = client.get(reverse("audit"))

    assert response.status_code == 200
    assert actions(response) == [
        "campaigns.draft.rejected",
        "campaigns.draft.submitted",
        "campaigns.draft.edited",
        "campaigns.draft.created",
        "campaigns.draft.approved",
        "campaigns.draft.submitted",
        "campaigns.draft.withdrawn",
        "campaigns.draft.submitted",
        "campaigns.draft.edited",
        "campaigns.draft.created",
    ]
    table = rows(response)
    draft = history["draft"]
    created, edited, approved, rejected = table[-1], table[-2], table[4], table[0]
    # Names, not codes: the action's label, the draft named by its campaign, the campaign with its CXone id.
    assert created == {
        "when": "2026-11-30 12:01:00 UTC",  # no zone from the browser yet: UTC, named
        "who": "pat_planner",
        "action": "Draft started",
        "object": f"Draft #{draft.pk} of Renewals",
        "campaign": "Renewals C-1",
        "what": created["what"],
    }
    assert "Cron expression: 0 9 * * 1-5 (Weekdays 09:00–17:00 CST)" in created["what"]
    assert "Window length: 8 h" in created["what"]
    assert "Retry: interval: 1 min" in created["what"]
    assert "Effective from: 2026-12-01 00:00 CST" in created["what"]  # the schedule's own zone
    assert (edited["when"], edited["who"], edited["action"]) == (
        "2026-11-30 12:02:00 UTC",
        "pat_planner",
        "Draft edited",
    )
    assert "Cron expression: 0 9 * * 1-5 → 0 10 * * 1-5 (Weekdays at 10:00 CST)" in edited["what"]
    assert (approved["when"], approved["who"]) == ("2026-11-30 12:06:00 UTC", "sam_supervisor")
    assert "Status: Submitted → Approved" in approved["what"]
    assert (rejected["who"], rejected["campaign"], rejected["action"]) == (
        "sue_supervisor",
        "Winbacks C-2",
        "Rejected",
    )
    assert rejected["what"].startswith("Overlaps the renewals push.")
    assert "Rejection reason: Overlaps the renewals push." in rejected["what"]
    body = response.content.decode()
    assert f'<a href="{reverse("draft-editor", args=[draft.pk])}">Draft #{draft.pk} of Renewals</a>' in body
    assert "scheduledraft" not in body and "campaigns.draft.created</" not in body


def test_times_are_shown_in_the_viewers_zone_with_the_zone_named(client, planner, history):
    client.force_login(planner)
    client.cookies["planner_tz"] = "America/New_York"

    response = client.get(reverse("audit"))

    created = rows(response)[-1]
    assert created["when"] == "2026-11-30 07:01:00 EST"
    assert "When (America/New_York)" in response.content.decode()
    assert 'title="2026-11-30 12:01:00 UTC"' in response.content.decode()


def test_a_forged_zone_cookie_falls_back_to_utc(client, planner, history):
    client.force_login(planner)
    client.cookies["planner_tz"] = "<script>alert(1)</script>"

    response = client.get(reverse("audit"))

    assert rows(response)[-1]["when"] == "2026-11-30 12:01:00 UTC"
    assert "<script>alert(1)" not in response.content.decode()


def test_filter_by_campaign(client, planner, history):
    client.force_login(planner)

    response = client.get(reverse("audit"), {"campaign": history["winbacks"].pk})

    assert actions(response) == [
        "campaigns.draft.rejected",
        "campaigns.draft.submitted",
        "campaigns.draft.edited",
        "campaigns.draft.created",
    ]
    assert {row["campaign"] for row in rows(response)} == {"Winbacks C-2"}
    assert f'<option value="{history["winbacks"].pk}" selected>Winbacks</option>' in response.content.decode()


def test_filter_by_user(client, planner, supervisor, other_supervisor, history):
    client.force_login(planner)

    assert actions(client.get(reverse("audit"), {"user": supervisor.pk})) == ["campaigns.draft.approved"]
    assert actions(client.get(reverse("audit"), {"user": other_supervisor.pk})) == [
        "campaigns.draft.rejected"
    ]
    assert {row["who"] for row in rows(client.get(reverse("audit"), {"user": planner.pk}))} == {"pat_planner"}


def test_filter_by_action_matches_part_of_the_name(client, planner, history):
    client.force_login(planner)

    response = client.get(reverse("audit"), {"action": "  draft.SUBMITTED "})

    assert actions(response) == ["campaigns.draft.submitted"] * 3
    assert 'value="draft.SUBMITTED"' in response.content.decode()


def test_filters_combine(client, planner, history):
    client.force_login(planner)
    renewals = history["renewals"]

    submitted_renewals = client.get(reverse("audit"), {"campaign": renewals.pk, "action": "submitted"})
    planner_winbacks = client.get(reverse("audit"), {"campaign": history["winbacks"].pk, "user": planner.pk})
    nothing = client.get(reverse("audit"), {"campaign": renewals.pk, "action": "rejected"})

    assert [(r["campaign"], r["action"]) for r in rows(submitted_renewals)] == [
        ("Renewals C-1", "Submitted for approval")
    ] * 2
    assert actions(planner_winbacks) == [
        "campaigns.draft.submitted",
        "campaigns.draft.edited",
        "campaigns.draft.created",
    ]
    assert rows(nothing) == []
    assert "Nothing recorded for these filters — clear them to see everything" in nothing.content.decode()


def test_unreadable_filter_values_are_ignored_and_named_with_a_400(client, planner, history):
    client.force_login(planner)

    response = client.get(reverse("audit"), {"campaign": "x' OR 1=1", "user": "-1", "page": "zzz"})

    assert response.status_code == 400
    assert len(rows(response)) == 10
    assert response.context["filters"] == {"campaign": "", "user": "", "action": ""}
    assert response.context["query_problems"] == [
        "Campaign: “x' OR 1=1” is not a number in the digits 0-9, so it is ignored.",
        "User: “-1” is not a number in the digits 0-9, so it is ignored.",
        "Page: “zzz” is not a page number, so it is ignored.",
    ]


def test_filtering_as_you_type_returns_only_the_results_partial(client, planner, history):
    client.force_login(planner)

    response = client.get(
        reverse("audit"), {"action": "approved"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-results"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="id_action"' not in body and 'id="audit-results"' not in body
    assert actions(response) == ["campaigns.draft.approved"]


def test_an_htmx_request_for_another_target_gets_the_whole_page(client, planner, history):
    client.force_login(planner)

    response = client.get(reverse("audit"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")

    assert "<html" in response.content.decode()


def test_an_empty_trail_says_where_changes_will_appear(client, planner):
    client.force_login(planner)

    body = client.get(reverse("audit")).content.decode()

    assert "Nothing recorded yet — changes to drafts and campaigns appear here." in body


@pytest.mark.parametrize("param", ["campaign", "user", "page"])
def test_a_filter_no_database_integer_can_hold_is_ignored_not_a_500(history, manager, param):
    response = signed_in(manager).get(reverse("audit"), {param: "9" * 30})
    assert response.status_code == 400
    assert response.context["page"].paginator.count == AuditEntry.objects.count()


def test_a_long_trail_is_paged_with_links_that_keep_the_filters(client, planner):
    AuditEntry.objects.bulk_create(
        AuditEntry(action="campaigns.sync.note", object_type="campaign", object_id=str(n)) for n in range(51)
    )
    client.force_login(planner)

    first = client.get(reverse("audit"), {"action": "sync"}).content.decode()
    second = client.get(reverse("audit"), {"action": "sync", "page": 2}).content.decode()

    assert "Page 1 of 2" in first and "action=sync&amp;page=2" in first and "Older →" in first
    assert "Page 2 of 2" in second and "← Newer" in second and "Older →" not in second
