"""The approval queue's reviews of submitted drafts, kept for a minute under a key over everything they depend on.

A review (draft_checks.review) checks both schedules of a draft over their whole effective period and the
draft's conflicts against the index: the queue's most expensive part, asked again by every supervisor who opens
or refreshes the queue. What it shows must never be a stale verdict, so a kept review is used only when its key
says that a review made now would be the same one. The key is complete because it is built from the review's
inputs themselves, not from a version number that might miss one:

- the draft: its pk, lock version and status, and every value it proposes (schedule_values.draft_values);
- the campaign: everything its findings depend on (campaign_findings.findings_key: the current schedule, the
  contact list's breakdown, DNC rules and list state, time constraints, the calling-hours rules files, the
  backend and the format), plus what the draft's checks read from the campaign beyond that: its CXone id, zone,
  purpose, agents, contact list and the pool it draws on;
- the blackout days: the rules of the approved calendars that apply to the campaign (as read for this page) and
  whether any calendar is attached at all (which decides how the what-if is run);
- what holds the other campaigns the what-if sweeps with the draft: the fingerprints of the approved calendars
  and their attachments (blackout days) and of the approved pauses (`holds`, read once per page);
- the conflicts: the conflict index's key (its hour and the fingerprint of every schedule, agents, pool and
  membership it was built from: conflict_index.current_with_key);
- the engine: whether the skill checks apply (the backend), the rules version;
- the minute: a review is made for the start of the minute and kept at most TTL seconds, so the next windows
  and the period checked move on with the clock.

A review a time budget cut short is never kept (it says "not checked" until a full check completes). None of
this is a verdict anyone acts on: workflow.approve computes its own findings (draft_checks.evaluate_draft), as the
push does again before it sends anything to CXone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.cache import cache

from campaigns import scheduling
from campaigns.models import ScheduleDraft
from campaigns.services import schedule_values
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.control import pausing
from campaigns.services.drafts.checks import campaign_findings, draft_checks, skill_findings
from campaigns.services.pools import lookup as pools

TTL = 60  # seconds; the key holds the minute too
PREFIX = "draft-review:v1:"
_generation = 0  # forget() moves it on: the kept reviews of before are no longer found


def holds_key() -> tuple:
    """What holds any campaign from dialling, as the what-if reads it: blackout calendars and approved pauses."""
    return blackout_days.fingerprint(), pausing.fingerprint()


def review_key(
    draft: ScheduleDraft,
    *,
    index_key: tuple,
    calendars: blackout_days.CalendarsRead,
    holds: tuple,
    minute: dt.datetime,
) -> str:
    """The cache key of `draft`'s review: equal keys, equal reviews (see the module's docstring for why)."""
    campaign = draft.campaign
    inputs = {
        "draft": [draft.pk, draft.lock_version, draft.status, schedule_values.draft_values(draft)],
        "campaign": [
            campaign.pk,
            campaign.cxone_id,
            campaign_findings.findings_key(campaign),
            campaign.timezone,
            campaign.purpose,
            campaign.agents_required,
            campaign.contact_list_id,
            pools.key_of_campaign(campaign),
        ],
        "blackouts": [repr(calendars.of(campaign.cxone_id)), calendars.attached],
        "holds": repr(holds),
        "conflicts": repr(index_key),
        "engine": [skill_findings.admin_backend(), scheduling.load_rules().version],
        "minute": minute.isoformat(),
    }
    text = json.dumps(inputs, sort_keys=True, default=_value)
    return f"{PREFIX}{_generation}:{hashlib.sha256(text.encode()).hexdigest()}"


def forget() -> None:
    """Stop finding the reviews kept so far. For tests: their drafts may repeat another test's within a minute
    while they change what no key holds (a monkeypatched rule, the time budget)."""
    global _generation
    _generation += 1


def _value(value) -> str:
    # Instants as UTC (the same instant read back with another offset is the same input), anything else as text.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return repr(value)


def reviews(
    drafts: list[ScheduleDraft],
    *,
    index: scheduling.ConflictIndex,
    index_key: tuple,
    calendars: blackout_days.CalendarsRead,
    now: dt.datetime,
) -> dict[int, dict]:
    """Each draft's review by pk: kept ones where the key matches, the others made now (for the start of the
    minute) and kept. One cache round trip to read and one to write, whatever the page's size."""
    minute = now.replace(second=0, microsecond=0)
    holds = holds_key()
    keys = {
        d.pk: review_key(d, index_key=index_key, calendars=calendars, holds=holds, minute=minute) for d in drafts
    }
    kept = cache.get_many(list(keys.values()))
    result, fresh = {}, {}
    paused = None
    for draft in drafts:
        review = kept.get(keys[draft.pk])
        if review is None:
            if paused is None:  # read once for the page, and only when some review is made
                paused = pausing.paused_spans(index.start_utc, index.end_utc)
            review = draft_checks.review(draft, index=index, calendars=calendars, paused=paused, now=minute)
            if not _cut_short(review):
                fresh[keys[draft.pk]] = review
        result[draft.pk] = review
    if fresh:
        cache.set_many(fresh, TTL)
    return result


def _cut_short(review: dict) -> bool:
    return any(report is not None and report.cut_short for report in (review["current"], review["proposed"]))
