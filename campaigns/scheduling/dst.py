"""DST findings: windows that open in a spring-forward gap, open in a repeated hour, or span a transition."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .cron import parse_cron
from .spec import ScheduleSpec
from .windows import Window, isoformat_utc
from .zones import canonical_zone, get_zone, is_ambiguous

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


def format_duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _clock(value: datetime) -> str:
    return value.strftime("%H:%M %Z")


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
            asked = fields.first_match_between(gap_from, wall)
            if asked is not None:
                findings.append(
                    DstFinding(
                        window.start,
                        GAP,
                        f"{asked:%H:%M} does not exist on {asked:%Y-%m-%d} in {zone_name} (clocks jump from "
                        f"{gap_from:%H:%M} to {wall:%H:%M}); the window opens at {_clock(local)} instead",
                    )
                )
        if is_ambiguous(wall, zone):
            occurrence = "first" if local.fold == 0 else "second"
            findings.append(
                DstFinding(
                    window.start,
                    REPEATED,
                    f"{wall:%H:%M} occurs twice on {wall:%Y-%m-%d} in {zone_name} (clocks fall back); "
                    f"the window opens once, at the {occurrence} occurrence ({_clock(local)})",
                )
            )
        local_end = window.end.astimezone(zone)
        end_offset = (window.end - _SECOND).astimezone(zone).utcoffset()
        ends_in_gap = local_end.replace(tzinfo=None) != wall + nominal
        if end_offset != offset or ends_in_gap:
            real = window.end - window.start
            detail = (
                f"{format_duration(real)} instead of {format_duration(nominal)}"
                if real != nominal
                else f"{format_duration(real)}, closing at {local_end:%H:%M}, not {wall + nominal:%H:%M}"
            )
            findings.append(
                DstFinding(
                    window.start,
                    SPANS_TRANSITION,
                    f"the window {_clock(local)}–{_clock(local_end)} on {wall:%Y-%m-%d} spans a DST change "
                    f"in {zone_name}: it lasts {detail}",
                )
            )
    return findings
