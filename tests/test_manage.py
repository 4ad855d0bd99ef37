"""manage.py: a bad setting in the environment is one line naming the variable and why, exit 2, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CXONE_BASE_URL"}}
    environ.update(DJANGO_SETTINGS_MODULE="planner.settings", DEBUG="1", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("CXONE_BASE_URL", "http://[::1", "is not a valid URL (Invalid IPv6 URL)"),
        ("CXONE_BASE_URL", "ftp://cxone.example.com", "is not an http(s) URL with a host"),
        ("DATABASE_URL", "postgres://planner:pw@db.example.com:99999/planner", "Port out of range 0-65535"),
        ("DATABASE_URL", "mysql://db.example.com/planner", "scheme 'mysql' is not supported"),
        ("TRUSTED_PROXY_HOPS", "-1", "below the minimum of 0"),
    ],
)
def test_a_bad_variable_stops_every_command_with_one_line_naming_it(variable, value, reason):
    done = manage("check", **{variable: value})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"Configuration error: {variable}: ") and reason in done.stderr
    assert ":pw@" not in done.stderr


def test_good_settings_run_the_command():
    done = manage("check")
    assert done.returncode == 0, done.stderr
