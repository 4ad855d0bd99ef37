"""Supervisors edit blackout calendars through four-eyes, as planners' drafts go: a revision is written (by its
author), submitted, and approved or rejected by another supervisor. Only approval changes what the engine reads
(the calendar's rules, and the campaigns and pools it applies to); until then what was approved stays in effect.
Where a calendar applies is proposed on a revision like its days (propose_attachments), so one supervisor alone
never takes a holiday ban off a campaign nor puts a closure on the whole portfolio. Each function checks state,
writes in one transaction with its audit entry, and refuses with a message that says what to do."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from campaigns import roles
from campaigns.models import AgentPool, BlackoutCalendar, CalendarRevision, Campaign, RevisionStatus
from campaigns.scheduling.blackout_lines import parse_lines
from campaigns.services import audit
from campaigns.services.blackouts import days, safety
from campaigns.services.errors import DraftChanged, InvalidInput, InvalidTransition, NotAllowed

S = RevisionStatus
MAX_NAME = 200


def may_edit_calendars(user) -> bool:
    """Supervisors write and approve calendars (they approve what calendars constrain); everyone reads them."""
    return user.has_perm(roles.REVIEW_DRAFTS)


def _require(user) -> None:
    if not may_edit_calendars(user):
        raise NotAllowed("Only supervisors edit blackout calendars; ask one to make this change.")


def _rules(text: str) -> list[dict]:
    entries, errors = parse_lines(text)
    if errors:
        raise InvalidInput("rules", "; ".join(errors))
    if not entries:
        raise InvalidInput(
            "rules", "Write at least one day, e.g. “fourth Thursday of November: US Thanksgiving”."
        )
    return entries


def create_calendar(actor, name: str, description: str, rules_text: str) -> CalendarRevision:
    """A new calendar with its first revision, a draft by `actor`: it blacks out nothing until approved."""
    _require(actor)
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("name", f"Give the calendar a name of 1 to {MAX_NAME} characters.")
    entries = _rules(rules_text)
    try:
        with transaction.atomic():
            calendar = BlackoutCalendar.objects.create(name=name, created_by=actor)
            revision = CalendarRevision.objects.create(
                calendar=calendar, number=1, description=description.strip(), rules=entries, author=actor
            )
            audit.record(
                "campaigns.calendar.created", revision, actor=actor, message=f"Calendar {name} drafted."
            )
    except IntegrityError as exc:
        raise InvalidInput("name", f"A calendar named {name} exists already: choose another name.") from exc
    return revision


def edit(calendar_id: int, actor, description: str, rules_text: str, *, lock_version: int | None = None):
    """Write the calendar's open draft (or start one from its approved rules): only its author edits a draft,
    and a submitted revision is withdrawn to draft by its author before it changes."""
    _require(actor)
    entries = _rules(rules_text)
    with transaction.atomic():
        calendar = BlackoutCalendar.objects.select_for_update().get(pk=calendar_id)
        if calendar.ready_rule:
            raise NotAllowed(
                "A ready calendar follows the calling-hours rules file; write a calendar of your own."
            )
        revision = calendar.revisions.filter(status__in=[S.DRAFT, S.SUBMITTED]).first()
        if revision is None:
            number = (calendar.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
            revision = CalendarRevision.objects.create(
                calendar=calendar, number=number, description=description.strip(), rules=entries, author=actor
            )
            audit.record(
                "campaigns.calendar.revised",
                revision,
                actor=actor,
                message=f"{calendar.name}: revision {number}.",
            )
            return revision
        _may_change(revision, actor, lock_version)
        before = revision.rules
        revision.description, revision.rules = description.strip(), entries
        revision.lock_version += 1
        revision.save(update_fields=["description", "rules", "lock_version"])
        audit.record(
            "campaigns.calendar.edited",
            revision,
            actor=actor,
            message=f"{calendar.name}: revision {revision.number} edited.",
            changes={"rules": [before, entries]},
        )
    return revision


def _move(revision_id: int, actor, allowed: tuple[str, ...], verb: str) -> CalendarRevision:
    revision = CalendarRevision.objects.select_for_update().select_related("calendar").get(pk=revision_id)
    if revision.status not in allowed:
        raise InvalidTransition(
            f"This revision is {revision.get_status_display().lower()}: it cannot be {verb}."
        )
    return revision


def submit(revision_id: int, actor) -> CalendarRevision:
    return _authors_move(revision_id, actor, S.DRAFT, S.SUBMITTED, ("submitted", "submits"), "submitted_at")


def withdraw(revision_id: int, actor) -> CalendarRevision:
    return _authors_move(revision_id, actor, S.SUBMITTED, S.DRAFT, ("withdrawn", "withdraws"))


def discard(revision_id: int, actor) -> CalendarRevision:
    """The author gives up a draft revision: nothing it proposed takes effect, the calendar stays as approved and
    a new revision can be started (a calendar never approved starts it from the discarded days). The revision is
    kept in the calendar's history as discarded; a submitted one is withdrawn first, so a reviewer never sees it
    vanish mid-decision."""
    return _authors_move(revision_id, actor, S.DRAFT, S.DISCARDED, ("discarded", "discards"), "decided_at")


def _authors_move(revision_id: int, actor, source: str, target: str, verbs: tuple[str, str], stamp: str = ""):
    """A step only the revision's author takes (`verbs`: "withdrawn", "withdraws"), from `source` to `target`,
    with its audit entry (`stamp`: the moment field it sets, if any)."""
    done, does = verbs
    _require(actor)
    with transaction.atomic():
        revision = _move(revision_id, actor, (source,), done)
        if revision.author_id != actor.pk:
            raise NotAllowed(f"Only the revision's author {does} it.")
        revision.status = target
        fields = ["status"]
        if stamp:
            setattr(revision, stamp, timezone.now())
            fields.append(stamp)
        revision.save(update_fields=fields)
        audit.record(f"campaigns.calendar.{done}", revision, actor=actor, message=_said(revision, done))
    return revision


def _as_seen(revision: CalendarRevision, seen_lock_version: int | None) -> None:
    if seen_lock_version is not None and seen_lock_version != revision.lock_version:
        raise DraftChanged(
            "The author changed this revision since you opened it: read it again before deciding.",
            current_lock_version=revision.lock_version,
        )


def approve(revision_id: int, actor, *, seen_lock_version: int | None = None) -> CalendarRevision:
    """Another supervisor approves (the revision as they saw it): its rules, and where it applies when it
    proposes that, take effect now on every campaign the calendar applied to or applies to. Refused when that
    would make a campaign's current schedule dial where it must not (safety.py)."""
    _require(actor)
    with transaction.atomic():
        revision = _move(revision_id, actor, (S.SUBMITTED,), "approved")
        if revision.author_id == actor.pk:
            raise NotAllowed("Four-eyes: another supervisor approves what you wrote.")
        _as_seen(revision, seen_lock_version)
        calendar = BlackoutCalendar.objects.select_for_update().get(pk=revision.calendar_id)
        revision.calendar = calendar
        was = days.campaigns_attached(calendar) if calendar.in_effect else []
        # Every campaign the change may give windows back to, and their calendars' rules before it.
        judged = {c.pk: c for c in [*days.campaigns_attached(calendar), *_proposed_reach(revision)]}
        rules_before = days.read_calendars([(c.pk, c.cxone_id, c.pool_id) for c in judged.values()])
        before = calendar.rules
        revision.status, revision.approver, revision.decided_at = S.APPROVED, actor, timezone.now()
        revision.save(update_fields=["status", "approver", "decided_at"])
        calendar.rules, calendar.description, calendar.approved_revision = (
            revision.rules,
            revision.description,
            revision,
        )
        calendar.save(update_fields=["rules", "description", "approved_revision", "updated_at"])
        attached = _apply_attachments(revision)
        rules_after = days.read_calendars([(c.pk, c.cxone_id, c.pool_id) for c in judged.values()])
        found = safety.breaches(judged.values(), rules_before, rules_after)
        if found:  # raised inside the transaction: nothing of the approval is kept
            raise NotAllowed(safety.refusal(found))
        _outdate_findings([*was, *days.campaigns_attached(calendar)])
        changes = {"rules": [before, revision.rules]} | ({"attached": list(attached)} if attached else {})
        audit.record(
            "campaigns.calendar.approved",
            revision,
            actor=actor,
            message=_said(revision, "approved: in effect now"),
            changes=changes,
        )
        if attached:
            audit.record(
                "campaigns.calendar.attached",
                calendar,
                actor=actor,
                message=f"{calendar.name} applies to {_listed(attached[1])} (revision {revision.number}, "
                f"proposed by {revision.author or 'the rules file'}, approved by {actor}).",
                changes={"attached": list(attached)},
            )
    return revision


def reject(revision_id: int, actor, reason: str, *, seen_lock_version: int | None = None) -> CalendarRevision:
    _require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason", "Say why, so the author knows what to change.")
    with transaction.atomic():
        revision = _move(revision_id, actor, (S.SUBMITTED,), "rejected")
        if revision.author_id == actor.pk:
            raise NotAllowed("Four-eyes: another supervisor reviews what you wrote; withdraw it instead.")
        _as_seen(revision, seen_lock_version)
        revision.status, revision.approver, revision.reason = S.REJECTED, actor, reason
        revision.decided_at = timezone.now()
        revision.save(update_fields=["status", "approver", "reason", "decided_at"])
        audit.record(
            "campaigns.calendar.rejected",
            revision,
            actor=actor,
            message=_said(revision, f"rejected: {reason}"),
        )
    return revision


def propose_attachments(
    calendar_id: int, actor, *, campaigns: list[int], pools: list[int], lock_version: int | None = None
) -> CalendarRevision:
    """Propose the campaigns and pools the calendar applies to (the whole selection, as the page sends it). Where
    it applies changes nothing until another supervisor approves: the proposal goes into the actor's open draft
    revision (merged with any change of days there), or starts a revision with the days in effect. Another's
    open revision, or one's own waiting for review, is refused: one change in flight per calendar."""
    _require(actor)
    with transaction.atomic():
        calendar = BlackoutCalendar.objects.select_for_update().get(pk=calendar_id)
        found_campaigns = list(Campaign.objects.filter(pk__in=campaigns).order_by("name"))
        found_pools = list(AgentPool.objects.filter(pk__in=pools).order_by("name"))
        if len(found_campaigns) != len(set(campaigns)) or len(found_pools) != len(set(pools)):
            raise InvalidInput("campaigns", "A campaign or pool chosen is gone; reload the page.")
        in_force = _attached(calendar)
        proposed = _names(found_campaigns, found_pools)
        # By id, not by name: two campaigns may share a name.
        changes = _ids(found_campaigns, found_pools) != _ids(calendar.campaigns.all(), calendar.pools.all())
        revision = calendar.revisions.filter(status__in=[S.DRAFT, S.SUBMITTED]).first()
        if revision is None:
            revision = _attachment_revision(calendar, actor, changes)
        else:
            _may_change(revision, actor, lock_version)
            revision.changes_attachments = changes
            revision.lock_version += 1
            revision.save(update_fields=["changes_attachments", "lock_version"])
        revision.campaigns.set(found_campaigns if revision.changes_attachments else [])
        revision.pools.set(found_pools if revision.changes_attachments else [])
        what = (
            f"proposes where it applies: {_listed(proposed)}"
            if revision.changes_attachments
            else "leaves where it applies as it is"
        )
        audit.record(
            "campaigns.calendar.attachments_proposed",
            revision,
            actor=actor,
            message=_said(revision, what),
            changes={"attached": [in_force, proposed]},
        )
    return revision


def _attachment_revision(calendar, actor, changes: bool) -> CalendarRevision:
    """A new revision that changes only where the calendar applies: it carries the days in effect unchanged."""
    if not changes:
        raise InvalidInput("campaigns", f"{calendar.name} applies to this already: choose what to change.")
    if not calendar.in_effect:
        raise InvalidTransition(
            f"{calendar.name} has no days in effect yet: write its days (Change the days), then choose where "
            "it applies in that same revision."
        )
    number = (calendar.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return CalendarRevision.objects.create(
        calendar=calendar,
        number=number,
        description=calendar.description,
        rules=calendar.rules,
        author=actor,
        changes_attachments=True,
    )


def _may_change(revision: CalendarRevision, actor, lock_version: int | None) -> None:
    """The open revision takes a change from its author only, while it is a draft, as they last saw it."""
    if revision.author_id != actor.pk:
        raise NotAllowed(
            f"{revision.author or 'The rules file'} is changing this calendar already (revision "
            f"{revision.number}, {revision.get_status_display().lower()}): one change at a time, so ask them "
            "to include yours, or wait for its review."
        )
    if revision.status != S.DRAFT:
        raise InvalidTransition("This revision is waiting for review: withdraw it before changing it.")
    if lock_version is not None and lock_version != revision.lock_version:
        raise DraftChanged(
            "The revision was saved elsewhere since you opened it.",
            current_lock_version=revision.lock_version,
        )


def _apply_attachments(revision: CalendarRevision) -> tuple[list[str], list[str]] | None:
    """The revision's campaigns and pools become the calendar's in force: what applied before and after, or
    None when that is unchanged."""
    calendar = revision.calendar
    before, before_ids = _attached(calendar), _ids(calendar.campaigns.all(), calendar.pools.all())
    if revision.changes_attachments:
        calendar.campaigns.set(revision.campaigns.all())
        calendar.pools.set(revision.pools.all())
    if _ids(calendar.campaigns.all(), calendar.pools.all()) == before_ids:
        return None
    return before, _attached(calendar)


def _proposed_reach(revision: CalendarRevision) -> list[Campaign]:
    """The campaigns the revision would attach the calendar to (none when it leaves that as it is)."""
    if not revision.changes_attachments:
        return []
    return days.campaigns_reached(revision.campaigns.all(), revision.pools.values_list("pk", flat=True))


def _outdate_findings(campaigns: list[Campaign]) -> None:
    """The stored findings of these campaigns (the list's badges) no longer match their windows: marked so that
    the next page that shows them, or the next sync, checks them again (campaign_findings.py)."""
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).update(findings_key="")


def _attached(calendar: BlackoutCalendar) -> list[str]:
    return _names(calendar.campaigns.order_by("name"), calendar.pools.order_by("name"))


def _ids(campaigns, pools) -> tuple[set[int], set[int]]:
    return {c.pk for c in campaigns}, {p.pk for p in pools}


def _names(campaigns, pools) -> list[str]:
    return [f"campaign {c.name}" for c in campaigns] + [f"pool {p.name}" for p in pools]


def _listed(names: list[str]) -> str:
    return ", ".join(names) if names else "nothing"


def _said(revision: CalendarRevision, what: str) -> str:
    return f"{revision.calendar.name}: revision {revision.number} {what}."
