"""The push: one approved draft written to CXone, exactly once.

    push(id)  claim (queued → pushing, with a lease) → draft activating → re-check the findings → record the PUT
              about to go out → PUT once → polling (the poller takes over) | back to queued | an outcome

Never a second PUT for one approval: `pushed_version` (the backend's next_version: base+1 under v2, the written
schedule's fingerprint under the Admin API) is committed before the PUT goes out, so a PUT whose answer was lost
(timeout, dropped connection, worker killed) is resolved by reading the campaign first: that version with this
draft's schedule means it landed. Every terminal outcome is written by outcomes.finish.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from campaigns.cxone import errors as cx
from campaigns.cxone import schemas
from campaigns.cxone.factory import capabilities, get_client, run_sync
from campaigns.models import Activation, ScheduleDraft
from campaigns.services import leases
from campaigns.services.activation import doorbell, payload, timing
from campaigns.services.activation.outcomes import finish, record
from campaigns.services.drafts import transitions
from campaigns.services.drafts.checks import draft_checks
from campaigns.services.schedule_values import EDITABLE_FIELDS
from campaigns.services.sent_schedule import partly_written

log = logging.getLogger(__name__)
Step = Activation.Step

NOT_LANDED = "not landed"


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
        _wait(activation, owner, exc, seconds=timing.backoff(activation.attempts, 2.0, 60.0))
        raise


def _claim(activation_id: int, owner: str) -> Activation | None:
    """queued (and due) or pushing with an expired lease → pushing, leased to `owner`; the draft → activating."""
    now = timezone.now()
    with transaction.atomic():
        found = leases.skip_locked(Activation.objects.claimable(now).filter(pk=activation_id)).first()
        if found is None:
            return None
        claimed = Activation.objects.filter(
            pk=found.pk, step=found.step, lease_owner=found.lease_owner, updated_at=found.updated_at
        ).update(
            step=Step.PUSHING,
            lease_owner=owner,
            lease_expires_at=now + dt.timedelta(seconds=settings.ACTIVATION_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            due_at=None,
            updated_at=now,
        )
        if claimed != 1:
            return None
        if found.step == Step.PUSHING:
            record(
                found, "lease_reclaimed", f"The worker pushing it ({found.lease_owner}) stopped answering."
            )
        transitions.mark_activating(found.draft_id)
    return Activation.objects.select_related("campaign").get(pk=found.pk)


def _push_claimed(a: Activation, owner: str) -> str:
    draft = ScheduleDraft.objects.select_related("campaign").get(pk=a.draft_id)
    if a.pushed_version is not None and a.pushed_at is None:
        verdict = _resolve_unknown_put(a, owner, draft)
        if verdict != NOT_LANDED:
            return verdict
    if timezone.now() >= timing.deadline(a):
        return _fail(a, owner, "timed out", f"Not pushed within {timing.deadline_words()}.")
    problems = _blocking_reasons(draft)
    if problems:
        return _fail(a, owner, "blocked by findings", "Not pushed: " + "; ".join(problems))
    partly = partly_written(draft)  # what our own write cut off half way would have left
    try:
        to_write = payload.payload(a, draft, partly=partly)
    except cx.NotFound:
        return _gone(a, owner)
    except payload.RemoteMoved as moved:
        return _stale(a, owner, moved.version)
    except cx.CXoneError as exc:
        return _wait(a, owner, exc, seconds=timing.wait_seconds(a.attempts, exc))
    client = get_client()
    try:
        version = client.next_version(to_write.schedule, base_version=a.base_version)
    except cx.ValidationFailed as exc:  # the Admin API: a skill cannot hold this schedule
        return _refused(a, owner, exc)
    if not _record_intent(a, owner, version):
        return "lease lost before the PUT"
    try:
        remote = run_sync(client.put_campaign_once(to_write, base_version=a.base_version, partly=partly))
    except cx.VersionConflict as exc:
        if exc.current_version == version:
            # CXone holds the very version this push writes: our own write, landed by an earlier attempt (a worker
            # judged dead too soon, whose PUT arrived after this one read). Read it: ours → pushed, not stale.
            verdict = _resolve_unknown_put(a, owner, draft)
            if verdict != NOT_LANDED:
                return verdict
        return _stale(a, owner, exc.current_version)
    except cx.ValidationFailed as exc:
        return _refused(a, owner, exc)
    except cx.NotFound:
        return _gone(a, owner)
    except (cx.TransportError, cx.ServerError, cx.UnexpectedResponse) as exc:
        log.warning("activation %s: the PUT's outcome is unknown (%s); reading the campaign", a.pk, exc)
        verdict = _resolve_unknown_put(a, owner, draft)
        if verdict == NOT_LANDED:
            return _wait(a, owner, exc, seconds=timing.backoff(a.attempts, 1.0, 30.0))
        return verdict
    except cx.CXoneError as exc:  # locked, rate limited, credentials: CXone did not apply it
        return _wait(a, owner, exc, seconds=timing.wait_seconds(a.attempts, exc), clear_intent=True)
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
        return _wait(a, owner, exc, seconds=timing.wait_seconds(a.attempts, exc))
    if payload.landed(remote, a, draft):
        return _pushed(a, owner, remote, resolved=True)
    # Not landed whole: still at the base, or our own write cut off half way (written again, whole); else moved.
    if remote.version != a.base_version and remote.version not in partly_written(draft):
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
    with transaction.atomic():
        done = Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(
            step=Step.POLLING,
            pushed_version=remote.version,
            pushed_at=now,
            lease_owner="",
            lease_expires_at=None,
            due_at=now if resolved else timing.first_read_at(now),
            poll_count=0,
            error="",
            updated_at=now,
        )
        if done != 1:
            return "lease lost after the PUT"
        how = (
            "An earlier push whose answer was lost had landed"
            if resolved
            else "CXone accepted the new schedule"
        )
        if capabilities().versions_shown:
            said = f"{how}: version {remote.version}; waiting for CXone to activate it."
        else:
            said = f"{how}; waiting for the skill to run with it."
        note = get_client().capabilities.concurrency_note  # what this backend's write cannot promise, if anything
        record(a, "pushed", f"{said} {note}" if note else said)
        transaction.on_commit(doorbell.start_poller)
    return "pushed"


def _wait(a: Activation, owner: str, exc: BaseException, *, seconds: float, clear_intent=False) -> str:
    """Back to queued, due again in `seconds` (the poller rings it then), saying why."""
    now = timezone.now()
    why = timing.reason(exc)
    values = {
        "step": Step.QUEUED,
        "lease_owner": "",
        "lease_expires_at": None,
        "due_at": now + dt.timedelta(seconds=seconds),
        "doorbell_at": None,
        "error": why,
        "updated_at": now,
    }
    if clear_intent:
        values["pushed_version"] = None
    with transaction.atomic():
        if Activation.objects.filter(pk=a.pk, step=Step.PUSHING, lease_owner=owner).update(**values) != 1:
            return "lease lost"
        record(a, "waiting", f"{why} Trying again in {seconds:.0f} s.")
        transaction.on_commit(doorbell.start_poller)
    return f"waiting: {why}"


# ---- outcomes (written by outcomes.finish) -----------------------------------------------------------------


def _fail(a, owner, outcome, error, *, remote_errors=None, remote=None) -> str:
    finish(
        a, Step.FAILED, outcome=outcome, error=error, remote_errors=remote_errors, remote=remote, owner=owner
    )
    return f"failed: {outcome}"


def _stale(a, owner, version) -> str:
    if capabilities().versions_shown:
        now_at = f"version {version}" if version is not None else "another version"
        differs = f"is at {now_at}, not version {a.base_version} that this push builds on"
    else:
        differs = "has another schedule or retry policy than the one this draft was based on"
    error = (
        f"CXone's campaign {differs}: someone changed it meanwhile. Revise the draft to start from CXone's "
        "current schedule."
    )
    finish(a, Step.STALE, outcome="CXone changed the campaign", error=error, owner=owner)
    return "stale"


def _gone(a, owner) -> str:
    return _fail(a, owner, "campaign gone", "CXone no longer has this campaign.")


# ---- small parts ------------------------------------------------------------------------------------------


def _blocking_reasons(draft: ScheduleDraft) -> list[str]:
    """What must stop the push now: the draft's blocking findings recomputed against today's mirror (calling
    hours, DNC readiness, invalid values). Without the conflict what-if, which never blocks and would rebuild the
    conflict index on every push."""
    values = {name: getattr(draft, name) for name in EDITABLE_FIELDS}
    return draft_checks.evaluate_values(draft.campaign, values, conflicts=False).blocking

