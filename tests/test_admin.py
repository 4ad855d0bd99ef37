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


def test_given_up_mail_is_sent_again_from_the_admin_and_nothing_else_changes_there(admin_client, planner):
    message = MailMessage.objects.create(recipient=planner, kind="went_live", to=planner.email, subject="s",
                                         body="b", message_id="<1@x>", status="failed", attempts=13)  # fmt: skip
    url = reverse("admin:campaigns_mailmessage_changelist")
    answer = admin_client.post(url, {"action": "send_again", "_selected_action": [message.pk]})
    assert answer.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert admin_client.get(reverse("admin:campaigns_mailmessage_add")).status_code == 403
