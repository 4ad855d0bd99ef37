"""Blackout calendars' service: four-eyes editing, and the days a campaign must not dial. Where a calendar applies
goes through the same review: tests/test_services_blackout_attachments.py."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import (
    AgentPool,
    AuditEntry,
    BlackoutCalendar,
    CalendarRevision,
    Campaign,
    PoolMember,
    RevisionStatus,
)
from campaigns.services.blackouts import days, editing
from campaigns.services.errors import DraftChanged, InvalidInput, InvalidTransition, NotAllowed
from tests.conftest import attach_approved, make_campaign

pytestmark = pytest.mark.django_db

THANKSGIVING = "fourth Thursday of November: US Thanksgiving"
NOVEMBER = (dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, tzinfo=dt.UTC))


def approved(author, approver, text=THANKSGIVING, name="Closures", *, campaigns=(), pools=()):
    """A calendar in effect: its days, and where it applies when given, approved together."""
    revision = editing.create_calendar(author, name, "Our closures", text)
    if campaigns or pools:
        editing.propose_attachments(
            revision.calendar_id, author, campaigns=[c.pk for c in campaigns], pools=[p.pk for p in pools]
        )
    editing.submit(revision.pk, author)
    editing.approve(revision.pk, approver)
    return BlackoutCalendar.objects.get(pk=revision.calendar_id)


def test_a_new_calendar_blacks_out_nothing_until_another_supervisor_approves_it(
    supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[campaign.pk], pools=[])
    assert days.blackout_days(campaign, *NOVEMBER) == []

    editing.submit(revision.pk, supervisor)
    assert days.blackout_days(campaign, *NOVEMBER) == []
    editing.approve(revision.pk, other_supervisor)

    [day] = days.blackout_days(campaign, *NOVEMBER)
    assert (day.day, day.label) == (dt.date(2026, 11, 26), "US Thanksgiving")
    # Chicago's midnight to midnight, in UTC: what the dialling workers stop the campaign for.
    assert (day.start, day.end) == (
        dt.datetime(2026, 11, 26, 6, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 27, 6, tzinfo=dt.UTC),
    )


def test_the_author_cannot_approve_their_own_revision(supervisor):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.submit(revision.pk, supervisor)
    with pytest.raises(NotAllowed, match="Four-eyes"):
        editing.approve(revision.pk, supervisor)
    assert not BlackoutCalendar.objects.get(name="Closures").in_effect


def test_planners_do_not_edit_calendars(planner):
    with pytest.raises(NotAllowed):
        editing.create_calendar(planner, "Closures", "", THANKSGIVING)


def test_a_wrong_line_is_refused_with_its_number_and_nothing_is_stored(supervisor):
    with pytest.raises(InvalidInput, match="line 2: “someday”"):
        editing.create_calendar(supervisor, "Closures", "", f"{THANKSGIVING}\nsomeday: x")
    assert not BlackoutCalendar.objects.filter(ready_rule="").exists()


def test_a_second_calendar_with_the_same_name_is_refused(supervisor):
    editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    with pytest.raises(InvalidInput, match="exists already"):
        editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)


def test_a_change_to_an_approved_calendar_takes_effect_only_once_approved(supervisor, other_supervisor, pool):
    campaign = make_campaign(pool=pool)
    calendar = approved(supervisor, other_supervisor, campaigns=[campaign])
    revision = editing.edit(calendar.pk, other_supervisor, "", "2026-11-27: Day after")
    assert revision.number == 2 and revision.status == RevisionStatus.DRAFT
    assert [d.day for d in days.blackout_days(campaign, *NOVEMBER)] == [dt.date(2026, 11, 26)]

    editing.submit(revision.pk, other_supervisor)
    editing.approve(revision.pk, supervisor)
    assert [d.day for d in days.blackout_days(campaign, *NOVEMBER)] == [dt.date(2026, 11, 27)]


def test_only_the_author_changes_an_open_revision(supervisor, other_supervisor):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    with pytest.raises(NotAllowed, match="is changing this calendar already"):
        editing.edit(revision.calendar_id, other_supervisor, "", "2026-12-24: Eve")


def test_a_submitted_revision_is_withdrawn_before_it_changes(supervisor):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.submit(revision.pk, supervisor)
    with pytest.raises(InvalidTransition, match="withdraw it"):
        editing.edit(revision.calendar_id, supervisor, "", "2026-12-24: Eve")
    editing.withdraw(revision.pk, supervisor)
    assert editing.edit(revision.calendar_id, supervisor, "", "2026-12-24: Eve").rules[0]["name"] == "Eve"


def test_the_author_discards_a_draft_revision_and_the_approved_calendar_stays_in_effect(
    supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    calendar = approved(supervisor, other_supervisor, campaigns=[campaign])
    revision = editing.edit(calendar.pk, supervisor, "", "2026-11-27: Day after")

    discarded = editing.discard(revision.pk, supervisor)

    assert discarded.status == RevisionStatus.DISCARDED and discarded.decided_at is not None
    assert [d.day for d in days.blackout_days(campaign, *NOVEMBER)] == [dt.date(2026, 11, 26)]
    # The calendar's one open slot is free again: a new revision starts from the rules in effect.
    again = editing.edit(calendar.pk, other_supervisor, "", "2026-12-24: Eve")
    assert again.number == 3 and again.status == RevisionStatus.DRAFT
    assert AuditEntry.objects.filter(action="campaigns.calendar.discarded", object_id=str(revision.pk)).exists()


def test_only_the_author_discards_and_only_a_draft(supervisor, other_supervisor):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    with pytest.raises(NotAllowed, match="Only the revision's author discards it"):
        editing.discard(revision.pk, other_supervisor)

    editing.submit(revision.pk, supervisor)
    with pytest.raises(InvalidTransition, match="cannot be discarded"):
        editing.discard(revision.pk, supervisor)  # a reviewer may be deciding on it: withdraw it first
    assert CalendarRevision.objects.get(pk=revision.pk).status == RevisionStatus.SUBMITTED


def test_a_rejection_needs_a_reason_and_leaves_the_approved_rules_in_effect(supervisor, other_supervisor):
    calendar = approved(supervisor, other_supervisor)
    revision = editing.edit(calendar.pk, supervisor, "", "2026-12-24: Eve")
    editing.submit(revision.pk, supervisor)
    with pytest.raises(InvalidInput):
        editing.reject(revision.pk, other_supervisor, " ")
    editing.reject(revision.pk, other_supervisor, "Eve is a working day")
    calendar.refresh_from_db()
    assert calendar.rules[0]["name"] == "US Thanksgiving"


def test_every_step_is_in_the_audit_trail(supervisor, other_supervisor, pool):
    calendar = approved(supervisor, other_supervisor)
    revision = editing.propose_attachments(
        calendar.pk, supervisor, campaigns=[make_campaign(pool=pool).pk], pools=[]
    )
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "campaigns.calendar.created",
        "campaigns.calendar.submitted",
        "campaigns.calendar.approved",
        "campaigns.calendar.attachments_proposed",
        "campaigns.calendar.submitted",
        "campaigns.calendar.approved",
        "campaigns.calendar.attached",
    ]
    attached = AuditEntry.objects.latest("pk")
    assert attached.actor == other_supervisor
    assert attached.message == (
        f"Closures applies to campaign Campaign C-1001 (revision 2, proposed by {supervisor}, approved by "
        f"{other_supervisor})."
    )


def test_a_calendar_attached_to_a_pool_applies_to_the_campaigns_drawing_on_it(
    supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    other = make_campaign("C-2", pool=pool)
    agents = AgentPool.objects.create(name="Night shift", agents=10)
    PoolMember.objects.create(pool=agents, campaign=campaign)
    calendar = approved(supervisor, other_supervisor, pools=[agents])
    assert [d.day for d in days.blackout_days(campaign, *NOVEMBER)] == [dt.date(2026, 11, 26)]
    assert days.blackout_days(other, *NOVEMBER) == []
    assert days.campaigns_attached(calendar) == [campaign]
    spans = days.days_by_campaign(
        [
            (campaign.pk, campaign.cxone_id, pool.pk, "America/Chicago"),
            (other.pk, other.cxone_id, pool.pk, "UTC"),
        ],
        *NOVEMBER,
    )
    assert list(spans) == [campaign.cxone_id]


def test_the_rules_files_holiday_bans_are_ready_calendars_in_effect():
    ready = {c.ready_rule: c for c in BlackoutCalendar.objects.exclude(ready_rule="")}
    assert {"us-ut", "us-la", "us-al", "us-ri", "us-pa"} <= set(ready)
    assert ready["us-pa"].name == "US-PA legal holidays" and ready["us-pa"].in_effect


def test_a_ready_calendar_is_not_rewritten_by_hand(supervisor):
    calendar = BlackoutCalendar.objects.get(ready_rule="us-ut")
    with pytest.raises(NotAllowed, match="ready calendar"):
        editing.edit(calendar.pk, supervisor, "", THANKSGIVING)


def test_approving_where_a_calendar_applies_marks_the_campaigns_stored_findings_outdated(
    supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool, findings_key="checked")
    taken_off = make_campaign("C-2", pool=pool)
    calendar = approved(supervisor, other_supervisor, campaigns=[taken_off])
    Campaign.objects.update(findings_key="checked")
    revision = editing.propose_attachments(calendar.pk, supervisor, campaigns=[campaign.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    assert set(Campaign.objects.values_list("findings_key", flat=True)) == {"checked"}  # proposed: no change

    editing.approve(revision.pk, other_supervisor)
    # The campaign it now applies to and the one it no longer does are both checked again.
    assert set(Campaign.objects.values_list("findings_key", flat=True)) == {""}


def test_a_reviewer_decides_on_the_revision_as_they_saw_it(supervisor, other_supervisor):
    revision = editing.create_calendar(supervisor, "Closures", "", THANKSGIVING)
    editing.submit(revision.pk, supervisor)
    seen = revision.lock_version
    editing.withdraw(revision.pk, supervisor)
    editing.edit(revision.calendar_id, supervisor, "", "2026-01-02: Everything")
    editing.submit(revision.pk, supervisor)
    with pytest.raises(DraftChanged):
        editing.approve(revision.pk, other_supervisor, seen_lock_version=seen)


def test_a_calendar_whose_rules_no_longer_read_blacks_out_nothing_and_stops_nothing(
    supervisor, other_supervisor, pool
):
    campaign = make_campaign(pool=pool)
    calendar = BlackoutCalendar.objects.get(ready_rule="us-ut")
    BlackoutCalendar.objects.filter(pk=calendar.pk).update(
        rules=[{"kind": "state_holidays", "rule": "us-gone"}]
    )
    attach_approved(calendar.pk, supervisor, other_supervisor, campaigns=[campaign])
    assert days.blackout_days(campaign, *NOVEMBER) == []
