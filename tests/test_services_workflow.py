"""Service tests of the draft workflow: every transition, every refusal, the audit trail, and concurrency."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import OperationalError, connection

from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services import workflow
from tests.conftest import make_campaign, make_draft, make_user

S = DraftStatus
NO_FINDINGS = {"blocking": [], "warnings": ["One window ends within 30 minutes of 21:00 in Florida."]}


def entries(draft, action=None):
    qs = AuditEntry.objects.filter(object_type="scheduledraft", object_id=str(draft.pk))
    return list(qs.filter(action=action) if action else qs)


def submitted(campaign, author, **fields) -> ScheduleDraft:
    draft = make_draft(campaign, author, **fields)
    return workflow.submit(draft.pk, author, lock_version=draft.lock_version, findings=NO_FINDINGS)


def set_status(draft, status) -> ScheduleDraft:
    ScheduleDraft.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    return draft


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
    real_check = workflow._refuse_if_open_draft
    competitor = {}

    def check_then_lose_the_race(c):
        real_check(c)
        if not competitor:
            competitor["draft"] = make_draft(c, other_planner)

    monkeypatch.setattr(workflow, "_refuse_if_open_draft", check_then_lose_the_race)
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
    ({"timezone": "Mars/Olympus_Mons"}, "timezone", "not a time zone; enter a name like America/Chicago"),
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
        draft.pk, planner, lock_version=1, fields={"cron_expression": "0 11 * * 1-5", "agents_required": 7},
        findings={"blocking": []},
    )  # fmt: skip
    draft.refresh_from_db()
    assert (draft.cron_expression, draft.agents_required, draft.lock_version) == ("0 11 * * 1-5", 7, 2)
    assert draft.findings == {"blocking": []}
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
    result = workflow.save_draft(draft.pk, planner, lock_version=1, fields=same, findings={"blocking": ["x"]})
    draft.refresh_from_db()
    assert result.lock_version == draft.lock_version == 1
    assert draft.findings == {}
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


# ---- submit ------------------------------------------------------------------------------------------------


def test_the_author_submits_a_draft_with_its_findings(campaign, planner):
    draft = make_draft(campaign, planner)
    result = workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)
    draft.refresh_from_db()
    assert draft.status == result.status == S.SUBMITTED
    assert draft.findings == NO_FINDINGS
    assert draft.submitted_at is not None
    [entry] = entries(draft, "campaigns.draft.submitted")
    assert (entry.actor, entry.campaign, entry.changes) == (
        planner,
        campaign,
        {"status": ["draft", "submitted"]},
    )


def test_only_the_author_can_submit_a_draft(campaign, planner, other_planner, supervisor):
    draft = make_draft(campaign, planner)
    for someone in (other_planner, supervisor):
        with pytest.raises(
            workflow.NotAllowed, match=r"Only the author of draft #\d+ \(pat_planner\) can submit it"
        ):
            workflow.submit(draft.pk, someone, lock_version=1, findings=NO_FINDINGS)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and entries(draft) == []


def test_a_manager_cannot_submit_a_draft(campaign, planner, manager):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to submit drafts"):
        workflow.submit(draft.pk, manager, lock_version=1, findings=NO_FINDINGS)


def test_a_draft_with_blocking_findings_cannot_be_submitted(campaign, planner):
    draft = make_draft(campaign, planner)
    problems = ["Window 09:00-17:00 CST starts before 08:00 in America/Los_Angeles", "DNC list is not active"]
    with pytest.raises(workflow.BlockingFindings) as refused:
        workflow.submit(draft.pk, planner, lock_version=1, findings={"blocking": problems})
    assert refused.value.problems == problems
    assert refused.value.message.startswith("Fix these 2 problems before submitting: Window 09:00-17:00")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.findings == {}


def test_a_draft_behind_the_remote_campaign_cannot_be_submitted_until_rebased(campaign, planner):
    draft = make_draft(campaign, planner)
    campaign.remote_version = 8
    campaign.save()
    with pytest.raises(workflow.StaleDraft, match="Rebase the draft") as refused:
        workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)
    assert (refused.value.base_version, refused.value.remote_version) == (7, 8)
    assert "changed in CXone (now version 8) after this draft was based on version 7" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submitting_a_draft_changed_since_the_author_saw_it_is_refused(campaign, planner, other_planner):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, other_planner, lock_version=1, fields={"agents_required": 2})
    with pytest.raises(workflow.DraftChanged, match="olive_planner changed draft") as refused:
        workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)
    assert refused.value.current_lock_version == 2
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submitting_twice_is_refused(campaign, planner):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.InvalidTransition, match="already submitted for approval"):
        workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)
    assert len(entries(draft, "campaigns.draft.submitted")) == 1


def test_a_draft_of_a_campaign_missing_from_cxone_cannot_be_submitted(campaign, planner):
    draft = make_draft(campaign, planner)
    campaign.missing_since = dt.datetime(2026, 5, 2, 9, tzinfo=dt.UTC)
    campaign.save()
    with pytest.raises(workflow.InvalidTransition, match="no longer in CXone .* cannot submit its drafts"):
        workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)


# ---- withdraw ----------------------------------------------------------------------------------------------


def test_the_author_withdraws_a_submitted_draft_back_to_draft(campaign, planner):
    draft = submitted(campaign, planner)
    workflow.withdraw(draft.pk, planner)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.submitted_at is None
    [entry] = entries(draft, "campaigns.draft.withdrawn")
    assert (entry.actor, entry.changes) == (planner, {"status": ["submitted", "draft"]})


def test_only_the_author_can_withdraw_a_draft(campaign, planner, other_planner, supervisor):
    draft = submitted(campaign, planner)
    for someone in (other_planner, supervisor):
        with pytest.raises(workflow.NotAllowed, match="can withdraw it"):
            workflow.withdraw(draft.pk, someone)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_draft_that_is_not_submitted_cannot_be_withdrawn(campaign, planner):
    draft = make_draft(campaign, planner)
    with pytest.raises(
        workflow.InvalidTransition, match="has not been submitted for approval, so you cannot withdraw"
    ):
        workflow.withdraw(draft.pk, planner)


# ---- approve -----------------------------------------------------------------------------------------------


def test_a_supervisor_approves_a_submitted_draft(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    result = workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == result.status == S.APPROVED
    assert draft.approver == supervisor and draft.reviewed_at is not None
    [entry] = entries(draft, "campaigns.draft.approved")
    assert (entry.actor, entry.campaign, entry.changes) == (
        supervisor,
        campaign,
        {"status": ["submitted", "approved"]},
    )


def test_a_supervisor_cannot_approve_their_own_draft(campaign, supervisor):
    draft = submitted(campaign, supervisor)
    with pytest.raises(workflow.NotAllowed, match="You wrote draft #.*another supervisor must review it"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED and draft.approver is None


def test_a_supervisor_who_edited_a_draft_cannot_approve_it(campaign, planner, supervisor, other_supervisor):
    draft = make_draft(campaign, planner)
    workflow.save_draft(draft.pk, supervisor, lock_version=1, fields={"agents_required": 4})
    workflow.submit(draft.pk, planner, lock_version=2, findings=NO_FINDINGS)
    with pytest.raises(workflow.NotAllowed, match="You edited draft #"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=2)
    assert workflow.approve(draft.pk, other_supervisor, seen_lock_version=2).approver == other_supervisor


@pytest.mark.parametrize("user", ["other_planner", "manager", "outsider"])
def test_only_supervisors_can_approve(campaign, planner, user, request):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to approve drafts"):
        workflow.approve(draft.pk, request.getfixturevalue(user), seen_lock_version=1)


def test_a_draft_changed_since_the_supervisor_saw_it_cannot_be_approved(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    seen = draft.lock_version
    workflow.withdraw(draft.pk, planner)
    workflow.save_draft(draft.pk, planner, lock_version=seen, fields={"duration_minutes": 600})
    workflow.submit(draft.pk, planner, lock_version=seen + 1, findings=NO_FINDINGS)

    with pytest.raises(
        workflow.DraftChanged, match="pat_planner changed draft .* then approve it again"
    ) as refused:
        workflow.approve(draft.pk, supervisor, seen_lock_version=seen)
    assert refused.value.current_lock_version == seen + 1
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_approving_twice_approves_once(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    with pytest.raises(
        workflow.InvalidTransition, match=r"already approved by sam_supervisor at \d{4}-\d\d-\d\d"
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert len(entries(draft, "campaigns.draft.approved")) == 1


def test_a_second_supervisor_tab_cannot_approve_an_approved_draft(
    campaign, planner, supervisor, other_supervisor
):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    with pytest.raises(workflow.InvalidTransition) as refused:
        workflow.approve(draft.pk, other_supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    when = draft.reviewed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    assert refused.value.message == (
        f"Draft #{draft.pk} was already approved by sam_supervisor at {when} UTC; "
        "there is nothing left to do."
    )
    assert draft.approver == supervisor


def test_an_approval_losing_a_race_is_refused_by_the_conditional_update(
    campaign, planner, supervisor, other_supervisor, monkeypatch
):
    # Where row locks are not honoured, both reviewers can read "submitted"; the UPDATE ... WHERE status =
    # 'submitted' AND lock_version = seen lets only one of them through. (Here the other approval runs inside
    # our transaction, so our refusal rolls it back too; the threaded test below shows the winner persisting.)
    draft = submitted(campaign, planner)
    real_locked = workflow._locked
    reads = []

    def read_before_the_other_approval(pk):
        row = real_locked(pk)
        if not reads:
            reads.append(row)
            workflow.approve(
                pk, other_supervisor, seen_lock_version=1
            )  # lands between our read and our UPDATE
        return row

    monkeypatch.setattr(workflow, "_locked", read_before_the_other_approval)
    with pytest.raises(workflow.InvalidTransition, match="already approved by sue_supervisor"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert reads[0].status == S.SUBMITTED
    assert not AuditEntry.objects.filter(action="campaigns.draft.approved", actor=supervisor).exists()


def test_a_stale_draft_cannot_be_approved_until_rebased(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    campaign.remote_version = 9
    campaign.save()
    with pytest.raises(workflow.StaleDraft, match="Rebase the draft to see what changed, then approve it"):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_draft_whose_stored_findings_block_cannot_be_approved(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    ScheduleDraft.objects.filter(pk=draft.pk).update(findings={"blocking": ["Calls before 08:00 in Ohio"]})
    with pytest.raises(
        workflow.BlockingFindings, match="Fix this problem before approving: Calls before"
    ) as refused:
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert refused.value.problems == ["Calls before 08:00 in Ohio"]


def test_a_draft_that_is_not_submitted_cannot_be_approved(campaign, planner, supervisor):
    draft = make_draft(campaign, planner)
    with pytest.raises(
        workflow.InvalidTransition, match="not been submitted for approval, so you cannot approve"
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)


def test_the_after_approval_hook_runs_only_once_the_approval_is_committed(
    campaign, planner, supervisor, monkeypatch, django_capture_on_commit_callbacks
):
    called = []
    monkeypatch.setattr(workflow, "_after_approval", lambda d: called.append((d.pk, d.status)))
    draft = submitted(campaign, planner)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert called == [] and len(callbacks) == 1
    callbacks[0]()
    assert called == [(draft.pk, S.APPROVED)]

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(workflow.InvalidTransition),
    ):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert callbacks == []


def approve_waiting_for_the_writer(draft_id, reviewer):
    """approve(), waiting while another connection writes. A file SQLite (WAL, IMMEDIATE, busy_timeout) and
    PostgreSQL wait by themselves; the in-memory shared-cache SQLite that Django tests use by default answers
    "database table is locked" at once instead, so there only, the wait is done here as busy_timeout would."""
    waits_itself = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    for _ in range(500):
        try:
            return workflow.approve(draft_id, reviewer, seen_lock_version=1)
        except OperationalError as exc:
            if waits_itself or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the other approval held the database for more than 5 s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvals_in_two_threads_approve_once():
    campaign = make_campaign("C-T1")
    author = make_user("tess_planner", "planner")
    reviewers = [make_user("rita_supervisor", "supervisor"), make_user("rob_supervisor", "supervisor")]
    draft = submitted(campaign, author)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def click_approve(reviewer):
        try:
            start.wait(timeout=10)
            outcomes[reviewer.username] = approve_waiting_for_the_writer(draft.pk, reviewer)
        except Exception as exc:  # noqa: BLE001 - the assertion below says what was raised
            outcomes[reviewer.username] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=click_approve, args=(r,)) for r in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    won = [name for name, o in outcomes.items() if isinstance(o, ScheduleDraft)]
    lost = [o for o in outcomes.values() if not isinstance(o, ScheduleDraft)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1 and isinstance(lost[0], workflow.InvalidTransition), outcomes
    assert f"already approved by {won[0]}" in lost[0].message
    draft.refresh_from_db()
    assert (draft.status, draft.approver.username) == (S.APPROVED, won[0])
    assert AuditEntry.objects.filter(action="campaigns.draft.approved", object_id=str(draft.pk)).count() == 1


# ---- reject ------------------------------------------------------------------------------------------------


def test_a_supervisor_rejects_a_submitted_draft_with_a_reason(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="  Overlaps the Renewals blitz.  ")
    draft.refresh_from_db()
    assert (draft.status, draft.approver, draft.rejection_reason) == (
        S.REJECTED,
        supervisor,
        "Overlaps the Renewals blitz.",
    )
    assert draft.reviewed_at is not None
    [entry] = entries(draft, "campaigns.draft.rejected")
    assert entry.actor == supervisor and entry.message == "Overlaps the Renewals blitz."
    assert entry.changes == {
        "status": ["submitted", "rejected"],
        "rejection_reason": ["", "Overlaps the Renewals blitz."],
    }


@pytest.mark.parametrize("reason", ["", "   \n", None])
def test_rejecting_without_a_reason_is_refused_naming_the_reason_field(campaign, planner, supervisor, reason):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.InvalidInput, match="Give a reason for rejecting") as refused:
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason=reason)
    assert refused.value.field == "reason"
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_a_supervisor_cannot_reject_their_own_draft(campaign, supervisor):
    draft = submitted(campaign, supervisor)
    with pytest.raises(workflow.NotAllowed, match="so you cannot reject it"):
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Changed my mind")


def test_only_supervisors_can_reject(campaign, planner, other_planner):
    draft = submitted(campaign, planner)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to reject drafts"):
        workflow.reject(draft.pk, other_planner, seen_lock_version=1, reason="No")


def test_a_draft_changed_since_the_supervisor_saw_it_cannot_be_rejected(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.withdraw(draft.pk, planner)
    workflow.save_draft(draft.pk, planner, lock_version=1, fields={"agents_required": 2})
    workflow.submit(draft.pk, planner, lock_version=2, findings=NO_FINDINGS)
    with pytest.raises(workflow.DraftChanged, match="then reject it again"):
        workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Too many agents")


def test_a_rejected_draft_cannot_be_approved_and_says_why_it_was_rejected(
    campaign, planner, supervisor, other_supervisor
):
    draft = submitted(campaign, planner)
    workflow.reject(draft.pk, supervisor, seen_lock_version=1, reason="Overlaps the blitz")
    with pytest.raises(
        workflow.InvalidTransition,
        match=r"rejected by sam_supervisor at .* \(Overlaps the blitz\); start a new draft",
    ):
        workflow.approve(draft.pk, other_supervisor, seen_lock_version=1)


# ---- rebase ------------------------------------------------------------------------------------------------


def change_remotely(campaign, **fields):
    for name, value in {"remote_version": campaign.remote_version + 1, **fields}.items():
        setattr(campaign, name, value)
    campaign.save()


def test_rebasing_moves_a_draft_to_the_current_remote_version_and_shows_what_differs(campaign, planner):
    draft = make_draft(
        campaign, planner, cron_expression="0 9 * * 1-5", duration_minutes=480, agents_required=1
    )
    ScheduleDraft.objects.filter(pk=draft.pk).update(stale_since=dt.datetime(2026, 5, 1, tzinfo=dt.UTC))
    change_remotely(campaign, cron_expression="0 8 * * 1-5")

    result = workflow.rebase(draft.pk, planner)

    assert result == {
        "from_version": 7,
        "to_version": 8,
        "remote_changes": {"cron_expression": ["0 9 * * 1-5", "0 8 * * 1-5"]},
    }
    draft.refresh_from_db()
    assert (draft.base_version, draft.stale_since, draft.lock_version, draft.status) == (8, None, 2, S.DRAFT)
    assert draft.cron_expression == "0 9 * * 1-5"  # the planner's values are never replaced by a rebase
    [entry] = entries(draft, "campaigns.draft.rebased")
    assert (entry.actor, entry.changes) == (planner, {"base_version": [7, 8]})


def test_rebasing_a_submitted_draft_sends_it_back_for_another_review(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    change_remotely(campaign)
    workflow.rebase(draft.pk, supervisor)
    draft.refresh_from_db()
    assert (draft.status, draft.base_version, draft.lock_version, draft.submitted_at) == (S.DRAFT, 8, 2, None)
    [entry] = entries(draft, "campaigns.draft.rebased")
    assert entry.actor == supervisor
    assert entry.changes == {"status": ["submitted", "draft"], "base_version": [7, 8]}
    with pytest.raises(workflow.InvalidTransition):
        workflow.approve(draft.pk, supervisor, seen_lock_version=1)


def test_a_rebased_draft_can_be_submitted_and_approved(campaign, planner, supervisor):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    with pytest.raises(workflow.StaleDraft):
        workflow.submit(draft.pk, planner, lock_version=1, findings=NO_FINDINGS)
    workflow.rebase(draft.pk, planner)
    workflow.submit(draft.pk, planner, lock_version=2, findings=NO_FINDINGS)
    assert workflow.approve(draft.pk, supervisor, seen_lock_version=2).status == S.APPROVED


def test_a_draft_that_is_up_to_date_is_not_rebased(campaign, planner):
    draft = make_draft(campaign, planner)
    with pytest.raises(workflow.InvalidTransition, match=r"already based on .*current CXone version \(7\)"):
        workflow.rebase(draft.pk, planner)
    draft.refresh_from_db()
    assert draft.lock_version == 1 and entries(draft) == []


def test_rebasing_twice_rebases_once(campaign, planner):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    workflow.rebase(draft.pk, planner)
    with pytest.raises(workflow.InvalidTransition, match="nothing to rebase"):
        workflow.rebase(draft.pk, planner)
    assert len(entries(draft, "campaigns.draft.rebased")) == 1


def test_an_approved_draft_cannot_be_rebased(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    change_remotely(campaign)
    with pytest.raises(workflow.InvalidTransition, match="already approved"):
        workflow.rebase(draft.pk, planner)


def test_a_manager_cannot_rebase_a_draft(campaign, planner, manager):
    draft = make_draft(campaign, planner)
    change_remotely(campaign)
    with pytest.raises(workflow.NotAllowed, match="does not allow you to rebase drafts"):
        workflow.rebase(draft.pk, manager)


# ---- mark_stale --------------------------------------------------------------------------------------------


def test_an_approved_draft_is_marked_stale_once(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=1)
    assert workflow.mark_stale(draft.pk, reason="CXone is at version 8, the draft was based on 7") is True
    assert workflow.mark_stale(draft.pk, reason="again") is False
    draft.refresh_from_db()
    assert (draft.status, draft.status_reason) == (S.STALE, "CXone is at version 8, the draft was based on 7")
    [entry] = entries(draft, "campaigns.draft.marked_stale")
    assert entry.actor is None
    assert entry.changes == {
        "status": ["approved", "stale"],
        "status_reason": ["", "CXone is at version 8, the draft was based on 7"],
    }


def test_an_activating_draft_can_be_marked_stale(campaign, planner):
    draft = set_status(make_draft(campaign, planner), S.ACTIVATING)
    assert workflow.mark_stale(draft.pk, reason="remote changed") is True
    draft.refresh_from_db()
    assert draft.status == S.STALE


@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.REJECTED, S.ACTIVE, S.FAILED])
def test_only_approved_or_activating_drafts_are_marked_stale(campaign, planner, status):
    draft = set_status(make_draft(campaign, planner), status)
    assert workflow.mark_stale(draft.pk, reason="remote changed") is False
    draft.refresh_from_db()
    assert draft.status == status and entries(draft) == []


# ---- the state machine -------------------------------------------------------------------------------------


def submit_it(draft, author, reviewer):
    return workflow.submit(draft.pk, author, lock_version=1, findings=NO_FINDINGS)


def withdraw_it(draft, author, reviewer):
    return workflow.withdraw(draft.pk, author)


def approve_it(draft, author, reviewer):
    return workflow.approve(draft.pk, reviewer, seen_lock_version=1)


def reject_it(draft, author, reviewer):
    return workflow.reject(draft.pk, reviewer, seen_lock_version=1, reason="No")


def edit_it(draft, author, reviewer):
    return workflow.save_draft(draft.pk, author, lock_version=1, fields={"agents_required": 2})


# action → (the only status it applies to, the status it leads to, how a user does it)
ACTIONS = {
    "submit": (S.DRAFT, S.SUBMITTED, submit_it),
    "withdraw": (S.SUBMITTED, S.DRAFT, withdraw_it),
    "approve": (S.SUBMITTED, S.APPROVED, approve_it),
    "reject": (S.SUBMITTED, S.REJECTED, reject_it),
    "edit": (S.DRAFT, S.DRAFT, edit_it),
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_applies_only_from_its_status(campaign, planner, supervisor, status, action):
    source, target, act = ACTIONS[action]
    draft = set_status(make_draft(campaign, planner), status)
    if status == source:
        assert act(draft, planner, supervisor).status == target
        assert len(entries(draft)) == 1
    else:
        with pytest.raises(workflow.InvalidTransition):
            act(draft, planner, supervisor)
        draft.refresh_from_db()
        assert draft.status == status and draft.lock_version == 1
        assert entries(draft) == []


def test_workflow_errors_show_their_message(campaign, planner):
    draft = make_draft(campaign, planner)
    try:
        workflow.withdraw(draft.pk, planner)
    except workflow.WorkflowError as exc:
        assert str(exc) == exc.message
        assert exc.message.endswith("so you cannot withdraw it.")
    else:
        pytest.fail("withdrawing a draft that was never submitted should be refused")


def test_a_draft_identical_to_the_current_schedule_cannot_be_submitted(campaign, planner):
    draft = workflow.start_draft(campaign, planner)
    with pytest.raises(workflow.NothingChanged, match="same as .* current schedule"):
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version, findings=NO_FINDINGS)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
