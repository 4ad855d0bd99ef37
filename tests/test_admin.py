import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from campaigns.models import MailMessage
from tests.conftest import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.test", "pw"))
    return client


def test_drafts_can_be_read_but_not_changed_in_the_admin(admin_client, campaign, planner):
    draft = make_draft(campaign, planner)
    url = reverse("admin:campaigns_scheduledraft_change", args=[draft.pk])
    assert admin_client.get(url).status_code == 200  # the view-only page
    admin_client.post(url, {"status": "approved", "approver": planner.pk})
    draft.refresh_from_db()
    assert (draft.status, draft.approver) == ("draft", None)
    assert admin_client.get(reverse("admin:campaigns_scheduledraft_add")).status_code == 403


def test_audit_entries_cannot_be_forged_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:campaigns_auditentry_add")).status_code == 403


def test_the_campaign_list_of_the_admin_opens(admin_client, campaign):
    response = admin_client.get(reverse("admin:campaigns_campaign_changelist"))
    assert response.status_code == 200
    assert campaign.name in response.content.decode()


def test_webhook_deliveries_can_be_read_but_not_changed_in_the_admin(admin_client):
    from campaigns.models import WebhookDelivery

    delivery = WebhookDelivery.objects.create(event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={})
    url = reverse("admin:campaigns_webhookdelivery_change", args=[delivery.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"status": "delivered", "event_type": "X", "payload": "{}", "attempts": 0})
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    assert admin_client.get(reverse("admin:campaigns_webhookendpoint_changelist")).status_code == 200


def test_task_schedules_are_shown_but_never_added_changed_or_deleted_in_the_admin(admin_client):
    from django_q.models import Schedule

    schedule = Schedule.objects.create(name="sync", func="campaigns.tasks.sync", schedule_type=Schedule.MINUTES)
    assert admin_client.get(reverse("admin:django_q_schedule_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:django_q_schedule_change", args=[schedule.pk])).status_code == 200

    added = admin_client.post(
        reverse("admin:django_q_schedule_add"),
        {"name": "fetch", "func": "httpx.get", "args": "'http://169.254.169.254/'", "schedule_type": "O"},
    )
    admin_client.post(
        reverse("admin:django_q_schedule_change", args=[schedule.pk]),
        {"name": "sync", "func": "os.system", "args": "'id'", "schedule_type": "O"},
    )
    deleted = admin_client.post(reverse("admin:django_q_schedule_delete", args=[schedule.pk]), {"post": "yes"})

    assert added.status_code == 403 and deleted.status_code == 403
    assert list(Schedule.objects.values_list("name", "func")) == [("sync", "campaigns.tasks.sync")]


@pytest.mark.parametrize("model", ["success", "failure"])
def test_stored_tasks_cannot_be_resubmitted_to_the_workers_from_the_admin(admin_client, model):
    page = admin_client.get(reverse(f"admin:django_q_{model}_changelist"))
    assert page.status_code == 200
    assert "resubmit_task" not in page.content.decode()


def test_every_admin_page_of_every_model_is_audited():
    from django.apps import apps
    from django.contrib import admin

    from campaigns.admin_site import AuditedModelAdmin

    registered = [model for model in apps.get_models() if admin.site.is_registered(model)]
    assert {"auth.user", "campaigns.capacitypool", "django_q.schedule"} <= {m._meta.label_lower for m in registered}
    for model in registered:
        assert isinstance(admin.site.get_model_admin(model), AuditedModelAdmin), model


def test_a_change_in_the_admin_is_audited_with_who_and_the_values_before_and_after(admin_client, pool):
    from campaigns.models import AuditEntry

    url = reverse("admin:campaigns_capacitypool_change", args=[pool.pk])
    response = admin_client.post(
        url, {"cxone_skill_id": pool.cxone_skill_id, "name": pool.name, "agents": 40, "staffing_profile": "{}"}
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.object.changed")
    assert entry.actor.username == "root"
    assert (entry.object_type, entry.object_id) == ("capacitypool", str(pool.pk))
    assert entry.changes == {"agents": [20, 40]}
    assert entry.message.startswith("Capacity pool “Renewals (S-10)” (campaigns.capacitypool): Changed Agents")


def test_a_user_added_in_the_admin_is_audited_without_the_password(admin_client):
    from campaigns.models import AuditEntry

    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {"username": "newbie", "usable_password": "true", "password1": "Tr0ub4dor&3x!", "password2": "Tr0ub4dor&3x!"},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.object.added")
    assert entry.object_type == "user" and "“newbie”" in entry.message
    assert entry.changes["password1"] == [None, "(changed; not shown)"]
    assert "Tr0ub4dor" not in str(entry.changes) + entry.message


def test_giving_a_user_a_role_in_the_admin_says_which_groups_before_and_after(admin_client, planner):
    from django.contrib.auth.models import Group

    from campaigns.models import AuditEntry

    supervisor = Group.objects.get(name="supervisor")
    url = reverse("admin:auth_user_change", args=[planner.pk])
    form = {
        "username": planner.username, "email": planner.email, "is_active": "on", "groups": [planner.groups.get().pk,
        supervisor.pk], "date_joined_0": "2026-12-01", "date_joined_1": "09:00:00",
    }  # fmt: skip
    assert admin_client.post(url, form).status_code == 302

    entry = AuditEntry.objects.get(action="admin.object.changed", object_type="user")
    assert entry.changes["groups"] == [["planner"], ["planner", "supervisor"]]


def test_deletions_in_the_admin_are_audited_from_the_page_and_from_the_action(admin_client):
    from campaigns.models import AuditEntry, CapacityPool

    first = CapacityPool.objects.create(cxone_skill_id="S-1", name="One")
    CapacityPool.objects.create(cxone_skill_id="S-2", name="Two")
    CapacityPool.objects.create(cxone_skill_id="S-3", name="Three")

    admin_client.post(reverse("admin:campaigns_capacitypool_delete", args=[first.pk]), {"post": "yes"})
    admin_client.post(
        reverse("admin:campaigns_capacitypool_changelist"),
        {"action": "delete_selected", "_selected_action": list(CapacityPool.objects.values_list("pk", flat=True)),
         "post": "yes"},
    )  # fmt: skip

    assert not CapacityPool.objects.exists()
    deleted = AuditEntry.objects.filter(action="admin.object.deleted").order_by("id")
    assert [e.message.split("“")[1].split("”")[0] for e in deleted] == ["One (S-1)", "Three (S-3)", "Two (S-2)"]
    assert all(e.actor.username == "root" for e in deleted)


def test_a_campaign_deleted_in_the_admin_is_named_in_the_trail_not_linked(admin_client, pool):
    from campaigns.models import AuditEntry, Campaign
    from tests.conftest import make_campaign

    doomed = make_campaign("C-9", pool=pool, name="Doomed")
    response = admin_client.post(reverse("admin:campaigns_campaign_delete", args=[doomed.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Campaign.objects.filter(pk=doomed.pk).exists()
    entry = AuditEntry.objects.get(action="admin.object.deleted")
    assert entry.campaign is None and "“Doomed (C-9)”" in entry.message


def test_the_audit_page_says_what_the_admin_did_in_words(admin_client, pool):
    admin_client.post(
        reverse("admin:campaigns_capacitypool_change", args=[pool.pk]),
        {"cxone_skill_id": pool.cxone_skill_id, "name": pool.name, "agents": 40, "staffing_profile": "{}"},
    )
    page = admin_client.get(reverse("audit")).content.decode()
    assert "Changed in the admin" in page and "Capacity pool “Renewals (S-10)”" in page
def test_given_up_mail_is_sent_again_from_the_admin_and_nothing_else_changes_there(admin_client, planner):
    message = MailMessage.objects.create(recipient=planner, kind="went_live", to=planner.email, subject="s",
                                         body="b", message_id="<1@x>", status="failed", attempts=13)  # fmt: skip
    url = reverse("admin:campaigns_mailmessage_changelist")
    answer = admin_client.post(url, {"action": "send_again", "_selected_action": [message.pk]})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert admin_client.get(reverse("admin:campaigns_mailmessage_add")).status_code == 403
