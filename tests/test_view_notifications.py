"""The author's landing page tells them what happened to their drafts (approved; rejected, with the reason) until
they dismiss it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Activation, DraftStatus, NoticeDismissal, ScheduleDraft
from campaigns.services.drafts import workflow
from campaigns.services.reports import notices as notifications
from tests.conftest import make_campaign
from tests.draft_view_support import text
from tests.workflow_support import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]
S = DraftStatus



@pytest.fixture
def decided(pool, planner, supervisor):
    """One of the planner's drafts approved, another rejected, by the supervisor."""
    renewals = make_campaign("C-1", pool=pool, name="Renewals East")
    winbacks = make_campaign("C-2", pool=pool, name="Win-back", contact_list_id="L-2")
    approved = workflow.approve(submitted(renewals, planner).pk, supervisor, seen_lock_version=1)
    rejected = workflow.reject(
        submitted(winbacks, planner).pk, supervisor, seen_lock_version=1, reason="Overlaps the renewals push."
    )
    return {"approved": approved, "rejected": rejected}


def test_the_planners_landing_page_says_who_approved_and_who_rejected_with_the_reason(as_planner, decided):
    body = text(as_planner.get(reverse("campaign-list")))

    notices = body.split('aria-labelledby="notices-h"', 1)[1].split("</section>", 1)[0]
    approved, rejected = decided["approved"], decided["rejected"]
    assert "What happened to your drafts" in body
    assert (
        f'<a href="/drafts/{approved.pk}/">sam_supervisor approved draft #{approved.pk} of Renewals East, '
        "going live in CXone.</a>" in notices
    )
    assert (
        f'<a href="/drafts/{rejected.pk}/">sam_supervisor rejected draft #{rejected.pk} of Win-back.</a>'
        in notices
    )
    assert "Reason: “Overlaps the renewals push.”" in notices
    assert notices.index(f"#{rejected.pk} ") < notices.index(f"#{approved.pk} ")  # newest first
    # The rejected one offers the next step; the approved one does not.
    assert notices.count(">Revise</button>") == 1
    assert f'action="/drafts/{rejected.pk}/revise"' in notices


def test_dismissing_a_notification_removes_it_for_that_user_only(client, as_planner, planner, decided):
    rejected = decided["rejected"]
    [entry_id] = [n.entry_id for n in notifications.for_user(planner) if n.draft_id == rejected.pk]

    response = as_planner.post(
        reverse("notification-dismiss", args=[entry_id]), {"next": reverse("campaign-list") + "?q=win"}
    )

    assert response.status_code == 302 and response.url == "/campaigns/?q=win"
    body = text(as_planner.get(reverse("campaign-list")))
    assert f"rejected draft #{rejected.pk}" not in body
    assert "approved draft #" in body  # the other one stays
    assert NoticeDismissal.objects.filter(user=planner).count() == 1
    # Dismissing again changes nothing.
    as_planner.post(reverse("notification-dismiss", args=[entry_id]))
    assert NoticeDismissal.objects.count() == 1


def test_dismissing_through_htmx_swaps_the_notice_for_nothing(as_planner, planner, decided):
    entry_id = notifications.for_user(planner)[0].entry_id

    response = as_planner.post(reverse("notification-dismiss", args=[entry_id]), HTTP_HX_REQUEST="true")

    assert response.status_code == 200 and response.content == b""
    assert len(notifications.for_user(planner)) == 1


def test_a_dismissal_never_sends_the_user_to_another_site(as_planner, planner, decided):
    entry_id = notifications.for_user(planner)[0].entry_id

    response = as_planner.post(
        reverse("notification-dismiss", args=[entry_id]), {"next": "https://evil.test/"}
    )

    assert response.url == reverse("home")


def test_others_do_not_see_the_planners_news_and_nobody_hears_of_their_own_doings(
    client, other_planner, supervisor, decided
):
    client.force_login(other_planner)
    assert "What happened to your drafts" not in text(client.get(reverse("campaign-list")))
    assert notifications.for_user(supervisor) == []  # the supervisor approved and rejected, wrote nothing


def test_a_supervisor_sees_news_of_their_own_drafts_on_the_queue(client, pool, supervisor, other_supervisor):
    campaign = make_campaign("C-9", pool=pool, name="Texas Winbacks")
    draft = workflow.reject(
        submitted(campaign, supervisor).pk, other_supervisor, seen_lock_version=1, reason="Texas needs 09:00."
    )
    client.force_login(supervisor)

    body = text(client.get(reverse("approval-queue")))

    assert f"sue_supervisor rejected draft #{draft.pk} of Texas Winbacks." in body
    assert "Reason: “Texas needs 09:00.”" in body


def test_news_older_than_thirty_days_leaves_the_landing_page(planner, decided, frozen_clock):
    frozen_clock.shift(dt.timedelta(days=31))

    assert notifications.for_user(planner) == []


def test_nothing_to_tell_shows_nothing(as_planner):
    assert 'id="notices-h"' not in text(as_planner.get(reverse("campaign-list")))


def test_an_empty_my_drafts_is_one_line_above_the_list(as_planner, campaign):
    body = text(as_planner.get(reverse("campaign-list")))

    assert '<section class="my-drafts-empty" aria-labelledby="my-drafts-h">' in body
    assert "No drafts yet — open a campaign and choose New draft." in body
    assert '<section class="card" aria-labelledby="my-drafts-h">' not in body


# ---- one plain outcome per approved draft -------------------------------------------------------------------


def push_ended(draft, status, reason=""):
    """The activation pipeline's last word on an approved draft (its terminal step, as transitions write it)."""
    activation = Activation.objects.create(
        draft=draft, campaign=draft.campaign, approved_at=draft.reviewed_at, base_version=draft.base_version,
        step={S.STALE: "stale", S.FAILED: "failed", S.ACTIVE: "active"}[status],
        outcome="CXone changed the campaign" if status == S.STALE else "",
    )  # fmt: skip
    ScheduleDraft.objects.filter(pk=draft.pk).update(status=status, status_reason=reason)
    return activation


def landing_notices(client) -> str:
    body = text(client.get(reverse("campaign-list")))
    return body.split('aria-labelledby="notices-h"', 1)[1].split("</section>", 1)[0] if "notices-h" in body else ""


def test_an_approved_draft_that_went_stale_reads_as_one_outcome_not_approved_and_a_stale_line(
    as_planner, decided
):
    approved = decided["approved"]
    push_ended(approved, S.STALE, "CXone's campaign is at version 8, not version 7 that this push builds on.")

    body = text(as_planner.get(reverse("campaign-list")))
    notices = landing_notices(as_planner)

    assert (
        f"sam_supervisor approved draft #{approved.pk} of Renewals East, not live: CXone changed the campaign "
        "(stale)." in notices
    )
    assert 'class="notice notice-bad"' in notices.split(f"#{approved.pk} ", 1)[0].rsplit("<li", 1)[1]
    assert "Reason: “CXone's campaign is at version 8" in notices
    assert notices.count(">Revise</button>") == 2  # the rejected one and this one
    # Not a second time in the card of drafts in CXone.
    assert 'id="my-activations-h"' not in body and "Activation #" not in body


def test_an_approved_draft_that_went_live_says_so(as_planner, decided):
    approved = decided["approved"]
    push_ended(approved, S.ACTIVE)

    notices = landing_notices(as_planner)

    assert f"approved draft #{approved.pk} of Renewals East, live in CXone." in notices
    assert 'class="notice notice-ok"' in notices


def test_a_failed_push_says_not_live_with_the_reason(as_planner, decided):
    approved = decided["approved"]
    push_ended(approved, S.FAILED, "refused by CXone: schedule.cron: unsupported")

    notices = landing_notices(as_planner)

    assert f"approved draft #{approved.pk} of Renewals East, not live: the push to CXone failed." in notices
    assert "Reason: “refused by CXone: schedule.cron: unsupported”" in notices


def test_a_draft_still_going_live_shows_its_push_under_the_approval(as_planner, decided):
    approved = decided["approved"]
    activation = Activation.objects.create(
        draft=approved, campaign=approved.campaign, approved_at=approved.reviewed_at,
        base_version=approved.base_version,
    )  # fmt: skip

    body = text(as_planner.get(reverse("campaign-list")))
    notices = landing_notices(as_planner)

    assert f'id="activation-step-{activation.pk}"' in notices
    assert body.count(f'id="activation-step-{activation.pk}"') == 1
