"""The Admin API's own operations over the shared Transport, in the shapes of
campaigns/cxone/contract/admin-api.json: skills (paged, and what changed since a listing), their parameter groups
(the combined read of one skill or of every skill at once, or the groups' own endpoints), writes of the schedule,
retry and general settings and the zones, start and stop, DNC groups and the skills they scrub (paged; 204 when
none), calling lists with their records, and the business unit. admin_client.AdminClient answers the backend
interface with these.

Reads several calls of one listing or sync share (the DNC groups' scrubbed skills, the business unit, a calling
list's counts) are kept SHARED_READS_SECONDS."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from campaigns.cxone import admin_lists, admin_settings
from campaigns.cxone.admin_auth import AccessKeyGrant, Discovery, raise_batch_failures, read_answer
from campaigns.cxone.backend import MAX_PAGE_SIZE
from campaigns.cxone.errors import NotFound, SkillBusy, UnexpectedResponse
from campaigns.cxone.transport import Transport, TransportBackend, path_segment
from campaigns.scheduling.cxone_zones import UnknownCXoneZone, iana_zone_for

__all__ = ["AdminOperations", "CONCURRENT_READS", "SHARED_READS_SECONDS"]

# How long a read that several calls of one sync use is reused.
SHARED_READS_SECONDS = 30.0
CONCURRENT_READS = 8


class AdminOperations(TransportBackend):
    """The Admin API's operations. `schedule_read`: where one skill's parameters are read, "parameters" (the
    combined read) or "schedule-settings" (the groups' own endpoints); a 404 from one sends it to the other."""

    def __init__(
        self,
        base_url: str,
        grant: AccessKeyGrant,
        *,
        api_version: str,
        schedule_zone: str,
        schedule_read: str,
        **options: Any,
    ):
        self._grant = grant
        self._discovery = Discovery(grant, api_version)
        super().__init__(Transport(base_url, grant=grant, read_answer=read_answer, **options))
        self.schedule_zone = schedule_zone
        self.schedule_read = schedule_read
        self._shared: dict[str, tuple[float, Any]] = {}

    @property
    def tenant_id(self) -> str | None:
        """The tenant's id: from the settings, else from the first token's id_token."""
        return self._grant.tenant_id

    # --- Skills --------------------------------------------------------------------------------------------

    async def get_skill(self, skill_id: str) -> dict:
        body = await self._api("GET", f"/skills/{path_segment(skill_id)}")
        skills = body.get("skills") if isinstance(body, dict) else None
        return skills[0] if isinstance(skills, list) and skills else body

    async def skill_pages(self, *, since: str | None = None) -> tuple[list[dict], str | None]:
        """Every skill (or, with `since`, every skill changed since that lastPollTime), and this read's
        lastPollTime (the first page's: whatever changes while paging shows again next time)."""
        skills: list[dict] = []
        poll_time: str | None = None
        skip = 0
        while True:
            params: dict[str, Any] = {"skip": skip, "top": MAX_PAGE_SIZE}
            if since:
                params["updatedSince"] = since
            body = await self._api("GET", "/skills", params=params)
            page = body.get("skills") if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise UnexpectedResponse("GET /skills: no skills list in the answer")
            if poll_time is None:
                poll_time = body.get("lastPollTime") if isinstance(body.get("lastPollTime"), str) else None
            skills.extend(s for s in page if isinstance(s, dict))
            skip += len(page)
            total = body.get("totalRecords")
            if not page or len(page) < MAX_PAGE_SIZE or (isinstance(total, int) and skip >= total):
                return skills, poll_time

    async def every_skills_parameters(self) -> dict[str, dict]:
        """GET /skills/parameters: every outbound skill's parameter groups in one answer, by skill id (skillNo)."""
        body = await self._api("GET", "/skills/parameters")
        rows = body.get("skills") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise UnexpectedResponse("GET /skills/parameters: no skills list in the answer")
        found = {}
        for row in rows:
            if isinstance(row, dict) and (row.get("skillNo") is not None or row.get("skillId") is not None):
                found[str(row.get("skillNo", row.get("skillId")))] = row
        return found

    async def skill_parameters(self, skill_id: str) -> dict:
        """One skill's parameter groups: the combined read, or the groups' own endpoints (CXONE_ADMIN_SCHEDULE_
        READ); a tenant answering 404 for one (the skill itself exists: it was just read) is read the other way."""
        reads = [self._combined_parameters, self._endpoint_parameters]
        if self.schedule_read != "parameters":
            reads.reverse()
        try:
            return await reads[0](skill_id)
        except NotFound:
            return await reads[1](skill_id)

    async def _combined_parameters(self, skill_id: str) -> dict:
        body = await self._api("GET", f"/skills/{path_segment(skill_id)}/parameters")
        return body if isinstance(body, dict) else {}

    async def _endpoint_parameters(self, skill_id: str) -> dict:
        """The groups that have endpoints of their own; calling lists and cadences are only in the combined read."""
        base = f"/skills/{path_segment(skill_id)}/parameters"
        schedule = await self._api("GET", base + "/schedule-settings")
        retry = await self._api("GET", base + "/retry-settings")
        zones = await self._api("GET", base + "/time-zones")
        rows = zones.get("timeZoneSettings") if isinstance(zones, dict) else zones
        return {
            "scheduleSettings": schedule,
            "retrySettings": admin_settings.retry_settings_of(retry),
            "timeZoneSettings": rows if isinstance(rows, list) else [],
        }

    async def put_schedule_settings(self, skill_id: str, settings: dict) -> None:
        path = f"/skills/{path_segment(skill_id)}/parameters/schedule-settings"
        raise_batch_failures(await self._api("PUT", path, json={"scheduleSettings": settings}), path)

    async def put_retry_settings(self, skill_id: str, settings: dict) -> None:
        path = f"/skills/{path_segment(skill_id)}/parameters/retry-settings"
        raise_batch_failures(await self._api("PUT", path, json={"retrySettings": settings}), path)

    async def put_general_settings(self, skill_id: str, settings: dict) -> None:
        path = f"/skills/{path_segment(skill_id)}/parameters/general-settings"
        raise_batch_failures(await self._api("PUT", path, json={"generalSettings": settings}), path)

    async def get_time_zones(self, skill_id: str) -> dict:
        return await self._api("GET", f"/skills/{path_segment(skill_id)}/parameters/time-zones")

    async def put_time_zones(self, skill_id: str, zones: list[dict]) -> None:
        """A full replace: a zone left out is switched off. Refused items raise BatchItemsFailed."""
        path = f"/skills/{path_segment(skill_id)}/parameters/time-zones"
        raise_batch_failures(await self._api("PUT", path, json={"timeZoneSettings": zones}), path)

    async def start_skill(self, skill_id: str, *, once: bool = False) -> None:
        """Start the skill; one already running (409 "Invalid state" while it runs) is left as it is. `once`: a 5xx
        or a lost answer is not retried here (the caller reads, and asks again later: dialling control)."""
        try:
            await self._api("POST", f"/skills/{path_segment(skill_id)}/start", once=once)
        except SkillBusy:
            if not (await self.get_skill(skill_id)).get("isRunning"):
                raise

    async def stop_skill(self, skill_id: str, *, force: bool = False, once: bool = False) -> None:
        """Stop the skill; one not running (404) is left as it is (a skill that does not exist raises). `once`:
        as start_skill's."""
        params = {"force": "true"} if force else None
        try:
            await self._api("POST", f"/skills/{path_segment(skill_id)}/stop", params=params, once=once)
        except NotFound:
            if (await self.get_skill(skill_id)).get("isRunning"):
                raise

    # --- DNC groups, calling lists, the business unit ------------------------------------------------------

    async def dnc_groups(self) -> list[dict]:
        return admin_lists.dnc_groups_of(await self._api("GET", "/dnc-groups"))

    async def dnc_group(self, group_id: str) -> dict:
        groups = admin_lists.dnc_groups_of(await self._api("GET", f"/dnc-groups/{path_segment(group_id)}"))
        if not groups:
            raise UnexpectedResponse(f"GET /dnc-groups/{group_id}: no group in the answer")
        return groups[0]

    async def scrubbed_skills(self, group_id: str) -> list[str]:
        """The ids of the skills a DNC group scrubs, every page (204 with no body: none)."""
        found: list[str] = []
        while True:
            path = f"/dnc-groups/{path_segment(group_id)}/scrubbed-skills"
            body = await self._api("GET", path, params={"skip": len(found), "top": MAX_PAGE_SIZE})
            rows = body.get("scrubbedSkills") if isinstance(body, dict) else None
            if not isinstance(rows, list) or not rows:
                return found
            found.extend(str(r.get("skillId")) for r in rows if isinstance(r, dict) and r.get("skillId") is not None)
            total = body.get("totalRecords")
            if len(rows) < MAX_PAGE_SIZE or (isinstance(total, int) and len(found) >= total):
                return found

    async def dnc_group_by_skill(self) -> dict[str, str]:
        """skill id → the DNC group that scrubs it (the first, by group id, when several do)."""

        async def read() -> dict[str, str]:
            groups = sorted(await self.dnc_groups(), key=lambda g: int(g.get("dncGroupId") or 0))
            ids = [str(g.get("dncGroupId")) for g in groups]
            scrubbed = await asyncio.gather(*(self.scrubbed_skills(i) for i in ids))
            found: dict[str, str] = {}
            for group_id, skills in zip(ids, scrubbed, strict=True):
                for skill_id in skills:
                    found.setdefault(skill_id, group_id)
            return found

        return await self.shared_read("dnc-by-skill", read)

    async def calling_list_counts(self, list_id: str) -> tuple[str, Counter]:
        """A calling list's name and its contacts by (state, zone), from its records."""

        async def read() -> tuple[str, Counter]:
            path = f"/lists/call-lists/{path_segment(list_id)}"
            body = await self._api("GET", path, params={"includeRecords": "true"})
            if not isinstance(body, dict):
                raise UnexpectedResponse(f"GET {path}: not a calling list")
            return str(body.get("listName") or list_id), admin_lists.breakdown_of(body.get("contactRecords"))

        return await self.shared_read(f"list:{list_id}", read)

    async def business_unit(self) -> dict:
        """The business unit ({defaultTimeZone, timeZones[], …}), read once per SHARED_READS_SECONDS."""

        async def read() -> dict:
            body = await self._api("GET", "/business-unit")
            units = body.get("businessUnits") if isinstance(body, dict) else None
            return units[0] if isinstance(units, list) and units else body

        return await self.shared_read("business-unit", read)

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

    # --- Plumbing --------------------------------------------------------------------------------------------

    async def _api(self, method: str, path: str, *, once: bool = False, **kwargs) -> Any:
        send = self.transport.request_once if once else self.transport.request
        return await send(method, await self._discovery.url(self.transport, path), **kwargs)

    async def shared_read(self, key: str, read):
        cached = self._shared.get(key)
        if cached is not None and self.transport.clock() - cached[0] < SHARED_READS_SECONDS:
            return cached[1]
        value = await read()
        self._shared[key] = (self.transport.clock(), value)
        return value

    def forget_shared_reads(self) -> None:
        self._shared.clear()
