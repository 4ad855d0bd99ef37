"""Retry: a supervisor pushes a failed activation's draft again, as a new Activation; refused when it should be."""

from __future__ import annotations

import pytest

from campaigns.models import Activation, AuditEntry, Campaign, DraftStatus
from campaigns.services import activation
from campaigns.services.activation import polling as activation_polling
from campaigns.services.activation import retrying as activation_retry
from campaigns.services.drafts import workflow
from campaigns.services.errors import InvalidTransition, NotAllowed
from tests import activation_support
from tests.activation_support import (
    PUT,
    approve,
    due_now,
    mirror,
    pushable,
    puts,
    requests,
)

pytestmark = pytest.mark.django_db
Step = Activation.Step


sandbox, doorbells = activation_support.sandbox, activation_support.doorbells  # fixtures


@pytest.fixture
def failed(sandbox, planner, supervisor, doorbells, django_capture_on_commit_callbacks):
    """An activation whose PUT landed and that CXone then put in ERROR."""
    mirror()
    sandbox.state.config.update({"error_rate": 1.0})
    with django_capture_on_commit_callbacks(execute=True):
        draft = approve(pushable()[0], planner, supervisor)
    a = draft.activations.get()
    activation.push(a.pk)
    sandbox.state.clock.advance(2)
    due_now()
    activation_polling.poll_round("test")
    a.refresh_from_db()
    assert a.step == Step.FAILED
    sandbox.state.config.update({"error_rate": 0.0})
    return a


def test_a_supervisor_retries_a_failed_activation_and_it_goes_live_on_top_of_the_failed_version(
    sandbox, failed, other_supervisor, doorbells, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        again = activation_retry.retry(failed.pk, other_supervisor)

    assert again.pk != failed.pk and again.retry_of == failed and again.step == Step.QUEUED
    assert again.base_version == failed.pushed_version  # CXone holds our schedule, in ERROR, at that version
    assert again.draft.status == DraftStatus.ACTIVATING
    assert ("campaigns.tasks.push_activation", (again.pk,)) in doorbells
    retried = AuditEntry.objects.get(action="campaigns.draft.retried")
    assert retried.actor == other_supervisor and f"#{failed.pk}" in retried.message

    assert activation.push(again.pk) == "pushed"
    sandbox.state.clock.advance(2)
    due_now()
    activation_polling.poll_round("test")
    again.refresh_from_db()
    assert again.step == Step.ACTIVE and again.pushed_version == failed.pushed_version + 1
    assert again.draft.status == DraftStatus.ACTIVE
    assert puts(sandbox, failed.campaign) == 2 and requests(sandbox, PUT) == 2  # one per approval and retry


def test_a_planner_cannot_retry(failed, planner):
    with pytest.raises(NotAllowed, match="a supervisor can"):
        activation_retry.retry(failed.pk, planner)
    assert Activation.objects.count() == 1


def test_a_retry_is_refused_when_cxone_changed_the_campaign_meanwhile(failed, other_supervisor):
    Campaign.objects.filter(pk=failed.campaign_id).update(remote_version=failed.pushed_version + 1)

    with pytest.raises(InvalidTransition, match="CXone changed .* since activation #\\d+ failed.*revise"):
        activation_retry.retry(failed.pk, other_supervisor)
    assert Activation.objects.count() == 1
    assert Activation.objects.get().draft.status == DraftStatus.FAILED


def test_a_retry_is_refused_once_the_campaign_has_another_open_draft(failed, planner, other_supervisor):
    newer = workflow.start_draft(Campaign.objects.get(pk=failed.campaign_id), planner)

    with pytest.raises(InvalidTransition, match=f"already has an open draft \\(#{newer.pk}"):
        activation_retry.retry(failed.pk, other_supervisor)
    assert failed.draft.__class__.objects.get(pk=failed.draft_id).status == DraftStatus.FAILED


def test_an_activation_is_retried_once_and_only_when_failed(
    failed, other_supervisor, django_capture_on_commit_callbacks
):
    again = activation_retry.retry(failed.pk, other_supervisor)

    with pytest.raises(InvalidTransition, match=f"already retried as #{again.pk}"):
        activation_retry.retry(failed.pk, other_supervisor)
    with pytest.raises(InvalidTransition, match="only a failed one can be retried"):
        activation_retry.retry(again.pk, other_supervisor)
