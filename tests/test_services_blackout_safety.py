"""A calendar change never makes a campaign dial where it must not: taking a day off a calendar, or the calendar
off a campaign or a pool, gives the campaign's windows on that day back, so approving it judges the campaigns it
applies to, before and after, and refuses a change that adds a blocking finding; nothing of it is kept then."""

from __future__ import annotations

import pytest

from campaigns.models import AuditEntry, BlackoutCalendar, RevisionStatus
from campaigns.services.blackouts import editing
from campaigns.services.errors import NotAllowed
from tests.conftest import attach_approved, make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

PENNSYLVANIA = [{"state": "PA", "timezones": ["America/New_York"], "count": 40}]
TEXAS = [{"state": "TX", "timezones": ["America/Chicago"], "count": 40}]


def weekdays(cxone_id: str, name: str, breakdown) -> object:
    """Weekdays 10:00–18:00 New York until March: Christmas and New Year's Day are weekdays in it."""
    return make_campaign(cxone_id, name=name, timezone="America/New_York", cron_expression="0 10 * * 1-5",
                         contact_list_breakdown=breakdown)  # fmt: skip


@pytest.fixture
def pa_holidays(supervisor, other_supervisor):
    """The rules file's ready calendar of Pennsylvania's holiday ban, attached to a PA campaign."""
    ready = BlackoutCalendar.objects.get(ready_rule="us-pa")
    attach_approved(ready.pk, supervisor, other_supervisor, campaigns=[weekdays("C-1", "PA renewals", PENNSYLVANIA)])
    return ready


def test_taking_the_holiday_ban_off_a_campaign_that_dials_on_the_holidays_is_refused_and_nothing_changes(
    pa_holidays, supervisor, other_supervisor
):
    revision = editing.propose_attachments(pa_holidays.pk, supervisor, campaigns=[], pools=[])
    editing.submit(revision.pk, supervisor)

    with pytest.raises(NotAllowed) as refused:
        editing.approve(revision.pk, other_supervisor)

    said = str(refused.value)
    assert "campaigns would dial where they must not" in said and "PA renewals" in said
    assert list(pa_holidays.campaigns.values_list("cxone_id", flat=True)) == ["C-1"]  # still attached
    revision.refresh_from_db()
    assert revision.status == RevisionStatus.SUBMITTED  # still waiting: the author can withdraw or change it
    assert not AuditEntry.objects.filter(action="campaigns.calendar.approved", object_id=str(revision.pk)).exists()


def test_taking_a_closure_off_a_campaign_the_states_rules_allow_that_day_is_approved(
    supervisor, other_supervisor
):
    texas = weekdays("C-2", "TX renewals", TEXAS)
    revision = editing.create_calendar(supervisor, "Closures", "", "2026-12-24: Christmas Eve")
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[texas.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)

    detach = editing.propose_attachments(revision.calendar_id, other_supervisor, campaigns=[], pools=[])
    editing.submit(detach.pk, other_supervisor)

    assert editing.approve(detach.pk, supervisor).status == RevisionStatus.APPROVED
    assert not BlackoutCalendar.objects.get(pk=revision.calendar_id).campaigns.exists()


def test_removing_a_day_a_campaign_relied_on_is_refused(supervisor, other_supervisor):
    pa = weekdays("C-1", "PA renewals", PENNSYLVANIA)
    # A calendar of the two PA holidays the campaign's weeks meet this winter, attached to it.
    revision = editing.create_calendar(
        supervisor, "Winter holidays", "", "25 December: Christmas Day\n1 January: New Year's Day"
    )
    editing.propose_attachments(revision.calendar_id, supervisor, campaigns=[pa.pk], pools=[])
    editing.submit(revision.pk, supervisor)
    editing.approve(revision.pk, other_supervisor)
    # With the other holidays until March, the campaign has its findings already: only a new one refuses.
    shorter = editing.edit(revision.calendar_id, other_supervisor, "", "25 December: Christmas Day")
    editing.submit(shorter.pk, other_supervisor)

    with pytest.raises(NotAllowed, match="PA renewals: .*New Year"):
        editing.approve(shorter.pk, supervisor)
