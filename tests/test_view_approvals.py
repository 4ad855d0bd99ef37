"""The approval queue through the Django test client: what a supervisor sees, approve and reject, four-eyes,
approving only what was seen, approving once, and CSRF."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import AuditEntry, Campaign, DraftStatus, ScheduleDraft
from campaigns.services.drafts import workflow
from tests.conftest import MONDAY_BEFORE_DECEMBER, make_campaign, make_draft
from tests.workflow_support import submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

S = DraftStatus
FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]


@pytest.fixture
def as_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client



def approve(client, draft, seen=None):
    seen = draft.lock_version if seen is None else seen
    return client.post(reverse("draft-approve", args=[draft.pk]), {"seen_lock_version": seen}, follow=True)


def reject(client, draft, reason):
    data = {"seen_lock_version": draft.lock_version, "reason": reason}
    return client.post(reverse("draft-reject", args=[draft.pk]), data, follow=True)


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def item_of(body: str, draft) -> str:
    """The queue's expandable item of one draft."""
    return body.split(f'id="draft-{draft.pk}"', 1)[1].split("</details>", 1)[0]


# ---- the queue ---------------------------------------------------------------------------------------------


def test_the_queue_lists_submitted_drafts_oldest_first(as_supervisor, pool, planner, frozen_clock):
    later = make_campaign("C-2", pool=pool, name="Winbacks")
    earlier = make_campaign("C-1", pool=pool, name="Renewals")
    not_submitted = make_campaign("C-3", pool=pool, name="Still drafting")
    make_draft(not_submitted, planner)
    first = submitted(earlier, planner)
    frozen_clock.shift(dt.timedelta(minutes=5))
    second = submitted(later, planner)

    response = as_supervisor.get(reverse("approval-queue"))

    assert response.status_code == 200
    assert [item["draft"].pk for item in response.context["items"]] == [first.pk, second.pk]
    body = text(response)
    assert body.index(f'id="draft-{first.pk}"') < body.index(f'id="draft-{second.pk}"')
    summaries = re.findall(r"<summary>(.*?)</summary>", body, re.S)
    assert not any("Still drafting" in summary for summary in summaries)
    assert "(2 waiting, oldest first)" in body


def test_a_long_queue_is_reviewed_a_page_at_a_time_oldest_first(as_supervisor, pool, planner, frozen_clock):
    from campaigns.views import approvals

    drafts = []
    for n in range(approvals.PAGE_SIZE + 3):
        drafts.append(submitted(make_campaign(f"C-{100 + n}", pool=pool), planner))
        frozen_clock.shift(dt.timedelta(minutes=1))

    first = as_supervisor.get(reverse("approval-queue"))
    later = as_supervisor.get(reverse("approval-queue"), {"page": 2})

    assert [item["draft"].pk for item in first.context["items"]] == [d.pk for d in drafts[: approvals.PAGE_SIZE]]
    assert [item["draft"].pk for item in later.context["items"]] == [d.pk for d in drafts[approvals.PAGE_SIZE :]]
    assert f"({len(drafts)} waiting, oldest first)" in text(first)
    assert "Submitted later →" in text(first) and "← Submitted earlier" in text(later)


def test_each_queue_item_shows_current_and_proposed_in_local_time_and_utc_with_findings(
    as_supervisor, pool, planner
):
    campaign = make_campaign("C-FL", pool=pool, name="Florida renewals", timezone="America/New_York")
    draft = submitted(
        campaign, planner, timezone="America/New_York", cron_expression="30 19 * * 1-5", duration_minutes=60
    )
    # After submission, a sync learns that the contacts are in Florida (20:00 there): the draft now breaks a rule.
    Campaign.objects.filter(pk=campaign.pk).update(contact_list_breakdown=FLORIDA)

    item = item_of(text(as_supervisor.get(reverse("approval-queue"))), draft)

    current = item.split('aria-label="Current schedule"', 1)[1].split("</section>", 1)[0]
    proposed = item.split('aria-label="Proposed schedule"', 1)[1].split("</section>", 1)[0]
    assert "<code>0 9 * * 1-5</code>" in current
    assert "Tue 01 Dec 09:00 EST" in current and "2026-12-01 14:00 UTC → 2026-12-01 22:00 UTC" in current
    assert "<code>30 19 * * 1-5</code>" in proposed
    assert "Tue 01 Dec 19:30 EST" in proposed and "2026-12-02 00:30 UTC → 2026-12-02 01:30 UTC" in proposed
    findings = item.split("<h3>Findings</h3>", 1)[1].split("<h3>Conflicts</h3>", 1)[0]
    assert "US-FL (Florida Telephone Solicitation Act" in findings
    assert "310 contacts affected" in findings
    assert "✖ 1 blocking" in item
    # The service's own rule says why it cannot be approved; rejecting it is still possible.
    assert "Fix this problem before approving: US-FL" in item
    assert ">Approve</button>" not in item and ">Reject</button>" in item


def test_an_empty_queue_says_what_will_appear_there(as_supervisor):
    body = text(as_supervisor.get(reverse("approval-queue")))
    assert "Nothing waiting for approval. Submitted drafts appear here, oldest first." in body


# ---- approve -----------------------------------------------------------------------------------------------


def test_approve_moves_the_draft_to_approved_and_records_who_and_when(
    as_supervisor, campaign, planner, supervisor
):
    draft = submitted(campaign, planner)

    response = approve(as_supervisor, draft)

    assert response.redirect_chain == [(reverse("approval-queue"), 302)]
    assert f"Approved the draft for {campaign.name}." in messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.APPROVED, supervisor)
    assert abs(draft.reviewed_at - MONDAY_BEFORE_DECEMBER) < dt.timedelta(minutes=1)
    assert f'id="draft-{draft.pk}"' not in response.content.decode()
    entry = AuditEntry.objects.get(object_id=str(draft.pk), action="campaigns.draft.approved")
    assert entry.actor == supervisor


def test_the_author_supervisor_sees_no_approve_button_and_cannot_approve_by_posting(
    as_supervisor, campaign, supervisor
):
    draft = submitted(campaign, supervisor)

    item = item_of(text(as_supervisor.get(reverse("approval-queue"))), draft)
    assert (
        "You wrote draft #" in item and "so you cannot approve it: another supervisor must review it." in item
    )
    assert ">Approve</button>" not in item and ">Reject</button>" not in item

    response = approve(as_supervisor, draft)

    assert any("You wrote draft" in m and "cannot approve it" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.SUBMITTED, None)


def test_a_draft_changed_since_the_supervisor_saw_it_cannot_be_approved(
    as_supervisor, campaign, planner, supervisor
):
    draft = submitted(campaign, planner)
    seen = draft.lock_version  # the queue the supervisor is looking at
    # Meanwhile the planner withdraws, edits and resubmits.
    workflow.withdraw(draft.pk, planner)
    edited = workflow.save_draft(
        draft.pk, planner, lock_version=seen, fields={"cron_expression": "0 11 * * 1-5"}
    )
    workflow.submit(draft.pk, planner, lock_version=edited.lock_version)

    response = approve(as_supervisor, draft, seen=seen)

    assert any("changed draft" in m and "after you opened it" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.SUBMITTED, None)
    # The refreshed queue shows the new version, which can then be approved.
    assert f'name="seen_lock_version" value="{draft.lock_version}"' in item_of(text(response), draft)
    assert approve(as_supervisor, draft, seen=draft.lock_version).status_code == 200
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.APPROVED


def test_approving_twice_from_two_tabs_approves_once_and_says_so_the_second_time(
    client, campaign, planner, supervisor, other_supervisor
):
    draft = submitted(campaign, planner)
    seen = draft.lock_version
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(supervisor)
    second_tab.force_login(other_supervisor)

    first = approve(first_tab, draft, seen=seen)
    second = approve(second_tab, draft, seen=seen)

    assert f"Approved the draft for {campaign.name}." in messages_of(first)
    assert messages_of(second) == [
        f"Draft #{draft.pk} was already approved by sam_supervisor at 2026-11-30 12:00 UTC; "
        "there is nothing left to do."
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.APPROVED, supervisor)
    assert AuditEntry.objects.filter(object_id=str(draft.pk), action="campaigns.draft.approved").count() == 1


# ---- reject ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused_and_the_draft_stays_submitted(
    as_supervisor, campaign, planner, reason
):
    draft = submitted(campaign, planner)

    response = reject(as_supervisor, draft, reason)

    assert messages_of(response) == ["Reason for rejecting: Say why, so the planner knows what to change."]
    draft.refresh_from_db()
    assert (draft.status, draft.rejection_reason, draft.approver) == (S.SUBMITTED, "", None)


def test_reject_with_a_reason_records_it_for_the_planner(client, campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    client.force_login(supervisor)

    response = reject(client, draft, "  Starts before the FL window opens; move it to 09:00.  ")

    assert any("Rejected the draft" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.REJECTED, supervisor)
    assert draft.rejection_reason == "Starts before the FL window opens; move it to 09:00."
    entry = AuditEntry.objects.get(object_id=str(draft.pk), action="campaigns.draft.rejected")
    assert (entry.actor, entry.message) == (supervisor, draft.rejection_reason)
    client.force_login(planner)
    editor = text(client.get(reverse("draft-editor", args=[draft.pk])))
    assert "Rejected:</strong> Starts before the FL window opens; move it to 09:00." in editor


# ---- CSRF --------------------------------------------------------------------------------------------------


def test_approve_and_reject_without_a_csrf_token_are_forbidden(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(supervisor)
    data = {"seen_lock_version": draft.lock_version, "reason": "no"}

    assert browser.post(reverse("draft-approve", args=[draft.pk]), data).status_code == 403
    assert browser.post(reverse("draft-reject", args=[draft.pk]), data).status_code == 403
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED

    # With the token the queue page gives, the same POST goes through.
    page = browser.get(reverse("approval-queue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    ok = browser.post(reverse("draft-approve", args=[draft.pk]), {**data, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.APPROVED


def test_a_draft_whose_campaign_changed_in_cxone_cannot_be_approved_until_rebased(
    as_supervisor, campaign, planner
):
    draft = submitted(campaign, planner)
    campaign.remote_version += 1
    campaign.save()

    item = item_of(text(as_supervisor.get(reverse("approval-queue"))), draft)
    response = approve(as_supervisor, draft)

    assert "cannot be approved until the planner rebases it" in item
    assert any("changed in CXone" in m and "Rebase the draft" in m for m in messages_of(response))
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_the_queue_marks_which_rows_of_the_schedule_the_draft_changes(client, supervisor, campaign, planner):
    draft = workflow.start_draft(campaign, planner, cron_expression="0 11 * * 1-5", agents_required=4)
    workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
    client.force_login(supervisor)
    response = client.get(reverse("approval-queue"))
    [item] = response.context["items"]
    changed = {row["label"] for row in item["proposed_rows"] if row["changed"]}
    assert changed == {"Cron expression", "Agents"}
    assert not any(row["changed"] for row in item["current_rows"])
    assert response.content.decode().count('<span class="badge badge-info">changed</span>') == 2


def test_approval_checks_the_draft_again_and_refuses_what_became_blocking_since_submission(
    as_supervisor, campaign, planner
):
    draft = submitted(campaign, planner)  # compliant, and the DNC list was active when submitted
    campaign.dnc_list_state = "INACTIVE"
    campaign.save(update_fields=["dnc_list_state"])

    response = approve(as_supervisor, draft)

    assert any("approving" in m and "DNC" in m for m in messages_of(response)), messages_of(response)
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == (S.SUBMITTED, None)


def test_a_refused_rejection_repeats_the_reason_so_it_is_not_lost(as_supervisor, campaign, planner):
    draft = submitted(campaign, planner)
    workflow.withdraw(draft.pk, planner)  # the planner took it back while the supervisor was writing

    response = reject(as_supervisor, draft, "Start at ten, not nine.")

    [message] = messages_of(response)
    assert "Not rejected" in message and "Start at ten, not nine." in message
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.DRAFT


def test_a_rejection_from_an_outdated_page_asks_to_review_again(as_supervisor, campaign, planner):
    draft = submitted(campaign, planner)
    response = as_supervisor.post(reverse("draft-reject", args=[draft.pk]), {"reason": "No."}, follow=True)
    assert any("out of date" in m for m in messages_of(response))
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_the_queue_lists_the_supervisors_own_open_drafts_below(as_supervisor, campaign, supervisor):
    own = make_draft(campaign, supervisor)
    response = as_supervisor.get(reverse("approval-queue"))
    assert response.context["my_open_drafts"] == [own]
    assert "Your own drafts" in text(response)


def test_a_draft_of_a_campaign_changed_in_cxone_unanswered_shows_why_it_cannot_be_approved(
    as_supervisor, campaign, planner
):
    from tests.history_support import found_in_cxone

    draft = submitted(campaign, planner)
    found_in_cxone(campaign, changed=("schedule",), cron_expression="0 7 * * 1-5")

    page = html.unescape(as_supervisor.get(reverse("approval-queue")).content.decode())

    assert "was changed in CXone (schedule) and no supervisor has answered that change yet" in page
    response = approve(as_supervisor, draft)
    assert "no supervisor has answered that change yet" in html.unescape(response.content.decode())
    assert ScheduleDraft.objects.get(pk=draft.pk).status == S.SUBMITTED
