"""Each notification of the catalogue: who is told (never whoever caused it), what it says in the reader's zone,
written in the transaction of its event (an event that rolls back tells nobody; telling twice tells nobody twice).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from campaigns.models import Activation, DraftStatus, Notification, NotificationKind, WebhookDelivery
from campaigns.services.activation import outcomes
from campaigns.services.drafts import workflow
from campaigns.services.notifications import notify
from campaigns.services.notifications.catalogue import CATALOGUE, kinds_for
from campaigns.services.notifications.words import at_words, say
from campaigns.services.webhooks import outbox
from campaigns.wfm.sender import Answer, Outcome
from tests.conftest import make_campaign, make_draft, make_user
from tests.workflow_support import submitted

K = NotificationKind
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def admin(db):
    user = make_user("ada_admin")
    user.is_staff = True
    user.save()
    return user


def told(kind) -> dict[str, Notification]:
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def words(n: Notification, zone=BERLIN):
    return say(n.kind, n.facts, zone)


# ---- the draft workflow ---------------------------------------------------------------------------------------


def test_a_submitted_draft_tells_every_supervisor_but_never_its_author(campaign, planner, supervisor,
                                                                       other_supervisor, manager):  # fmt: skip
    draft = submitted(campaign, planner)
    assert set(told(K.DRAFT_WAITING)) == {"sam_supervisor", "sue_supervisor"}
    own = submitted(make_campaign("C-2002"), supervisor)  # a supervisor's own draft waits for the others
    assert {n.recipient.username for n in Notification.objects.filter(draft=own)} == {"sue_supervisor"}
    said = words(told(K.DRAFT_WAITING)["sam_supervisor"])
    assert said.headline == f"Draft #{draft.pk} of Campaign C-1001 waits for your approval"
    assert said.detail.startswith("Submitted by pat_planner, ") and "CET" in said.detail and "UTC)" in said.detail
    assert said.link == "/approvals/"


def test_an_approval_tells_the_author_not_the_approver(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    assert set(told(K.DRAFT_APPROVED)) == {"pat_planner"}
    said = words(told(K.DRAFT_APPROVED)["pat_planner"])
    assert said.headline == f"sam_supervisor approved draft #{draft.pk} of Campaign C-1001"
    assert said.link == f"/drafts/{draft.pk}/" and said.link_words == f"Open draft #{draft.pk}"


def test_a_rejection_tells_the_author_why(campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.reject(draft.pk, supervisor, seen_lock_version=draft.lock_version, reason="Overlaps the Q4 push")
    said = words(told(K.DRAFT_REJECTED)["pat_planner"])
    assert said.headline == f"sam_supervisor rejected draft #{draft.pk} of Campaign C-1001"
    assert "Reason: “Overlaps the Q4 push”" in said.detail


def test_a_rolled_back_event_tells_nobody(campaign, planner, supervisor):
    draft = make_draft(campaign, planner)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
        raise RuntimeError("the request died after the submission")
    assert not Notification.objects.exists()


# ---- activation outcomes -----------------------------------------------------------------------------------


def finishing(campaign, author, approver) -> Activation:
    draft = make_draft(campaign, author, status=DraftStatus.ACTIVATING, approver=approver)
    approved = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    return Activation.objects.create(
        draft=draft, campaign=campaign, step=Activation.Step.POLLING, approved_at=approved,
        pushed_version=campaign.remote_version + 1, pushed_at=approved,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("step", "kind", "headline", "detail"),
    [
        (Activation.Step.ACTIVE, K.WENT_LIVE, "went live in CXone", "after approval"),
        (Activation.Step.FAILED, K.ACTIVATION_FAILED, "failed to go live", "ERROR: DNC list D-5 is INACTIVE"),
        (Activation.Step.STALE, K.ACTIVATION_STALE, "went stale before going live", "Revise it"),
    ],
)
def test_an_activation_outcome_tells_the_author_and_the_approver(campaign, planner, supervisor, step, kind,
                                                                 headline, detail, monkeypatch):  # fmt: skip
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: None)
    a = finishing(campaign, planner, supervisor)
    error = "DNC list D-5 is INACTIVE" if step == Activation.Step.FAILED else ""
    assert outcomes.finish(a, step, outcome="ERROR" if error else step.upper(), error=error)
    assert set(told(kind)) == {"pat_planner", "sam_supervisor"}
    said = words(told(kind)["pat_planner"])
    assert said.headline == f"Draft #{a.draft_id} of Campaign C-1001 {headline}"
    assert detail in said.detail


# ---- the WFM outbox ----------------------------------------------------------------------------------------


def test_a_dead_lettered_webhook_tells_the_admins(campaign, planner, admin, supervisor, settings, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue_delivery", lambda pk: None)
    settings.WFM_WEBHOOK_URL, settings.WFM_WEBHOOK_SECRET = "http://wfm.example.test/h", "whsec_" + "A" * 32
    a = finishing(campaign, planner, supervisor)
    outcomes.finish(a, Activation.Step.ACTIVE, outcome="ACTIVE")
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=10, lease_owner="w")
    delivery.refresh_from_db()
    answer = Answer(Outcome.FAILED, 500, "boom")
    assert outbox.record_answer(delivery, "w", answer, outbox.wfm_config(), a.approved_at) == "dead"
    assert set(told(K.WEBHOOK_DEAD)) == {"ada_admin"}
    said = words(told(K.WEBHOOK_DEAD)["ada_admin"])
    assert said.headline == "A WFM webhook was dead-lettered: CAMPAIGN_SCHEDULE_UPDATED of Campaign C-1001"
    assert "after 10 attempts; last answer: HTTP 500" in said.detail and said.link == "/webhooks/?status=dead"


def test_an_endpoint_gone_tells_the_admins_once(admin, db):
    at = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)
    answer = Answer(Outcome.GONE, 410, "gone for good")
    outbox.flag_gone("http://wfm.example.test/h", answer, at)
    outbox.flag_gone("http://wfm.example.test/h", answer, at)  # flagged already: nothing new
    assert Notification.objects.filter(kind=K.WEBHOOK_GONE).count() == 1
    said = words(told(K.WEBHOOK_GONE)["ada_admin"])
    assert said.headline == "The WFM endpoint is gone: http://wfm.example.test/h"
    assert said.detail.startswith("It answered 410 Gone Mon 30 Nov 2026, 18:05 CET (17:05 UTC)")


# ---- for the features being built: dialling control, drift detection -----------------------------------------


def test_dialling_stopped_tells_supervisors_and_admins_but_not_who_stopped_it(
    campaign, supervisor, other_supervisor, admin, planner
):
    other = make_campaign("C-2002")
    notify.dialling_stopped([campaign, other], reason="Regulator hold", by=supervisor, key="stop-1")
    assert set(told(K.DIALLING_STOPPED)) == {"sue_supervisor", "ada_admin"}
    said = words(told(K.DIALLING_STOPPED)["ada_admin"])
    assert said.headline == "Dialling stopped on 2 campaigns by sam_supervisor"
    assert "Campaign C-1001, Campaign C-2002. Reason: “Regulator hold”." in said.detail


def test_a_control_alarm_tells_supervisors_and_admins(campaign, supervisor, admin, planner):
    notify.control_alarm("Dialling outside the approved window", campaign=campaign, detail="Seen 21:04 CST.")
    assert set(told(K.CONTROL_ALARM)) == {"sam_supervisor", "ada_admin"}
    said = words(told(K.CONTROL_ALARM)["sam_supervisor"])
    assert said.headline == "Control alarm on Campaign C-1001: Dialling outside the approved window"
    assert said.detail.endswith("Seen 21:04 CST.") and said.link == f"/campaigns/{campaign.pk}/"


def test_drift_found_tells_the_campaigns_planners(campaign, planner, other_planner, manager, supervisor):
    make_draft(campaign, planner, status=DraftStatus.ACTIVE)
    make_draft(campaign, manager, status=DraftStatus.REJECTED)  # not a planner (any more): not told
    make_draft(make_campaign("C-2002"), other_planner)  # another campaign's planner: not told
    notify.drift_found(campaign, differences=["CXone opens 09:00 CST, approved 10:00 CST"], key="scan-7")
    assert set(told(K.DRIFT_FOUND)) == {"pat_planner"}
    said = words(told(K.DRIFT_FOUND)["pat_planner"])
    assert said.headline == "CXone's schedule of Campaign C-1001 differs from the approved one"
    assert said.detail.endswith("CXone opens 09:00 CST, approved 10:00 CST.")


def test_telling_of_the_same_event_twice_tells_nobody_twice(campaign, planner):
    make_draft(campaign, planner)
    for _ in range(2):
        notify.drift_found(campaign, differences=["x"], key="scan-7")
    assert Notification.objects.filter(kind=K.DRIFT_FOUND).count() == 1


# ---- words and the catalogue ---------------------------------------------------------------------------------


def test_times_are_said_in_the_readers_zone_with_utc_beside_them():
    moment = dt.datetime(2026, 7, 1, 16, 5, tzinfo=dt.UTC)
    assert at_words(moment, BERLIN) == "Wed 1 Jul 2026, 18:05 CEST (16:05 UTC)"
    assert at_words(moment, ZoneInfo("America/Chicago")) == "Wed 1 Jul 2026, 11:05 CDT (16:05 UTC)"
    assert at_words(moment, ZoneInfo("UTC")) == "Wed 1 Jul 2026, 16:05 UTC"


def test_each_person_is_offered_the_kinds_that_can_reach_them(planner, supervisor, manager, admin):
    assert {k.kind for k in kinds_for(planner)} == {K.DRAFT_APPROVED, K.DRAFT_REJECTED, K.WENT_LIVE,
                                                    K.ACTIVATION_FAILED, K.ACTIVATION_STALE, K.DRIFT_FOUND}  # fmt: skip
    assert K.DRAFT_WAITING in {k.kind for k in kinds_for(supervisor)}
    assert kinds_for(manager) == []
    assert {k.kind for k in kinds_for(admin)} == {K.DIALLING_STOPPED, K.CONTROL_ALARM, K.WEBHOOK_DEAD,
                                                  K.WEBHOOK_GONE}  # fmt: skip
    assert set(CATALOGUE) == set(K.values)
