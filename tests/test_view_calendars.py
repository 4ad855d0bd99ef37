"""The Blackout calendars pages: a supervisor drafts a calendar and proposes where it applies, another approves
it, and the campaign's page and next windows show it; the calendar's page shows where it applies in force beside
where a revision proposes it should."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import BlackoutCalendar, RevisionStatus
from campaigns.services.blackouts import editing
from tests.conftest import make_campaign

pytestmark = pytest.mark.django_db

DAYS = "fourth Thursday of November: US Thanksgiving\nEaster - 2: Good Friday"


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


def drafted(supervisor, text=DAYS):
    return editing.create_calendar(supervisor, "Closures", "Our closures", text)


def test_the_list_shows_the_ready_calendars_of_the_rules_file(client, planner):
    client.force_login(planner)
    page = client.get(reverse("calendars")).content.decode()
    assert "US-PA legal holidays" in page and "Ready: rules file" in page
    assert "New calendar" not in page  # planners read; supervisors write


def test_a_supervisor_drafts_a_calendar_that_is_not_yet_in_effect(as_supervisor):
    response = as_supervisor.post(
        reverse("calendar-new"), {"name": "Closures", "description": "", "rules": DAYS}, follow=True
    )
    calendar = BlackoutCalendar.objects.get(name="Closures")
    assert response.redirect_chain[-1][0] == reverse("calendar-detail", args=[calendar.pk])
    page = response.content.decode()
    assert "Not yet approved" in page and "Submit for approval" in page
    assert "fourth Thursday of November: US Thanksgiving" in page


def test_a_wrong_line_is_shown_beside_the_days_and_nothing_typed_is_lost(as_supervisor):
    response = as_supervisor.post(reverse("calendar-new"), {"name": "Closures", "rules": "someday: x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "line 1: “someday” is not a day" in page and "someday: x" in page


def test_another_supervisor_approves_and_the_days_take_effect(client, supervisor, other_supervisor):
    revision = drafted(supervisor)
    editing.submit(revision.pk, supervisor)
    client.force_login(other_supervisor)
    page = client.get(reverse("calendar-detail", args=[revision.calendar_id])).content.decode()
    assert "Approve" in page and "Reject…" in page

    response = client.post(
        reverse("calendar-revision-approve", args=[revision.pk]), {"seen_lock_version": 1}, follow=True
    )
    page = response.content.decode()
    assert "Approved: its days and where it applies are in force from now on." in page
    assert "In effect" in page and "US Thanksgiving" in page


def test_the_author_is_not_offered_the_approval_and_is_refused_it(as_supervisor, supervisor):
    revision = drafted(supervisor)
    editing.submit(revision.pk, supervisor)
    page = as_supervisor.get(reverse("calendar-detail", args=[revision.calendar_id])).content.decode()
    assert "Approve" not in page and "Withdraw" in page
    response = as_supervisor.post(reverse("calendar-revision-approve", args=[revision.pk]), follow=True)
    assert "Four-eyes" in response.content.decode()
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED


def test_a_rejection_says_why(client, supervisor, other_supervisor):
    revision = drafted(supervisor)
    editing.submit(revision.pk, supervisor)
    client.force_login(other_supervisor)
    client.post(
        reverse("calendar-revision-reject", args=[revision.pk]),
        {"reason": "Good Friday is open", "seen_lock_version": 1},
    )
    page = client.get(reverse("calendar-detail", args=[revision.calendar_id])).content.decode()
    assert "Rejected" in page and "Good Friday is open" in page


def test_a_change_is_a_new_revision_while_the_approved_days_stay(client, supervisor, other_supervisor):
    revision = drafted(supervisor)
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    client.force_login(other_supervisor)
    edit = client.get(reverse("calendar-edit", args=[revision.calendar_id])).content.decode()
    assert "fourth Thursday of November: US Thanksgiving" in edit  # starts from the days in effect

    client.post(
        reverse("calendar-edit", args=[revision.calendar_id]), {"description": "", "rules": "2026-12-24: Eve"}
    )
    page = client.get(reverse("calendar-detail", args=[revision.calendar_id])).content.decode()
    assert "Revision 2" in page and "2026-12-24: Eve" in page
    assert BlackoutCalendar.objects.get(pk=revision.calendar_id).rules[0]["name"] == "US Thanksgiving"


def test_attaching_a_new_calendar_is_proposed_in_its_revision_and_shows_once_approved(
    as_supervisor, supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    revision = drafted(supervisor)
    response = as_supervisor.post(
        reverse("calendar-attach", args=[revision.calendar_id]),
        {"campaigns": [str(campaign.pk)], "lock_version": revision.lock_version},
        follow=True,
    )
    page = response.content.decode()
    assert "Proposed in revision 1" in page and campaign.name in page
    calendar = BlackoutCalendar.objects.get(pk=revision.calendar_id)
    assert not calendar.campaigns.exists()  # proposed, not attached
    assert (
        "Closures" not in as_supervisor.get(reverse("campaign-detail", args=[campaign.pk])).content.decode()
    )

    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    assert list(calendar.campaigns.all()) == [campaign]
    assert "Closures" in as_supervisor.get(reverse("campaign-detail", args=[campaign.pk])).content.decode()


def in_force(supervisor, other_supervisor, campaign):
    revision = drafted(supervisor)
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    return revision.calendar


def test_the_page_shows_the_attachments_in_force_beside_the_proposed_ones_with_who_proposed(
    client, supervisor, other_supervisor, pool
):
    kept = make_campaign("C-1", pool=pool)
    proposed = make_campaign("C-2", pool=pool)
    calendar = in_force(supervisor, other_supervisor, kept)
    client.force_login(other_supervisor)
    client.post(reverse("calendar-attach", args=[calendar.pk]), {"campaigns": [str(proposed.pk)]})

    page = client.get(reverse("calendar-detail", args=[calendar.pk])).content.decode()
    applies = page[page.index('id="attached-h"') : page.index('id="history-h"')]
    assert "In force" in applies and "Proposed in revision 2" in applies
    assert f"by {other_supervisor}" in applies
    in_force_cell, proposed_cell = applies.split("<td>")[1:3]
    assert kept.name in in_force_cell and proposed.name not in in_force_cell
    assert proposed.name in proposed_cell and "changed" in proposed_cell
    assert list(calendar.campaigns.all()) == [kept]


def test_another_supervisor_approves_the_proposal_from_the_page(client, supervisor, other_supervisor, pool):
    kept = make_campaign("C-1", pool=pool)
    calendar = in_force(supervisor, other_supervisor, kept)
    revision = editing.propose_attachments(calendar.pk, other_supervisor, campaigns=[], pools=[])
    editing.submit(revision.pk, other_supervisor)
    client.force_login(supervisor)
    page = client.get(reverse("calendar-detail", args=[calendar.pk])).content.decode()
    assert "Approve" in page and "Attach to campaigns or pools" not in page  # one change at a time
    assert f"Revision 2 by {other_supervisor} is open" in page

    response = client.post(
        reverse("calendar-revision-approve", args=[revision.pk]),
        {"seen_lock_version": revision.lock_version},
        follow=True,
    )
    assert "Approved" in response.content.decode()
    assert not calendar.campaigns.exists()


def test_the_proposer_is_refused_the_approval_and_the_attachments_stay(
    as_supervisor, supervisor, other_supervisor, pool
):
    kept = make_campaign("C-1", pool=pool)
    calendar = in_force(supervisor, other_supervisor, kept)
    as_supervisor.post(reverse("calendar-attach", args=[calendar.pk]), {"campaigns": []})
    revision = calendar.revisions.get(number=2)
    editing.submit(revision.pk, supervisor)
    response = as_supervisor.post(
        reverse("calendar-revision-approve", args=[revision.pk]),
        {"seen_lock_version": revision.lock_version},
        follow=True,
    )
    assert "Four-eyes: another supervisor approves what you wrote." in response.content.decode()
    assert list(calendar.campaigns.all()) == [kept]


def test_a_rejected_proposal_leaves_the_page_showing_what_is_in_force(
    client, supervisor, other_supervisor, pool
):
    kept = make_campaign("C-1", pool=pool)
    calendar = in_force(supervisor, other_supervisor, kept)
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[], pools=[])
    editing.submit(revision.pk, supervisor)
    client.force_login(other_supervisor)
    client.post(
        reverse("calendar-revision-reject", args=[revision.pk]),
        {"reason": "Keep the ban on C-1", "seen_lock_version": revision.lock_version},
    )
    page = client.get(reverse("calendar-detail", args=[calendar.pk])).content.decode()
    assert "Keep the ban on C-1" in page and "Proposed in revision" not in page
    assert kept.name in page[page.index('id="attached-h"') : page.index('id="history-h"')]


def test_a_second_supervisor_is_told_why_their_proposal_is_refused(
    client, supervisor, other_supervisor, pool
):
    kept = make_campaign("C-1", pool=pool)
    calendar = in_force(supervisor, other_supervisor, kept)
    editing.edit(calendar.pk, supervisor, "", "2026-12-24: Eve")
    client.force_login(other_supervisor)
    response = client.post(reverse("calendar-attach", args=[calendar.pk]), {"campaigns": []}, follow=True)
    assert f"{supervisor} is changing this calendar already (revision 2, draft)" in response.content.decode()
    assert list(calendar.campaigns.all()) == [kept]


def test_proposing_from_a_page_opened_before_the_draft_changed_is_refused(as_supervisor, supervisor, pool):
    campaign = make_campaign(pool=pool)
    revision = drafted(supervisor)
    response = as_supervisor.post(
        reverse("calendar-attach", args=[revision.calendar_id]),
        {"campaigns": [str(campaign.pk)], "lock_version": revision.lock_version + 5},
        follow=True,
    )
    assert "saved elsewhere since you opened it" in response.content.decode()
    assert not revision.campaigns.exists()


def test_a_ready_calendar_offers_no_change_of_its_days(as_supervisor):
    ready = BlackoutCalendar.objects.get(ready_rule="us-ut")
    page = as_supervisor.get(reverse("calendar-detail", args=[ready.pk])).content.decode()
    assert "Change the days" not in page and "Attach to campaigns or pools" in page


def test_a_ready_calendar_is_attached_through_a_revision_that_keeps_its_days(as_supervisor, pool):
    campaign = make_campaign(pool=pool)
    ready = BlackoutCalendar.objects.get(ready_rule="us-ut")
    response = as_supervisor.post(
        reverse("calendar-attach", args=[ready.pk]), {"campaigns": [str(campaign.pk)]}, follow=True
    )
    page = response.content.decode()
    assert "Proposed in revision 2" in page and "The days stay as in effect." in page
    assert "Change the days" not in page and "Submit for approval" in page
    assert not ready.campaigns.exists()


def test_the_list_says_a_change_of_where_a_calendar_applies_is_proposed(as_supervisor, pool):
    ready = BlackoutCalendar.objects.get(ready_rule="us-ut")
    as_supervisor.post(
        reverse("calendar-attach", args=[ready.pk]), {"campaigns": [str(make_campaign(pool=pool).pk)]}
    )
    page = as_supervisor.get(reverse("calendars")).content.decode()
    row = next(r for r in page.split("<tr>") if reverse("calendar-detail", args=[ready.pk]) in r)
    assert "Revision 2 draft" in row and "nothing yet" in row and "(a change proposed)" in row


def test_the_navigation_links_the_calendars(as_supervisor):
    page = as_supervisor.get(reverse("campaign-list")).content.decode()
    assert reverse("calendars") in page


def test_the_campaign_page_shows_a_blacked_out_day_as_skipped(
    frozen_clock, as_supervisor, supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    revision = drafted(supervisor, "2026-12-03: Inventory")
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    page = as_supervisor.get(reverse("campaign-detail", args=[campaign.pk])).content.decode()
    assert "Thu 3 Dec" in page and "blackout: Inventory" in page
    assert "and 1 skipped on blackout days" in page


def test_the_campaign_lists_next_window_skips_a_blackout_day(
    frozen_clock, as_supervisor, supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    revision = drafted(supervisor, "2026-12-01: Move")
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    page = as_supervisor.get(reverse("campaign-list")).content.decode()
    assert "Wed 2 Dec" in page or "2026-12-02" in page


def test_the_editor_previews_the_days_as_the_supervisor_types(frozen_clock, as_supervisor):
    response = as_supervisor.post(
        reverse("calendar-preview"),
        {"rules": "fourth Thursday of November: US Thanksgiving"},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert "Thu 25 Nov 2027" in fragment and "US Thanksgiving" in fragment  # 2026's is past on 30 November


def test_the_preview_names_each_wrong_line(as_supervisor):
    response = as_supervisor.post(
        reverse("calendar-preview"), {"rules": "ok: \nsomeday: x"}, HTTP_HX_REQUEST="true"
    )
    assert "line 2: “someday” is not a day" in response.content.decode()


def test_the_new_calendar_page_shows_the_days_without_javascript(as_supervisor):
    response = as_supervisor.post(reverse("calendar-new"), {"name": "", "rules": "Easter - 2: Good Friday"})
    assert response.status_code == 400
    assert "Good Friday" in response.content.decode() and "in the coming year" in response.content.decode()


def test_the_author_discards_their_draft_revision_from_the_calendars_page(as_supervisor, supervisor):
    revision = drafted(supervisor)
    page = as_supervisor.get(reverse("calendar-detail", args=[revision.calendar_id])).content.decode()
    assert "Discard this revision" in page

    response = as_supervisor.post(reverse("calendar-revision-discard", args=[revision.pk]), follow=True)

    page = response.content.decode()
    assert "Discarded: nothing it proposed takes effect" in page and "Submit for approval" not in page
    assert BlackoutCalendar.objects.get(pk=revision.calendar_id).revisions.get().status == RevisionStatus.DISCARDED


def test_another_supervisor_is_told_why_they_cannot_discard_it(client, supervisor, other_supervisor):
    revision = drafted(supervisor)
    client.force_login(other_supervisor)
    assert "Discard this revision" not in client.get(
        reverse("calendar-detail", args=[revision.calendar_id])
    ).content.decode()

    response = client.post(reverse("calendar-revision-discard", args=[revision.pk]), follow=True)

    assert "Only the revision&#x27;s author discards it." in response.content.decode()
    assert BlackoutCalendar.objects.get(pk=revision.calendar_id).revisions.get().status == RevisionStatus.DRAFT


def test_after_discarding_a_new_calendars_only_revision_the_next_one_starts_from_its_days(as_supervisor, supervisor):
    revision = drafted(supervisor)
    editing.discard(revision.pk, supervisor)

    page = as_supervisor.get(reverse("calendar-edit", args=[revision.calendar_id])).content.decode()

    assert "fourth Thursday of November: US Thanksgiving" in page
