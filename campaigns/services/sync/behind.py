"""Open drafts that CXone moved past: sync flags them (behind_remote_since) and says so in the audit trail, in
words that name versions only where versions mean something to people."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from campaigns.cxone.factory import capabilities
from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft
from campaigns.services.audit import entry as audit_entry

BEHIND_CANDIDATES = (DraftStatus.DRAFT, DraftStatus.SUBMITTED, DraftStatus.APPROVED)
# Sync only flags the draft (behind_remote_since); its status is untouched. The STALE status transition is
# transitions.mark_stale's, audited as "campaigns.draft.marked_stale".
BEHIND_REMOTE_ACTION = "campaigns.draft.behind_remote"


def at_version(version: int) -> str:
    """" at version 7" where versions mean something to people; nothing for the Admin API's fingerprints."""
    return f" at version {version}" if capabilities().versions_shown else ""


def moved_past(draft: ScheduleDraft) -> str:
    campaign = draft.campaign
    if capabilities().versions_shown:
        return (
            f"CXone moved {campaign.cxone_id} to version {campaign.remote_version}; this draft was based on "
            f"version {draft.base_version}."
        )
    return f"Someone changed {campaign.name}'s schedule in CXone after this draft was started."


def flag_open_drafts(now: dt.datetime, result) -> list[AuditEntry]:
    """Flag (behind_remote_since) the open drafts based on a version CXone has moved past. Their status stays: a
    planner rebases a draft or submitted one; the activation worker's transitions.mark_stale is what moves an
    approved one to STALE."""
    drafts = list(
        ScheduleDraft.objects.filter(
            # "differs", not "is older": the Admin API's versions are fingerprints of the schedule.
            ~Q(base_version=F("campaign__remote_version")),
            status__in=BEHIND_CANDIDATES,
            behind_remote_since__isnull=True,
        ).select_related("campaign")
    )
    if not drafts:
        return []
    ScheduleDraft.objects.filter(pk__in=[d.pk for d in drafts], behind_remote_since__isnull=True).update(
        behind_remote_since=now
    )
    audit = []
    for draft in drafts:
        draft.behind_remote_since = now
        audit.append(
            audit_entry(BEHIND_REMOTE_ACTION, draft, campaign=draft.campaign, message=moved_past(draft))
        )
    result.drafts_flagged_behind = len(drafts)
    return audit
