"""What holds a campaign from dialling, on the Gantt charts: approved timed pauses and open Stop dialling orders
as shaded bands over the campaign's row, pauses still awaiting approval as bands of their own, and the windows
they hold drawn as held (they do not dial).

A held stretch cuts a window where it begins and ends: the part outside still dials (the workers start the
campaign again at the end of a pause, inside CXone's window). A pause awaiting approval holds nothing yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from .bars import Bars
from .common import INK, MUTED, WARN, span_text, utc_span, wall

PAUSED = "paused"
PAUSE_ASKED = "pause_asked"
STOPPED = "stopped"
LEGEND = {
    PAUSED: "Paused (approved)",
    PAUSE_ASKED: "Pause awaiting approval",
    STOPPED: "Stopped (Stop dialling)",
}
HELD_WINDOW = "Window held (does not dial)"
BAND_WIDTH = 0.95  # wider than a window's bar (0.7): the band shows above and below the windows it holds


@dataclass(frozen=True)
class HeldSpan:
    """One stretch a campaign is held from dialling (or would be, once approved), in UTC epoch seconds."""

    campaign: str  # the CXone id
    kind: str  # PAUSED, PAUSE_ASKED or STOPPED
    start: int
    end: int | None  # None: a Stop dialling holds until a second supervisor agrees to resume
    reason: str
    name: str  # "Pause #4", "Stop dialling #2"

    @property
    def holds(self) -> bool:
        return self.kind != PAUSE_ASKED

    def end_or(self, end_ts: int) -> int:
        return self.end if self.end is not None else max(end_ts, self.start)

    def hover(self, zone_name: str) -> str:
        """What, why, from and until on the campaign's wall clock, and in UTC. The reason is typed by a person:
        escaped, so that plotly reads it as text, not as its markup."""
        fmt = "%a %d %b %H:%M %Z"
        when = f"From {wall(self.start, zone_name, fmt)}"
        if self.end is None:
            when += " until a second supervisor agrees to resume"
            utc = f"From {wall(self.start, 'UTC', fmt)}"
        else:
            when += f" until {wall(self.end, zone_name, fmt)}"
            utc = utc_span(self.start, self.end)
        return f"{LEGEND[self.kind]}: {self.name}<br>Reason: {escape(self.reason, quote=False)}<br>{when}<br>{utc}"

    def window_note(self, start: int, end: int, zone_name: str) -> str:
        """The line a held part of a window adds to its hover."""
        return (
            f"⏸ Does not dial {span_text(start, end, zone_name)}: {LEGEND[self.kind]}, {self.name}"
            f" ({escape(self.reason, quote=False)})"
        )

    @property
    def detail(self) -> str:
        return f"{LEGEND[self.kind]}: {self.name}, {self.reason}"


class Holds:
    """The held stretches of the campaigns on a chart, by campaign; drawn up to `end_ts` when they have no end."""

    def __init__(self, spans: Iterable[HeldSpan], end_ts: int):
        self.end_ts = end_ts
        self._by_campaign: dict[str, list[HeldSpan]] = defaultdict(list)
        for span in sorted(spans, key=lambda s: (s.start, s.name)):
            self._by_campaign[span.campaign].append(span)

    def __bool__(self) -> bool:
        return bool(self._by_campaign)

    def of(self, campaign: str) -> list[HeldSpan]:
        return self._by_campaign.get(campaign, [])

    def holding(self, campaign: str) -> bool:
        return any(s.holds for s in self.of(campaign))

    def pieces(self, campaign: str, start: int, end: int) -> list[tuple[int, int, HeldSpan | None]]:
        """[start, end) cut where the campaign's held stretches begin and end: (from, to, the span holding it
        or None where it dials), in order."""
        result: list[tuple[int, int, HeldSpan | None]] = []
        cursor = start
        for span in self.of(campaign):
            if not span.holds:
                continue
            low, high = max(span.start, cursor), min(span.end_or(self.end_ts), end)
            if high <= low:
                continue
            if low > cursor:
                result.append((cursor, low, None))
            result.append((low, high, span))
            cursor = high
        if cursor < end:
            result.append((cursor, end, None))
        return result

    def kinds(self, campaigns: Iterable[str]) -> dict[str, set[str]]:
        """kind → the campaigns among `campaigns` with a stretch of that kind (for a chart's summary)."""
        found: dict[str, set[str]] = defaultdict(set)
        for campaign in campaigns:
            for span in self.of(campaign):
                found[span.kind].add(campaign)
        return found


def band_traces(zone: ZoneInfo | None) -> dict[str, Bars]:
    """One trace of bands per kind, each with its own pattern (never colour alone)."""
    return {
        PAUSED: Bars(LEGEND[PAUSED], _band(MUTED, "rgba(91,102,118,0.3)", "-"), zone),
        PAUSE_ASKED: Bars(LEGEND[PAUSE_ASKED], _band(WARN, "rgba(179,107,0,0.08)", "|"), zone),
        STOPPED: Bars(LEGEND[STOPPED], _band(INK, "rgba(28,36,48,0.22)", "+"), zone),
    }


def held_window_trace(zone: ZoneInfo | None) -> Bars:
    # Pale and outlined: a window that is there in CXone's schedule but does not dial.
    return Bars(HELD_WINDOW, {"color": "#dfe3ea", "line": {"color": MUTED, "width": 1}}, zone)


def band_trace(bars: Bars, multicategory: bool) -> dict:
    return {**bars.trace(multicategory), "width": BAND_WIDTH}


def _band(line: str, fill: str, shape: str) -> dict:
    return {
        "color": fill,
        "line": {"color": line, "width": 1},
        "pattern": {"shape": shape, "fgcolor": line, "size": 6, "solidity": 0.3},
    }


WORDS = {
    PAUSED: "paused (approved)",
    PAUSE_ASKED: "with a pause awaiting approval",
    STOPPED: "stopped by Stop dialling",
}


def summary_part(found: dict[str, set[str]]) -> str:
    """ "1 campaign paused (approved), 2 campaigns with a pause awaiting approval", or "" when nothing holds any."""
    parts = []
    for kind in (PAUSED, PAUSE_ASKED, STOPPED):
        count = len(found.get(kind, ()))
        if count:
            parts.append(f"{count:,} campaign{'' if count == 1 else 's'} {WORDS[kind]}")
    return ", ".join(parts)


def kinds_text(kinds: Iterable[str]) -> str:
    """One campaign's holds in words: "paused (approved) and with a pause awaiting approval"."""
    return " and ".join(WORDS[kind] for kind in (PAUSED, PAUSE_ASKED, STOPPED) if kind in set(kinds))
