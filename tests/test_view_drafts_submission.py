"""The draft editor through the Django test client: submitting, stale drafts and rebase, withdrawing, read-only
viewers, and escaping of CXone text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import AuditEntry, ScheduleDraft
from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import FLORIDA, XSS, S, form_data, messages_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


# ---- submitting --------------------------------------------------------------------------------------------


def test_submit_for_approval_saves_the_form_and_submits_it(as_planner, campaign, planner):
    draft = make_draft(campaign, planner, cron_expression="0 10 * * 1-5")

    response = as_planner.post(
        reverse("draft-submit", args=[draft.pk]), form_data(draft, cron_expression="0 11 * * 1-5")
    )

    assert response.status_code == 302
    assert response.url == reverse("draft-editor", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.status, draft.cron_expression, draft.lock_version) == (S.SUBMITTED, "0 11 * * 1-5", 2)
    assert draft.submitted_at is not None
    assert draft.findings["blocking"] == []
    actions = AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True)
    assert {"campaigns.draft.edited", "campaigns.draft.submitted"} <= set(actions)
    page = text(as_planner.get(response.url))
    assert "Submitted for approval" in page
    assert ">Withdraw</button>" in page


def test_a_draft_with_a_window_outside_calling_hours_cannot_be_submitted(as_planner, pool, planner):
    campaign = make_campaign("C-FL", pool=pool, timezone="America/New_York", contact_list_breakdown=FLORIDA)
    draft = make_draft(campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480)

    response = as_planner.post(
        reverse("draft-submit", args=[draft.pk]),
        form_data(draft, cron_expression="30 19 * * 1-5", duration_minutes="60"),
        follow=True,
    )

    # Back on the editor (a reload does not post the submission again), told what was kept and why.
    assert response.redirect_chain == [(reverse("draft-editor", args=[draft.pk]), 302)]
    [message] = [m for m in messages_of(response) if m.startswith("Saved as a draft, not submitted")]
    assert "before submitting" in message
    assert "FL" in message  # names the jurisdiction whose calling hours the window breaks
    # The typed values were saved (nothing is lost), but the draft stays a draft, and the page carries the
    # new lock version so the next save is not mistaken for a concurrent one.
    draft.refresh_from_db()
    assert (draft.status, draft.cron_expression, draft.lock_version) == (S.DRAFT, "30 19 * * 1-5", 2)
    body = text(response)
    assert 'value="30 19 * * 1-5"' in body
    assert '<input type="hidden" name="lock_version" value="2">' in body


def test_a_stale_draft_cannot_be_submitted_until_rebased_and_the_rebase_shows_what_changed(
    as_planner, campaign, planner
):
    draft = workflow.start_draft(campaign, planner, cron_expression="0 10 * * 1-5")
    campaign.remote_version += 1  # CXone's campaign changed after the draft was based on it
    campaign.duration_minutes = 300
    campaign.save()

    editor = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    assert "CXone changed this campaign" in editor
    assert ">Rebase</button>" in editor
    assert 'disabled aria-describedby="submit-why">Submit for approval' in editor
    assert '<span id="submit-why" class="why">Rebase first: CXone changed the campaign.</span>' in editor

    refused = as_planner.post(reverse("draft-submit", args=[draft.pk]), form_data(draft), follow=True)
    assert refused.redirect_chain == [(reverse("draft-editor", args=[draft.pk]), 302)]
    assert any("changed in CXone" in m and "Rebase" in m for m in messages_of(refused))
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.DRAFT

    rebased = as_planner.post(reverse("draft-rebase", args=[draft.pk]))
    body = text(rebased)
    assert rebased.status_code == 200
    changes = body.split('id="rebase-h"', 1)[1].split("</section>", 1)[0]
    assert "version 7 → 8" in changes
    assert "<td>Duration (minutes)</td><td>8 h</td><td>5 h</td>" in changes
    assert "CXone changed this campaign" not in body
    draft.refresh_from_db()
    assert draft.base_version == 8

    submitted = as_planner.post(reverse("draft-submit", args=[draft.pk]), form_data(draft))
    assert submitted.status_code == 302
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_withdraw_puts_a_submitted_draft_back_to_draft(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)

    response = as_planner.post(reverse("draft-withdraw", args=[draft.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("draft-editor", args=[draft.pk])
    assert "Withdrawn: the draft is editable again." in messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (S.DRAFT, None)
    assert ">Save draft</button>" in text(response)


# ---- who may change what -----------------------------------------------------------------------------------


def test_a_manager_sees_the_editor_read_only(client, campaign, planner, manager):
    draft = make_draft(campaign, planner)
    client.force_login(manager)

    body = text(client.get(reverse("draft-editor", args=[draft.pk])))

    assert body.count("<fieldset disabled>") == 2
    assert "<fieldset >" not in body and "<fieldset>" not in body
    for button in ("Save draft", "Submit for approval", "Withdraw", "Rebase"):
        assert f">{button}</button>" not in body
    assert "hx-post" not in body
    assert 'value="0 10 * * 1-5"' in body  # still shows the values


def test_a_submitted_draft_is_read_only_even_for_its_author(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    refused = as_planner.post(
        reverse("draft-editor", args=[draft.pk]),
        form_data(draft, cron_expression="0 11 * * 1-5"),
        follow=True,
    )

    assert "<fieldset disabled>" in body and ">Save draft</button>" not in body
    assert any("can no longer be edited" in m for m in messages_of(refused))
    assert ScheduleDraft.objects.get(pk=draft.pk).cron_expression == "0 10 * * 1-5"


# ---- text from CXone is escaped ----------------------------------------------------------------------------


def test_campaign_names_with_markup_are_escaped_on_every_page(client, pool, planner, supervisor):
    campaign = make_campaign("C-XSS", pool=pool, name=XSS)
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    escaped = "&lt;img src=x onerror=alert(1)&gt;"

    client.force_login(planner)
    pages = {
        "editor": client.get(reverse("draft-editor", args=[draft.pk])),
        "campaign": client.get(reverse("campaign-detail", args=[campaign.pk])),
        "audit": client.get(reverse("audit")),
        "my drafts": client.get(reverse("my-drafts")),
        "campaign list": client.get(reverse("campaign-list")),
    }
    client.force_login(supervisor)
    pages["queue"] = client.get(reverse("approval-queue"))
    # The message after approving names the campaign too.
    seen = {"seen_lock_version": draft.lock_version}
    pages["approved message"] = client.post(reverse("draft-approve", args=[draft.pk]), seen, follow=True)

    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert XSS not in body, name
        assert escaped in body, name
    assert f"Approved the draft for {escaped}." in pages["approved message"].content.decode()


def test_submitting_from_a_stale_tab_saves_nothing_says_why_and_keeps_what_was_typed(
    as_planner, campaign, planner
):
    draft = make_draft(campaign, planner)
    page = form_data(draft, cron_expression="0 11 * * 1-5")  # typed in a tab opened before...
    workflow.submit(draft.pk, planner, lock_version=1)  # ...another tab submitted

    response = as_planner.post(reverse("draft-submit", args=[draft.pk]), page)

    assert response.status_code == 422
    [message] = messages_of(response)
    assert message.startswith("Not saved, not submitted.")
    assert 'value="0 11 * * 1-5"' in text(response)
    assert ScheduleDraft.objects.get(pk=draft.pk).cron_expression == draft.cron_expression


def test_a_stale_push_says_why_once_on_the_draft_page(as_planner, campaign, planner):
    from campaigns.models import Activation

    reason = "CXone changed the campaign: version 7 then, 9 now"
    draft = make_draft(campaign, planner, status=S.STALE, status_reason=f"stale: {reason}")
    Activation.objects.create(
        draft=draft,
        campaign=campaign,
        step="stale",
        approved_at=draft.created_at,
        outcome="stale",
        error=reason,
    )

    body = as_planner.get(reverse("draft-editor", args=[draft.pk])).content.decode()
    assert body.count(reason) == 1
