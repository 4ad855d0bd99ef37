"""The editor's what-if when blackout days or approved pauses are in play.

The shared conflict index expands each campaign from its schedule and knows nothing of calendars or pauses. When
neither the draft's campaign nor any campaign of its pool or contact list has an approved blackout day or an
approved pause in the index's horizon, its what-if is right and fast, and is used as it is. Otherwise the draft's
groups are swept again here, before and after the draft, from windows with the blackout days removed and the
paused stretches cut out (scheduling/blackout_conflicts.py, scheduling/held_windows.py). A pause holds its
campaign whatever schedule it runs, so the draft's own campaign's pauses hold the draft's windows too.
"""

from __future__ import annotations

from django.db.models import Q

from campaigns import scheduling
from campaigns.models import BlackoutCalendar, Campaign
from campaigns.scheduling.blackout_conflicts import grouped_conflicts, groups_of
from campaigns.scheduling.blackouts import without_blackouts
from campaigns.scheduling.conflicts import ExpansionCache, check_pools, conflict_sort_key
from campaigns.scheduling.held_windows import without_pauses
from campaigns.services.blackouts.days import days_by_campaign
from campaigns.services.control import pausing


def any_in_effect() -> bool:
    """Whether some approved calendar is attached to anything (one cheap query)."""
    approved = BlackoutCalendar.objects.filter(approved_revision__isnull=False)
    return approved.filter(Q(campaigns__isnull=False) | Q(pools__isnull=False)).exists()


def what_if(
    draft: scheduling.CampaignLoad,
    campaign: Campaign,
    index: scheduling.ConflictIndex,
    *,
    attached: bool | None = None,
    paused: pausing.PausedSpans | None = None,
) -> tuple[list[scheduling.Conflict], list[scheduling.Conflict]]:
    """The conflicts the draft adds and removes (its campaign's own blackout days and pauses apply to the draft
    too). `attached`: whether any calendar is in effect anywhere, and `paused`: the approved pauses over the
    index's horizon, when the caller read them for many drafts at once."""
    in_effect = any_in_effect() if attached is None else attached
    if paused is None:
        paused = pausing.paused_spans(index.start_utc, index.end_utc)
    if not in_effect and not paused:
        found = index.what_if(draft)
        return found.added, found.removed
    check_pools(index.pools, [draft])  # as the index's own what-if: an unknown pool is the caller's error
    old = next((c for c in index.campaigns if c.id == draft.id), None)
    keys = list(dict.fromkeys([*(groups_of(old) if old else []), *groups_of(draft)]))
    others = [c for c in index.campaigns if c.id != draft.id and set(groups_of(c)) & set(keys)]
    spans, spans_old = {}, {}
    if in_effect:
        rows = {
            cxone_id: (pk, cxone_id, skill)
            for pk, cxone_id, skill in Campaign.objects.filter(cxone_id__in=[c.id for c in others]).values_list(
                "pk", "cxone_id", "pool_id"
            )
        }
        members = [(*rows[c.id], c.timezone) for c in others if c.id in rows]
        members.append((campaign.pk, draft.id, campaign.pool_id, draft.timezone))
        spans = days_by_campaign(members, index.start_utc, index.end_utc)
        if old is not None and old.timezone != draft.timezone:
            spans_old = days_by_campaign(
                [(campaign.pk, old.id, campaign.pool_id, old.timezone)], index.start_utc, index.end_utc
            )
        else:
            spans_old = spans
    if not spans and not spans_old and not any(c.id in paused for c in [*others, draft]):
        found = index.what_if(draft)
        return found.added, found.removed
    expansion = ExpansionCache(index.start_utc, index.end_utc)

    def dialling(load: scheduling.CampaignLoad, days: dict) -> tuple[tuple[int, int], ...]:
        kept = without_blackouts(expansion.windows(load), days.get(load.id, []))
        return without_pauses(kept, paused.get(load.id, []))

    windows = {c.id: dialling(c, spans) for c in others}
    before_windows = dict(windows)
    if old is not None:
        before_windows[old.id] = dialling(old, spans_old)
    windows[draft.id] = dialling(draft, spans)
    before = grouped_conflicts(index.pools, [*others, *([old] if old else [])], before_windows, keys)
    after = grouped_conflicts(index.pools, [*others, draft], windows, keys)
    before_set, after_set = set(before), set(after)
    added = [c for c in after if c not in before_set]
    removed = [c for c in before if c not in after_set]
    return sorted(added, key=conflict_sort_key), sorted(removed, key=conflict_sort_key)
