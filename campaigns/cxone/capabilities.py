"""What a CXone backend can do, as one value the client carries (`client.capabilities`), so that nothing above
campaigns/cxone/ asks which API the tenant speaks: pages, messages and services ask this value instead.

- versions_ordered: a larger version is a later one (v2 counts changes); else versions are only equal or not
  (the Admin API's fingerprints of a skill's week), and a read can never be "older" than the mirror.
- versions_shown: version numbers mean something to people, so pages and messages may show them.
- weekly_schedules_only: the tenant holds one window per weekday at most (Personal Connection skills): the editor
  reports the schedules it cannot hold.
- concurrency_note: what a write cannot promise, for the draft's history ("" when CXone refuses a stale write
  itself).
- periods_held: CXone keeps a schedule's effective period (v2's startTime/endTime); else the mirror shows one made
  up from the skill's last update, which no one sets, so a change to it is nobody's edit.
- zones_held: the zones a campaign calls are a setting of its own in CXone (a skill's time-zones), which someone
  can change in the CXone UI; else they are where its contact list's contacts live, which no approval sets.
- requires_all_days: the tenant refuses a week with a day off (CXONE_ADMIN_REQUIRE_ALL_DAYS): the editor reports
  such a week, with the nearest one the tenant holds, before it is submitted.
- delta_sync: the backend answers changed_campaigns (what changed since a listing's last_poll_time), so a sync
  between full ones reads only that.
- retry_fields: the draft's retry fields this backend writes, in its order (the editor shows these): v2's
  interval, busy and no-answer switches; the Admin API's whole-minute interval and restricted calling window.
- dialling_verbs: how CXone says stopping and starting a campaign's dialling (v2 pauses and resumes a campaign;
  the Admin API stops and starts a skill), for pages and history.
- holds_partial_weeks: a week with days off is written with the active days' hours on every day, and the
  workers hold the off days (stop the campaign before, start it after): the tenant refuses such a week itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from campaigns.cxone.admin_mapping import CONCURRENCY_NOTE

V2_RETRY_FIELDS = ("retry_max_attempts", "retry_interval_ms", "retry_on_busy", "retry_on_no_answer")
ADMIN_RETRY_FIELDS = (
    "retry_max_attempts",
    "retry_interval_ms",
    "retry_restricted_minutes",
    "retry_restricted_max_attempts",
)


@dataclass(frozen=True)
class Capabilities:
    api: str
    versions_ordered: bool
    versions_shown: bool
    weekly_schedules_only: bool
    concurrency_note: str = ""
    periods_held: bool = True
    zones_held: bool = False
    requires_all_days: bool = False
    delta_sync: bool = False
    retry_fields: tuple[str, ...] = V2_RETRY_FIELDS
    dialling_verbs: tuple[str, str] = ("pause", "resume")
    holds_partial_weeks: bool = False

    def version_words(self, version: int | None, *, unknown: str = "another version") -> str:
        """A version as people read it: "version 8" where versions count changes, else what it stands for."""
        if not self.versions_shown:
            return "the schedule then in CXone"
        return f"version {version}" if version is not None else unknown


OUTBOUND_V2 = Capabilities(
    api="outbound-v2", versions_ordered=True, versions_shown=True, weekly_schedules_only=False
)
ADMIN = Capabilities(
    api="admin",
    versions_ordered=False,
    versions_shown=False,
    weekly_schedules_only=True,
    concurrency_note=CONCURRENCY_NOTE,
    periods_held=False,
    zones_held=True,
    requires_all_days=True,
    delta_sync=True,
    retry_fields=ADMIN_RETRY_FIELDS,
    dialling_verbs=("stop", "start"),
    holds_partial_weeks=True,
)
