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

Between full reads, where the backend can say what changed (capabilities.delta_sync), `fetch_changes` reads only
that: the campaigns changed since the last read's poll marker (CXone's lastPollTime), the campaigns the last sync
could not read (by id), and only the DNC and contact lists whose reference changed; a campaign's unchanged lists
are the mirror's (MirroredLists). Nothing is `gone` but what CXone says is no campaign any more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
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
    # CXone's lastPollTime of this read (None when the backend gives none): the next delta starts there.
    poll_marker: str | None = None
    full: bool = True  # the whole list was read (else: what changed since the last poll marker)


@dataclass(frozen=True)
class MirroredLists:
    """What the mirror has of one campaign's lists, for a delta read to keep when their reference is unchanged."""

    dnc: schemas.DncList | None
    contacts: schemas.ContactList | None


# Told a campaign read whole, with its DNC list and contact list (None where CXone has none).
Ready = Callable[[schemas.Campaign, schemas.DncList | None, schemas.ContactList | None], None]


def describe(exc: CXoneError) -> str:
    return f"{type(exc).__name__}: {exc}"


async def fetch_snapshot(
    client: CXoneBackend,
    *,
    known: Iterable[str] = (),
    page_size: int = MAX_PAGE_SIZE,
    concurrency: int = FETCH_CONCURRENCY,
    ready: Ready | None = None,
) -> RemoteSnapshot:
    """Everything sync writes. `known`: the ids of the campaigns mirrored and not yet marked missing; `ready`:
    told each campaign, with its DNC and contact list, as soon as it is read whole (on the fetch's loop).
    Raises the client's CXoneError only when not even the first page of the list could be read."""
    snapshot = RemoteSnapshot()
    gate = asyncio.Semaphore(concurrency)
    by_id = await _read_listing(client, page_size, snapshot)
    unseen = sorted(set(known) - set(by_id))
    if unseen:
        by_id.update(await _confirm_by_id(client, unseen, gate, snapshot))
    campaigns = list(by_id.values())
    await _read_lists(
        client, _dnc_ids(campaigns), _contact_ids(campaigns), gate, snapshot, campaigns=campaigns, ready=ready
    )
    _keep_whole(by_id, snapshot)
    return snapshot


async def fetch_changes(
    client: CXoneBackend,
    since: str,
    *,
    mirrored: Mapping[str, MirroredLists],
    unread_before: Iterable[str] = (),
    concurrency: int = FETCH_CONCURRENCY,
    ready: Ready | None = None,
) -> RemoteSnapshot:
    """What changed since the poll marker `since`. `mirrored`: the mirror's lists of each campaign it has;
    `unread_before`: the campaigns the last sync could not read whole, read again by id. Raises the client's
    CXoneError when CXone cannot say what changed (then nothing is written, as for a list not read)."""
    snapshot = RemoteSnapshot(full=False)
    gate = asyncio.Semaphore(concurrency)
    dnc_lists = {i: m.dnc.id for i, m in mirrored.items() if m.dnc is not None}
    changes = await client.changed_campaigns(since, dnc_lists=dnc_lists, known=set(mirrored))
    snapshot.poll_marker = changes.last_poll_time
    by_id = {c.id: c for c in changes.campaigns}
    snapshot.gone.update(i for i in changes.gone if i in mirrored)
    again = sorted(set(unread_before) - set(by_id) - snapshot.gone)
    if again:
        by_id.update(await _confirm_by_id(client, again, gate, snapshot))
    fresh = [c for c in by_id.values() if c.id in again or c.id not in mirrored]
    dnc_ids, contact_ids = set(_dnc_ids(fresh)), set(_contact_ids(fresh))
    for campaign in by_id.values():
        kept = mirrored.get(campaign.id)
        if campaign.dnc_list_id and not (kept and kept.dnc and kept.dnc.id == campaign.dnc_list_id):
            dnc_ids.add(campaign.dnc_list_id)
        ref = campaign.contact_list.id if campaign.contact_list else None
        if ref and not (kept and kept.contacts and kept.contacts.id == ref):
            contact_ids.add(ref)
    for campaign in by_id.values():  # an unchanged reference keeps the mirror's list, unless read afresh
        kept = mirrored.get(campaign.id)
        if kept and kept.dnc and campaign.dnc_list_id == kept.dnc.id and kept.dnc.id not in dnc_ids:
            snapshot.dnc_lists[kept.dnc.id] = kept.dnc
        ref = campaign.contact_list.id if campaign.contact_list else None
        if kept and kept.contacts and ref == kept.contacts.id and ref not in contact_ids:
            snapshot.contact_lists[ref] = kept.contacts
    await _read_lists(
        client, sorted(dnc_ids), sorted(contact_ids), gate, snapshot, campaigns=by_id.values(), ready=ready
    )
    _keep_whole(by_id, snapshot)
    return snapshot


def _dnc_ids(campaigns: list[schemas.Campaign]) -> list[str]:
    return sorted({c.dnc_list_id for c in campaigns if c.dnc_list_id})


def _contact_ids(campaigns: list[schemas.Campaign]) -> list[str]:
    return sorted({c.contact_list.id for c in campaigns if c.contact_list and c.contact_list.id})


def _keep_whole(by_id: dict[str, schemas.Campaign], snapshot: RemoteSnapshot) -> None:
    """Campaigns whose lists were read (or kept) go to be written; the others to `failed`, with why."""
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
        if total is None:  # the first page: what changes from here on shows in the next delta
            snapshot.poll_marker = page.last_poll_time
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
    client: CXoneBackend,
    dnc_ids: list[str],
    list_ids: list[str],
    gate: asyncio.Semaphore,
    snapshot: RemoteSnapshot,
    *,
    campaigns: Iterable[schemas.Campaign] = (),
    ready: Ready | None = None,
) -> None:
    """Fill snapshot.dnc_lists / contact_lists: the list, None (404), or the reason it could not be read. `ready`
    is told each of `campaigns` as soon as its lists are in (read or kept), with them."""
    waiting: dict[tuple[str, str], list[schemas.Campaign]] = {}
    left: dict[str, int] = {}

    def refs(campaign: schemas.Campaign) -> list[tuple[str, str]]:
        contacts = campaign.contact_list.id if campaign.contact_list else ""
        return [("dnc", campaign.dnc_list_id or ""), ("contacts", contacts)]

    def announce(campaign: schemas.Campaign) -> None:
        dnc = snapshot.dnc_lists.get(campaign.dnc_list_id or "")
        contacts = snapshot.contact_lists.get(campaign.contact_list.id if campaign.contact_list else "")
        if ready is not None and not isinstance(dnc, str) and not isinstance(contacts, str):
            ready(campaign, dnc, contacts)

    if ready is not None:
        to_read = {("dnc", i) for i in dnc_ids} | {("contacts", i) for i in list_ids}
        for campaign in campaigns:
            keys = [key for key in refs(campaign) if key in to_read]
            left[campaign.id] = len(keys)
            for key in keys:
                waiting.setdefault(key, []).append(campaign)
            if not keys:
                announce(campaign)

    async def read(into: dict, kind: str, getter, item_id: str) -> None:
        async with gate:
            try:
                into[item_id] = await getter(item_id)
            except NotFound:
                into[item_id] = None
            except CXoneError as exc:
                into[item_id] = describe(exc)
        for campaign in waiting.get((kind, item_id), ()):
            left[campaign.id] -= 1
            if left[campaign.id] == 0:
                announce(campaign)

    await asyncio.gather(
        *(read(snapshot.dnc_lists, "dnc", client.get_dnc_list, i) for i in dnc_ids),
        *(read(snapshot.contact_lists, "contacts", client.get_contact_list, i) for i in list_ids),
    )
