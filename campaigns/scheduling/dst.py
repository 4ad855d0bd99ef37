"""DST findings: windows that open in a spring-forward gap, open in a repeated hour, or span a transition
(the clocks change in (start, end], so the window lasts more or less than asked, or its end reads later)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .cron import parse_cron
from .findings import DST, Finding, FirstWindow
from .spec import ScheduleSpec
from .windows import Window, isoformat_utc
from .zones import canonical_zone, get_zone, is_ambiguous, transition_between

__all__ = ["DstFinding", "dst_findings", "format_duration"]

GAP = "gap"
REPEATED = "repeated"
SPANS_TRANSITION = "spans_transition"
_SECOND = timedelta(seconds=1)


@dataclass(frozen=True)
class DstFinding:
    window_start: datetime  # UTC
    kind: str  # "gap" | "repeated" | "spans_transition"
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"window_start": isoformat_utc(self.window_start), "kind": self.kind, "message": self.message}

    def as_finding(self) -> Finding:
        """The note as a finding of the schedule (a warning: the clocks' change is no breach of a rule)."""
        return Finding(
            kind=DST,
            rule=f"dst-{self.kind.replace('_', '-')}",
            message=self.message,
            source="the IANA time zone database",
            window=FirstWindow(self.window_start),
            facts={"dst_kind": self.kind},
        )


def format_duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M %Z")


def _wall_times(asked: list[datetime]) -> str:
    """The skipped wall times a window stands for: "02:30 does not exist", "02:00 and 02:30 do not exist",
    "the 4 times from 02:00 to 02:45 do not exist"."""
    if len(asked) == 1:
        return f"{asked[0]:%H:%M} does not exist"
    if len(asked) == 2:
        return f"{asked[0]:%H:%M} and {asked[1]:%H:%M} do not exist"
    return f"the {len(asked)} times from {asked[0]:%H:%M} to {asked[-1]:%H:%M} do not exist"


def dst_findings(spec: ScheduleSpec, windows: Iterable[Window]) -> list[DstFinding]:
    """What the DST transitions inside the horizon do to these windows, in window order."""
    zone_name = canonical_zone(spec.timezone)
    zone = get_zone(zone_name)
    fields = parse_cron(spec.cron_expression)
    nominal = timedelta(minutes=spec.duration_minutes)
    findings: list[DstFinding] = []
    for window in windows:
        local = window.start.astimezone(zone)
        wall = local.replace(tzinfo=None)
        offset = local.utcoffset()
        before = (window.start - _SECOND).astimezone(zone).utcoffset()
        if offset is not None and before is not None and before < offset:
            # Clocks jumped forward exactly when this window opened: did the cron ask for a skipped time?
            gap_from = wall - (offset - before)
            asked = list(fields.matches_between(gap_from, wall))
            if asked:
                findings.append(
                    DstFinding(
                        window.start,
                        GAP,
                        f"{_wall_times(asked)} on {asked[0]:%Y-%m-%d} in {zone_name} (clocks jump from "
                        f"{gap_from:%H:%M} to {wall:%H:%M}); the window opens once, at the first instant "
                        f"after the gap ({_clock(local)})",
                    )
                )
        if is_ambiguous(wall, zone):
            # Fires never fall in the second occurrence (the expansion drops them), so this is the first.
            findings.append(
                DstFinding(
                    window.start,
                    REPEATED,
                    f"{wall:%H:%M} occurs twice on {wall:%Y-%m-%d} in {zone_name} (clocks fall back); "
                    f"the window opens once, at the first occurrence ({_clock(local)})",
                )
            )
        spans = _spans_transition(window, zone, zone_name, nominal)
        if spans is not None:
            findings.append(DstFinding(window.start, SPANS_TRANSITION, spans))
    return findings


def _spans_transition(window: Window, zone: ZoneInfo, zone_name: str, nominal: timedelta) -> str | None:
    """Why the window is not what its wall clock promised, or None when it is.

    A window closes `nominal` later on the local wall clock. When the clocks change in (start, end], it lasts
    more or less real time than asked, or (closing exactly where a gap begins) its end reads a later time.
    """
    local = window.start.astimezone(zone)
    local_end = window.end.astimezone(zone)
    wall = local.replace(tzinfo=None)
    asked_end = wall + nominal
    real = window.end - window.start
    if real == nominal and local_end.replace(tzinfo=None) == asked_end:
        return None
    start_ts, end_ts = int(window.start.timestamp()), int(window.end.timestamp())
    offset, end_offset = local.utcoffset(), local_end.utcoffset()
    if offset is None or end_offset is None or offset == end_offset:  # pragma: no cover - one change per day
        return (
            f"the window {_clock(local)}–{_clock(local_end)} on {wall:%Y-%m-%d} spans DST changes in "
            f"{zone_name}: it lasts {format_duration(real)} instead of {format_duration(nominal)}"
        )
    mark = transition_between(zone, start_ts, end_ts)
    read_before = datetime.fromtimestamp(mark, UTC).replace(tzinfo=None) + offset
    read_after = datetime.fromtimestamp(mark, UTC).replace(tzinfo=None) + end_offset
    direction = "forward" if end_offset > offset else "back"
    change = f"clocks go {direction} from {read_before:%H:%M} to {read_after:%H:%M}"
    window_text = f"the window {_clock(local)}–{_clock(local_end)} on {wall:%Y-%m-%d}"
    if mark == end_ts:
        where = f"{window_text} closes just as the {change} in {zone_name}"
    else:
        where = f"{window_text} spans a DST change in {zone_name} ({change})"
    if real != nominal:
        return f"{where}: it lasts {format_duration(real)} instead of {format_duration(nominal)}"
    return (
        f"{where}: it lasts {format_duration(real)} as asked, but closes at {_clock(local_end)} because "
        f"{asked_end:%H:%M} does not exist that day"
    )
