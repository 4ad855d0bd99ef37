"""Retry: a supervisor pushes a failed activation's draft again, as a new Activation."""

from __future__ import annotations

from django.db import transaction

from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.models import Activation
from campaigns.services.activation.queueing import queue
from campaigns.services.drafts import transitions
from campaigns.services.errors import InvalidTransition, NotAllowed, OpenDraftExists, when

Step = Activation.Step


def retry(activation_id: int, actor) -> Activation:
    """A supervisor pushes a failed activation's draft again, as a new Activation. Refused when CXone changed the
    campaign since it failed (the planner should revise the draft instead) or another draft is open."""
    if not actor.has_perm(roles.REVIEW_DRAFTS):
        raise NotAllowed("Your role does not allow you to retry activations; a supervisor can.")
    with transaction.atomic():
        failed = Activation.objects.select_for_update().select_related("campaign").get(pk=activation_id)
        if failed.step != Step.FAILED:
            raise InvalidTransition(
                f"Activation #{failed.pk} is {failed.get_step_display().lower()}: only a failed one can be "
                "retried."
            )
        newer = failed.retries.first()
        if newer:
            raise InvalidTransition(f"Activation #{failed.pk} was already retried as #{newer.pk}.")
        campaign = failed.campaign
        if campaign.is_missing:
            raise InvalidTransition(
                f"{campaign.name} is gone from CXone since {when(campaign.missing_since)}."
            )
        if campaign.remote_version != failed.version_at_end:
            versions = (
                f" (version {failed.version_at_end} then, {campaign.remote_version} now)"
                if capabilities().versions_shown
                else ""
            )
            raise InvalidTransition(
                f"CXone changed {campaign.name} since activation #{failed.pk} failed{versions}: revise the draft "
                "instead, so that it starts from CXone's current schedule."
            )
        try:
            transitions.reopen_for_retry(failed.draft_id, actor, message=f"Retry of activation #{failed.pk}.")
        except OpenDraftExists as exc:
            raise InvalidTransition(f"Not retried: {exc.message}") from exc
        activation = queue(failed.draft_id, retry_of=failed, actor=actor)
    return activation
