"""Which read a sync makes: CXone's whole list, or only what changed since the last read.

A backend that can say what changed (capabilities.delta_sync: the Admin API's GET /skills?updatedSince) is read
whole at the first sync, after a sync that could not read the whole list, and every CXONE_FULL_SYNC_SECONDS;
between those, from the poll marker (CXone's lastPollTime) the last sync left in the sync status. A delta keeps
each campaign's DNC and contact lists from the mirror while its reference to them is unchanged (mirrored_lists):
a DNC group's scrubbing and a list's records change without the campaign changing, and the next full read
finds them."""

from __future__ import annotations

import datetime as dt

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


def mirrored_lists() -> dict[str, MirroredLists]:
    """The DNC and contact list of each campaign the mirror has (and has not marked missing), as sync wrote them."""
    found: dict[str, MirroredLists] = {}
    rows = Campaign.objects.filter(missing_since__isnull=True).values_list(
        "cxone_id", "dnc_list_id", "dnc_list_name", "dnc_list_state", "contact_list_id", "contact_list_name",
        "contact_list_size", "contact_list_breakdown",
    )  # fmt: skip
    for cxone_id, dnc_id, dnc_name, dnc_state, list_id, list_name, size, breakdown in rows:
        dnc = schemas.DncList(id=dnc_id, name=dnc_name, state=dnc_state) if dnc_id and dnc_state else None
        contacts = (
            schemas.ContactList(id=list_id, name=list_name, size=size, breakdown=breakdown or [])
            if list_id
            else None
        )
        found[cxone_id] = MirroredLists(dnc=dnc, contacts=contacts)
    return found
