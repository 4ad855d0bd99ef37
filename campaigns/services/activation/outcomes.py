"""Where every terminal outcome of an activation (active, failed, stale) is written, once: the row, the draft's
status, the campaign mirror, the audit entry, the notifications of the draft's author and approver and the WFM
event, in one transaction. The push (pushing.py) and the poller (polling.py) both end here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from campaigns.cxone import schemas
from campaigns.cxone.factory import get_client
from campaigns.models import Activation, Campaign, DiallingChange, steps_leading_to
from campaigns.services import audit
from campaigns.services.control import holds
from campaigns.services.control.wanting import want
from campaigns.services.drafts import transitions
from campaigns.services.history import versions
from campaigns.services.notifications import notify
from campaigns.services.webhooks import outbox

Step = Activation.Step


def finish(a: Activation, step: str, *, outcome: str, error: str = "", remote_errors=None, remote=None,
           owner: str | None = None) -> bool:  # fmt: skip
    """Write the terminal outcome (active, failed or stale) of an unfinished activation, once: the row, the
    draft's status, the campaign mirror (when CXone's campaign was read) and the audit entry, in one
    transaction. False if the row had finished already or (with `owner`) its lease was lost."""
    now = timezone.now()
    values = {
        "step": step,
        "outcome": outcome[:200],
        "error": error,
        "remote_errors": remote_errors or [],
        "lease_owner": "",
        "lease_expires_at": None,
        "due_at": None,
        "doorbell_at": None,
        "updated_at": now,
    }
    if step == Step.ACTIVE:
        values["observed_active_at"] = now
        values["remote_activated_at"] = remote.activated_at if remote else None
        values["latency_ms"] = max(0, round((now - a.approved_at).total_seconds() * 1000))
    with transaction.atomic():
        rows = Activation.objects.filter(pk=a.pk, step__in=steps_leading_to(step))
        if owner is not None:
            rows = rows.filter(lease_owner=owner)
        if rows.update(**values) != 1:
            return False
        a.refresh_from_db()
        reason = f"{outcome}: {error}" if error else outcome
        if step == Step.ACTIVE:
            transitions.mark_active(a.draft_id)
        elif step == Step.FAILED:
            transitions.mark_failed(a.draft_id, reason=sentence(reason, a.remote_errors))
        else:
            transitions.mark_stale(a.draft_id, reason=reason)
        if remote is not None:
            _mirror(a, remote)
        if step == Step.ACTIVE:
            versions.record_approved(a, remote)  # what went live is the version the campaign is held to now
            _stop_if_held(a, now)
        record(a, step, sentence(reason, a.remote_errors))
        notify.activation_finished(a, sentence(reason, a.remote_errors) if step != Step.ACTIVE else "")
        if step in (Step.ACTIVE, Step.FAILED):
            # The outbox row commits with the outcome: no outcome without its WFM event, no event without it.
            outbox.record_activation_event(a)
    return True


def _mirror(a: Activation, remote: schemas.Campaign) -> None:
    """The campaign mirror takes what CXone just said (never going back to an older version)."""
    values = {
        "state": remote.state[:16],
        "remote_version": remote.version,
        "remote_errors": list(remote.errors),
        "remote_updated_at": remote.updated_at,
        "remote_activated_at": remote.activated_at,
        "raw_payload": remote.raw or remote.to_api(),
    }
    schedule = remote.schedule
    if schedule is not None:
        values.update(
            timezone=schedule.timezone,
            cron_expression=schedule.cron_expression,
            duration_minutes=schedule.duration_minutes if schedule.duration_minutes > 0 else None,
            effective_start=schedule.start_time,
            effective_end=schedule.end_time,
            open_ended=bool(schedule.open_ended),
            retry_policy=schedule.retry_policy.to_api() if schedule.retry_policy else {},
        )
    if remote.time_constraints is not None:
        values["time_constraints"] = [tc.to_api() for tc in remote.time_constraints]
    if remote.state == "ACTIVE" and remote.version == a.pushed_version:
        values["agents_required"] = a.draft.agents_required
    mirror = Campaign.objects.filter(pk=a.campaign_id)
    # A read older than the mirror (a sync got there first) changes nothing.
    if get_client().capabilities.versions_ordered:
        mirror = mirror.filter(remote_version__lte=remote.version)
    mirror.update(**values)


def sentence(reason: str, remote_errors) -> str:
    said = "; ".join(
        f"{e.get('field') + ': ' if e.get('field') else ''}{e.get('message') or e.get('code')}"
        for e in remote_errors or []
        if isinstance(e, dict)
    )
    return f"{reason} CXone said: {said}" if said else reason


def record(a: Activation, what: str, message: str, *, actor=None) -> None:
    audit.record(f"campaigns.activation.{what}", a, actor=actor, campaign=a.campaign, message=message)


def _stop_if_held(a: Activation, now) -> None:
    """CXone runs what it was just given (v2's activation, the Admin API's start of the skill): a campaign that
    something holds stopped (a Stop dialling order, an approved pause, a blackout day, a day off) is stopped
    again at once, by the dialling workers, in this transaction's commit. The approval changes the schedule;
    it never lifts a hold."""
    campaign = Campaign.objects.get(pk=a.campaign_id)
    why = holds.held_stopped(campaign, at=now)
    if why:
        want(campaign, DiallingChange.Action.STOP, origin=DiallingChange.Origin.HOLD, due_at=now,
             reason=f"Went live while held stopped: {why}. Stopped again.")  # fmt: skip
