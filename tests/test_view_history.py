"""A campaign's history page (every version in words, with who and when; any two side by side; Revise from this
version) and the answers to a change found in CXone as the campaign page posts them (Keep CXone's for
supervisors, Restore approved for planners and supervisors)."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from campaigns.models import CampaignVersion, Drift, ScheduleDraft
from campaigns.services.history import answers
from campaigns.services.history.versions import reference_of
from tests.conftest import make_draft
from tests.history_support import found_in_cxone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]
Source = CampaignVersion.Source


@pytest.fixture
def three_versions(campaign, supervisor):
    """First mirrored (09:00 for 8 h), seen in CXone (10:00 for 2 h, paused) and kept from CXone by a supervisor."""
    drift = found_in_cxone(
        campaign, ["schedule", "running"], cron_expression="0 10 * * 1-5", duration_minutes=120, running=False,
        remote_version=8,
    )  # fmt: skip
    answers.keep_cxone(drift.pk, supervisor, seen_id=drift.seen_id)
    drift.refresh_from_db()
    return drift.reference, drift.seen, drift.kept


def history(client, campaign, **params) -> str:
    response = client.get(reverse("campaign-history", args=[campaign.pk]), params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def section(body: str, heading_id: str) -> str:
    return body.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_every_version_is_listed_newest_first_in_words_with_who_and_when(
    as_planner, campaign, three_versions
):
    first, seen, kept = three_versions
    body = section(history(as_planner, campaign), "versions-h")

    assert body.index(f'id="version-{kept.pk}"') < body.index(f'id="version-{seen.pk}"')
    assert body.index(f'id="version-{seen.pk}"') < body.index(f'id="version-{first.pk}"')
    assert (
        'Kept from CXone: decided by sam_supervisor · CXone version 8 <span class="badge badge-ok">held to</span>'
        in body
    )
    assert "Seen in CXone (changed there, not here)" in body and "As first mirrored from CXone" in body
    assert (
        "Weekdays 10:00–12:00 CST; retry 3 attempts, every 1 min, on busy and no answer; not dialling" in body
    )
    assert "Weekdays 09:00–17:00 CST; retry 3 attempts, every 1 min, on busy and no answer; dialling" in body
    assert ">2026-11-30 12:00 UTC</time>" in body  # when, in the viewer's zone (UTC until the browser says)


def test_the_newest_version_is_compared_with_the_one_before_unless_two_are_chosen(
    as_planner, campaign, three_versions
):
    first, seen, kept = three_versions
    same = section(history(as_planner, campaign), "compare-h")
    assert "These two versions hold the same values." in same  # kept is what was seen

    chosen = section(history(as_planner, campaign, **{"from": first.pk, "to": kept.pk}), "compare-h")
    assert (
        "3 rows differ: marked below." in chosen
    )  # windows, length, running (CXone's version is no setting)
    rows = chosen.split("<tbody>", 1)[1]
    assert (
        '<tr class="changed">\n    <th scope="row">Calling windows <span class="badge badge-info">differs</span>'
        in rows
    )
    assert "Weekdays 09:00–17:00 CST<br><code>0 9 * * 1-5</code></td>" in rows
    assert "Weekdays 10:00–12:00 CST<br><code>0 10 * * 1-5</code></td>" in rows
    assert (
        '<th scope="row">Running <span class="badge badge-info">differs</span></th>\n    <td>dialling</td>'
        in rows
    )
    assert '<th scope="row">Retry policy</th>' in rows  # the same on both sides: not marked


def test_a_version_the_query_does_not_name_falls_back_to_the_default(as_planner, campaign, three_versions):
    body = section(history(as_planner, campaign, **{"from": "999998", "to": "999999"}), "compare-h")
    assert "These two versions hold the same values." in body  # the newest two: kept is what was seen


def test_an_odd_version_id_is_refused_naming_it_and_the_default_comparison_is_shown(
    as_planner, campaign, three_versions
):
    response = as_planner.get(reverse("campaign-history", args=[campaign.pk]), {"from": "١٢"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Compare from: “١٢” is not a number in the digits 0-9, so it is ignored." in body


def test_under_the_admin_api_no_version_fingerprint_is_shown(as_planner, campaign, three_versions, settings):
    settings.CXONE_API = "admin"
    body = history(as_planner, campaign, **{"from": three_versions[0].pk, "to": three_versions[2].pk})
    assert "CXone version" not in body and "Effective" not in body
    assert '<th scope="row">Zones called</th>' in body  # a skill's zones are its own setting


def test_revise_from_this_version_opens_the_editor_on_a_draft_with_its_values(
    as_planner, campaign, three_versions
):
    first = three_versions[0]
    response = as_planner.post(reverse("version-revise", args=[first.pk]))

    draft = ScheduleDraft.objects.get(campaign=campaign)
    assert response["Location"] == reverse("draft-editor", args=[draft.pk])
    assert (draft.cron_expression, draft.duration_minutes) == ("0 9 * * 1-5", 480)


def test_revise_from_a_version_with_a_draft_open_leads_to_that_draft(
    as_planner, campaign, planner, three_versions
):
    open_draft = make_draft(campaign, planner)
    response = as_planner.post(reverse("version-revise", args=[three_versions[0].pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("draft-editor", args=[open_draft.pk])
    assert "already has an open draft" in html.unescape(response.content.decode())


def test_a_manager_sees_the_history_but_may_not_revise_keep_or_restore(
    client, manager, campaign, three_versions
):
    client.force_login(manager)
    assert "Revise from this version</button>" not in history(client, campaign)
    assert client.post(reverse("version-revise", args=[three_versions[0].pk])).status_code == 403
    drift = Drift.objects.get()
    assert client.post(reverse("drift-keep", args=[drift.pk]), {"seen": drift.seen_id}).status_code == 403
    assert client.post(reverse("drift-restore", args=[drift.pk])).status_code == 403


def test_a_supervisor_keeps_cxones_version_from_the_campaign_page(client, supervisor, campaign):
    drift = found_in_cxone(campaign, cron_expression="0 10 * * 1-5")
    client.force_login(supervisor)
    response = client.post(reverse("drift-keep", args=[drift.pk]), {"seen": drift.seen_id}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("campaign-detail", args=[campaign.pk])
    assert f"Kept CXone's version: {campaign.name} is now held to what it runs in CXone." in html.unescape(
        response.content.decode()
    )
    assert reference_of(campaign).source == Source.KEPT_FROM_CXONE


def test_a_planner_may_not_keep_cxones_version(as_planner, campaign):
    drift = found_in_cxone(campaign, cron_expression="0 10 * * 1-5")
    assert as_planner.post(reverse("drift-keep", args=[drift.pk]), {"seen": drift.seen_id}).status_code == 403
    drift.refresh_from_db()
    assert drift.is_open


def test_a_planner_restores_the_approved_version_into_a_draft_and_lands_in_the_editor(as_planner, campaign):
    drift = found_in_cxone(campaign, cron_expression="0 10 * * 1-5", duration_minutes=120)
    response = as_planner.post(reverse("drift-restore", args=[drift.pk]), follow=True)

    draft = ScheduleDraft.objects.get(campaign=campaign)
    assert response.redirect_chain[-1][0] == reverse("draft-editor", args=[draft.pk])
    assert (draft.cron_expression, draft.duration_minutes) == ("0 9 * * 1-5", 480)
    assert "Submit it for approval" in html.unescape(response.content.decode())
    drift.refresh_from_db()
    assert drift.answer == Drift.Answer.RESTORING and drift.restore_draft == draft


def test_a_restore_refused_says_why_on_the_campaign_page(as_planner, campaign):
    drift = found_in_cxone(campaign, ["running"], running=False)
    response = as_planner.post(reverse("drift-restore", args=[drift.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaign-detail", args=[campaign.pk])
    assert "Only the running state changed" in html.unescape(response.content.decode())
