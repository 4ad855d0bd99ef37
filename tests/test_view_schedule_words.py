"""Every cron on the pages is also said in words, with its zone: list, campaign, editor (live), queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft
from tests.draft_view_support import text, validate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

WORDS = '<span class="in-words">{}</span>'


def test_the_campaign_list_says_each_window_in_words_with_the_cron_beside_it(as_planner, pool):
    make_campaign(
        "C-1", pool=pool, name="Renewals East", cron_expression="0 11 * * 1-5", duration_minutes=180
    )
    make_campaign(
        "C-2", pool=pool, name="Win-back", timezone="America/New_York", cron_expression="0 9 * * 1,3"
    )
    make_campaign("C-3", pool=pool, name="Odd", cron_expression="0 9 * * 5L", duration_minutes=60)

    body = text(as_planner.get(reverse("campaign-list")))

    assert WORDS.format("Weekdays 11:00–14:00 CST") in body
    assert WORDS.format("Mon, Wed 09:00–17:00 EST") in body
    assert ">0 11 * * 1-5</code>" in body
    # Not plain enough for words: the cron, its length and zone, and no half-right sentence.
    assert "<code>0 9 * * 5L</code> for 1 h in America/Chicago" in body


def test_the_campaign_page_says_its_windows_in_words(as_planner, campaign):
    body = text(as_planner.get(reverse("campaign-detail", args=[campaign.pk])))

    assert '<th scope="row">Windows</th><td><span class="in-words">Weekdays 09:00–17:00 CST</span>' in body


def test_the_editor_says_the_schedule_in_words_under_the_cron(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    body = text(as_planner.get(reverse("draft-editor", args=[draft.pk])))

    assert 'id="cron-words" aria-live="polite">Opens Weekdays 10:00–16:00 CST</p>' in body


def test_the_words_follow_what_the_planner_types(as_planner, campaign, planner):
    draft = make_draft(campaign, planner)

    typed = text(validate(as_planner, draft, cron_expression="30 8 * * 1,3,5", duration_minutes="90"))
    wrong = text(validate(as_planner, draft, cron_expression="0 25 * * 1-5"))

    assert (
        'id="cron-words" aria-live="polite" hx-swap-oob="true">Opens Mon, Wed, Fri 08:30–10:00 CST</p>'
        in typed
    )
    assert 'id="cron-words" aria-live="polite" hx-swap-oob="true"></p>' in wrong  # the field's error says why


def test_the_queue_says_current_and_proposed_in_words(client, supervisor, planner, campaign):
    draft = make_draft(campaign, planner, cron_expression="0 11 * * 1,3", duration_minutes=240)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    client.force_login(supervisor)

    body = text(client.get(reverse("approval-queue")))

    assert WORDS.format("Weekdays 09:00–17:00 CST") in body  # current
    assert WORDS.format("Mon, Wed 11:00–15:00 CST") in body  # proposed
