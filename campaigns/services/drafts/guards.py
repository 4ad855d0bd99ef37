"""The guards of the draft workflow (services/workflow.py): each refuses one thing, with a sentence that says
why and what to do instead. Checks on a draft the caller has locked (`locked` takes the row lock); nothing here
writes."""

from __future__ import annotations

from campaigns.cxone.factory import capabilities
from campaigns.models import DRAFT_TRANSITIONS, OPEN_DRAFT_STATUSES, AuditEntry, Drift, ScheduleDraft
from campaigns.services.errors import (
    BlockingFindings,
    DraftChanged,
    InvalidTransition,
    NotAllowed,
    NothingChanged,
    OpenDraftExists,
    StaleDraft,
    status_message,
    user_name,
    when,
)
from campaigns.services.schedule_values import campaign_schedule

EDITED, REBASED = "campaigns.draft.edited", "campaigns.draft.rebased"


def locked(draft_id) -> ScheduleDraft:
    # FOR UPDATE on PostgreSQL; SQLite has no row locks, but its IMMEDIATE transactions serialise writers. No
    # select_related: a FOR UPDATE that waited for another transaction re-reads only the locked row, so joined
    # rows (the approver!) would be stale. Relations load afterwards, in statements that see the commit.
    return ScheduleDraft.objects.select_for_update().get(pk=draft_id)


def may_leave(d, to, verb) -> None:
    if to not in DRAFT_TRANSITIONS[d.status]:
        raise InvalidTransition(status_message(d, verb))


def require(user, perm, doing) -> None:
    if not user.has_perm(perm):
        raise NotAllowed(f"Your role does not allow you to {doing}; ask an administrator if you need to.")


def author_only(d, actor, verb) -> None:
    if d.author_id != actor.pk:
        raise NotAllowed(f"Only the author of draft #{d.pk} ({user_name(d.author)}) can {verb} it.")


def four_eyes(d, actor, verb, *, edited: bool | None = None) -> None:
    mine = "wrote" if d.author_id == actor.pk else None
    if edited is None and not mine:
        edited = entries(d, EDITED).filter(actor=actor).exists()
    if mine or edited:
        who = "another supervisor must review it"
        raise NotAllowed(f"You {mine or 'edited'} draft #{d.pk}, so you cannot {verb} it: {who}.")


def unchanged_since(d, me, seen, doing) -> None:
    if d.lock_version != seen:
        raise DraftChanged(
            f"{last_editor(d, me)} changed draft #{d.pk} after you opened it. Look at the current version, "
            f"then {doing} again.",
            current_lock_version=d.lock_version,
        )


def campaign_exists(campaign, doing) -> None:
    if campaign.is_missing:
        raise InvalidTransition(
            f"{campaign.name} is no longer in CXone (missing since {when(campaign.missing_since)}), so you "
            f"cannot {doing}."
        )


def up_to_date(d, verb) -> None:
    campaign_exists(d.campaign, f"{verb} its drafts")
    if d.is_behind_remote:
        versions = f" (now version {d.campaign.remote_version})" if capabilities().versions_shown else ""
        based_on = f"based on version {d.base_version}" if capabilities().versions_shown else "started"
        raise StaleDraft(
            f"{d.campaign.name} changed in CXone{versions} after this draft was {based_on}. Rebase the draft to "
            f"see what changed, then {verb} it.",
            base_version=d.base_version,
            remote_version=d.campaign.remote_version,
        )


def unanswered_changes(campaign_ids) -> dict[int, Drift]:
    """Each of these campaigns' change made in CXone that no supervisor has answered yet (one query)."""
    found = Drift.objects.filter(campaign_id__in=list(campaign_ids), answered_at__isnull=True).order_by("pk")
    return {drift.campaign_id: drift for drift in found}


def no_unanswered_change(d, verb, *, unanswered: dict[int, Drift] | None = None) -> None:
    """A change made in CXone that no supervisor has answered yet is answered first: a draft drafted on it would
    take it on, approved by someone who never saw it (the queue shows CXone's schedule as the current one).
    `unanswered`: unanswered_changes of a page's many drafts, read at once."""
    if unanswered is None:
        unanswered = unanswered_changes([d.campaign_id])
    drift = unanswered.get(d.campaign_id)
    if drift is not None:
        raise InvalidTransition(
            f"{d.campaign.name} was changed in CXone ({', '.join(drift.changed) or 'its settings'}) and no "
            "supervisor has answered that change yet. Answer it on the campaign's history page (Keep CXone's, or "
            f"Restore approved) first, then {verb} this draft: so no approval takes on a change nobody has seen."
        )


def changes_something(d) -> None:
    current = campaign_schedule(d.campaign)
    if current and all(getattr(d, f) == v for f, v in current.items()):
        raise NothingChanged(
            f"Draft #{d.pk} is the same as {d.campaign.name}'s current schedule in CXone: change something "
            "before submitting, or leave the draft."
        )


def no_blocking(blocking, doing) -> None:
    problems = [str(p) for p in blocking]
    if problems:
        count = "this problem" if len(problems) == 1 else f"these {len(problems)} problems"
        raise BlockingFindings(f"Fix {count} before {doing}: " + "; ".join(problems), problems=problems)


def refuse_if_open_draft(campaign) -> None:
    open_draft = campaign.drafts.filter(status__in=OPEN_DRAFT_STATUSES).order_by("pk").first()
    if open_draft:
        raise OpenDraftExists(
            f"{campaign.name} already has an open draft (#{open_draft.pk}, "
            f"{open_draft.get_status_display().lower()}); continue that one instead of starting another.",
            draft_id=open_draft.pk,
        )


# ---- small helpers -----------------------------------------------------------------------------------------


def last_editor(d, me) -> str:
    """Who made the draft's latest edit or rebase, to start a sentence with."""
    entry = entries(d, EDITED, REBASED).select_related("actor").first()
    if entry is None or entry.actor is None:
        return "Someone else"
    return "You (in another tab or window)" if entry.actor_id == me.pk else user_name(entry.actor)


def entries(d, *actions):
    return AuditEntry.objects.filter(object_type="scheduledraft", object_id=str(d.pk), action__in=actions)
