"""The audit trail in planners' words: objects named as planners know them, never by a model's name."""

import pytest

from campaigns.models import AuditEntry
from campaigns.services.reports.audit_words import action_label, object_name
from tests.wfm_support import make_activation

pytestmark = pytest.mark.django_db


def entry(object_type, object_id, campaign=None, action="campaigns.x.y"):
    return AuditEntry(action=action, object_type=object_type, object_id=str(object_id), campaign=campaign)


def test_an_activation_is_named_with_its_campaign_and_links_its_activations(campaign, planner):
    activation = make_activation(campaign, planner)
    name, url = object_name(entry("activation", activation.pk, campaign))
    assert name == f"Activation #{activation.pk} of {campaign.name}"
    assert url == f"/activations/?campaign={campaign.pk}"


def test_webhook_deliveries_and_the_endpoint_read_as_wfm_words(campaign):
    assert object_name(entry("webhookdelivery", 1, campaign)) == (f"WFM delivery #1 of {campaign.name}", None)
    assert object_name(entry("webhookendpoint", 3)) == ("The WFM endpoint", None)
    assert "Webhookdelivery" not in object_name(entry("webhookdelivery", 1))[0]


def test_a_pool_links_the_pools_page():
    assert object_name(entry("agentpool", 4)) == ("Pool #4", "/pools/")


def test_webhook_and_pool_actions_have_words():
    assert action_label("campaigns.webhook.redelivered") == "WFM delivery sent again"
    assert action_label("campaigns.pool.changed") == "Pool changed"


def test_blackout_calendar_actions_and_objects_have_words():
    assert action_label("campaigns.calendar.approved") == "Blackout calendar approved"
    assert action_label("campaigns.calendar.attachments_proposed") == "Blackout calendar attachments proposed"
    assert object_name(entry("calendarrevision", 2)) == ("Blackout calendar revision #2", "/calendars/")
