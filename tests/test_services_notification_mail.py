"""Notification mail through a real SMTP server (aiosmtpd on loopback): what each mail says and links to, the
waiting drafts batched (one mail per five minutes at most), the one-click unsubscribe, and a mail server down for
a minute and back: every mail delivered, none twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from campaigns.models import MailMessage, Notification, NotificationKind, NotificationSettings
from campaigns.services.drafts import workflow
from campaigns.services.notifications import notify, preferences, sending
from tests.conftest import make_campaign, make_draft
from tests.smtp_support import MailServer
from tests.workflow_support import submitted

K = NotificationKind
START = dt.datetime(2026, 11, 30, 17, 5, tzinfo=dt.UTC)


@pytest.fixture
def mail_server():
    server = MailServer().start()
    with server.settings():
        yield server
    server.stop()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rung(monkeypatch):
    """The doorbells (compose and send tasks), recorded: the tests run the sweep, as the minute's schedule would."""
    from campaigns.services.notifications import recording

    calls: list = []
    monkeypatch.setattr(recording, "enqueue_compose", lambda ids: calls.append(("compose", ids)))
    return calls


def run_sweep() -> dict:
    """The minute's sweep with the sends done at once (a worker per message)."""
    enqueued: list[int] = []
    result = sending.sweep(enqueue=enqueued.append)
    result["sent"] = [sending.send(pk) for pk in enqueued]
    return result


def in_berlin(user) -> None:
    NotificationSettings.objects.update_or_create(user=user, defaults={"zone": "Europe/Berlin"})


def test_an_approval_is_mailed_to_the_author_in_words_in_their_zone_with_the_link(
    mail_server, clock, rung, campaign, planner, supervisor
):
    in_berlin(planner)
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    run_sweep()
    [mail] = [m for m in mail_server.received if m.to == ["pat_planner@example.test"]]
    assert mail.subject == f"sam_supervisor approved draft #{draft.pk} of Campaign C-1001"
    assert "Approved Mon 30 Nov 2026, 18:05 CET (17:05 UTC); it goes to CXone now." in mail.body
    assert f"Open draft #{draft.pk}: https://planner.example.test/drafts/{draft.pk}/" in mail.body
    unsubscribe = str(mail.message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith("https://planner.example.test/notifications/unsubscribe/")
    assert f"Stop these mails (one click): {unsubscribe}" in mail.body
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.message_id == MailMessage.objects.get(recipient=planner).message_id


def test_waiting_drafts_are_batched_one_mail_per_five_minutes_at_most(
    mail_server, clock, rung, planner, supervisor, pool
):
    campaigns = [make_campaign(f"C-30{i}", pool=pool) for i in range(4)]
    first = submitted(campaigns[0], planner)
    run_sweep()
    assert [m.subject for m in mail_server.received] == [f"Draft #{first.pk} of Campaign C-300 waits for your "
                                                         "approval"]  # fmt: skip
    clock.shift(dt.timedelta(minutes=1))
    later = [submitted(c, planner) for c in campaigns[1:]]
    run_sweep()
    clock.shift(dt.timedelta(minutes=3))
    run_sweep()
    assert len(mail_server.received) == 1  # four minutes after the first: the others wait
    clock.shift(dt.timedelta(minutes=1, seconds=1))
    run_sweep()
    assert len(mail_server.received) == 2
    batch = mail_server.received[1]
    assert batch.subject == "3 notifications: A draft waits for approval"
    for draft in later:
        assert f"- Draft #{draft.pk} of {draft.campaign.name} waits for your approval." in batch.body
    assert batch.body.count("Open the approval queue: https://planner.example.test/approvals/") == 3


def test_a_draft_reviewed_before_the_batch_goes_is_left_out_of_it(
    mail_server, clock, rung, planner, supervisor, other_supervisor, pool
):
    one, two = make_campaign("C-401", pool=pool), make_campaign("C-402", pool=pool)
    submitted(make_campaign("C-400", pool=pool), planner)
    run_sweep()
    waiting = submitted(one, planner)
    reviewed = submitted(two, planner)
    workflow.reject(reviewed.pk, other_supervisor, seen_lock_version=reviewed.lock_version, reason="no")
    clock.shift(dt.timedelta(minutes=6))
    run_sweep()
    second = [m for m in mail_server.received if m.to == ["sam_supervisor@example.test"]][1]
    assert f"Draft #{waiting.pk} of" in second.subject and f"#{reviewed.pk}" not in second.body
    dropped = Notification.objects.get(recipient=supervisor, draft=reviewed)
    assert dropped.mail == Notification.Mail.DROPPED


def test_a_kind_switched_off_or_a_person_without_an_address_gets_no_mail_but_sees_it(
    mail_server, clock, rung, campaign, planner, supervisor, other_supervisor
):
    preferences.choose(supervisor, mailed=set(), zone=None)
    other_supervisor.email = ""
    other_supervisor.save()
    submitted(campaign, planner)
    run_sweep()
    assert mail_server.received == []
    assert Notification.objects.filter(kind=K.DRAFT_WAITING, mail=Notification.Mail.OFF).count() == 2


def test_one_click_on_the_link_stops_that_kind_and_what_was_not_mailed_yet(
    mail_server, clock, rung, client, campaign, planner, pool
):
    make_draft(campaign, planner)
    notify.drift_found(campaign, differences=["one"], key="a")
    notify.drift_found(campaign, differences=["two"], key="b")
    token = preferences.unsubscribe_token(planner.pk, K.DRIFT_FOUND)
    page = client.get(f"/notifications/unsubscribe/{token}/")  # not signed in: the link is the proof
    assert page.status_code == 200 and "no longer gets mail when" in page.content.decode()
    run_sweep()
    assert mail_server.received == []
    assert K.DRIFT_FOUND in NotificationSettings.objects.get(user=planner).mail_off
    undo = client.post(f"/notifications/unsubscribe/{token}/", {"mail": "on"})
    assert "gets mail again" in undo.content.decode()
    assert K.DRIFT_FOUND not in NotificationSettings.objects.get(user=planner).mail_off


def test_a_mail_programs_one_click_post_unsubscribes_and_a_forged_link_does_not(client, planner):
    token = preferences.unsubscribe_token(planner.pk, K.WENT_LIVE)
    answer = client.post(f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert NotificationSettings.objects.get(user=planner).mail_off == [K.WENT_LIVE]
    forged = preferences.unsubscribe_token(planner.pk, K.WENT_LIVE)[:-2] + "xx"
    assert client.get(f"/notifications/unsubscribe/{forged}/").status_code == 400


def test_a_mail_server_down_for_a_minute_delays_mail_loses_none_and_sends_none_twice(
    clock, rung, campaign, planner, supervisor, other_supervisor, pool
):
    server = MailServer()  # not started: the mail server is down
    with server.settings():
        for i in range(3):
            submitted(make_campaign(f"C-50{i}", pool=pool), planner)  # waiting: one batch per supervisor
        rejected = submitted(campaign, planner)
        workflow.reject(rejected.pk, other_supervisor, seen_lock_version=rejected.lock_version, reason="no")
        notify.drift_found(campaign, differences=["x"], key="k")  # pat wrote a draft of it
        expected = 2 + 2  # the supervisors' batches, pat's rejection and drift
        for _ in range(4):  # a minute of sweeps, every 15 s, all of them failing
            run_sweep()
            clock.shift(dt.timedelta(seconds=15))
        assert MailMessage.objects.filter(status="pending").count() == expected
        assert all(m.attempts >= 2 and "ConnectionRefused" in m.last_error for m in MailMessage.objects.all())
        server.start()  # back after a minute
        try:
            for _ in range(6):  # the next three minutes: the retries fall due and go
                run_sweep()
                clock.shift(dt.timedelta(seconds=30))
        finally:
            server.stop()
    ids = Counter(m.message_id for m in server.received)
    assert MailMessage.objects.exclude(status="sent").count() == 0
    assert len(ids) == MailMessage.objects.count() == expected
    assert max(ids.values()) == 1  # none twice
    assert not Notification.objects.filter(mail=Notification.Mail.PENDING).exists()
    batch = next(m for m in server.received if m.to == ["sam_supervisor@example.test"])
    assert batch.subject == "3 notifications: A draft waits for approval"


def test_a_recipient_the_server_refuses_is_given_up_at_once_with_its_words(
    mail_server, clock, rung, campaign, planner, supervisor
):
    mail_server.handler.refuse.add("pat_planner@example.test")
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    run_sweep()
    refused = MailMessage.objects.get(recipient=planner)
    assert refused.status == "failed" and refused.attempts == 1 and "550" in refused.last_error


def test_a_message_is_sent_by_one_worker_only(mail_server, clock, rung, campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    enqueued: list[int] = []
    sending.sweep(enqueue=enqueued.append)
    mine = MailMessage.objects.get(recipient=planner).pk
    assert sending.send(mine) == "sent" and sending.send(mine) == "not-due"
    assert len([m for m in mail_server.received if m.to == ["pat_planner@example.test"]]) == 1


def test_given_up_mail_can_be_sent_again_by_an_admin(mail_server, clock, rung, campaign, planner, supervisor):
    draft = submitted(campaign, planner)
    workflow.approve(draft.pk, supervisor, seen_lock_version=draft.lock_version)
    sending.sweep(enqueue=lambda pk: None)
    MailMessage.objects.update(status="failed", attempts=13)
    supervisor.is_staff = True
    assert sending.send_again(list(MailMessage.objects.values_list("pk", flat=True)), supervisor) == 1
    again = MailMessage.objects.get()
    assert again.status == "pending" and again.attempts == 0 and again.next_attempt_at <= timezone.now()
    assert run_sweep()["sent"] == ["sent"] and len(mail_server.received) == 1
