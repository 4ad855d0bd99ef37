"""`manage.py check --deploy` with a production environment is clean (CI runs the same), and each HTTPS setting
comes from its environment variable."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "planner.settings",
    "SECRET_KEY": "x7Rk2-a9QpLm4vT8nB1cZ6wE3yU0iO5sD7fG2hJ4kL9zX1cV6bN3mQ8",
    "ALLOWED_HOSTS": "planner.example.com",
    "DATABASE_URL": "postgres://planner:pw@db.example.com:5432/planner",
    "REDIS_URL": "redis://redis.example.com:6379/0",
    "CXONE_BASE_URL": "https://api.example.com",
    "CXONE_CLIENT_ID": "planner",
    "CXONE_CLIENT_SECRET": "s3cret",
    "WFM_WEBHOOK_URL": "https://wfm.example.com/hooks",
    "WFM_WEBHOOK_SECRET": "whsec_cGxhbm5lci1kZW1vLXdlYmhvb2stc2lnbmluZy1rZXk=",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto:https",
    "TRUSTED_PROXY_HOPS": "1",
    "METRICS_TOKEN": "metrics-token-for-the-check",
    "EMAIL_HOST": "smtp.example.com",
}


def run(*args, **env):
    # Not the test run's own switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which --deploy refuses).
    leave_out = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in leave_out}
    environ.update(PRODUCTION)
    environ.update(env)
    environ = {k: v for k, v in environ.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def settings_value(name: str, **env) -> str:
    done = run("shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))", **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_check_deploy_is_clean_in_a_production_environment():
    done = run("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_when_https_is_switched_off():
    done = run("check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    assert done.returncode != 0
    assert "security.W008" in done.stderr and "security.W004" in done.stderr


def test_https_settings_come_from_the_environment():
    assert settings_value("SECURE_SSL_REDIRECT") == "True"  # production default
    assert settings_value("SECURE_HSTS_SECONDS") == "31536000"
    assert settings_value("SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert settings_value("SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS="600") == "600"
    assert settings_value("SECURE_SSL_REDIRECT", SECURE_SSL_REDIRECT="off") == "False"
    assert settings_value("SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="") == "None"


def test_a_bad_proxy_header_stops_the_process_naming_the_variable():
    done = run("check", SECURE_PROXY_SSL_HEADER="https")
    assert done.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in done.stderr and "HEADER:VALUE" in done.stderr


def test_hsts_covers_sub_domains_by_default_and_preload_is_an_opt_in():
    assert settings_value("SECURE_HSTS_INCLUDE_SUBDOMAINS") == "True"
    assert settings_value("SECURE_HSTS_PRELOAD") == "False"
    assert settings_value("SECURE_HSTS_PRELOAD", SECURE_HSTS_PRELOAD="1") == "True"
    assert settings_value("SILENCED_SYSTEM_CHECKS", SECURE_HSTS_PRELOAD="1") == "[]"


def test_check_deploy_warns_when_a_proxy_is_in_front_but_no_hop_is_trusted():
    done = run("check", "--deploy", "--fail-level", "WARNING", TRUSTED_PROXY_HOPS="0")
    assert done.returncode != 0
    assert "planner.W003" in done.stderr and "TRUSTED_PROXY_HOPS" in done.stderr
