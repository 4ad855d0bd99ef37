"""Sending: one wanted change asked of CXone, then handed to the confirmer, which reads until it shows.

    send(id)  claim (queued and due, or sending under an expired lease) → a start still held stopped is
              cancelled → a request left unanswered before is resolved by a read first → POST → confirming

Asking to stop or start is repeatable (a stopped campaign stays stopped), so an ambiguous answer (timeout,
dropped connection, 5xx) is resolved by reading the campaign: already as wanted → confirmed; else asked again
after a backoff. 404 is a campaign CXone no longer has (the Admin API's "not running" is resolved by its client
with a read); 409 (v2's campaign.state) is read too: a campaign in ERROR or FAILED does not dial (a stop is
then confirmed, a start fails), one still activating is asked again later.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from campaigns.cxone import errors as cx
from campaigns.cxone import ratelimit
from campaigns.cxone.factory import get_client, run_sync
from campaigns.models import DiallingChange
from campaigns.services import leases
from campaigns.services.control import doorbell, holds, timing
from campaigns.services.control.outcomes import finish

log = logging.getLogger(__name__)
Step = DiallingChange.Step
Action = DiallingChange.Action
NOT_DIALLING = ("PAUSED", "ERROR", "FAILED")


def send(change_id: int) -> str:
    """One attempt: what happened, in a few words (the task's result)."""
    owner = leases.worker_id()
    change = _claim(change_id, owner)
    if change is None:
        return "not claimed: not due, finished, or another worker holds it"
    try:
        return _send_claimed(change, owner)
    except Exception as exc:
        _wait(change, owner, timing.reason(exc), timing.backoff(change.attempts))
        raise


def _claim(change_id: int, owner: str) -> DiallingChange | None:
    now = timezone.now()
    with transaction.atomic():
        found = leases.skip_locked(DiallingChange.objects.claimable(now).filter(pk=change_id)).first()
        if found is None:
            return None
        claimed = DiallingChange.objects.filter(
            pk=found.pk, step=found.step, lease_owner=found.lease_owner, updated_at=found.updated_at
        ).update(
            step=Step.SENDING,
            lease_owner=owner,
            lease_expires_at=timing.later(timing.LEASE_SECONDS, now),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
        if claimed != 1:
            return None
    return DiallingChange.objects.select_related("campaign").get(pk=found.pk)


def _send_claimed(change: DiallingChange, owner: str) -> str:
    if change.action == Action.START:
        if _overtaken(change):
            finish(change, Step.CANCELLED, outcome="Not started: a later stop of this campaign is already due",
                   owner=owner)  # fmt: skip
            return "cancelled: overtaken by a later stop"
        why = holds.held_stopped(change.campaign, at=_running_by(change), ignoring=change) or _not_paused(change)
        if why:
            finish(change, Step.CANCELLED, outcome=f"Not started: {why}", owner=owner)
            return "cancelled: held stopped"
    elif change.timed_pause_id and change.was_running is None:
        # What the pause found: its end starts again only a campaign that was dialling when it began.
        change.was_running = change.campaign.state in holds.DIALLING_STATES
        DiallingChange.objects.filter(pk=change.pk, lease_owner=owner).update(was_running=change.was_running)
    if change.sent_at is not None and change.answered_at is None:
        verdict = _read_and_decide(change, owner)
        if verdict:
            return verdict
    if change.attempts > timing.MAX_ATTEMPTS:
        finish(change, Step.FAILED, outcome="gave up", error=change.error or "CXone never confirmed it.", owner=owner)
        return "failed: too many attempts"
    if not _mark_sent(change, owner):
        return "lease lost before the request"
    try:
        run_sync(_ask(change.action, change.campaign.cxone_id))
    except cx.NotFound:
        finish(change, Step.FAILED, outcome="campaign gone", error="CXone no longer has this campaign.", owner=owner)
        return "failed: not found"
    except cx.InvalidState:
        return _read_and_decide(change, owner, refused=True) or "asked again later"
    except (cx.TransportError, cx.ServerError, cx.UnexpectedResponse) as exc:
        log.info("dialling change %s: the answer was lost (%s); reading the campaign", change.pk, exc)
        return _read_and_decide(change, owner) or _wait(change, owner, timing.reason(exc),
                                                         timing.backoff(change.attempts))  # fmt: skip
    except cx.CXoneError as exc:  # rate limited, locked, credentials: CXone did not take it
        return _wait(change, owner, timing.reason(exc), timing.wait_seconds(change.attempts, exc))
    return _accepted(change, owner)


async def _ask(action: str, campaign_id: str) -> None:
    client = get_client()
    # Stops overtake every other CXone request waiting for the shared rate limit (the urgent reserve).
    with ratelimit.urgent(action == Action.STOP):
        if action == Action.STOP:
            await client.stop_dialling(campaign_id)
        else:
            await client.start_dialling(campaign_id)


def _overtaken(change: DiallingChange) -> bool:
    """A start that comes so late that a stop wanted after it is already due (its calling day has passed while
    CXone kept it waiting): sent now, it would undo that stop and dial through the day off. Stops are never
    overtaken: a late stop still stops."""
    if change.wanted_at is None:
        return False
    return (
        DiallingChange.objects.filter(
            campaign_id=change.campaign_id, action=Action.STOP, wanted_at__gt=change.wanted_at,
            wanted_at__lte=timezone.now(),
        )
        .exclude(step__in=(Step.CANCELLED, Step.FAILED))
        .exists()
    )  # fmt: skip


def _not_paused(change: DiallingChange) -> str:
    """Why the end of a pause does not start this campaign ("" when it does): its pause's stop did not find it
    dialling (a campaign stopped, or dormant, before the pause stays as it was), or was never sent."""
    if not change.timed_pause_id:
        return ""
    stop = DiallingChange.objects.filter(
        timed_pause_id=change.timed_pause_id, campaign_id=change.campaign_id, action=Action.STOP
    ).first()
    if stop is not None and stop.was_running:
        return ""
    return f"it was not dialling when pause #{change.timed_pause_id} began"


def _running_by(change: DiallingChange) -> dt.datetime:
    """The instant a start is meant to have the campaign dialling by (a partial week's next window)."""
    now = timezone.now()
    return max(now, change.hold_until) if change.hold_until else now


def _read_and_decide(change: DiallingChange, owner: str, *, refused: bool = False) -> str | None:
    """Read the campaign: as wanted → confirmed; a start refused by a campaign in ERROR or FAILED → failed;
    otherwise None (ask again), or after a refusal, wait for the campaign to finish activating."""
    try:
        state = run_sync(get_client().dialling_states([change.campaign.cxone_id])).get(change.campaign.cxone_id)
    except cx.CXoneError as exc:
        return _wait(change, owner, timing.reason(exc), timing.wait_seconds(change.attempts, exc))
    if state is None:
        finish(change, Step.FAILED, outcome="campaign gone", error="CXone no longer has this campaign.", owner=owner)
        return "failed: not found"
    if change.action == Action.STOP and state in NOT_DIALLING:
        finish(change, Step.DONE, outcome=f"Confirmed: CXone shows it {state}", owner=owner, remote_state=state)
        return "confirmed by a read"
    if change.action == Action.START and state == "ACTIVE":
        finish(change, Step.DONE, outcome="Confirmed: CXone shows it dialling", owner=owner, remote_state=state)
        return "confirmed by a read"
    if change.action == Action.START and state in ("ERROR", "FAILED"):
        error = f"CXone cannot dial a campaign in {state}."
        finish(change, Step.FAILED, outcome="refused by CXone", error=error, owner=owner, remote_state=state)
        return "failed: invalid state"
    if refused:  # DRAFT: still activating an earlier change; ask once it has
        return _wait(change, owner, f"CXone refused while the campaign is {state}.", timing.backoff(change.attempts))
    return None


def _mark_sent(change: DiallingChange, owner: str) -> bool:
    now = timezone.now()
    change.sent_at, change.answered_at = now, None
    return DiallingChange.objects.filter(pk=change.pk, step=Step.SENDING, lease_owner=owner).update(
        sent_at=now, answered_at=None, lease_expires_at=timing.later(timing.LEASE_SECONDS, now), updated_at=now
    ) == 1


def _accepted(change: DiallingChange, owner: str) -> str:
    """CXone took it (202): the confirmer reads it from now on."""
    now = timezone.now()
    moved = DiallingChange.objects.filter(pk=change.pk, step=Step.SENDING, lease_owner=owner).update(
        step=Step.CONFIRMING,
        answered_at=now,
        lease_owner="",
        lease_expires_at=None,
        due_at=timing.later(timing.READ_SECONDS, now),
        error="",
        updated_at=now,
    )
    if moved:
        transaction.on_commit(doorbell.start_confirmer)
    return "accepted" if moved else "lease lost after the request"


def _wait(change: DiallingChange, owner: str, why: str, seconds: float) -> str:
    """Back to queued, due after `seconds` (the sweeper rings it then)."""
    now = timezone.now()
    DiallingChange.objects.filter(pk=change.pk, step=Step.SENDING, lease_owner=owner).update(
        step=Step.QUEUED,
        lease_owner="",
        lease_expires_at=None,
        due_at=timing.later(seconds, now),
        doorbell_at=None,
        error=why,
        updated_at=now,
    )
    return f"waiting {seconds:.1f} s: {why}"
