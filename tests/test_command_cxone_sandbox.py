"""`manage.py cxone_sandbox`: bad options are named, never a traceback, it serves loopback only unless told, and
its flags become the sandbox's knobs, the Admin personality's open points included."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from campaigns.management.commands import cxone_sandbox

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(cxone_sandbox, "serve", lambda app, **where: calls.append(where))
    return calls


@pytest.mark.parametrize("port", ["-1", "0", "65536", "99999", "http", "٨٧٠٠"])
def test_a_port_outside_1_to_65535_is_refused_naming_it(served, port):
    with pytest.raises(CommandError, match=f"argument --port: '{port}' is not a port number from 1 to 65535"):
        call_command("cxone_sandbox", "--port", port)
    assert served == []


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::", "192.0.2.10", "sandbox.example.com"])
def test_an_address_other_hosts_can_reach_is_refused_unless_allowed(served, host):
    with pytest.raises(CommandError, match="control API has no authentication.*--allow-remote"):
        call_command("cxone_sandbox", "--host", host)
    assert served == []


def test_allow_remote_serves_where_it_is_told(served):
    call_command("cxone_sandbox", "--host", "0.0.0.0", "--allow-remote", "--port", "8701", "--campaigns", "2")
    assert served == [{"host": "0.0.0.0", "port": 8701, "log_level": "info"}]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_served_without_asking(served, host):
    call_command("cxone_sandbox", "--host", host, "--campaigns", "2")
    assert served[0]["host"] == host


@pytest.mark.parametrize(("args", "says"), [
    (["--port", "-1"], "argument --port: '-1' is not a port number from 1 to 65535"),
    (["--host", ""], "CommandError: --host '' would serve on every interface"),
])  # fmt: skip
def test_on_the_command_line_a_bad_option_is_a_message_not_a_traceback(args, says):
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "planner.settings", "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "cxone_sandbox", *args],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0
    assert says in done.stderr and "Traceback" not in done.stderr


def served_with(monkeypatch, *flags):
    served = []
    monkeypatch.setattr(cxone_sandbox, "serve", lambda app, **kwargs: served.append(app))
    call_command("cxone_sandbox", *flags, stdout=io.StringIO())
    return served[0].state.config


def test_the_admin_personalitys_knobs_default_to_what_the_sources_report(monkeypatch):
    config = served_with(monkeypatch, "--api", "admin", "--campaigns", "2")
    assert (config.admin_require_all_days, config.admin_retry_get, config.admin_zone_name_field,
            config.admin_retry_after) == (True, "flat", "name", False)  # fmt: skip


def test_each_open_point_is_a_flag(monkeypatch):
    config = served_with(
        monkeypatch, "--api", "admin", "--campaigns", "2", "--no-admin-require-all-days",
        "--admin-retry-get", "wrapped", "--admin-zone-name-field", "standardName", "--admin-retry-after",
    )  # fmt: skip
    assert (config.admin_require_all_days, config.admin_retry_get, config.admin_zone_name_field,
            config.admin_retry_after) == (False, "wrapped", "standardName", True)  # fmt: skip
