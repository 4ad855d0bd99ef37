"""The editor's guards that speak before the server refuses: Submit disabled (and why) while something blocks it,
ISO dates, no internal counters; the live check keeps the Submit button in step with what the planner types."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import make_draft
from tests.draft_view_support import FLORIDA, form_data, text, validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

DISABLED = 'disabled aria-describedby="submit-why">Submit for approval</button>'


@pytest.fixture
def florida(campaign):
    campaign.timezone = "America/New_York"
    campaign.contact_list_breakdown = FLORIDA
    campaign.save()
    return campaign


def test_submit_is_disabled_and_says_why_while_findings_block_it(as_planner, florida, planner):
    draft = make_draft(
        florida, planner, timezone="America/New_York", cron_expression="0 19 * * 1-5", duration_minutes=180
    )

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    assert DISABLED in body
    assert (
        '<span id="submit-why" class="why">'
        "Fix the 2 blocking findings listed under “What this schedule does” to submit.</span>" in body
    )


def test_a_compliant_draft_can_be_submitted(as_planner, florida, planner):
    draft = make_draft(
        florida, planner, timezone="America/New_York", cron_expression="0 10 * * 1-5", duration_minutes=240
    )

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    assert '<button type="submit" formaction="/drafts/' in body and DISABLED not in body
    assert 'id="submit-why"' not in body


def test_the_live_check_enables_and_disables_submit_as_the_planner_types(as_planner, florida, planner):
    draft = make_draft(
        florida, planner, timezone="America/New_York", cron_expression="0 10 * * 1-5", duration_minutes=240
    )

    late = text(validate(as_planner, draft, cron_expression="0 19 * * 1-5", duration_minutes="180"))
    wrong = text(validate(as_planner, draft, cron_expression="0 25 * * 1-5"))
    fine = text(validate(as_planner, draft))

    oob = '<span id="submit-control" class="submit-control" hx-swap-oob="true">'
    assert oob in late and DISABLED in late and "blocking finding" in late
    assert oob in wrong and DISABLED in wrong and "Fix the errors in the form to submit." in wrong
    assert oob in fine and DISABLED not in fine


def test_only_the_author_gets_a_submit_button_in_the_live_check(client, other_planner, florida, planner):
    draft = make_draft(florida, planner, timezone="America/New_York")
    client.force_login(other_planner)

    assert 'id="submit-control"' not in text(validate(client, draft))


def test_dates_are_typed_and_shown_as_iso_dates(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    us_style = as_planner.post(
        reverse("draft-editor", args=[draft.pk]), form_data(draft, effective_start="12/01/2026")
    )

    assert 'type="text" name="effective_start" value="2026-12-01"' in body
    assert 'placeholder="YYYY-MM-DD"' in body and 'type="date"' not in body
    assert us_style.status_code == 422
    assert "Enter the date as YYYY-MM-DD, e.g. 2026-12-01." in text(us_style)


def test_the_editor_shows_no_internal_edit_counter(as_planner, campaign, planner):
    draft = make_draft(campaign, planner, lock_version=2)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    assert "edit 2" not in body and "By pat_planner · from CXone version 7</p>" in body


def test_an_editor_page_drawn_after_a_refused_save_counts_as_unsaved(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    fresh = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    refused = text(
        as_planner.post(reverse("draft-editor", args=[draft.pk]), form_data(draft, cron_expression="x"))
    )

    assert 'data-editor-form="saved"' in fresh and "js/editor_guard.js" in fresh
    assert 'data-editor-form="unsaved"' in refused


def test_the_simple_day_and_hour_controls_come_hidden_and_post_nothing(
    as_planner, client, manager, campaign, planner
):
    draft = make_draft(campaign, planner)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    client.force_login(manager)
    read_only = text(client.get(reverse("draft-editor", args=[draft.pk])))

    # Hidden until the script can make them write the cron; not part of the form that is posted.
    assert '<details class="simple-schedule" id="simple-schedule" hidden>' in body
    assert body.count('form="simple-schedule-none"') == 9 and "js/simple_schedule.js" in body
    assert 'id="simple-schedule"' not in read_only
