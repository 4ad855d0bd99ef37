"""Revise from the editor of a rejected draft: a new draft from its values, opened in the editor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import ScheduleDraft
from campaigns.services.drafts import workflow
from tests.conftest import make_draft
from tests.draft_view_support import S, messages_of, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def rejected(campaign, planner, supervisor):
    draft = make_draft(campaign, planner, cron_expression="0 12 * * 1-5")
    workflow.submit(draft.pk, planner, lock_version=1)
    return workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Too early for Texas.")


def test_a_rejected_draft_offers_revise_beside_the_reason(as_planner, rejected):
    body = text(as_planner.get(reverse("draft-editor", args=[rejected.pk])))

    assert "<strong>Rejected:</strong> Too early for Texas." in body
    assert f'action="{reverse("draft-revise", args=[rejected.pk])}"' in body
    assert '<button type="submit" class="primary">Revise</button>' in body


def test_revise_opens_the_new_draft_with_the_old_values(as_planner, rejected):
    response = as_planner.post(reverse("draft-revise", args=[rejected.pk]), follow=True)

    new = ScheduleDraft.objects.exclude(pk=rejected.pk).get()
    assert response.redirect_chain == [(reverse("draft-editor", args=[new.pk]), 302)]
    assert new.status == S.DRAFT and new.cron_expression == "0 12 * * 1-5"
    assert messages_of(response) == [
        f"Draft #{new.pk} starts from draft #{rejected.pk}'s values. Change what was asked for, then submit it."
    ]
    assert 'value="0 12 * * 1-5"' in text(response)


def test_an_open_draft_of_the_campaign_is_opened_instead(as_planner, rejected, campaign, other_planner):
    current = workflow.start_draft(campaign, other_planner)

    response = as_planner.post(reverse("draft-revise", args=[rejected.pk]), follow=True)

    assert response.redirect_chain == [(reverse("draft-editor", args=[current.pk]), 302)]
    assert "already has an open draft" in messages_of(response)[0]
    assert ScheduleDraft.objects.count() == 2


def test_a_draft_in_review_offers_no_revise_and_refuses_one(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.submit(draft.pk, planner, lock_version=1)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))
    response = as_planner.post(reverse("draft-revise", args=[draft.pk]), follow=True)

    assert ">Revise</button>" not in body
    assert "only a rejected, failed or stale draft can be revised" in messages_of(response)[0]
    assert ScheduleDraft.objects.count() == 1


def test_a_manager_sees_no_revise_and_may_not_post_one(client, manager, rejected):
    client.force_login(manager)

    assert ">Revise</button>" not in text(client.get(reverse("draft-editor", args=[rejected.pk])))
    assert client.post(reverse("draft-revise", args=[rejected.pk])).status_code == 403


def test_my_drafts_offers_revise_beside_a_rejected_draft(as_planner, rejected):
    body = text(as_planner.get(reverse("my-drafts")))

    closed = body.split("<h2>Closed</h2>", 1)[1]
    assert "— “Too early for Texas.”" in closed
    assert f'action="{reverse("draft-revise", args=[rejected.pk])}"' in closed
