"""Notification mail through real `manage.py qcluster` workers and a real SMTP server: events commit, the compose
tasks they ring write the mail, the send tasks deliver it; the mail server is down at first and the sweeper (run
here every half second in place of its one-minute schedule) hands the failed messages back until it is up again.
Every message arrives once."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django_q.models import Schedule

from campaigns import tasks
from campaigns.models import MailMessage
from campaigns.periodic_tasks import MAIL_SWEEP_SCHEDULE_NAME, ensure_schedules
from campaigns.services.drafts import workflow
from campaigns.services.notifications import notify, sending
from tests.conftest import make_campaign, make_draft, make_user
from tests.qcluster_support import QCluster, wait_for
from tests.smtp_support import MailServer

OUTAGE_SECONDS = 4


# serialized_rollback: the teardown leaves the database as the next such test expects it (no post-migrate rows).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_workers_deliver_every_mail_once_across_a_mail_server_outage(tmp_path):
    planner = make_user("kim_planner", "planner")
    supervisor = make_user("sid_supervisor", "supervisor")
    User.objects.filter(pk=supervisor.pk).update(email="")  # only kim's mail is watched here
    supervisor.refresh_from_db()
    server = MailServer()  # down: nothing listens on its port yet
    env = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": server.port,
        "EMAIL_TIMEOUT": 2,
        "MAIL_RETRY_SCHEDULE": ",".join(["0"] + ["1"] * 29),
        "SITE_URL": "https://planner.example.test",
    }
    cluster = QCluster("http://127.0.0.1:9", tmp_path / "qcluster.log", **env)
    with server.settings():
        cluster.start()
        try:
            campaigns = [make_campaign(f"C-60{i}") for i in range(3)]
            for campaign in campaigns:
                draft = make_draft(campaign, planner)
                draft = workflow.submit(draft.pk, planner, lock_version=draft.lock_version)
                workflow.reject(draft.pk, supervisor, seen_lock_version=draft.lock_version, reason="not now")
            notify.drift_found(campaigns[0], differences=["CXone opens 09:00"], key="scan-1")
            expected = 4
            wait_for(lambda: MailMessage.objects.filter(attempts__gte=1).count() == expected, 60,
                     "the workers to compose the mail and fail to send it", [cluster])  # fmt: skip
            deadline = time.monotonic() + OUTAGE_SECONDS
            while time.monotonic() < deadline:
                sending.sweep()
                time.sleep(0.5)
            assert MailMessage.objects.filter(status="sent").count() == 0
            server.start()

            def all_sent() -> bool:
                sending.sweep()
                return MailMessage.objects.filter(status="sent").count() == expected

            wait_for(all_sent, 60, "every mail to be sent once the server is back", [cluster])
            time.sleep(1)  # anything still in flight would arrive now
        finally:
            cluster.stop()
            server.stop()
    ids = Counter(m.message_id for m in server.received)
    assert len(ids) == expected and max(ids.values()) == 1
    assert all(m.to == ["kim_planner@example.test"] for m in server.received)
    subjects = [m.subject for m in server.received]
    assert sum("rejected draft" in s for s in subjects) == 3
    assert sum(s.startswith("CXone's schedule of") for s in subjects) == 1


def test_the_mail_sweeper_runs_every_minute(db):
    assert ensure_schedules()[MAIL_SWEEP_SCHEDULE_NAME] == "created"
    schedule = Schedule.objects.get(name=MAIL_SWEEP_SCHEDULE_NAME)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "campaigns.tasks.sweep_notification_mail_task", Schedule.MINUTES, 1,
    )  # fmt: skip


def test_the_tasks_compose_and_send_by_id(campaign, planner, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(sending, "enqueue_send", sent.append)
    make_draft(campaign, planner)
    notify.drift_found(campaign, differences=["x"], key="k")
    server = MailServer().start()
    try:
        with server.settings():
            assert tasks.compose_notification_mail([planner.pk]) == 1
            assert tasks.send_notification_mail(MailMessage.objects.get().pk) == "sent"
            assert tasks.sweep_notification_mail_task() == {"composed": 0, "enqueued": 0}
    finally:
        server.stop()
    assert len(server.received) == 1
