"""The read half of campaign sync: what CXone has, read on the CXone bridge loop, failures kept per campaign.

1. Page through the campaign list. If the first page cannot be read, nothing is known and the sync fails as a
   whole (it writes nothing). A later page that fails is noted and skipped: its campaigns are confirmed by id
   below or come back next time.
2. Mirrored campaigns the listing did not show are confirmed by id (`GET …/campaigns?id=…`, 100 a request):
   skip/top paging shifts when a campaign is deleted while we page, so "not listed" is not "gone". Only those
   CXone confirms absent are `gone`; those it returns are read like listed ones.
3. Each distinct DNC list and contact list once, a few at a time. A list CXone answers 404 for is gone (the
   campaign is written without it); a list that could not be read makes each campaign that uses it `failed`:
   not written (it keeps its previous mirror), named in the result, read again next sync.

No step throws away what the others read: every call's failure is caught and kept beside its campaign.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field

from campaigns.cxone import schemas
from campaigns.cxone.backend import MAX_PAGE_SIZE, CXoneBackend
from campaigns.cxone.errors import CXoneError, NotFound

# Enough calls in flight to keep the shared bucket busy while some of them back off after a 5xx; the bucket,
# not this number, decides how fast CXone is called.
FETCH_CONCURRENCY = 8


@dataclass
class RemoteSnapshot:
    campaigns: list[schemas.Campaign] = field(default_factory=list)  # read whole: to be written
    dnc_lists: dict[str, schemas.DncList | None] = field(default_factory=dict)  # None: CXone answered 404
    contact_lists: dict[str, schemas.ContactList | None] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # mirrored campaigns CXone confirmed absent, by id
    failed: dict[str, str] = field(default_factory=dict)  # campaign id → why it could not be read whole
    problems: list[str] = field(default_factory=list)  # pages of the list that could not be read


def describe(exc: CXoneError) -> str:
    return f"{type(exc).__name__}: {exc}"


async def fetch_snapshot(
    client: CXoneBackend,
    *,
    known: Iterable[str] = (),
    page_size: int = MAX_PAGE_SIZE,
    concurrency: int = FETCH_CONCURRENCY,
) -> RemoteSnapshot:
    """Everything sync writes. `known`: the ids of the campaigns mirrored and not yet marked missing.
    Raises the client's CXoneError only when not even the first page of the list could be read."""
    snapshot = RemoteSnapshot()
    gate = asyncio.Semaphore(concurrency)
    by_id = await _read_listing(client, page_size, snapshot)
    unseen = sorted(set(known) - set(by_id))
    if unseen:
        by_id.update(await _confirm_by_id(client, unseen, gate, snapshot))
    await _read_lists(client, list(by_id.values()), gate, snapshot)
    lost_lists = {
        **{("dnc", i): why for i, why in snapshot.dnc_lists.items() if isinstance(why, str)},
        **{("contacts", i): why for i, why in snapshot.contact_lists.items() if isinstance(why, str)},
    }
    for campaign in by_id.values():
        reasons = [
            f"{label} {list_id}: {lost_lists[(kind, list_id)]}"
            for kind, label, list_id in (
                ("dnc", "DNC list", campaign.dnc_list_id),
                ("contacts", "contact list", campaign.contact_list.id if campaign.contact_list else None),
            )
            if list_id and (kind, list_id) in lost_lists
        ]
        if reasons:
            snapshot.failed[campaign.id] = "; ".join(reasons)
        else:
            snapshot.campaigns.append(campaign)
    for kind, list_id in lost_lists:
        (snapshot.dnc_lists if kind == "dnc" else snapshot.contact_lists).pop(list_id)
    return snapshot


async def _read_listing(
    client: CXoneBackend, page_size: int, snapshot: RemoteSnapshot
) -> dict[str, schemas.Campaign]:
    by_id: dict[str, schemas.Campaign] = {}
    skip, total = 0, None
    while True:
        try:
            page = await client.list_campaigns(skip=skip, top=page_size)
        except CXoneError as exc:
            if total is None:
                raise  # not one page read: nothing is known, the sync fails as a whole
            snapshot.problems.append(f"campaigns {skip + 1}-{skip + page_size} of the list: {describe(exc)}")
            skip += page_size
            if skip >= total:
                return by_id
            continue
        for campaign in page.campaigns:
            by_id[campaign.id] = campaign  # seen on two pages (the list moved while paging): counts once
        total = page.total_records
        skip += len(page.campaigns)
        if not page.campaigns or "next" not in page.links or skip >= total:
            return by_id


async def _confirm_by_id(
    client: CXoneBackend, ids: list[str], gate: asyncio.Semaphore, snapshot: RemoteSnapshot
) -> dict[str, schemas.Campaign]:
    """The unseen campaigns CXone still has; the rest go to `gone`, or to `failed` if CXone could not say."""

    async def confirm(chunk: list[str]):
        async with gate:
            try:
                return chunk, (await client.list_campaigns(skip=0, top=len(chunk), ids=chunk)).campaigns
            except CXoneError as exc:
                return chunk, exc

    found: dict[str, schemas.Campaign] = {}
    chunks = [ids[i : i + MAX_PAGE_SIZE] for i in range(0, len(ids), MAX_PAGE_SIZE)]
    for chunk, outcome in await asyncio.gather(*(confirm(chunk) for chunk in chunks)):
        if isinstance(outcome, CXoneError):
            for campaign_id in chunk:
                snapshot.failed[campaign_id] = f"not listed, and not confirmed by id: {describe(outcome)}"
            continue
        returned = {campaign.id: campaign for campaign in outcome if campaign.id in chunk}
        found.update(returned)
        snapshot.gone.update(set(chunk) - set(returned))
    return found


async def _read_lists(
    client: CXoneBackend, campaigns: list[schemas.Campaign], gate: asyncio.Semaphore, snapshot: RemoteSnapshot
) -> None:
    """Fill snapshot.dnc_lists / contact_lists: the list, None (404), or the reason it could not be read."""
    dnc_ids = sorted({c.dnc_list_id for c in campaigns if c.dnc_list_id})
    list_ids = sorted({c.contact_list.id for c in campaigns if c.contact_list and c.contact_list.id})

    async def read(into: dict, getter, item_id: str) -> None:
        async with gate:
            try:
                into[item_id] = await getter(item_id)
            except NotFound:
                into[item_id] = None
            except CXoneError as exc:
                into[item_id] = describe(exc)

    await asyncio.gather(
        *(read(snapshot.dnc_lists, client.get_dnc_list, i) for i in dnc_ids),
        *(read(snapshot.contact_lists, client.get_contact_list, i) for i in list_ids),
    )
