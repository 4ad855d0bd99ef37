"""compose.yaml (Docker does not run here, so it is parsed): the services of the scale-out shape, each process of
Procfile.scale in it with the same command, every variable it sets one that planner/settings.py reads, and the
production ones all set; migrations and schedules run once, before web and workers."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from planner.procs import read_procfile

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
# What the process itself reads beside the settings (Django's, gunicorn's, the ports compose publishes).
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}
PRODUCTION_NEEDS = {
    "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "CXONE_BASE_URL", "CXONE_CLIENT_ID",
    "CXONE_CLIENT_SECRET", "WFM_WEBHOOK_URL", "WFM_WEBHOOK_SECRET", "METRICS_TOKEN", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER", "LOG_FORMAT",
}


def settings_variables() -> set[str]:
    """Every environment variable planner/settings.py reads (env_str("NAME"), env_bool("NAME", ...), ...)."""
    source = (ROOT / "planner" / "settings.py").read_text()
    return set(re.findall(r'env_[a-z_]+\(\s*"([A-Z][A-Z0-9_]*)"', source))


def command_of(service: str) -> str:
    command = SERVICES[service]["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_it_has_the_services_of_the_scale_out_shape():
    assert {"postgres", "redis", "migrate", "web", "worker", "sandbox"} <= set(SERVICES)
    assert SERVICES["worker"]["deploy"]["replicas"] >= 2
    assert SERVICES["sandbox"]["profiles"] == ["sandbox"]
    assert all("profiles" not in SERVICES[name] for name in ["postgres", "redis", "migrate", "web", "worker"])


def test_each_procfile_process_runs_the_same_command_in_compose():
    procfile = dict(read_procfile(str(ROOT / "Procfile.scale")))
    workers = [name for name in procfile if name.startswith("worker")]
    assert len(workers) == SERVICES["worker"]["deploy"]["replicas"] == 2
    for name, command in procfile.items():
        service = "worker" if name in workers else name
        assert service in SERVICES, f"Procfile.scale's {name} has no compose service"
        program = {"web": "gunicorn planner.wsgi:application", "worker": "manage.py qcluster",
                   "sandbox": "manage.py cxone_sandbox"}[service]
        assert program in command and program in command_of(service)
    procfile_sandbox = procfile["sandbox"].split("cxone_sandbox", 1)[1]
    for option in re.findall(r"--[a-z-]+", procfile_sandbox):
        assert option in command_of("sandbox"), f"sandbox option {option} differs"


def test_every_variable_it_sets_is_a_setting_and_production_needs_are_all_set():
    known = settings_variables() | NOT_SETTINGS
    assert {"SECRET_KEY", "DATABASE_URL", "METRICS_TOKEN", "SECURE_PROXY_SSL_HEADER"} <= known  # the parse works
    for name in ["migrate", "web", "worker", "sandbox"]:
        variables = set(SERVICES[name]["environment"])
        unknown = variables - known
        assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"
    for name in ["migrate", "web", "worker"]:
        missing = PRODUCTION_NEEDS - set(SERVICES[name]["environment"])
        assert not missing, f"{name} lacks {sorted(missing)}"
    env = SERVICES["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0" and env["LOG_FORMAT"] == "json"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # no default secret: compose refuses to start without


def test_the_scale_script_sets_only_variables_the_settings_read():
    script = (ROOT / "scripts" / "scale").read_text()
    exported = set()
    for line in script.splitlines():
        if line.startswith("export "):
            exported |= set(re.findall(r"([A-Z][A-Z0-9_]*)=", line))
    extra = {"WEB_PORT", "SANDBOX_PORT"}  # read by Procfile.scale's lines
    assert exported - extra - NOT_SETTINGS <= settings_variables()


def test_migrations_and_schedules_run_once_before_web_and_workers():
    migrate = command_of("migrate")
    assert "migrate --noinput" in migrate and "setup_schedules" in migrate
    assert SERVICES["migrate"]["restart"] == "no"
    for name in ["web", "worker"]:
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in command_of(name)
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
