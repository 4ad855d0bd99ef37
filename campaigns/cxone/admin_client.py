"""The `admin` backend: a real tenant's ACD Admin API (shared/design/cxone-admin-api.md), answering our schemas.

Its token, discovery and error shapes are admin_auth.py's; connection, token keeping, pacing and retries are the
shared Transport's (transport.py), as for v2. A 429 usually has no Retry-After: the transport backs off on its own
and holds the shared bucket. This module is the API's operations.

- No versions: admin_mapping.schedule_version fingerprints the skill's schedule; put_campaign_once reads it just
  before writing and refuses (VersionConflict) when it differs from the draft's base.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from campaigns.cxone import admin_mapping as mapping
from campaigns.cxone import capabilities as caps
from campaigns.cxone import ratelimit
from campaigns.cxone.admin_auth import AccessKeyGrant, Discovery, raise_batch_failures, read_answer
from campaigns.cxone.errors import (
    NotFound,
    SkillBusy,
    UnexpectedResponse,
    ValidationFailed,
    VersionConflict,
)
from campaigns.cxone.schemas import Campaign, CampaignPage, ContactList, DncList, Schedule
from campaigns.cxone.transport import Transport, TransportBackend, path_segment
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for
from campaigns.scheduling.weekly import WeeklySchedule, fit_weekly

__all__ = ["AdminClient"]

MAX_TOP = 100
# How long a listing's reads of the DNC groups and the business unit are reused (a sync reads each once).
SHARED_READS_SECONDS = 30.0
CONCURRENT_SKILL_READS = 8


class AdminClient(TransportBackend):
    """Async client of a real tenant's Admin API; the `admin` implementation of backend.CXoneBackend.

    `options` are the Transport's: timeout, retry, circuit, rate_limit, refresh_margin, transport (httpx's),
    max_connections, sleep, clock."""

    capabilities = caps.ADMIN

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
        schedule_read: str = "schedule-settings",
        **options: Any,
    ):
        self._grant = AccessKeyGrant(
            client_id, client_secret, access_key_id, access_key_secret, tenant_id=tenant_id
        )
        self._discovery = Discovery(self._grant, api_version)
        super().__init__(Transport(base_url, grant=self._grant, read_answer=read_answer, **options))
        self.time_format = time_format
        self.schedule_zone = schedule_zone
        # Where a skill's schedule is read: its own endpoint, or the combined parameters read (CXONE_ADMIN_
        # SCHEDULE_READ); either way an endpoint the tenant does not have (404) sends it to the other.
        self.schedule_read = schedule_read
        self._shared: dict[str, tuple[float, Any]] = {}

    def __repr__(self) -> str:
        base, api = self.transport.base_url, self._discovery.api_base
        return f"<AdminClient {base} tenant={self.tenant_id!r} api={api!r}>"

    @property
    def tenant_id(self) -> str | None:
        """The tenant's id: from the settings, else from the first token's id_token."""
        return self._grant.tenant_id

    # --- The interface ---------------------------------------------------------------------------------------

    async def list_campaigns(
        self, *, skip: int = 0, top: int = 50, ids: Iterable[str] | None = None
    ) -> CampaignPage:
        """The Personal Connection skills as campaigns. The skill list is read whole (100 a page) and the
        other strategies left out, so that skip/top count campaigns, not skills."""
        wanted = list(dict.fromkeys(ids or ()))
        if wanted:
            found = await self.get_campaigns(wanted)
            return CampaignPage(totalRecords=len(found), campaigns=found, _links={})
        if skip == 0:  # a new listing reads the skill list afresh; its later pages reuse it for a while
            self._shared.pop("skills", None)
        every = await self._shared_read("skills", self._all_skills)
        skills = [s for s in every if mapping.is_personal_connection(s)]
        # Only the page's skills have their parameters read: a sync pages through, reading each skill once.
        page = await self._campaigns_of(skills[skip : skip + top])
        links = {"self": f"skills?skip={skip}&top={top}"}
        if skip + top < len(skills):
            links["next"] = f"skills?skip={skip + top}&top={top}"
        return CampaignPage(totalRecords=len(skills), campaigns=page, _links=links)

    async def get_campaigns(self, ids: Iterable[str], *, urgent: bool = False) -> list[Campaign]:
        """The skills with these ids (the Admin API reads one skill a request; a few run at once). `urgent`
        reads overtake queued requests in the shared rate limit (the activation poller's)."""
        gate = asyncio.Semaphore(CONCURRENT_SKILL_READS)

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
        return (await self._campaigns_of([skill]))[0]

    async def put_campaign_once(self, campaign: Campaign, *, base_version: int) -> Campaign:
        """Write the campaign's schedule to its skill and start it. Refused before anything is written when the
        schedule does not fit a skill, is in another zone than the skill's times, or the skill's schedule read
        just now is not the one the draft was based on (VersionConflict). Its writes are safe to repeat
        (schedule-settings is a full replace of the same values, a start of a running skill changes nothing),
        so the activation worker's "never apply one approval twice" holds."""
        schedule = campaign.schedule
        if schedule is None:
            raise ValidationFailed("a campaign without a schedule cannot be written", details=[])
        fit = fit_weekly(schedule.cron_expression, schedule.duration_minutes)
        if not fit.fits:
            raise ValidationFailed(
                fit.message(), details=[{"field": "schedule.cronExpression", "message": fit.message()}]
            )
        zone = await self.schedule_zone_name()
        if schedule.timezone != zone:
            message = f"a skill's times are in {zone}, not {schedule.timezone}"
            raise ValidationFailed(message, details=[{"field": "schedule.timezone", "message": message}])
        skill_id = campaign.id
        current = mapping.schedule_version(await self._read_week(skill_id))
        if current != base_version:
            raise VersionConflict(
                f"skill {skill_id}: its schedule changed in CXone since the draft was made",
                current_version=current,
                status_code=409,
                code="schedule.changed",
            )
        await self.put_schedule_settings(skill_id, fit.schedule.to_settings(self.time_format))
        await self.start_skill(skill_id)
        written = await self.get_campaign(skill_id)
        # Written; running is seen by the next polls (a start is accepted, 202, and takes a moment).
        return written.model_copy(update={"state": "DRAFT" if written.state != "ACTIVE" else "ACTIVE"})

    def next_version(self, schedule: Schedule, *, base_version: int) -> int:
        """The fingerprint the skill's schedule will have once `schedule` is written (ValidationFailed when a
        skill cannot hold it)."""
        fit = fit_weekly(schedule.cron_expression, schedule.duration_minutes)
        if not fit.fits:
            raise ValidationFailed(
                fit.message(), details=[{"field": "schedule.cronExpression", "message": fit.message()}]
            )
        return mapping.schedule_version(fit.schedule)

    async def get_dnc_list(self, dnc_list_id: str) -> DncList:
        body = await self._api("GET", f"/dnc-groups/{path_segment(dnc_list_id)}")
        groups = body.get("dncGroups") if isinstance(body, dict) else None
        group = groups[0] if isinstance(groups, list) and groups else body
        return mapping.dnc_group_to_list(group)

    async def get_contact_list(self, contact_list_id: str) -> ContactList:
        """The zones a skill may call: its time-zones settings, else the business unit's zones."""
        if not contact_list_id.startswith(mapping.ZONES_LIST_PREFIX):
            raise NotFound(f"{contact_list_id!r} is not a skill's zones (the Admin API has no contact lists)")
        skill_id = contact_list_id.removeprefix(mapping.ZONES_LIST_PREFIX)
        rows = await self._shared_read(f"zones:{skill_id}", lambda: self.get_time_zones(skill_id))
        names = mapping.active_zone_names(rows)
        if not names:
            names = list((await self.business_unit()).get("timeZones") or [])
        try:
            return mapping.zones_to_contact_list(skill_id, [n if isinstance(n, str) else n.get("standardName")
                                                            for n in names])  # fmt: skip
        except UnknownCXoneZone as exc:
            raise UnexpectedResponse(f"skill {skill_id}: {exc}") from exc

    # --- The Admin API's own operations ---------------------------------------------------------------------

    async def get_skill(self, skill_id: str) -> dict:
        body = await self._api("GET", f"/skills/{path_segment(skill_id)}")
        skills = body.get("skills") if isinstance(body, dict) else None
        return skills[0] if isinstance(skills, list) and skills else body

    async def get_schedule_settings(self, skill_id: str) -> dict:
        """The skill's schedule-settings, read from the endpoint CXONE_ADMIN_SCHEDULE_READ names, or from the
        other one when the tenant answers 404 for that route (the skill itself exists: it was just listed)."""
        base = f"/skills/{path_segment(skill_id)}/parameters"
        paths = [base + "/schedule-settings", base]
        if self.schedule_read == "parameters":
            paths.reverse()
        try:
            return mapping.schedule_settings_of(await self._api("GET", paths[0]))
        except NotFound:
            return mapping.schedule_settings_of(await self._api("GET", paths[1]))

    async def put_schedule_settings(self, skill_id: str, settings: dict) -> None:
        path = f"/skills/{path_segment(skill_id)}/parameters/schedule-settings"
        raise_batch_failures(await self._api("PUT", path, json={"scheduleSettings": settings}), path)

    async def get_time_zones(self, skill_id: str) -> dict:
        return await self._api("GET", f"/skills/{path_segment(skill_id)}/parameters/time-zones")

    async def put_time_zones(self, skill_id: str, zones: list[dict]) -> None:
        """A full replace: a zone left out is switched off. Refused items raise BatchItemsFailed."""
        path = f"/skills/{path_segment(skill_id)}/parameters/time-zones"
        raise_batch_failures(await self._api("PUT", path, json={"timeZoneSettings": zones}), path)

    async def start_skill(self, skill_id: str) -> None:
        """Start the skill; one already running (409 "Invalid state" while it runs) is left as it is."""
        try:
            await self._api("POST", f"/skills/{path_segment(skill_id)}/start")
        except SkillBusy:
            if not (await self.get_skill(skill_id)).get("isRunning"):
                raise

    async def stop_skill(self, skill_id: str, *, force: bool = False) -> None:
        params = {"force": "true"} if force else None
        await self._api("POST", f"/skills/{path_segment(skill_id)}/stop", params=params)

    async def dnc_groups(self) -> list[dict]:
        body = await self._api("GET", "/dnc-groups")
        return list(body.get("dncGroups") or []) if isinstance(body, dict) else list(body or [])

    async def business_unit(self) -> dict:
        """The business unit ({defaultTimeZone, timeZones[], …}), read once per SHARED_READS_SECONDS."""

        async def read() -> dict:
            body = await self._api("GET", "/business-unit")
            units = body.get("businessUnits") if isinstance(body, dict) else None
            return units[0] if isinstance(units, list) and units else body

        return await self._shared_read("business-unit", read)

    async def schedule_zone_name(self) -> str:
        """The IANA zone a skill's schedule times are in: CXONE_ADMIN_SCHEDULE_ZONE, else the business unit's
        default zone (the likeliest reading; unconfirmed)."""
        if self.schedule_zone:
            return self.schedule_zone
        default = (await self.business_unit()).get("defaultTimeZone")
        name = default.get("standardName") if isinstance(default, dict) else default
        try:
            return iana_zone_for(name)
        except UnknownCXoneZone as exc:
            raise UnexpectedResponse(f"business unit default zone: {exc}") from exc

    # --- Reading skills as campaigns ------------------------------------------------------------------------

    async def _all_skills(self) -> list[dict]:
        skills: list[dict] = []
        skip = 0
        while True:
            body = await self._api("GET", "/skills", params={"skip": skip, "top": MAX_TOP})
            page = body.get("skills") if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise UnexpectedResponse("GET /skills: no skills list in the answer")
            skills.extend(s for s in page if isinstance(s, dict))
            skip += len(page)
            total = body.get("totalRecords")
            if not page or len(page) < MAX_TOP or (isinstance(total, int) and skip >= total):
                return skills

    async def _campaigns_of(self, skills: list[dict]) -> list[Campaign]:
        zone = await self.schedule_zone_name()
        scrubbed = await self._dnc_group_by_skill()
        gate = asyncio.Semaphore(CONCURRENT_SKILL_READS)

        async def one(skill: dict) -> Campaign:
            skill_id = mapping.skill_id_of(skill)
            async with gate:
                settings = await self.get_schedule_settings(skill_id)
                zone_rows = await self.get_time_zones(skill_id)
            # get_contact_list reads it next
            self._shared[f"zones:{skill_id}"] = (self.transport.clock(), zone_rows)
            return mapping.skill_to_campaign(
                skill,
                settings,
                zone=zone,
                dnc_group_id=scrubbed.get(skill_id),
                skill_agents=skill.get("agents"),
                zone_rows=zone_rows,
            )

        return list(await asyncio.gather(*(one(s) for s in skills)))

    async def _read_week(self, skill_id: str) -> WeeklySchedule | None:
        try:
            return WeeklySchedule.from_settings(await self.get_schedule_settings(skill_id))
        except ValueError as exc:
            raise UnexpectedResponse(f"skill {skill_id} schedule-settings: {exc}") from exc

    async def _dnc_group_by_skill(self) -> dict[str, str]:
        """skill id → the DNC group that scrubs it (the first, by group id, when several do)."""

        async def read() -> dict[str, str]:
            found: dict[str, str] = {}
            for group in sorted(await self.dnc_groups(), key=lambda g: str(g.get("dncGroupId"))):
                group_id = str(group.get("dncGroupId", group.get("id", "")))
                body = await self._api("GET", f"/dnc-groups/{path_segment(group_id)}/scrubbed-skills")
                rows = body.get("skills", []) if isinstance(body, dict) else body or []
                for row in rows:
                    skill_id = str(row.get("skillId")) if isinstance(row, dict) else str(row)
                    found.setdefault(skill_id, group_id)
            return found

        return await self._shared_read("dnc-by-skill", read)

    async def _api(self, method: str, path: str, **kwargs) -> Any:
        return await self.transport.request(method, await self._discovery.url(self.transport, path), **kwargs)

    async def _shared_read(self, key: str, read):
        cached = self._shared.get(key)
        if cached is not None and self.transport.clock() - cached[0] < SHARED_READS_SECONDS:
            return cached[1]
        value = await read()
        self._shared[key] = (self.transport.clock(), value)
        return value
