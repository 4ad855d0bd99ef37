"""A stateful simulator of the CXone Outbound API v2 contract (shared/design/cxone-api.md), as an ASGI app.

In process:      app = create_app(SandboxConfig(...)); httpx.AsyncClient(transport=httpx.ASGITransport(app))
On a socket:     with SandboxServer(SandboxConfig(...)) as server: ... server.url ...
From the shell:  python manage.py cxone_sandbox --port 8700 ...
`app.state` is the SandboxState: the tenant, the knobs (`.config`), the stats, the clock.
"""

from campaigns.sandbox.app import SandboxApp, create_app
from campaigns.sandbox.config import Clock, SandboxConfig
from campaigns.sandbox.server import SandboxServer

__all__ = ["Clock", "SandboxApp", "SandboxConfig", "SandboxServer", "create_app"]
