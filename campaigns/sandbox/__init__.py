"""The simulators the planner talks to in demos, tests and benchmarks, beside (never inside) our clients:

- CXone (cxone/): one seeded tenant behind either personality, the Outbound API v2 contract
  (shared/design/cxone-api.md) or a real tenant's ACD Admin API (shared/design/cxone-admin-api.md);
- the WFM webhook receiver (wfm.py), verifying what campaigns/wfm/ sends as any Standard Webhooks receiver would;
- around both: the knobs (config.py), faults on the wire and stats (faults.py, stats.py), the clock, and the
  /_sandbox/ control API (control.py).

In process:      app = create_app(SandboxConfig(...)); httpx.AsyncClient(transport=httpx.ASGITransport(app))
On a socket:     with SandboxServer(SandboxConfig(...)) as server: ... server.url ...
From the shell:  python manage.py cxone_sandbox --port 8700 [--api admin] ...
`app.state` is the SandboxState: the tenant, the knobs (`.config`), the stats, the clock.

Imports point one way: app and server on top; control, wfm and the personalities' routes (cxone/) below them;
state, faults and responses below those; config, stats, the seeded tenant (cxone/seed.py, cxone/pc_tenant.py),
validation and wfm_signatures at the bottom. Nothing here imports our clients (campaigns.cxone, campaigns.wfm);
campaigns.scheduling's pure helpers are fine.
"""

from campaigns.sandbox.app import SandboxApp, create_app
from campaigns.sandbox.config import Clock, SandboxConfig, parse_range
from campaigns.sandbox.server import SandboxServer, serve
from campaigns.sandbox.state import SandboxState
from campaigns.sandbox.wfm_signatures import DEMO_SECRET

__all__ = [
    "DEMO_SECRET",
    "Clock",
    "SandboxApp",
    "SandboxConfig",
    "SandboxServer",
    "SandboxState",
    "create_app",
    "parse_range",
    "serve",
]
