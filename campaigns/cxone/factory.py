"""The one door to CXone for everything above campaigns/cxone/: the client of the configured backend
(`get_client`), the capabilities of that backend (`capabilities`, known without building a client, so a page
can ask it while CXone is not configured), `run_sync` to call the async client from sync code, and
`set_client_factory` for tests and tools that point the product at another CXone."""

from __future__ import annotations

from django.conf import settings

from campaigns.cxone import capabilities as caps
from campaigns.cxone.runtime import bridge_loop, run_sync
from campaigns.cxone.shared import get_client, set_client_factory

__all__ = ["bridge_loop", "capabilities", "get_client", "run_sync", "set_client_factory"]


def capabilities() -> caps.Capabilities:
    """What the configured backend can do (CXONE_API: `admin` is the Admin API, anything else v2)."""
    return caps.ADMIN if getattr(settings, "CXONE_API", "outbound-v2") == "admin" else caps.OUTBOUND_V2
