"""What a push sends to CXone and how a read is recognised as our own PUT: CXone's campaign at the push's base
version with the draft's schedule."""

from __future__ import annotations

from campaigns.cxone import schemas
from campaigns.cxone.factory import get_client, run_sync
from campaigns.models import Activation, ScheduleDraft
from campaigns.services.sent_schedule import schedule_of


class RemoteMoved(Exception):
    """CXone's campaign is no longer at the version the push builds on."""

    def __init__(self, version: int):
        self.version = version


def payload(a: Activation, draft: ScheduleDraft, *, partly: frozenset[int]) -> schemas.Campaign:
    """The full campaign to PUT: CXone's at base_version (or at one of `partly`, what our own write cut off half
    way would have left: sent_schedule.partly_written) with the draft's schedule. Under v2 the mirror's copy
    serves when it is at that version (no extra request): CXone's 409 still refuses it if CXone moved on since.
    The Admin API has no 409 of its own (and the mirror holds a skill, not a campaign): read it now."""
    campaign = draft.campaign
    client = get_client()
    if client.capabilities.versions_ordered and campaign.remote_version == a.base_version and campaign.raw_payload:
        base = schemas.Campaign.model_validate(campaign.raw_payload)
    else:
        base = run_sync(client.get_campaign(campaign.cxone_id))
    if base.version != a.base_version and base.version not in partly:
        raise RemoteMoved(base.version)
    return base.with_schedule(schedule_of(draft))


def landed(remote: schemas.Campaign, a: Activation, draft: ScheduleDraft) -> bool:
    """Whether CXone's campaign, read now, is our PUT having landed: at the version it gives, with the draft's
    schedule. Where versions are fingerprints of what a write holds (the Admin API: the week and the retry
    policy), that version is the proof; the skill's own period and the switches it has no field for would
    never read back equal."""
    if remote.version != a.pushed_version:
        return False
    return not get_client().capabilities.versions_ordered or same_schedule(remote.schedule, draft)


def same_schedule(remote: schemas.Schedule | None, draft: ScheduleDraft) -> bool:
    if remote is None:
        return False
    ours = schedule_of(draft)
    return (
        remote.timezone == ours.timezone
        and remote.cron_expression == ours.cron_expression
        and remote.duration_minutes == ours.duration_minutes
        and remote.start_time == ours.start_time
        and remote.end_time == ours.end_time
        and (remote.retry_policy.to_api() if remote.retry_policy else None) == ours.retry_policy.to_api()
    )
