"""Under the Admin API a push is two writes (the skill's week, then its retry settings). One cut off between them
leaves a skill nobody approved (the new week with the old retry policy): it is our own write, finished by the
next attempt, never "changed in CXone" (no stale activation, no drift). Against the sandbox on a real socket."""

from __future__ import annotations

import pytest

from campaigns.cxone import errors as cx
from campaigns.cxone.admin_client import AdminClient
from campaigns.models import Activation, DraftStatus, Drift
from campaigns.services import activation
from campaigns.services.activation import polling as activation_polling
from campaigns.services.sync.mirror import sync_campaigns
from tests import history_support
from tests.activation_support import PROPOSED, due_now, pushable
from tests.history_support import approved_draft

pytestmark = pytest.mark.django_db
admin_cxone = history_support.admin_cxone
__all__ = ["admin_cxone"]


def test_a_push_cut_off_between_the_week_and_the_retry_settings_is_finished_not_called_a_change_in_cxone(
    admin_cxone, planner, supervisor, django_capture_on_commit_callbacks, monkeypatch
):
    campaign = pushable(1, state="ACTIVE")[0]
    attempts = (campaign.retry_policy or {}).get("maxAttempts", 3)
    draft = approved_draft(campaign, planner, supervisor, **PROPOSED, retry_max_attempts=2 if attempts != 2 else 4)
    with django_capture_on_commit_callbacks(execute=True):
        activation.queue(draft.pk)
    a = Activation.objects.get(draft=draft)
    written = AdminClient.put_retry_settings

    async def lost(self, *args, **kwargs):
        raise cx.ServerError("503 from CXone", status_code=503)

    monkeypatch.setattr(AdminClient, "put_retry_settings", lost)
    activation.push(a.pk)  # the week is written; the retry settings are not

    a.refresh_from_db()
    assert a.step not in (Activation.Step.STALE, Activation.Step.FAILED)
    sync_campaigns()  # a sync reading the half-written skill meanwhile
    assert not Drift.objects.filter(campaign=campaign).exists()

    monkeypatch.setattr(AdminClient, "put_retry_settings", written)
    due_now()
    assert activation.push(a.pk) == "pushed"
    admin_cxone.state.clock.advance(6)
    due_now()
    activation_polling.poll_round("test")
    a.refresh_from_db()
    draft.refresh_from_db()
    assert a.step == Activation.Step.ACTIVE and draft.status == DraftStatus.ACTIVE
    assert admin_cxone.state.pc.retry[campaign.cxone_id]["maximumAttempts"] == draft.retry_max_attempts
    sync_campaigns()
    assert not Drift.objects.filter(campaign=campaign).exists()
