"""The approval queue's kept reviews: made once a minute per draft, and never shown once anything they were made
from has changed (the key is built from the review's inputs), nor when a time budget cut them short."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

import pytest
from django.urls import reverse

from campaigns.models import Campaign, ScheduleDraft
from campaigns.scheduling import blackouts
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts.checks import conflict_index, draft_checks, kept_reviews
from tests.conftest import MONDAY_BEFORE_DECEMBER, make_campaign
from tests.workflow_support import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

NO_CALENDARS = blackout_days.CalendarsRead({}, attached=False)
MINUTE = MONDAY_BEFORE_DECEMBER


@pytest.fixture
def draft(campaign, planner):
    return ScheduleDraft.objects.select_related("campaign").get(pk=submitted(campaign, planner).pk)


def key(
    draft, *, index_key=("hour", ("fingerprint",)), calendars=NO_CALENDARS, holds=((1,), (0,)), minute=MINUTE
) -> str:
    return kept_reviews.review_key(draft, index_key=index_key, calendars=calendars, holds=holds, minute=minute)


def counted_reviews(monkeypatch) -> list[int]:
    made = []
    real = draft_checks.review
    monkeypatch.setattr(draft_checks, "review", lambda d, **kw: made.append(d.pk) or real(d, **kw))
    return made


def queue(client, supervisor) -> str:
    client.force_login(supervisor)
    response = client.get(reverse("approval-queue"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_queue_reviews_a_draft_once_a_minute_while_nothing_changes(
    client, supervisor, draft, monkeypatch
):
    made = counted_reviews(monkeypatch)

    queue(client, supervisor)
    queue(client, supervisor)

    assert made == [draft.pk]


def test_the_queue_shows_a_new_verdict_as_soon_as_the_campaign_changes(client, supervisor, draft):
    assert "the DNC list is INACTIVE" not in queue(
        client, supervisor
    )  # reviewed and kept: the list is active

    Campaign.objects.filter(pk=draft.campaign_id).update(dnc_list_state="INACTIVE")  # no version moves

    assert "the DNC list is INACTIVE; it must be ACTIVE" in queue(client, supervisor)


def test_a_review_is_made_again_when_the_minute_turns(client, supervisor, draft, monkeypatch, frozen_clock):
    made = counted_reviews(monkeypatch)
    queue(client, supervisor)

    frozen_clock.shift(dt.timedelta(minutes=1))
    queue(client, supervisor)

    assert made == [draft.pk, draft.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"cron_expression": "0 11 * * 1-5"},  # a value, even written without moving the lock version
        {"lock_version": 99},
        {"agents_required": 9},
        {"purpose": "debt_collection"},
    ],
)
def test_any_change_to_the_draft_makes_another_key(draft, change):
    before = key(draft)
    ScheduleDraft.objects.filter(pk=draft.pk).update(**change)

    assert key(ScheduleDraft.objects.select_related("campaign").get(pk=draft.pk)) != before


@pytest.mark.parametrize(
    "change",
    [
        {"dnc_list_state": "INACTIVE"},
        {"dnc_rules": {"stateRules": ["FL"]}},
        {"contact_list_breakdown": [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]},
        {"cron_expression": "0 8 * * 1-5"},  # the current schedule
        {"timezone": "America/Denver"},
        {"agents_required": 12},
        {"contact_list_id": "L-OTHER"},
        {"purpose": "debt_collection"},
    ],
)
def test_any_change_to_what_the_checks_read_of_the_campaign_makes_another_key(draft, change):
    before = key(draft)
    Campaign.objects.filter(pk=draft.campaign_id).update(**change)

    assert key(ScheduleDraft.objects.select_related("campaign").get(pk=draft.pk)) != before


def test_blackout_days_conflicts_and_the_minute_are_in_the_key(draft):
    rule = blackouts.parse_rules([{"kind": "date", "name": "Inventory", "date": "2026-12-03"}])
    with_calendar = blackout_days.CalendarsRead({draft.campaign.cxone_id: tuple(rule)}, attached=True)
    attached_elsewhere = dataclasses.replace(NO_CALENDARS, attached=True)

    assert key(draft, calendars=with_calendar) != key(draft)
    assert key(draft, calendars=attached_elsewhere) != key(draft)
    assert key(draft, index_key=("hour", ("another fingerprint",))) != key(draft)
    assert key(draft, minute=MINUTE + dt.timedelta(minutes=1)) != key(draft)
    assert key(draft) == key(draft)  # and nothing else: the same inputs, the same key


def test_the_key_follows_the_conflict_index_when_a_campaign_of_the_pool_changes(draft, pool):
    other = make_campaign("C-2002", pool=pool)
    before, _ = conflict_index.current_with_key(MINUTE)
    Campaign.objects.filter(pk=other.pk).update(agents_required=19)

    after, _ = conflict_index.current_with_key(MINUTE)
    assert key(draft, index_key=after) != key(draft, index_key=before)


def test_a_review_the_time_budget_cut_short_is_not_kept(draft, monkeypatch):
    index_key, index = conflict_index.current_with_key(MINUTE)
    monkeypatch.setattr(draft_checks, "BUDGET_SECONDS", 0)
    cut = kept_reviews.reviews([draft], index=index, index_key=index_key, calendars=NO_CALENDARS, now=MINUTE)
    assert cut[draft.pk]["proposed"].cut_short

    monkeypatch.undo()
    again = kept_reviews.reviews(
        [draft], index=index, index_key=index_key, calendars=NO_CALENDARS, now=MINUTE
    )

    assert not again[draft.pk]["proposed"].cut_short
