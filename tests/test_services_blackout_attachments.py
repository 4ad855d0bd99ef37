"""Where a blackout calendar applies goes through four-eyes like its days: a supervisor proposes the campaigns and
pools on a revision, another approves or rejects it, and only what was approved reaches the engine."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import AgentPool, AuditEntry, BlackoutCalendar, PoolMember, RevisionStatus
from campaigns.services.blackouts import days, editing
from campaigns.services.errors import DraftChanged, InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import attach_approved, make_campaign

pytestmark = pytest.mark.django_db

THANKSGIVING = "fourth Thursday of November: US Thanksgiving"
NOVEMBER = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


@pytest.fixture
def kept(pool):
    """The campaign the calendar applies to in force."""
    return make_campaign("C-1", pool=pool)


@pytest.fixture
def other(pool):
    return make_campaign("C-2", pool=pool)


@pytest.fixture
def calendar(supervisor, other_supervisor, kept):
    """Closures, in effect on Thanksgiving, applying to `kept`."""
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[kept.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    return BlackoutCalendar.objects.get(pk=revision.calendar_id)


def blacked_out(campaign) -> list[dt.date]:
    return [d.day for d in days.blackout_days(campaign, *NOVEMBER)]


def test_a_proposal_changes_nothing_until_another_supervisor_approves_it(
    calendar, supervisor, other_supervisor, kept, other
):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    assert (revision.number, revision.status, revision.changes_attachments) == (2, RevisionStatus.DRAFT, True)
    assert list(revision.campaigns.all()) == [other]
    editing.submit(revision.pk, supervisor)
    assert list(calendar.campaigns.all()) == [kept]
    assert blacked_out(kept) == [dt.date(2026, 11, 26)] and blacked_out(other) == []

    editing.approve(revision.pk, other_supervisor)
    assert list(calendar.campaigns.all()) == [other]
    assert blacked_out(kept) == [] and blacked_out(other) == [dt.date(2026, 11, 26)]
    calendar.refresh_from_db()
    assert calendar.approved_revision == revision and calendar.rules[0]["name"] == "US Thanksgiving"


def test_the_author_cannot_approve_their_own_proposal(calendar, supervisor, kept, other):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[], pools=[])
    editing.submit(revision.pk, supervisor)
    with pytest.raises(NotAllowed, match="Four-eyes: another supervisor approves what you wrote"):
        editing.approve(revision.pk, supervisor)
    assert list(calendar.campaigns.all()) == [kept]  # one person alone cannot take the ban off


def test_a_rejected_proposal_keeps_what_is_attached(calendar, supervisor, other_supervisor, kept, other):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.reject(revision.pk, other_supervisor, "Campaign C-2 dials on Thanksgiving by contract")
    assert list(calendar.campaigns.all()) == [kept]
    assert blacked_out(kept) == [dt.date(2026, 11, 26)] and blacked_out(other) == []


def test_a_withdrawn_proposal_keeps_what_is_attached(calendar, supervisor, kept, other):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.withdraw(revision.pk, supervisor)
    assert list(calendar.campaigns.all()) == [kept]
    assert blacked_out(kept) == [dt.date(2026, 11, 26)]


def test_a_second_proposal_while_another_supervisors_is_open_is_refused(
    calendar, supervisor, other_supervisor, other
):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    with pytest.raises(NotAllowed, match=r"is changing this calendar already \(revision 2, submitted\)"):
        editing.propose_attachments(calendar.pk, other_supervisor, campaigns=[], pools=[])
    assert list(revision.campaigns.all()) == [other]


def test_the_authors_next_proposal_is_merged_into_their_open_draft(calendar, supervisor, kept, other):
    first = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    second = editing.propose_attachments(calendar.pk, supervisor, campaigns=[kept.pk, other.pk], pools=[])
    assert second.pk == first.pk and second.lock_version == first.lock_version + 1
    assert set(second.campaigns.all()) == {kept, other}
    with pytest.raises(DraftChanged):
        editing.propose_attachments(
            calendar.pk, supervisor, campaigns=[], pools=[], lock_version=first.lock_version
        )


def test_a_proposal_back_to_what_applies_leaves_the_attachments_out_of_the_revision(
    calendar, supervisor, kept, other
):
    editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[kept.pk], pools=[])
    assert not revision.changes_attachments and not revision.campaigns.exists()


def test_a_campaign_swapped_for_another_of_the_same_name_is_a_change(calendar, supervisor, kept, pool):
    twin = make_campaign("C-9", pool=pool, name=kept.name)
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[twin.pk], pools=[])
    assert revision.changes_attachments and list(revision.campaigns.all()) == [twin]


def test_a_submitted_revision_is_withdrawn_before_its_author_proposes_more(calendar, supervisor, other):
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    with pytest.raises(InvalidTransition, match="withdraw it before changing it"):
        editing.propose_attachments(calendar.pk, supervisor, campaigns=[], pools=[])


def test_the_days_and_where_it_applies_change_in_one_revision(
    calendar, supervisor, other_supervisor, kept, other
):
    revision = editing.edit(calendar.pk, supervisor, "", "2026-11-27: Day after")
    assert editing.propose_attachments(calendar.pk, supervisor, campaigns=[other.pk], pools=[]) == revision
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    assert blacked_out(kept) == [] and blacked_out(other) == [dt.date(2026, 11, 27)]
    approval = AuditEntry.objects.get(action="campaigns.calendar.approved", object_id=str(revision.pk))
    assert approval.changes["attached"] == [["campaign Campaign C-1"], ["campaign Campaign C-2"]]


def test_proposing_what_applies_already_is_refused(calendar, supervisor, kept):
    with pytest.raises(InvalidInput, match="applies to this already") as refused:
        editing.propose_attachments(calendar.pk, supervisor, campaigns=[kept.pk], pools=[])
    assert refused.value.field == "campaigns"


def test_a_calendar_without_days_in_effect_gets_its_days_first(supervisor, other_supervisor, other):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.submit(revision.pk, supervisor)
    editing.reject(revision.pk, other_supervisor, "Not this year")
    with pytest.raises(InvalidTransition, match="has no days in effect yet"):
        editing.propose_attachments(revision.calendar_id, other_supervisor, campaigns=[other.pk], pools=[])


def test_a_campaign_gone_meanwhile_is_refused_naming_the_field(calendar, supervisor):
    with pytest.raises(InvalidInput, match="is gone; reload the page") as refused:
        editing.propose_attachments(calendar.pk, supervisor, campaigns=[999_999], pools=[])
    assert refused.value.field == "campaigns"


def test_planners_do_not_propose_where_a_calendar_applies(calendar, planner, other):
    with pytest.raises(NotAllowed, match="Only supervisors"):
        editing.propose_attachments(calendar.pk, planner, campaigns=[other.pk], pools=[])


def test_a_ready_calendar_is_attached_through_review_with_its_days_unchanged(
    supervisor, other_supervisor, other
):
    ready = BlackoutCalendar.objects.get(ready_rule="us-pa")
    rules = ready.rules
    revision = attach_approved(ready.pk, supervisor, other_supervisor, campaigns=[other])
    ready.refresh_from_db()
    assert ready.rules == rules and ready.approved_revision == revision
    assert dt.date(2026, 11, 26) in blacked_out(other)  # Pennsylvania's Thanksgiving


def test_only_approved_attachments_reach_what_the_engine_reads(calendar, supervisor, other_supervisor, other):
    night = AgentPool.objects.create(name="Night shift", agents=10)
    PoolMember.objects.create(pool=night, campaign=other)
    fingerprint = days.fingerprint()
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[], pools=[night.pk])
    editing.submit(revision.pk, supervisor)

    assert days.calendars_of(other) == []
    assert list(days.campaigns_with_calendars()) != [] and other not in days.campaigns_with_calendars()
    assert days.read_calendars([(other.pk, other.cxone_id, other.pool_id)]).of(other.cxone_id) == ()
    assert days.campaigns_attached(calendar) != [other]
    assert days.fingerprint() == fingerprint  # the charts kept for the approved calendars stay right

    editing.approve(revision.pk, other_supervisor)
    assert days.calendars_of(other) == [calendar]
    assert days.read_calendars([(other.pk, other.cxone_id, other.pool_id)]).of(other.cxone_id) != ()
    assert days.campaigns_attached(calendar) == [other]
    assert days.fingerprint() != fingerprint
