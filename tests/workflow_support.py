"""Shared helpers of the workflow service tests."""

from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services.drafts import workflow
from tests.conftest import make_draft

S = DraftStatus


def entries(draft, action=None):
    qs = AuditEntry.objects.filter(object_type="scheduledraft", object_id=str(draft.pk))
    return list(qs.filter(action=action) if action else qs)


def submitted(campaign, author, **fields) -> ScheduleDraft:
    """A draft of `campaign` by `author` (make_draft's values, `fields` over them), submitted for review."""
    draft = make_draft(campaign, author, **fields)
    return workflow.submit(draft.pk, author, lock_version=draft.lock_version)


def set_status(draft, status) -> ScheduleDraft:
    ScheduleDraft.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    return draft
