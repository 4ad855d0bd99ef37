"""Real `manage.py qcluster` processes for worker tests: started on the test database, stopped by their PID.

Each cluster runs in its own session (process group), so that stopping it, or killing it with SIGKILL the way
an out-of-memory killer or a pulled plug would, takes its sentinel and workers too and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class QCluster:
    def __init__(self, cxone_url: str, log: Path, **env):
        self.log_path = log
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planner.settings_test",
            "DATABASE_URL": database_url(),
            "CXONE_BASE_URL": cxone_url,
            "CXONE_CLIENT_ID": "demo",
            "CXONE_CLIENT_SECRET": "demo-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "Q_WORKERS": "2",
            "ACTIVATION_POLL_MS": "200",
            "ACTIVATION_POLL_SHARE": "1",  # rounds at 200 ms even at the tests' small rate limits
            "ACTIVATION_POLLER_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
            **{name: str(value) for name, value in env.items()},
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> QCluster:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own manage.py, our interpreter)
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL to the cluster and its workers: no goodbye, no cleanup."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 3.0) -> None:
        """SIGTERM, then SIGKILL for what is left after `timeout` (a poller mid-loop does not stop at once)."""
        if self.process is None or self.process.poll() is not None:
            self._signal_group(signal.SIGKILL)  # workers of a dead main process, if any
            return
        self._signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        self._signal_group(signal.SIGKILL)
        self.process.wait(10)

    def _signal_group(self, sig) -> None:
        # The group this test started (start_new_session: its group id is our child's PID).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, sig)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


def wait_for(condition, timeout: float, what: str, clusters=()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    logs = "\n".join(f"--- qcluster {c.pid} ---\n{c.log()}" for c in clusters)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")
