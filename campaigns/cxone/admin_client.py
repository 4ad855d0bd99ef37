"""The `admin` backend: a real tenant's ACD Admin API (shared/design/cxone-admin-api.md), answering our schemas.

Its token, discovery and error shapes are admin_auth.py's; the API's operations admin_operations.py's, in the
shapes of campaigns/cxone/contract/admin-api.json; connection, token keeping, pacing and retries the shared
Transport's (transport.py), as for v2. A 429 usually has no Retry-After: the transport backs off on its own and
holds the shared bucket. This module answers the backend interface:

- A listing reads the skill list, every skill's parameters at once (GET /skills/parameters) and which DNC group
  scrubs which skill, once, at its first page; its later pages are cut from that read. Its lastPollTime is the
  page's last_poll_time, which changed_campaigns takes back: what changed since costs one request when nothing
  did, and one more for the parameters when something did.
- No versions: admin_mapping.skill_version fingerprints what a push writes (the week and the retry policy);
  put_campaign_once reads it just before writing and refuses (VersionConflict) when it differs from the draft's.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from campaigns.cxone import admin_lists, admin_settings, ratelimit
from campaigns.cxone import admin_mapping as mapping
from campaigns.cxone import capabilities as caps
from campaigns.cxone.admin_auth import AccessKeyGrant
from campaigns.cxone.admin_operations import CONCURRENT_READS, AdminOperations
from campaigns.cxone.errors import NotFound, UnexpectedResponse, ValidationFailed, VersionConflict
from campaigns.cxone.schemas import Campaign, CampaignChanges, CampaignPage, ContactList, DncList, Schedule
from campaigns.scheduling.cxone_zones import UnknownCXoneZone
from campaigns.scheduling.weekly import WeeklySchedule, fit_weekly

__all__ = ["AdminClient"]

# Up to this many changed skills are read one by one (their combined reads); more, all at once.
SINGLE_READS_UP_TO = 1
# Dialling control reads this many skills or fewer one by one; more, from the paged list of every skill.
FEW_SKILLS = 5


class AdminClient(AdminOperations):
    """Async client of a real tenant's Admin API; the `admin` implementation of backend.CXoneBackend.

    `require_all_days`: the tenant refuses a week with a day off (CXONE_ADMIN_REQUIRE_ALL_DAYS); such a week is
    refused here before anything is written. `options` are the Transport's: timeout, retry, circuit,
    rate_limit, refresh_margin, transport (httpx's), max_connections, sleep, clock."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        access_key_id: str,
        access_key_secret: str,
        *,
        tenant_id: str | None = None,
        api_version: str = "v31.0",
        time_format: str = "%H:%M",
        schedule_zone: str = "",
        schedule_read: str = "parameters",
        require_all_days: bool = True,
        **options: Any,
    ):
        grant = AccessKeyGrant(
            client_id, client_secret, access_key_id, access_key_secret, tenant_id=tenant_id
        )
        super().__init__(
            base_url,
            grant,
            api_version=api_version,
            schedule_zone=schedule_zone,
            schedule_read=schedule_read,
            **options,
        )
        self.time_format = time_format
        self.capabilities = dataclasses.replace(
            caps.ADMIN, requires_all_days=require_all_days, holds_partial_weeks=require_all_days
        )
        self._listing: tuple[list[Campaign], str | None] | None = None

    def __repr__(self) -> str:
        base, api = self.transport.base_url, self._discovery.api_base
        return f"<AdminClient {base} tenant={self.tenant_id!r} api={api!r}>"

    # --- Reading ---------------------------------------------------------------------------------------------

    async def list_campaigns(
        self, *, skip: int = 0, top: int = 50, ids: Iterable[str] | None = None
    ) -> CampaignPage:
        """The Personal Connection skills as campaigns, `top` from `skip`. The first page (skip 0) reads the
        tenant afresh; later pages are cut from that read, so skip/top count campaigns and paging never shifts."""
        wanted = list(dict.fromkeys(ids or ()))
        if wanted:
            found = await self.get_campaigns(wanted)
            return CampaignPage(totalRecords=len(found), campaigns=found, _links={})
        if skip == 0 or self._listing is None:
            self.forget_shared_reads()
            self._listing = await self._read_listing()
        every, poll_time = self._listing
        links = {"self": f"skills?skip={skip}&top={top}"}
        if skip + top < len(every):
            links["next"] = f"skills?skip={skip + top}&top={top}"
        return CampaignPage(
            totalRecords=len(every), campaigns=every[skip : skip + top], _links=links, lastPollTime=poll_time
        )

    async def changed_campaigns(
        self, since: str, *, dnc_lists: Mapping[str, str] | None = None, known: Collection[str] | None = None
    ) -> CampaignChanges:
        """The skills changed since `since` (a listing's lastPollTime): GET /skills?updatedSince, then their
        parameters. Which DNC group scrubs a skill is answered from the groups' side, one request per group, so
        a delta keeps what the last full listing found: `dnc_lists`, the DNC list the mirror has for each."""
        skills, poll_time = await self.skill_pages(since=since)
        if poll_time is None:
            raise UnexpectedResponse("GET /skills?updatedSince: no lastPollTime in the answer")
        changed = [s for s in skills if mapping.is_personal_connection(s)]
        gone = [mapping.skill_id_of(s) for s in skills if not mapping.is_personal_connection(s)]
        dnc_by_skill = dict(dnc_lists or {})
        # A skill the mirror does not hold (new, or a Personal Connection skill again) has no DNC group kept:
        # ask the groups' side, or it would be mirrored unscrubbed until the next full listing.
        if known is not None and any(mapping.skill_id_of(s) not in known for s in changed):
            scrubbing = await self.dnc_group_by_skill()
            fresh = {mapping.skill_id_of(s) for s in changed} - set(known)
            dnc_by_skill.update({skill: group for skill, group in scrubbing.items() if skill in fresh})
        campaigns = await self._campaigns_of(changed, dnc_by_skill=dnc_by_skill)
        return CampaignChanges(campaigns=campaigns, gone=gone, lastPollTime=poll_time)

    async def get_campaigns(self, ids: Iterable[str], *, urgent: bool = False) -> list[Campaign]:
        """The skills with these ids (the Admin API reads one skill a request; a few run at once). `urgent`
        reads overtake queued requests in the shared rate limit (the activation poller's)."""
        gate = asyncio.Semaphore(CONCURRENT_READS)

        async def one(skill_id: str) -> Campaign | None:
            async with gate:
                try:
                    return await self.get_campaign(skill_id)
                except NotFound:
                    return None

        with ratelimit.urgent(urgent):  # the gathered tasks copy the context
            found = await asyncio.gather(*(one(i) for i in dict.fromkeys(ids)))
        return [c for c in found if c is not None]

    async def get_campaign(self, campaign_id: str) -> Campaign:
        skill = await self.get_skill(campaign_id)
        if not mapping.is_personal_connection(skill):
            raise NotFound(f"skill {campaign_id} is not a Personal Connection skill")
        params = await self.skill_parameters(campaign_id)
        scrubbing = await self.dnc_group_by_skill()
        return mapping.skill_to_campaign(
            skill, params, zone=await self.schedule_zone_name(), dnc_group_id=scrubbing.get(campaign_id)
        )

    async def dialling_states(self, ids: Iterable[str]) -> dict[str, str]:
        """From the skills' own isRunning: one GET /skills/{id} each for a few, the paged list for many (a hundred
        skills a request), never their parameters."""
        wanted = list(dict.fromkeys(ids))
        with ratelimit.urgent(True):
            if len(wanted) > FEW_SKILLS:
                skills = {mapping.skill_id_of(s): s for s in (await self.skill_pages())[0]}
            else:
                found = await asyncio.gather(*(self._skill_or_none(i) for i in wanted))
                skills = {i: s for i, s in zip(wanted, found, strict=True) if s is not None}
        return {i: mapping.skill_state(skills[i]) for i in wanted if i in skills}

    async def _skill_or_none(self, skill_id: str) -> dict | None:
        try:
            return await self.get_skill(skill_id)
        except NotFound:
            return None

    async def stop_dialling(self, campaign_id: str) -> None:
        """Stop the skill (a skill not running is left so: its 404 is resolved by a read). Sent once: a 5xx or a
        lost answer is the sender's to resolve by a read and ask again later, without holding its worker."""
        await self.stop_skill(campaign_id, once=True)

    async def start_dialling(self, campaign_id: str) -> None:
        """Start the skill (one already starting or running is left so: its 409 is resolved by a read). Sent once,
        as stop_dialling."""
        await self.start_skill(campaign_id, once=True)

    async def get_dnc_list(self, dnc_list_id: str) -> DncList:
        return admin_lists.dnc_group_to_list(await self.dnc_group(dnc_list_id))

    async def get_contact_list(self, contact_list_id: str) -> ContactList:
        """Where a skill's contacts are: its calling lists' records counted by state and zone; a skill without
        a calling list has its zones (time-zones settings, else the business unit's) and no contacts."""
        if contact_list_id.startswith(admin_lists.ZONES_LIST_PREFIX):
            return await self._zones_contact_list(contact_list_id.removeprefix(admin_lists.ZONES_LIST_PREFIX))
        list_ids = admin_lists.list_ids_of(contact_list_id)
        counted = await asyncio.gather(*(self.calling_list_counts(i) for i in list_ids))
        return admin_lists.merge_lists(contact_list_id, list(counted))

    async def _zones_contact_list(self, skill_id: str) -> ContactList:
        rows = mapping.zone_rows_of(await self.skill_parameters(skill_id))
        names = [admin_settings.zone_name(r) for r in rows if r.get("timeZoneActiveToCall", True)]
        if not any(names):
            names = list((await self.business_unit()).get("timeZones") or [])
        try:
            return admin_lists.zones_to_contact_list(skill_id, [n for n in names if n])
        except UnknownCXoneZone as exc:
            raise UnexpectedResponse(f"skill {skill_id}: {exc}") from exc

    # --- Writing -------------------------------------------------------------------------------------------

    async def put_campaign_once(
        self, campaign: Campaign, *, base_version: int, partly: frozenset[int] = frozenset()
    ) -> Campaign:
        """Write the campaign's schedule and retry policy to its skill and start it. Refused before anything is
        written when the skill cannot hold them (week, zone, retry fields), or when the skill's schedule and
        retry settings read just now are not the ones the draft was based on (VersionConflict). The schedule
        goes first (the write a tenant is likeliest to refuse), then retry-settings and the fields
        general-settings shares with them; a group that already holds the draft's values is not written. The
        writes are full replaces of the same values and a start of a running skill changes nothing, so a repeat
        is harmless and the activation worker's "never apply one approval twice" holds."""
        week, retry = self._to_write(campaign.schedule)
        zone = await self.schedule_zone_name()
        if campaign.schedule.timezone != zone:
            message = f"a skill's times are in {zone}, not {campaign.schedule.timezone}"
            raise ValidationFailed(message, details=[{"field": "schedule.timezone", "message": message}])
        skill_id = campaign.id
        current = await self.skill_parameters(skill_id)
        try:
            held_week = admin_settings.week_of(current.get("scheduleSettings") or {})
        except ValueError as exc:
            raise UnexpectedResponse(f"skill {skill_id} schedule settings: {exc}") from exc
        held_retry = admin_settings.retry_settings_of(current.get("retrySettings"))
        held = mapping.skill_version(held_week, admin_settings.held_retry_fields(held_retry))
        if held != base_version and held not in partly:  # `partly`: our own write, cut off half way
            raise VersionConflict(
                f"skill {skill_id}: its schedule or retry settings changed in CXone since the draft was made",
                current_version=held,
                status_code=409,
                code="schedule.changed",
            )
        if held_week != week:
            await self.put_schedule_settings(skill_id, week.to_settings(self.time_format))
        if admin_settings.held_retry_fields(held_retry) != tuple(retry.values()):
            await self.put_retry_settings(skill_id, {**held_retry, **retry})
            general = current.get("generalSettings")
            if isinstance(general, dict):  # shares two fields; CXone keeps them equal, we write both anyway
                shared = {k: retry[k] for k in ("maximumAttempts", "minimumRetryMinutes")}
                await self.put_general_settings(skill_id, {**general, **shared})
        await self.start_skill(skill_id)
        written = await self.get_campaign(skill_id)
        # Written; running is seen by the next polls (a start is accepted, 202, and takes a moment).
        return written.model_copy(update={"state": "DRAFT" if written.state != "ACTIVE" else "ACTIVE"})

    def next_version(self, schedule: Schedule, *, base_version: int) -> int:
        """The fingerprint the skill will have once `schedule` (and its retry policy) is written
        (ValidationFailed when a skill cannot hold them)."""
        week, retry = self._to_write(schedule)
        return mapping.skill_version(week, tuple(retry.values()))

    def partial_versions(self, schedule: Schedule, base: Schedule) -> frozenset[int]:
        """The fingerprints the skill has when a write of `schedule` over `base` stopped between its week and its
        retry settings: the new week with the old retry settings, the old week with the new ones."""
        try:
            week, retry = self._to_write(schedule)
            base_week, base_retry = self._to_write(base)
        except ValidationFailed:
            return frozenset()
        halves = {
            mapping.skill_version(week, tuple(base_retry.values())),
            mapping.skill_version(base_week, tuple(retry.values())),
        }
        return frozenset(halves - {mapping.skill_version(week, tuple(retry.values())),
                                   mapping.skill_version(base_week, tuple(base_retry.values()))})  # fmt: skip

    def _to_write(self, schedule: Schedule | None) -> tuple[WeeklySchedule, dict[str, int]]:
        """The week and the retry-settings fields a schedule writes, or ValidationFailed saying why a skill of
        this tenant cannot hold it."""
        if schedule is None:
            raise ValidationFailed("a campaign without a schedule cannot be written", details=[])
        caps = self.capabilities
        fit = fit_weekly(
            schedule.cron_expression,
            schedule.duration_minutes,
            all_days=caps.requires_all_days and not caps.holds_partial_weeks,
        )
        if not fit.fits:
            raise ValidationFailed(
                fit.message(), details=[{"field": "schedule.cronExpression", "message": fit.message()}]
            )
        if schedule.retry_policy is None:
            raise ValidationFailed("a schedule without a retry policy cannot be written", details=[])
        week = fit.schedule
        if caps.requires_all_days and week.has_days_off:
            # The tenant refuses days off: the active days' hours go on every day, and the product holds the days
            # off itself (services/control/planning.py stops the skill before each, starts it after).
            week = week.every_day()
        return week, admin_settings.retry_fields_of(schedule.retry_policy)

    # --- Reading skills as campaigns ------------------------------------------------------------------------

    async def _read_listing(self) -> tuple[list[Campaign], str | None]:
        skills, poll_time = await self.skill_pages()
        ours = [s for s in skills if mapping.is_personal_connection(s)]
        return await self._campaigns_of(ours, dnc_by_skill=await self.dnc_group_by_skill()), poll_time

    async def _campaigns_of(self, skills: list[dict], *, dnc_by_skill: dict[str, str]) -> list[Campaign]:
        """The skills as campaigns: their parameters read all at once (one by one when only a few, or when the
        tenant has no GET /skills/parameters)."""
        if not skills:
            return []
        zone = await self.schedule_zone_name()
        params: dict[str, dict] = {}
        if len(skills) > SINGLE_READS_UP_TO:
            try:
                params = await self.every_skills_parameters()
            except NotFound:
                params = {}
        gate = asyncio.Semaphore(CONCURRENT_READS)

        async def one(skill: dict) -> Campaign:
            skill_id = mapping.skill_id_of(skill)
            found = params.get(skill_id)
            if found is None:  # not in the bulk answer (or none was read): its own combined read
                async with gate:
                    found = await self.skill_parameters(skill_id)
            return mapping.skill_to_campaign(skill, found, zone=zone, dnc_group_id=dnc_by_skill.get(skill_id))

        return list(await asyncio.gather(*(one(s) for s in skills)))
