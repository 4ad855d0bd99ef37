"""The viewer's time zone: pages show times where the person reading them is, with the zone named.

The browser says its zone (static/js/zone.js writes it to a cookie); the server trusts only names the engine
knows as zones and falls back to UTC, so a missing or forged cookie changes the labels, never the instants.
"""

from __future__ import annotations

from urllib.parse import unquote
from zoneinfo import ZoneInfo

from campaigns.scheduling import zone_error, zone_or_utc

COOKIE = "planner_tz"


def viewer_zone(request) -> ZoneInfo:
    if request is None:
        return ZoneInfo("UTC")
    cached = getattr(request, "_viewer_zone", None)
    if cached is None:
        name = unquote(request.COOKIES.get(COOKIE) or "")[:64]
        cached = zone_or_utc(name) if name and zone_error(name) is None else ZoneInfo("UTC")
        request._viewer_zone = cached
    return cached
