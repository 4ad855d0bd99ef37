from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from campaigns.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_it_creates_one_user_per_role_who_can_log_in(client):
    call_command("seed_demo", stdout=StringIO())
    planner = get_user_model().objects.get(username="planner")
    assert planner.groups.filter(name="planner").exists()
    assert get_user_model().objects.get(username="supervisor").has_perm("campaigns.review_scheduledraft")
    assert client.login(username="manager", password=DEMO_PASSWORD)


@override_settings(DEBUG=True)
def test_running_it_twice_changes_nothing(client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert get_user_model().objects.filter(username="planner").count() == 1


@override_settings(DEBUG=False)
def test_it_refuses_to_publish_passwords_in_production():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="planner").exists()
