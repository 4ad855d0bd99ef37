"""The stored findings of what a sync reads, computed while the fetch waits on CXone's rate limit.

A sync stores every changed campaign's findings (campaign_findings), a year or more of windows each: done after
the write, that work came on top of a fetch that spends most of its time waiting for its turn in the shared
rate limit. So while the fetch runs on the CXone bridge loop, this thread takes each campaign as soon as its
lists are read (fetch's `ready`), builds the mirror row it will become and computes its findings. apply_snapshot
then stores them with the row, when the row it writes is the one they were computed for (the same findings key);
whatever is not ready by then is left to campaign_findings.refresh_outdated, as before.

`run_fetch` also renews the sync's claim every RENEW_EVERY_SECONDS, however long the fetch takes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import queue
import time

from campaigns.cxone import schemas
from campaigns.cxone.factory import bridge_loop
from campaigns.models import Campaign
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts.checks import campaign_findings
from campaigns.services.sync import status as sync_status

__all__ = ["FindingsAhead", "mirror_rows", "run_fetch"]

log = logging.getLogger(__name__)
LOOK_SECONDS = 0.2  # how often the waiting thread looks whether the fetch has finished


def mirror_rows() -> dict[str, Campaign]:
    """Every mirrored campaign by CXone id, in one query, without the large fields a sync does not read."""
    return Campaign.objects.defer("raw_payload", "current_findings").in_bulk(field_name="cxone_id")


class FindingsAhead:
    """Findings computed for the campaigns a fetch reads, by CXone id, with the key of the row they fit."""

    def __init__(self, now: dt.datetime, mirror_fields, rows: dict[str, Campaign]):
        """`rows`: the mirror as it is (what sync does not own, such as agents_required, counts too): mirror_rows()."""
        self.now = now
        self._mirror_fields = mirror_fields
        self._ready: queue.SimpleQueue = queue.SimpleQueue()
        self._existing = rows
        self._found: dict[str, tuple[str, dict]] = {}
        # The blackout calendars of every mirrored campaign, read once (a new campaign has none attached yet).
        self._calendars = blackout_days.read_calendars((c.pk, c.cxone_id, c.pool_id) for c in rows.values())

    def ready(self, remote: schemas.Campaign, dnc, contacts) -> None:
        """fetch's `ready`, on the bridge loop: only queued here, computed on the sync's thread."""
        self._ready.put((remote, dnc, contacts))

    def compute_next(self, timeout: float) -> bool:
        """Compute the findings of the next campaign read, waiting up to `timeout` for one; False if none came."""
        try:
            remote, dnc, contacts = self._ready.get(timeout=timeout)
        except queue.Empty:
            return False
        row = self._existing.get(remote.id) or Campaign(cxone_id=remote.id)
        for name, value in self._mirror_fields(remote, {}, dnc, contacts).items():
            if name != "pool":  # the findings stored here never look at the pool (no conflicts)
                setattr(row, name, value)
        try:
            findings = campaign_findings.compute(
                row, now=self.now, blackout_rules=self._calendars.of(remote.id)
            )
        except Exception:  # refresh_outdated computes it again, and says what went wrong
            log.exception("Could not check campaign %s ahead of writing it", remote.id)
            return True
        self._found[remote.id] = (campaign_findings.findings_key(row), findings)
        return True

    def attach(self, campaign: Campaign) -> bool:
        """Give the row about to be written the findings computed for it, if they fit it; True if they did."""
        found = self._found.get(campaign.cxone_id)
        if found is None or found[0] != campaign_findings.findings_key(campaign):
            return False
        campaign.findings_key, campaign.current_findings = found
        campaign.findings_level = found[1]["level"]
        campaign.findings_computed_at = self.now
        return True


def run_fetch(fetch, ahead: FindingsAhead | None = None):
    """Run the fetch on the CXone bridge loop and return what it read; meanwhile compute findings ahead and renew
    the sync's claim, so that no second sync starts beside a long one (a large tenant at a low rate limit)."""
    future = asyncio.run_coroutine_threadsafe(fetch, bridge_loop())
    renew_at = time.monotonic() + sync_status.RENEW_EVERY_SECONDS
    try:
        while True:
            computed = ahead.compute_next(LOOK_SECONDS) if ahead is not None else False
            if time.monotonic() >= renew_at:
                sync_status.renew()
                renew_at = time.monotonic() + sync_status.RENEW_EVERY_SECONDS
            if future.done() and (not computed or future.exception() is not None):
                return future.result()
            if ahead is None:
                time.sleep(LOOK_SECONDS)
    except BaseException:
        future.cancel()
        raise
