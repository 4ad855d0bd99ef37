"""What CXone is sent for a draft, and what a write of it leaves: the draft's schedule with the retry policy the
backend writes (the push sends it, the checks judge what it would write), the schedule the draft was drafted
from, and the versions a write cut off half way leaves (ours, never "changed in CXone": the push finishes such a
write, the drift check does not report it). One low place, so the activation worker, the checks and the drift
check read it without importing one another."""

from __future__ import annotations

from campaigns.cxone import schemas
from campaigns.cxone.factory import capabilities, get_client
from campaigns.models import ScheduleDraft
from campaigns.scheduling import RetryPolicy
from campaigns.services.schedule_values import SCHEDULE_CORE, retry_policy_of


def schedule_of(draft: ScheduleDraft) -> schemas.Schedule:
    """The draft's schedule as CXone is sent it, with the whole retry policy the backend writes, as approved."""
    return schemas.Schedule(
        timezone=draft.timezone,
        cron_expression=draft.cron_expression,
        duration_minutes=draft.duration_minutes,
        start_time=draft.effective_start,
        end_time=draft.effective_end,
        retry_policy=sent_retry_policy(draft.retry()),
    )


def sent_retry_policy(policy: RetryPolicy) -> schemas.RetryPolicy:
    """A retry policy as CXone is sent it: v2's fields and, where the backend writes the restricted calling
    window (the Admin API), that too, 0 and 0 meaning none: what the supervisor approved is what dials, never a
    window left over in CXone."""
    sent = schemas.RetryPolicy.model_validate(policy.outbound_v2())
    if "retry_restricted_minutes" in capabilities().retry_fields:
        sent = sent.model_copy(
            update={
                "restricted_calling_minutes": policy.restricted_minutes,
                "restricted_calling_max_attempts": policy.restricted_max_attempts,
            }
        )
    return sent


def base_schedule(draft: ScheduleDraft) -> schemas.Schedule | None:
    """The schedule the draft was drafted from (its base snapshot) as CXone holds it: zone, cron, duration and
    retry policy; None when the campaign had none."""
    snap = draft.base_snapshot or {}
    if not all(snap.get(name) for name in SCHEDULE_CORE):
        return None
    return schemas.Schedule(
        timezone=snap["timezone"],
        cron_expression=snap["cron_expression"],
        duration_minutes=snap["duration_minutes"],
        retry_policy=sent_retry_policy(retry_policy_of(snap)),
    )


def partly_written(draft: ScheduleDraft) -> frozenset[int]:
    """The versions our own write of the draft leaves when cut off half way (the Admin API writes the week and
    the retry settings apart): ours, to be finished, never "changed in CXone". Empty under v2."""
    base = base_schedule(draft)
    return get_client().partial_versions(schedule_of(draft), base) if base is not None else frozenset()
