"""Pydantic models of the CXone Outbound API v2 payloads (see shared/design/cxone-api.md).

Field names are snake_case in Python and camelCase on the wire. Unknown fields are kept (extra="allow") so
that a PUT sends back everything CXone gave us, and `Campaign.raw` keeps the payload exactly as received."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_serializer, model_validator
from pydantic.alias_generators import to_camel

CAMPAIGN_STATES = ("DRAFT", "ACTIVE", "PAUSED", "ERROR", "FAILED")


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_api(self) -> dict[str, Any]:
        """The JSON-ready payload in the wire's camelCase."""
        return self.model_dump(by_alias=True, mode="json", exclude_none=True)


class RetryPolicy(ApiModel):
    """How often a number is dialled again. The v2 contract's four fields; the Admin API (retry-settings) holds
    max_attempts and the interval in whole minutes, has no busy / no-answer switches, and adds a restricted
    calling window: at most `restricted_calling_max_attempts` calls within `restricted_calling_minutes`
    ("3 in 24 hours" is 3 in 1440; 0 is none). Those two stay None (and out of every payload) under v2."""

    max_attempts: int
    retry_interval_ms: int
    retry_on_busy: bool = True
    retry_on_no_answer: bool = True
    restricted_calling_minutes: int | None = None
    restricted_calling_max_attempts: int | None = None


class Schedule(ApiModel):
    timezone: str
    cron_expression: str
    duration_minutes: int
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    retry_policy: RetryPolicy | None = None
    # The schedule runs until someone changes it (an Admin API skill's): end_time is a placeholder, for drafts.
    # None, and left out of every payload, under v2.
    open_ended: bool | None = Field(default=None, exclude=True)


class DncRule(BaseModel):
    """One DNC rule. CXone tags it either `{"type": "STATE_DNC"}` or, in newer payloads,
    `{"regulatory": {"type": "STATE_DNC"}}`: both are read, and a rule is written back in the shape it came
    in."""

    model_config = ConfigDict(extra="allow")

    type: str
    value: str | None = None
    nested: bool = Field(default=False, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _read_both_shapes(cls, data: Any) -> Any:
        if isinstance(data, dict) and "type" not in data and isinstance(data.get("regulatory"), dict):
            rest = {key: value for key, value in data.items() if key != "regulatory"}
            return {**rest, "type": data["regulatory"].get("type"), "nested": True}
        return data

    @model_serializer(mode="wrap")
    def _write_in_shape_read(self, handler) -> dict[str, Any]:
        out = handler(self)
        out.pop("nested", None)
        if out.get("value") is None:
            out.pop("value", None)
        if self.nested:
            out = {"regulatory": {"type": out.pop("type")}, **out}
        return out

    def flat(self) -> dict[str, Any]:
        """The rule in the flat shape the planner stores: {"type": ..., "value": ...} (value only if set)."""
        return {"type": self.type, **({"value": self.value} if self.value is not None else {})}


class TimeConstraint(ApiModel):
    """A per-phone-number calling window of one of the skill's cadences (Admin API cadenceSettings): on the days
    `day_type` names ("Weekday", "Saturday", …), numbers of that cadence are dialled only from `start_time` to
    `end_time` ("HH:MM"), in the skill's zone."""

    cadence: str = ""
    day_type: str
    start_time: str
    end_time: str


class SkillRef(ApiModel):
    id: str
    name: str = ""
    # Sandbox extension (not in the CXone contract): how many agents staff the skill.
    agents: int | None = None


class ContactListRef(ApiModel):
    id: str
    name: str = ""


class Campaign(ApiModel):
    id: str
    name: str
    state: str
    version: int
    skill: SkillRef | None = None
    contact_list: ContactListRef | None = None
    dnc_list_id: str | None = None
    dnc_rules: list[DncRule] = Field(default_factory=list)
    schedule: Schedule | None = None
    errors: list[Any] = Field(default_factory=list)
    updated_at: dt.datetime | None = None
    activated_at: dt.datetime | None = None
    # The Admin API's cadence windows (a second place where calling hours live); None under v2.
    time_constraints: list[TimeConstraint] | None = None
    # The IANA zones the campaign is itself set to call (a skill's active time-zone settings), a setting someone
    # can change in CXone's UI; None where the zones are only where the contacts are (v2).
    called_zones: list[str] | None = None

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_raw(cls, data: Any, handler):
        campaign = handler(data)
        if isinstance(data, dict):
            campaign._raw = copy.deepcopy(data)
        return campaign

    @property
    def raw(self) -> dict[str, Any]:
        """The payload exactly as CXone sent it (empty for a campaign built in Python)."""
        return self._raw

    def with_schedule(self, schedule: Schedule) -> Campaign:
        return self.model_copy(update={"schedule": schedule})

    def to_put_payload(self, version: int) -> dict[str, Any]:
        """The full campaign for a PUT: state DRAFT, the proposed `version`, read-only fields left out."""
        payload = self.model_dump(
            by_alias=True,
            mode="json",
            exclude_none=True,
            exclude={"errors", "updated_at", "activated_at", "time_constraints", "called_zones"},
        )
        payload.update({"state": "DRAFT", "version": version})
        return payload


class CampaignPage(ApiModel):
    total_records: int
    campaigns: list[Campaign]
    links: dict[str, str] = Field(default_factory=dict, alias="_links")
    # When CXone took this listing (Admin API lastPollTime): pass it back to changed_campaigns next time.
    last_poll_time: str | None = None


class CampaignChanges(ApiModel):
    """What changed in CXone since a listing's last_poll_time: the campaigns changed (read whole), the ids that
    are no campaigns any more, and the new last_poll_time to pass back next time."""

    campaigns: list[Campaign] = Field(default_factory=list)
    gone: list[str] = Field(default_factory=list)
    last_poll_time: str


class DncList(ApiModel):
    id: str
    name: str = ""
    state: str
    size: int = 0
    version: int = 0


class BreakdownEntry(ApiModel):
    """How many contacts of a list are in a state (or province; "" when not given) and zones. Under the Admin
    API one row per state and zone from the list's records; `unknown_zone` marks the contacts of a state whose
    time zone the list does not give (timezones empty): the checks then treat them as anywhere in the state."""

    state: str
    timezones: list[str] = Field(default_factory=list)
    count: int = 0
    unknown_zone: bool | None = None


class ContactList(ApiModel):
    id: str
    name: str = ""
    size: int = 0
    breakdown: list[BreakdownEntry] = Field(default_factory=list)


class Token(BaseModel):
    model_config = ConfigDict(extra="allow")

    access_token: str = Field(repr=False)
    token_type: str = "Bearer"
    expires_in: float = 3600
    scope: str = ""
