"""The editor, the approval queue and the campaign page on the retry policy: a frequency breach is an error that
disables Submit and offers the nearest compliant policy; the purpose is shown and editable; the Calling hours
card names the rules version."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from campaigns.scheduling import load_rules
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import FLORIDA, form_data, text, validate
from tests.workflow_support import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def florida(pool):
    return make_campaign("C-FL", pool=pool, name="Florida Renewals", contact_list_breakdown=FLORIDA)


def card(body: str, kind: str) -> str:
    return body.split(f'id="findings-{kind}"', 1)[1].split("</div>", 1)[0]


def proposals(response) -> list[tuple[dict, str]]:
    """The one-click proposals of a page: (the fields a button fills, its label)."""
    raw = response.content.decode()
    found = re.findall(r'<button type="button" class="apply-proposal" data-apply="([^"]*)">([^<]*)</button>', raw)
    return [(json.loads(html.unescape(fields)), html.unescape(label)) for fields, label in found]


def submit_control(body: str) -> str:
    return body.split('id="submit-control"', 1)[1].split("</span>\n</span>", 1)[0]


def test_five_attempts_a_day_to_florida_show_an_error_that_disables_submit(as_planner, florida, planner):
    draft = make_draft(florida, planner)

    body = text(validate(as_planner, draft, retry_max_attempts="5"))

    retry = card(body, "frequency")
    assert '<li class="finding error" data-rule="us-fl-frequency" data-severity="blocking">' in retry
    assert "<strong>Error</strong>" in retry and "Florida: at most 3 calls per 24 hours" in retry
    assert "310 contacts affected" in retry
    control = submit_control(body)
    assert "disabled" in control and "Fix the 1 blocking finding" in control


def test_the_error_offers_the_nearest_compliant_policy_as_one_click(as_planner, florida, planner):
    draft = make_draft(florida, planner)

    [(fields, label)] = proposals(validate(as_planner, draft, retry_max_attempts="5"))

    assert fields == {"retry_interval_seconds": "28800"}
    assert label == "Apply: Retry every 8 h: at most 3 attempts in 24 h"
    # What the button fills in clears the finding.
    fixed = text(validate(as_planner, draft, retry_max_attempts="5", retry_interval_seconds="28800"))
    assert 'data-rule="us-fl-frequency"' not in fixed
    assert "disabled" not in submit_control(fixed)


def test_a_read_only_viewer_sees_the_proposal_without_a_button(client, florida, planner, manager):
    draft = make_draft(florida, planner, retry_max_attempts=5)
    client.force_login(manager)

    body = text(client.get(reverse("draft-editor", args=[draft.pk])))

    assert "Nearest that fits: Retry every 8 h" in body and "apply-proposal" not in body


def test_the_purpose_is_shown_and_editable_and_changes_which_limits_apply(as_planner, florida, planner):
    draft = make_draft(florida, planner)
    page = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert '<option value="telemarketing" selected>Telemarketing</option>' in page

    body = text(validate(as_planner, draft, purpose="debt_collection", retry_max_attempts="8"))

    assert 'data-rule="us-reg-f"' in body and 'data-rule="us-fl-frequency"' not in body
    response = as_planner.post(reverse("draft-editor", args=[draft.pk]), form_data(draft, purpose="informational"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "informational"


def test_restricted_calling_is_offered_only_where_the_backend_writes_it(as_planner, florida, planner, settings):
    draft = make_draft(florida, planner)
    assert "Restricted calling" not in text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    settings.CXONE_API = "admin"
    page = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert "Restricted calling: period in minutes (restrictedCallingMinutes)" in page
    # (The Mon–Fri week also draws the tenant's all-days proposal: the retry policy's is the one with retry fields.)
    [(fields, label)] = [
        (fields, label)
        for fields, label in proposals(validate(as_planner, draft, retry_max_attempts="5"))
        if "retry_restricted_minutes" in fields
    ]
    assert fields == {"retry_restricted_minutes": "1440", "retry_restricted_max_attempts": "3"}
    assert label.startswith("Apply: At most 3 attempts in 24 h (CXone's restricted calling")
    fixed = validate(
        as_planner, draft, retry_max_attempts="5", retry_restricted_minutes="1440", retry_restricted_max_attempts="3"
    )
    assert 'data-rule="us-fl-frequency"' not in text(fixed)


def test_half_a_restricted_calling_window_is_refused_beside_the_field(as_planner, florida, planner, settings):
    settings.CXONE_API = "admin"
    draft = make_draft(florida, planner)

    body = text(validate(as_planner, draft, retry_restricted_minutes="1440", retry_restricted_max_attempts="0"))

    error = body.split('id="id_retry_restricted_max_attempts_error"', 1)[1].split("</p>", 1)[0]
    assert "Give both the minutes and the most attempts within them, or 0 for both" in error


def test_the_calling_hours_card_names_the_rules_version(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    assert f'against calling-hours rules <span class="rules-version">{load_rules().version}</span>' in card(
        body, "calling_hours"
    )


def test_the_queue_shows_a_blocking_frequency_finding_as_an_error_and_offers_no_approve(
    client, florida, planner, supervisor
):
    from campaigns.models import ScheduleDraft

    draft = submitted(florida, planner)
    ScheduleDraft.objects.filter(pk=draft.pk).update(retry_max_attempts=5)  # changed after submission
    client.force_login(supervisor)

    body = text(client.get(reverse("approval-queue")))

    item = body.split(f'id="draft-{draft.pk}"', 1)[1].split("</details>\n", 1)[0]
    assert "✖ 1 blocking" in item
    assert 'data-rule="us-fl-frequency" data-severity="blocking"' in item
    assert ">Approve</button>" not in item
    assert "Fix this problem before approving" in item


def test_the_campaign_page_shows_the_purpose(as_planner, campaign):
    body = text(as_planner.get(reverse("campaign-detail", args=[campaign.pk])))
    assert '<tr><th scope="row">Purpose</th><td>Telemarketing' in body
