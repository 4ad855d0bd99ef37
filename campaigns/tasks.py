"""django-q2 entry points: primitive arguments in, one idempotent step each, the outcome in the database.

The broker is only a doorbell (ARCHITECTURE.md): a task lost or run twice changes nothing that the next run
does not put right.
"""

from __future__ import annotations

import dataclasses


def sync_campaigns_task() -> dict:
    """Mirror CXone's campaigns (scheduled every few minutes by campaigns.schedules.ensure_schedules)."""
    from campaigns.services.sync import sync_campaigns

    return dataclasses.asdict(sync_campaigns())
