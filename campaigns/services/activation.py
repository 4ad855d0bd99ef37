"""Activation: an approved draft pushed to CXone, exactly once, and watched until CXone says ACTIVE.

The database is the source of truth (ARCHITECTURE.md, "Activation"); the broker only rings doorbells. Each
step reads its Activation row, does one idempotent thing and writes the outcome with a conditional UPDATE:

    queue(draft)        approval committed → Activation (queued) → push_activation(id) enqueued on commit
    push(id)            claim (queued → pushing, with a lease) → draft activating → re-check the findings →
                        record the PUT we are about to send → PUT version+1 once → polling
    activation_polling  one poller reads every due row, ≤ 100 campaigns a request → active | failed | stale
    periodic.sweep      every minute: re-rings lost doorbells, reclaims expired leases, queues orphans
    retry(id, user)     activation_retry: a supervisor pushes a failed draft again (a new Activation row)

Never a second PUT for one approval: `pushed_version` (the backend's next_version: base+1 under v2, the written
schedule's fingerprint under the Admin API) is committed before the PUT goes out, so a PUT whose answer was lost
(timeout, dropped connection, worker killed) is resolved by reading the campaign first: that version with this
draft's schedule means it landed. Every terminal outcome is written by `_finish`, in one
transaction with the draft's transition, the mirror's update and the audit entry.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.cxone import errors as cx
from campaigns.cxone import schemas
from campaigns.cxone.factory import capabilities, get_client, run_sync
from campaigns.models import Activation, DraftStatus, ScheduleDraft
from campaigns.services import activation_payload, draft_checks, leases, workflow
from campaigns.services.activation_outcomes import finish as _finish
from campaigns.services.activation_outcomes import record as _audit

log = logging.getLogger(__name__)
Step = Activation.Step

NOT_LANDED = "not landed"


# ---- queue ------------------------------------------------------------------------------------------------


def queue(draft_id, *, retry_of: Activation | None = None, actor=None) -> Activation | None:
    """The Activation of an approved draft (created once: a second call returns the unfinished one), its push
    enqueued once this commits. None when the draft is not approved (or, for a Retry, activating again)."""
    with transaction.atomic():
        draft = ScheduleDraft.objects.select_for_update().get(pk=draft_id)
        if draft.status != (DraftStatus.ACTIVATING if retry_of else DraftStatus.APPROVED):
            return None
        existing = draft.activations.filter(step__in=Activation.UNFINISHED_STEPS).first()
        if existing:
            return existing
        now = timezone.now()
        base = retry_of.version_at_end if retry_of else draft.base_version
        try:
            with transaction.atomic():
                activation = Activation.objects.create(
                    draft=draft,
                    campaign_id=draft.campaign_id,
                    approved_at=now if retry_of else (draft.reviewed_at or now),
                    base_version=base,
                    retry_of=retry_of,
                    doorbell_at=now,
                )
        except IntegrityError:  # another queue() of the same draft won
            return draft.activations.filter(step__in=Activation.UNFINISHED_STEPS).first()
        verb = f"Retry of activation #{retry_of.pk}" if retry_of else "Approved"
        what = f"version {base + 1}" if capabilities().versions_shown else "the approved schedule"
        _audit(activation, "queued", f"{verb}: queued to push {what} to CXone.", actor=actor)
        transaction.on_commit(lambda: ring(activation.pk))
    return activation


def ring(activation_id: int) -> None:
    """Enqueue push_activation(id). A broker that is down costs nothing but time: the sweeper rings again."""
    _enqueue("campaigns.tasks.push_activation", activation_id)


def start_poller() -> None:
    """Make sure a poller runs (a second one finds the poller lease taken and ends at once)."""
    _enqueue("campaigns.tasks.poll_activations")


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    try:
        async_task(func, *args)
    except Exception:  # any broker failure: the row is saved, the sweeper will ring again
        log.warning("could not enqueue %s%s; the sweeper will", func, args, exc_info=True)


# ---- push -------------------------------------------------------------------------------------------------


def push(activation_id: int) -> str:
    """One push attempt: what happened, in a few words (for the task's result)."""
    owner = leases.worker_id()
    activation = _claim(activation_id, owner)
    if activation is None:
        return "not claimed: not due, finished, or another worker holds it"
    try:
        return _push_claimed(activation, owner)
    except Exception as exc:
        # Nothing is lost: the row goes back to queued (an unknown PUT stays recorded, to be read first).
        _wait(activation, owner, exc, seconds=_backoff(activation.attempts, 2.0, 60.0))
        raise


def _claim(activation_id: int, owner: str) -> Activation | None:
    """queued (and due) or pushing with an expired lease → pushing, leased to `owner`; the draft → activating."""
    now = timezone.now()
    claimable = Q(step=Step.QUEUED) & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    claimable |= Q(step=Step.PUSHING, lease_expires_at__lt=now)
    with transaction.atomic():
        found = skip_locked(Activation.objects.filter(claimable, pk=activation_id)).first()
        if found is None:
            return None
        claimed = Activation.objects.filter(
            pk=found.pk, step=found.step, lease_owner=found.lease_owner, updated_at=found.updated_at
        ).update(
            step=Step.PUSHING,
            lease_owner=owner,
            lease_expires_at=now + dt.timedelta(seconds=settings.ACTIVATION_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            next_poll_at=None,
            updated_at=now,
        )
        if claimed != 1:
            return None
        if found.step == Step.PUSHING:
            _audit(
                found, "lease_reclaimed", f"The worker pushing it ({found.lease_owner}) stopped answering."
            )
        workflow.mark_activating(found.draft_id)
    return Activation.objects.select_related("campaign").get(pk=found.pk)


def _push_claimed(a: Activation, owner: str) -> str:
    draft = ScheduleDraft.objects.select_related("campaign").get(pk=a.draft_id)
    if a.pushed_version is not None and a.pushed_at is None:
        verdict = _resolve_unknown_put(a, owner, draft)
        if verdict != NOT_LANDED:
            return verdict
    if timezone.now() >= deadline(a):
        return _fail(a, owner, "timed out", f"Not pushed within {_minutes(settings.ACTIVATION_DEADLINE)}.")
    problems = _blocking_reasons(draft)
    if problems:
        return _fail(a, owner, "blocked by findings", "Not pushed: " + "; ".join(problems))
    try:
        payload = activation_payload.payload(a, draft)
    except cx.NotFound:
        return _gone(a, owner)
    except activation_payload.RemoteMoved as moved:
        return _stale(a, owner, moved.version)
    except cx.CXoneError as exc:
        return _wait(a, owner, exc, seconds=_wait_seconds(a, exc))
    client = get_client()
    try:
        version = client.next_version(payload.schedule, base_version=a.base_version)
    except cx.ValidationFailed as exc:  # the Admin API: a skill cannot hold this schedule
        return _refused(a, owner, exc)
    if not _record_intent(a, owner, version):
        return "lease lost before the PUT"
    try:
        remote = run_sync(client.put_campaign_once(payload, base_version=a.base_version))
    except cx.VersionConflict as exc:
        return _stale(a, owner, exc.current_version)
    except cx.ValidationFailed as exc:
        return _refused(a, owner, exc)
    except cx.NotFound:
        return _gone(a, owner)
    except (cx.TransportError, cx.ServerError, cx.UnexpectedResponse) as exc:
        log.warning("activation %s: the PUT's outcome is unknown (%s); reading the campaign", a.pk, exc)
        verdict = _resolve_unknown_put(a, owner, draft)
        if verdict == NOT_LANDED:
            return _wait(a, owner, exc, seconds=_backoff(a.attempts, 1.0, 30.0))
        return verdict
    except cx.CXoneError as exc:  # locked, rate limited, credentials: CXone did not apply it
        return _wait(a, owner, exc, seconds=_wait_seconds(a, exc), clear_intent=True)
    return _pushed(a, owner, remote)


def _refused(a: Activation, owner: str, exc: cx.ValidationFailed) -> str:
    details = [{"field": d.get("field"), "message": d.get("message")} for d in exc.details]
    return _fail(a, owner, "refused by CXone", "CXone refused the schedule.", remote_errors=details)


def _resolve_unknown_put(a: Activation, owner: str, draft: ScheduleDraft) -> str:
    """Read the campaign to learn whether our earlier PUT landed; NOT_LANDED (intent cleared) means PUT again."""
    try:
        remote = run_sync(get_client().get_campaign(draft.campaign.cxone_id))
    except cx.NotFound:
        return _gone(a, owner)
    except cx.CXoneError as exc:
        return _wait(a, owner, exc, seconds=_wait_seconds(a, exc))
    if remote.version == a.pushed_version and activation_payload.same_schedule(remote.schedule, draft):
        return _pushed(a, owner, remote, resolved=True)
    if remote.version != a.base_version:
        return _stale(a, owner, remote.version)
    cleared = Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(
        pushed_version=None, updated_at=timezone.now()
    )
    if cleared != 1:
        return "lease lost while reading"
    a.pushed_version = None
    return NOT_LANDED


def _record_intent(a: Activation, owner: str, version: int) -> bool:
    """Commit "PUT of `version` on its way" before it goes: a kill after this leaves the mark."""
    a.pushed_version = version
    return (
        Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(
            pushed_version=a.pushed_version, updated_at=timezone.now()
        )
        == 1
    )


def _pushed(a: Activation, owner: str, remote: schemas.Campaign, *, resolved: bool = False) -> str:
    now = timezone.now()
    from campaigns.services.activation_polling import first_poll_at

    with transaction.atomic():
        done = Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(
            step=Step.POLLING,
            pushed_version=remote.version,
            pushed_at=now,
            lease_owner="",
            lease_expires_at=None,
            next_poll_at=now if resolved else first_poll_at(now),
            poll_count=0,
            error="",
            updated_at=now,
        )
        if done != 1:
            return "lease lost after the PUT"
        how = "An earlier PUT whose answer was lost had landed" if resolved else "CXone accepted the PUT"
        if capabilities().versions_shown:
            said = f"{how}: version {remote.version}; waiting for CXone to activate it."
        else:
            said = f"{how}; waiting for the skill to run with it."
        note = get_client().capabilities.concurrency_note  # what this backend's write cannot promise, if anything
        _audit(a, "pushed", f"{said} {note}" if note else said)
        transaction.on_commit(start_poller)
    return "pushed"


def _wait(a: Activation, owner: str, exc: BaseException, *, seconds: float, clear_intent=False) -> str:
    """Back to queued, due again in `seconds` (the poller rings it then), saying why."""
    now = timezone.now()
    why = _why(exc)
    values = {
        "step": Step.QUEUED,
        "lease_owner": "",
        "lease_expires_at": None,
        "next_poll_at": now + dt.timedelta(seconds=seconds),
        "doorbell_at": None,
        "error": why,
        "updated_at": now,
    }
    if clear_intent:
        values["pushed_version"] = None
    with transaction.atomic():
        if Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(**values) != 1:
            return "lease lost"
        _audit(a, "waiting", f"{why} Trying again in {seconds:.0f} s.")
        transaction.on_commit(start_poller)
    return f"waiting: {why}"


# ---- outcomes (written by activation_outcomes.finish) --------------------------------------------------------


def _fail(a, owner, outcome, error, *, remote_errors=None, remote=None) -> str:
    _finish(
        a, Step.FAILED, outcome=outcome, error=error, remote_errors=remote_errors, remote=remote, owner=owner
    )
    return f"failed: {outcome}"


def _stale(a, owner, version) -> str:
    if capabilities().versions_shown:
        now_at = f"version {version}" if version is not None else "another version"
        differs = f"is at {now_at}, not version {a.base_version} that this push builds on"
    else:
        differs = "has another schedule than the one this draft was based on"
    error = (
        f"CXone's campaign {differs}: someone changed it meanwhile. Revise the draft to start from CXone's "
        "current schedule."
    )
    _finish(a, Step.STALE, outcome="CXone changed the campaign", error=error, owner=owner)
    return "stale"


def _gone(a, owner) -> str:
    return _fail(a, owner, "campaign gone", "CXone no longer has this campaign.")


# ---- small parts ------------------------------------------------------------------------------------------


def deadline(a: Activation) -> dt.datetime:
    return a.approved_at + dt.timedelta(seconds=settings.ACTIVATION_DEADLINE)


def _blocking_reasons(draft: ScheduleDraft) -> list[str]:
    """What must stop the push now: the draft's blocking findings recomputed against today's mirror (calling
    hours, DNC readiness, invalid values). Issue 8 moves findings into the services: re-point this there.
    Without the conflict what-if, which never blocks and would rebuild the conflict index on every push."""
    values = {name: getattr(draft, name) for name in workflow.EDITABLE_FIELDS}
    return draft_checks.evaluate_values(draft.campaign, values, conflicts=False).blocking


def skip_locked(queryset):
    """FOR UPDATE SKIP LOCKED where the database has it (PostgreSQL); SQLite's IMMEDIATE transactions
    serialise the claim instead."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset


def _wait_seconds(a: Activation, exc: BaseException) -> float:
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        return max(0.5, float(retry_after)) * random.uniform(1.0, 1.3)
    if isinstance(exc, cx.CampaignLocked):
        return _backoff(a.attempts, 1.0, 30.0)
    if isinstance(exc, cx.RateLimited):
        return _backoff(a.attempts, 1.0, 20.0)
    return _backoff(a.attempts, 2.0, 60.0)


def _backoff(attempt: int, first: float, cap: float) -> float:
    """Exponential from `first`, capped, with full jitter on the upper half (workers do not retry in step)."""
    ceiling = min(cap, first * 2 ** max(0, attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def _why(exc: BaseException) -> str:
    if isinstance(exc, cx.CampaignLocked):
        return "CXone is still activating an earlier change of this campaign (locked)."
    if isinstance(exc, cx.RateLimited | cx.CircuitOpen):
        return "CXone asked us to slow down (rate limited)."
    if isinstance(exc, cx.TransportError | cx.ServerError):
        return f"CXone did not answer usably ({type(exc).__name__})."
    if isinstance(exc, cx.CXoneError):
        return f"{type(exc).__name__}: {exc.message}"
    return f"Unexpected error: {type(exc).__name__}: {exc}"


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"
