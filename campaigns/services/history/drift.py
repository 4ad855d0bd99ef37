"""After each sync: which campaigns CXone runs differently from the version they are held to ("changed in
CXone"), found once per change, never for our own pushes or controls.

`look_for_drift()` is the sync's one call once the mirror is written. It compares every campaign still in CXone
(not only those this sync changed: a comparison put off once is made the next time) with its reference
(versions.py), in the parts the backend holds (values.py), and for each campaign that differs:

- ours, not drift: our activation of the campaign is in flight (or its last one failed after CXone took the PUT)
  and CXone is at the version that push wrote. The sync can read CXone after our PUT landed and before the
  poller saw it ACTIVE; the activation's outcome records the approved version then.
- ours, not drift: the running state our own controls want (controls.py).
- put off: the campaign's reference was recorded, or its last activation ended, after this sync started reading
  CXone: what the sync read may be older than that. The next sync compares it.
- already known: the change is the one its open drift (or its drift answered with a restore still under way)
  already records. Not found again after an answer.
- else a change: a version "seen in CXone", a new Drift (or the open one updated: changed again), an audit entry
  and a `campaign.drifted` WFM event, in one transaction per campaign.

A campaign equal to its reference again while its drift is open was changed back in CXone: the drift closes.
A campaign with no version yet (new in the mirror) gets its first one. The number of queries does not depend on
the number of campaigns (bar the writes of the changes found)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from campaigns.cxone.capabilities import Capabilities
from campaigns.cxone.factory import capabilities
from campaigns.models import Activation, Campaign, CampaignVersion, Drift
from campaigns.services import audit
from campaigns.services.history import controls, values, versions, words
from campaigns.services.notifications import notify
from campaigns.services.sent_schedule import partly_written
from campaigns.services.sync import status as sync_status
from campaigns.services.webhooks import outbox

log = logging.getLogger(__name__)

FOUND = "campaigns.drift.found"
CHANGED_AGAIN = "campaigns.drift.changed_again"
CHANGED_BACK = "campaigns.drift.changed_back"
# What a campaign's values are read from (and nothing else: the raw payload is the mirror's largest column).
MIRROR_FIELDS = (
    "pk", "cxone_id", "name", "state", "remote_version", "timezone", "cron_expression", "duration_minutes",
    "effective_start", "effective_end", "retry_policy", "contact_list_breakdown", "called_zones", "agents_required",
    "time_constraints",
)  # fmt: skip


@dataclass
class DriftCheck:
    first_versions: int = 0
    found: int = 0
    changed_again: int = 0
    changed_back: int = 0
    ours: int = 0
    put_off: int = 0

    def summary(self) -> str:
        return (
            f"changed in CXone {self.found} (again {self.changed_again}, changed back {self.changed_back}); "
            f"ours {self.ours}; put off {self.put_off}; first versions {self.first_versions}"
        )


def look_for_drift(now: dt.datetime | None = None) -> DriftCheck:
    now = now or timezone.now()
    caps = capabilities()
    result = DriftCheck()
    # When this sync started reading CXone: what it wrote may be older than anything recorded since.
    started = sync_status.current().last_started_at or now
    campaigns = list(
        Campaign.objects.filter(missing_since__isnull=True)
        .annotate(
            reference_id=versions.latest_reference_id(),
            latest_drift_id=_latest(Drift),
            latest_activation_id=_latest(Activation),
        )
        .only(*MIRROR_FIELDS)
    )
    new = [c for c in campaigns if c.reference_id is None]
    if new:
        versions.record_first(new, now)
        result.first_versions = len(new)
    held = [c for c in campaigns if c.reference_id is not None]
    references = CampaignVersion.objects.in_bulk([c.reference_id for c in held])
    drifts = Drift.objects.select_related("seen").in_bulk(
        [c.latest_drift_id for c in held if c.latest_drift_id]
    )
    activations = Activation.objects.in_bulk([c.latest_activation_id for c in held if c.latest_activation_id])
    recorded = {c.pk: references[c.reference_id].recorded_at for c in held}
    look = Comparison(caps, now, controls.running_wanted([c.pk for c in held], recorded), result)
    for campaign in held:
        reference = references[campaign.reference_id]
        activation = activations.get(campaign.latest_activation_id)
        if reference.recorded_at > started or _ended_since(activation, started):
            result.put_off += 1
            continue
        # One campaign's trouble must not hide the others' changes: it is logged and compared next sync.
        try:
            look.compare(campaign, reference, drifts.get(campaign.latest_drift_id), activation)
        except Exception:
            log.exception("drift: comparing campaign %s with its reference failed", campaign.cxone_id)
    if result.found or result.changed_again or result.changed_back:
        log.info("Drift: %s", result.summary())
    return result


def _latest(model):
    return Subquery(model.objects.filter(campaign=OuterRef("pk")).order_by("-pk").values("pk")[:1])


def _ended_since(activation: Activation | None, started: dt.datetime) -> bool:
    return activation is not None and activation.is_finished and activation.updated_at > started


def is_ours(campaign: Campaign, activation: Activation | None) -> bool:
    """CXone is at the version our push wrote: a push in flight (or one that failed after CXone took it); or, in
    flight after an attempt, at one its write leaves when cut off half way (the Admin API's week written, not
    yet its retry settings: the next attempt finishes it)."""
    if activation is None:
        return False
    in_flight = activation.step in Activation.UNFINISHED_STEPS
    failed_after_landing = activation.step == Activation.Step.FAILED and activation.landed
    if activation.pushed_version == campaign.remote_version and (in_flight or failed_after_landing):
        return True
    return (
        in_flight
        and activation.attempts > 0
        and campaign.remote_version in partly_written(activation.draft)
    )


@dataclass
class Comparison:
    """One check's comparisons: the backend's capabilities, its time, what our controls want, its counts."""

    caps: Capabilities
    now: dt.datetime
    wanted: dict[int, bool]
    result: DriftCheck

    def compare(self, campaign, reference, latest: Drift | None, activation: Activation | None) -> None:
        seen = values.of_campaign(campaign)
        held = values.of_version(reference)
        changed = values.differences(held, seen, self.caps, running_wanted=self.wanted.get(campaign.pk))
        if not changed:
            if latest is not None and latest.is_open:
                _changed_back(latest, campaign, self.now)
                self.result.changed_back += 1
            return
        if is_ours(campaign, activation):
            self.result.ours += 1
            return
        known = latest is not None and (latest.is_open or latest.answer == Drift.Answer.RESTORING)
        if known and values.same(values.of_version(latest.seen), seen, self.caps):
            return
        with transaction.atomic():
            version = CampaignVersion.objects.create(
                campaign=campaign, source=CampaignVersion.Source.SEEN_IN_CXONE, recorded_at=self.now,
                **values.version_fields(seen),
            )  # fmt: skip
            if latest is not None and latest.is_open:
                updated = Drift.objects.filter(pk=latest.pk, answered_at__isnull=True).update(
                    seen=version, last_seen_at=self.now, changed=changed
                )
                if updated != 1:  # answered a moment ago: the next sync compares with what the answer left
                    transaction.set_rollback(True)
                    return
                drift = Drift.objects.select_related("campaign", "seen", "reference").get(pk=latest.pk)
                action = CHANGED_AGAIN
                self.result.changed_again += 1
            else:
                drift = Drift.objects.create(
                    campaign=campaign, seen=version, reference=reference, changed=changed,
                    first_seen_at=self.now, last_seen_at=self.now,
                )  # fmt: skip
                action = FOUND
                self.result.found += 1
            message = _found_words(drift, action)
            audit.record(action, drift, campaign=campaign, message=message, changes=_changes(drift))
            outbox.record_drift_event(drift)
            # The campaign's planners are told in the same transaction (one notice per change seen).
            notify.drift_found(campaign, differences=[message], at=self.now, key=f"{drift.pk}:{version.pk}")


def _found_words(drift: Drift, action: str) -> str:
    held = words.source(drift.reference, versions_shown=capabilities().versions_shown)
    changed = words.aspects(drift.changed)
    runs = words.summary(values.of_version(drift.seen))
    return (
        f"{changed[:1].upper()}{changed[1:]}: CXone {'now ' if action == CHANGED_AGAIN else ''}runs {runs}. "
        f"Held to: {words.summary(values.of_version(drift.reference))} ({held[:1].lower()}{held[1:]})."
    )


def _changes(drift: Drift) -> dict:
    held, seen = values.of_version(drift.reference), values.of_version(drift.seen)
    fields = [name for aspect in drift.changed for name in values.ASPECTS[aspect]]
    return {name: [_json(held[name]), _json(seen[name])] for name in fields if held[name] != seen[name]}


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _changed_back(drift: Drift, campaign: Campaign, now: dt.datetime) -> None:
    with transaction.atomic():
        closed = Drift.objects.filter(pk=drift.pk, answered_at__isnull=True).update(
            answered_at=now, answer=Drift.Answer.REVERTED
        )
        if closed:
            message = "Changed back in CXone: it runs the version it is held to again."
            audit.record(CHANGED_BACK, drift, campaign=campaign, message=message)
