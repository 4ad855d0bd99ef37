"""The one interface everything above campaigns/cxone/ speaks to CXone through, whichever API the tenant has.

Two implementations, siblings over one shared transport (transport.py), chosen by CXONE_API (configured.py):
- `outbound-v2` (v2.CXoneClient): the contract of shared/design/cxone-api.md, which the embedded sandbox
  serves by default: campaigns with cron schedules, versions, DRAFT → ACTIVE.
- `admin` (admin_client.AdminClient): a real tenant's ACD Admin API (shared/design/cxone-admin-api.md), where
  Personal Connection skills dial. Each such skill is answered as a Campaign in our schemas, so that sync,
  activation, DNC readiness and contact zones do not know which API is in use.

Both take every request from the shared rate limit and raise the typed errors of errors.py. What differs
between them that the layers above must know is one value, `capabilities`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Protocol, runtime_checkable

from campaigns.cxone.capabilities import Capabilities
from campaigns.cxone.schemas import Campaign, CampaignChanges, CampaignPage, ContactList, DncList, Schedule

__all__ = ["CXoneBackend", "MAX_PAGE_SIZE"]

# The most items one list request may ask for, under both APIs (`top` ≤ 100).
MAX_PAGE_SIZE = 100


@runtime_checkable
class CXoneBackend(Protocol):
    """What sync (list, confirm by id, DNC and contact lists), activation (read, write, poll) and the checks
    (DNC readiness, the zones contacts are in) need from CXone, and what factory.get_client needs to keep one
    client per event loop (is_closed, aclose)."""

    capabilities: Capabilities
    is_closed: bool

    async def list_campaigns(
        self, *, skip: int = 0, top: int = 50, ids: Iterable[str] | None = None
    ) -> CampaignPage:
        """One page of campaigns; `ids` filters to those campaigns (absent ids are simply not returned)."""

    async def changed_campaigns(
        self, since: str, *, dnc_lists: Mapping[str, str] | None = None, known: Collection[str] | None = None
    ) -> CampaignChanges:
        """Only where capabilities.delta_sync: the campaigns changed since `since` (a page's or an earlier
        change set's last_poll_time), read whole, and the ids that are no campaigns any more. What a change of a
        campaign's own record does not show (a DNC group's scrubbing, a list's records) is the next full
        listing's to find; `dnc_lists` is the DNC list the mirror has for each campaign, kept meanwhile, and
        `known` the campaigns the mirror holds: one outside them (new, or back after it was gone) has nothing
        kept, so its DNC list is read whole."""

    async def get_campaigns(self, ids: Iterable[str], *, urgent: bool = False) -> list[Campaign]:
        """The campaigns with these ids, read in as few requests as the API allows (activation's poller);
        `urgent` reads overtake queued requests in the shared rate limit."""

    async def get_campaign(self, campaign_id: str) -> Campaign:
        """One campaign, read now (NotFound when CXone has none)."""

    async def put_campaign_once(
        self, campaign: Campaign, *, base_version: int, partly: frozenset[int] = frozenset()
    ) -> Campaign:
        """Write the campaign's schedule if CXone still has `base_version` (else VersionConflict) and set its
        activation going; poll get_campaigns() until ACTIVE, ERROR or FAILED. For the activation worker, which
        must never apply one approval twice: repeated only where the repeat is harmless. A TransportError,
        ServerError or UnexpectedResponse means the outcome is unknown: read the campaign (its version against
        next_version) before writing again. `partly`: versions this write interrupted half way would have left
        (partial_versions), taken as the base too: the rest is written."""

    def next_version(self, schedule: Schedule, *, base_version: int) -> int:
        """The version CXone will report once `schedule` is written over `base_version`: base + 1 under v2, the
        fingerprint of the written schedule under the Admin API (which has no versions). Activation compares
        what it reads with this, never with base + 1 itself."""

    def partial_versions(self, schedule: Schedule, base: Schedule) -> frozenset[int]:
        """The versions a write of `schedule` over `base` leaves when it is cut off half way: none under v2 (one
        PUT), under the Admin API the fingerprints of the new week with the old retry settings and of the old
        week with the new ones (two writes). Neither is "someone changed it in CXone"."""

    async def stop_dialling(self, campaign_id: str) -> None:
        """Ask CXone to stop dialling the campaign (v2: pause it; Admin API: stop its skill). Repeatable: one
        already stopped stays so. It takes a moment: a read (get_campaigns, state PAUSED) confirms it.
        InvalidState (v2, 409): its state allows no pause; NotFound: no such campaign; a ServerError or
        TransportError leaves the outcome unknown: read before asking again."""

    async def start_dialling(self, campaign_id: str) -> None:
        """Ask CXone to dial the campaign again (v2: resume; Admin API: start its skill); the read shows ACTIVE
        once it does. As stop_dialling otherwise."""

    async def dialling_states(self, ids: Iterable[str]) -> dict[str, str]:
        """id → state (ACTIVE dials; PAUSED, ERROR, FAILED do not; DRAFT activates) of these campaigns, in as
        few requests as the API allows (dialling control's confirmer); absent ids are left out."""

    async def get_dnc_list(self, dnc_list_id: str) -> DncList:
        """The DNC list (v2) or DNC group (Admin) a campaign scrubs against, for DNC readiness."""

    async def get_contact_list(self, contact_list_id: str) -> ContactList:
        """Where a campaign's contacts are (zones), for the calling-hours checks."""

    async def aclose(self) -> None: ...
