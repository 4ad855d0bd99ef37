"""Which read a sync makes: CXone's whole list, or only what changed since the last read.

A backend that can say what changed (capabilities.delta_sync: the Admin API's GET /skills?updatedSince) is read
whole at the first sync, after a sync that could not read the whole list, and every CXONE_FULL_SYNC_SECONDS;
between those, from the poll marker (CXone's lastPollTime) the last sync left in the sync status. A delta keeps
each campaign's DNC and contact lists from the mirror while its reference to them is unchanged (mirrored_lists):
a DNC group's scrubbing and a list's records change without the campaign changing, and the next full read
finds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from campaigns.cxone import schemas
from campaigns.cxone.backend import CXoneBackend
from campaigns.models import Campaign, SyncStatus
from campaigns.services.sync.fetch import MirroredLists

__all__ = ["delta_since", "mirrored_lists"]


def delta_since(client: CXoneBackend, status: SyncStatus, *, now: dt.datetime, full: bool | None) -> str | None:
    """The poll marker to read changes from, or None for a full read. `full`: True always reads whole; False
    reads a delta whenever there is a marker to read from; None decides by CXONE_FULL_SYNC_SECONDS."""
    if full or not client.capabilities.delta_sync or not status.poll_marker or status.last_full_sync_at is None:
        return None
    age = (now - status.last_full_sync_at).total_seconds()
    if full is None and age >= settings.CXONE_FULL_SYNC_SECONDS:
        return None
    return status.poll_marker


def mirrored_lists(rows: Iterable[Campaign]) -> dict[str, MirroredLists]:
    """The DNC and contact list of each of the mirror's `rows` not marked missing, as sync wrote them."""
    found: dict[str, MirroredLists] = {}
    for row in rows:
        if row.missing_since is not None:
            continue
        dnc = None
        if row.dnc_list_id and row.dnc_list_state:
            dnc = schemas.DncList(id=row.dnc_list_id, name=row.dnc_list_name, state=row.dnc_list_state)
        contacts = None
        if row.contact_list_id:
            contacts = schemas.ContactList(
                id=row.contact_list_id,
                name=row.contact_list_name,
                size=row.contact_list_size,
                breakdown=row.contact_list_breakdown or [],
            )
        found[row.cxone_id] = MirroredLists(dnc=dnc, contacts=contacts)
    return found
