"""Revise: the next step after a decision. A rejected, failed or stale draft is closed for good (ARCHITECTURE.md);
its values start a new draft, so the planner changes what the reviewer or CXone asked for instead of typing the
whole schedule again. Called as workflow.revise(draft_id, user); the activation page uses it for failed and
stale drafts, the editor for rejected ones.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from campaigns.models import DraftStatus, ScheduleDraft
from campaigns.services import audit
from campaigns.services.drafts import guards
from campaigns.services.errors import InvalidTransition, check_values
from campaigns.services.schedule_values import EDITABLE_FIELDS, as_json, schedule_snapshot

REVISABLE = (DraftStatus.REJECTED, DraftStatus.FAILED, DraftStatus.STALE)
REVISED = "campaigns.draft.revised"


def revise_draft(draft_id, user) -> ScheduleDraft:
    """A new draft of the same campaign, by `user`, with the closed draft's schedule values, based on the
    campaign's current CXone version. Refused unless the draft is rejected, failed or stale, the campaign is
    still in CXone, and no other draft of it is open."""
    guards.require(user, "campaigns.add_scheduledraft", "revise drafts")
    try:
        with transaction.atomic():
            old = guards.locked(draft_id)
            campaign = old.campaign
            if old.status not in REVISABLE:
                raise InvalidTransition(
                    f"Draft #{old.pk} is {old.get_status_display().lower()}: only a rejected, failed or stale "
                    "draft can be revised. "
                    + (
                        "Edit it instead."
                        if old.status == DraftStatus.DRAFT
                        else "Open it to see where it is."
                    )
                )
            guards.campaign_exists(campaign, "revise its drafts")
            guards.refuse_if_open_draft(campaign)
            values = {f: getattr(old, f) for f in EDITABLE_FIELDS}
            check_values(values)
            draft = ScheduleDraft.objects.create(
                campaign=campaign,
                author=user,
                base_version=campaign.remote_version,
                base_snapshot=schedule_snapshot(campaign),
                **values,
            )
            changes = {
                "status": [None, DraftStatus.DRAFT.value],
                "revised_from": [None, old.pk],
                **{f: [None, as_json(v)] for f, v in values.items()},
            }
            why = f": “{old.rejection_reason}”" if old.rejection_reason else ""
            message = f"Revised from draft #{old.pk} ({old.get_status_display().lower()}{why})."
            audit.record(REVISED, draft, actor=user, campaign=campaign, message=message, changes=changes)
    except IntegrityError:
        guards.refuse_if_open_draft(campaign)  # lost the race against another start of a draft of this campaign
        raise
    return draft
