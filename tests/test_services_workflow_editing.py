"""Workflow services: starting a draft and saving it (lock versions, refusals, audit)."""

from __future__ import annotations

import datetime as dt

import pytest

from campaigns.models import AuditEntry, ScheduleDraft
from campaigns.services.drafts import guards as draft_guards
from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft
from tests.workflow_support import S, entries, set_status, submitted

# ---- start_draft -------------------------------------------------------------------------------------------


def test_a_new_draft_starts_from_the_campaigns_current_schedule(campaign, planner):
    campaign.retry_policy = {"maxAttempts": 4, "retryIntervalMs": 120000, "retryOnBusy": False}
    campaign.agents_required = 6
    campaign.save()

    draft = workflow.start_draft(campaign, planner)

    assert (draft.status, draft.author, draft.base_version, draft.lock_version) == (S.DRAFT, planner, 7, 1)
    assert draft.timezone == "America/Chicago"
    assert draft.cron_expression == "0 9 * * 1-5"
    assert draft.duration_minutes == 480
    assert (draft.effective_start, draft.effective_end) == (campaign.effective_start, campaign.effective_end)
    assert (draft.retry_max_attempts, draft.retry_interval_ms, draft.retry_on_busy) == (4, 120000, False)
    assert draft.retry_on_no_answer is True  # not in the campaign's policy: the model's default
    assert draft.agents_required == 6


def test_fields_given_to_a_new_draft_replace_the_current_schedule(campaign, planner):
    draft = workflow.start_draft(campaign, planner, cron_expression="30 8 * * 1-5", duration_minutes=300)
    assert (draft.cron_expression, draft.duration_minutes, draft.timezone) == (
        "30 8 * * 1-5",
        300,
        "America/Chicago",
    )


def test_starting_a_draft_is_audited_with_its_values(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    [entry] = entries(draft)
    assert (entry.action, entry.actor, entry.campaign) == ("campaigns.draft.created", planner, campaign)
    assert entry.changes["status"] == [None, "draft"]
    assert entry.changes["cron_expression"] == [None, "0 9 * * 1-5"]
    assert entry.changes["effective_start"] == [None, "2026-12-01T06:00:00+00:00"]


def test_a_campaign_with_an_open_draft_cannot_get_a_second_one(campaign, planner, other_planner):
    first = workflow.start_draft(campaign, planner)
    with pytest.raises(workflow.OpenDraftExists) as refused:
        workflow.start_draft(campaign, other_planner)
    assert refused.value.draft_id == first.pk
    assert f"#{first.pk}" in refused.value.message and "continue that one" in refused.value.message
    assert ScheduleDraft.objects.filter(campaign=campaign).count() == 1


def test_losing_the_race_to_start_a_draft_is_refused_as_an_open_draft(
    campaign, planner, other_planner, monkeypatch
):
    # The other planner's draft lands between our check and our INSERT: the partial unique index refuses ours.
    real_check = draft_guards.refuse_if_open_draft
    competitor = {}

    def check_then_lose_the_race(c):
        real_check(c)
        if not competitor:
            competitor["draft"] = make_draft(c, other_planner)

    monkeypatch.setattr(draft_guards, "refuse_if_open_draft", check_then_lose_the_race)
    with pytest.raises(workflow.OpenDraftExists) as refused:
        workflow.start_draft(campaign, planner)
    assert refused.value.draft_id == competitor["draft"].pk
    assert list(ScheduleDraft.objects.filter(campaign=campaign)) == [competitor["draft"]]
    assert not AuditEntry.objects.filter(action="campaigns.draft.created").exists()


def test_a_campaign_whose_drafts_are_closed_can_get_a_new_one(campaign, planner):
    set_status(make_draft(campaign, planner), S.REJECTED)
    assert workflow.start_draft(campaign, planner).status == S.DRAFT


@pytest.mark.parametrize("user", ["manager", "outsider"])
def test_only_planners_and_supervisors_can_start_a_draft(campaign, user, request):
    with pytest.raises(workflow.NotAllowed, match="does not allow you to start a draft"):
        workflow.start_draft(campaign, request.getfixturevalue(user))
    assert not ScheduleDraft.objects.exists()


def test_a_supervisor_can_start_a_draft(campaign, supervisor):
    assert workflow.start_draft(campaign, supervisor).author == supervisor


def test_a_campaign_missing_from_cxone_cannot_get_a_draft(pool, planner):
    gone = make_campaign("C-2", pool=pool, missing_since=dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC))
    with pytest.raises(
        workflow.InvalidTransition, match="no longer in CXone .missing since 2026-05-01 12:00 UTC"
    ):
        workflow.start_draft(gone, planner)


def test_a_campaign_without_a_schedule_needs_the_missing_field_given(pool, planner):
    bare = make_campaign("C-3", pool=pool, cron_expression="")
    with pytest.raises(workflow.InvalidInput) as refused:
        workflow.start_draft(bare, planner)
    assert refused.value.field == "cron_expression"
    assert refused.value.message == "Enter the cron expression."
    assert workflow.start_draft(bare, planner, cron_expression="0 9 * * *").cron_expression == "0 9 * * *"


def test_a_draft_refuses_a_field_it_does_not_have(campaign, planner):
    with pytest.raises(workflow.InvalidInput, match="'name' is not a schedule field") as refused:
        workflow.start_draft(campaign, planner, name="Renamed")
    assert refused.value.field == "name"


BAD_VALUES = [
    ({"duration_minutes": 0}, "duration_minutes", "between 1 and 1440 minutes"),
    ({"duration_minutes": 1441}, "duration_minutes", "between 1 and 1440 minutes"),
    ({"retry_max_attempts": 11}, "retry_max_attempts", "between 1 and 10 retry attempts"),
    ({"retry_interval_ms": 30_000}, "retry_interval_ms", "at least one minute"),
    ({"agents_required": 0}, "agents_required", "at least one agent"),
    (
        {"timezone": "Mars/Olympus_Mons"},
        "timezone",
        "Time zone: 'Mars/Olympus_Mons' is not an IANA time zone",
    ),
    ({"timezone": "EST"}, "timezone", "Time zone: 'EST' is a legacy name.*enter America/New_York"),
    ({"cron_expression": "0 9 L * *"}, "cron_expression", "Cron expression: day-of-month: 'L' uses 'L'"),
    ({"duration_minutes": "480"}, "duration_minutes", "between 1 and 1440 minutes"),
    (
        {"effective_start": dt.datetime(1, 1, 1, tzinfo=dt.UTC)},
        "effective_start",
        "0001-01-01 is outside the dates",
    ),
    (
        {"effective_end": dt.datetime(9999, 12, 31, tzinfo=dt.UTC)},
        "effective_end",
        "9999-12-31 is outside the dates",
    ),
    ({"effective_end": dt.datetime(2026, 11, 1, tzinfo=dt.UTC)}, "effective_end", "must end after it starts"),
]


@pytest.mark.parametrize(("values", "field", "says"), BAD_VALUES)
def test_a_new_draft_refuses_what_the_database_would_reject_naming_the_field(
    campaign, planner, values, field, says
):
    with pytest.raises(workflow.InvalidInput, match=says) as refused:
        workflow.start_draft(campaign, planner, **values)
    assert refused.value.field == field
    assert isinstance(refused.value, ValueError)
    assert not ScheduleDraft.objects.exists()


# ---- save_draft --------------------------------------------------------------------------------------------


def test_saving_a_draft_stores_the_fields_and_bumps_the_lock_version(campaign, planner):
    draft = make_draft(campaign, planner)
    saved = workflow.save_draft(
        draft.pk, planner, lock_version=1, fields={"cron_expression": "0 11 * * 1-5", "agents_required": 7}
    )
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.agents_required, draft.lock_version) == ("0 11 * * 1-5", 7, 2)
    assert saved.lock_version == 2


def test_a_save_is_audited_with_before_and_after_of_the_changed_fields_only(campaign, planner):
    draft = make_draft(campaign, planner)
    fields = {"cron_expression": "0 11 * * 1-5", "duration_minutes": 360, "timezone": "America/Chicago"}
    workflow.save_draft(draft.pk, planner, lock_version=1, fields=fields)
    [entry] = entries(draft, "campaigns.draft.edited")
    assert entry.actor == planner and entry.campaign == campaign
    assert entry.changes == {"cron_expression": ["0 10 * * 1-5", "0 11 * * 1-5"]}


def test_a_planner_may_edit_a_draft_another_planner_wrote(campaign, planner, other_planner):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 9})
    draft.refresh_from_db()
    assert draft.agents_required == 9
    assert entries(draft, "campaigns.draft.edited")[0].actor == other_planner


def test_a_second_save_with_an_old_lock_version_is_refused_with_both_versions(
    campaign, planner, other_planner
):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"cron_expression": "0 11 * * 1-5"})

    mine = {"cron_expression": "0 12 * * 1-5", "agents_required": 3}
    with pytest.raises(workflow.EditConflict) as refused:
        workflow.save_draft(draft.pk, other_planner, lock_version=1, fields=mine)

    conflict = refused.value
    assert conflict.mine == mine
    assert conflict.theirs["cron_expression"] == "0 11 * * 1-5"
    assert conflict.theirs["agents_required"] == 5
    assert set(conflict.theirs) == set(workflow.EDITABLE_FIELDS)
    assert conflict.current_lock_version == 2
    assert conflict.message.startswith(
        "pat_planner saved this draft after you opened it. Nothing was overwritten"
    )
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.agents_required, draft.lock_version) == ("0 11 * * 1-5", 5, 2)
    assert len(entries(draft, "campaigns.draft.edited")) == 1


def test_after_a_conflict_saving_against_the_current_version_succeeds(campaign, planner, other_planner):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"cron_expression": "0 11 * * 1-5"})
    with pytest.raises(workflow.EditConflict) as refused:
        workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 3})
    lock = refused.value.current_lock_version
    assert (
        workflow.save_draft(
            draft.pk, other_planner, lock_version=lock, fields={"agents_required": 3}
        ).lock_version
        == 3
    )


def test_a_conflict_with_your_own_other_tab_says_so(campaign, planner):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"agents_required": 8})
    with pytest.raises(workflow.EditConflict, match=r"^You \(in another tab or window\) saved this draft"):
        workflow.save_draft(draft.pk, planner, lock_version=1, fields={"agents_required": 9})


def test_a_save_that_changes_nothing_neither_bumps_nor_audits(campaign, planner):
    draft = make_draft(campaign, planner)
    same = {f: getattr(draft, f) for f in workflow.EDITABLE_FIELDS}
    result = workflow.save_draft(draft.pk, planner, lock_version=1, fields=same)
    draft.refresh_from_db()
    assert result.lock_version == draft.lock_version == 1
    assert entries(draft) == []


def test_a_save_with_an_old_lock_version_is_refused_even_if_it_changes_nothing(
    campaign, planner, other_planner
):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"agents_required": 8})
    with pytest.raises(workflow.EditConflict):
        workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 8})


@pytest.mark.parametrize("user", ["manager", "outsider"])
def test_only_planners_and_supervisors_can_edit_a_draft(campaign, planner, user, request):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to edit drafts"):
        workflow.save_draft(
            draft.pk, request.getfixturevalue(user), lock_version=1, fields={"agents_required": 2}
        )
    draft.refresh_from_db()
    assert draft.agents_required == 5


def test_a_submitted_draft_cannot_be_edited_until_it_is_withdrawn(campaign, planner, other_planner):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.InvalidTransition, match="author must withdraw it before you can edit it"):
        workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 2})
    workflow.withdraw(draft.pk, planner)
    assert (
        workflow.save_draft(
            draft.pk, other_planner, lock_version=1, fields={"agents_required": 2}
        ).lock_version
        == 2
    )


@pytest.mark.parametrize(("values", "field", "says"), BAD_VALUES)
def test_a_save_refuses_what_the_database_would_reject_and_keeps_the_draft(
    campaign, planner, values, field, says
):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.InvalidInput, match=says) as refused:
        workflow.save_draft(draft.pk, planner, lock_version=1, fields=values)
    assert refused.value.field == field
    draft.refresh_from_db()
    assert draft.lock_version == 1 and draft.duration_minutes == 360


def test_a_save_refuses_a_field_a_draft_does_not_have(campaign, planner):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.InvalidInput) as refused:
        workflow.save_draft(draft.pk, planner, lock_version=1, fields={"status": "approved"})
    assert refused.value.field == "status"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
