"""The configured CXone backend: which one CXONE_API names, what it can do, how it is built from the settings,
and what is wrong with those settings. The only module that reads the CXONE_* settings (ratelimit.py reads the
shared bucket's); factory.py is the door the layers above use to reach it.

- `outbound-v2` (the default, and what any unknown value falls back to, which planner.E009 reports):
  v2.CXoneClient needs CXONE_BASE_URL, CXONE_CLIENT_ID and CXONE_CLIENT_SECRET.
- `admin`: admin_client.AdminClient needs those (the token and discovery host, the registered application) and
  the access key CXONE_ACCESS_KEY_ID/SECRET; CXONE_ADMIN_* settle the Admin API's open points.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings

from campaigns.cxone import capabilities as caps
from campaigns.cxone.admin_client import AdminClient
from campaigns.cxone.backend import CXoneBackend
from campaigns.cxone.errors import CXoneNotConfigured
from campaigns.cxone.ratelimit import rate_limit_from_settings
from campaigns.cxone.resilience import RetrySettings
from campaigns.cxone.v2 import CXoneClient
from campaigns.scheduling.weekly import format_time, parse_time

__all__ = [
    "BACKEND_SETTING",
    "MISSING_CREDENTIALS",
    "UNKNOWN_API",
    "SettingsProblem",
    "build_client",
    "configured_capabilities",
    "settings_problems",
]

API_CHOICES = (caps.OUTBOUND_V2.api, caps.ADMIN.api)
CREDENTIALS = ("CXONE_BASE_URL", "CXONE_CLIENT_ID", "CXONE_CLIENT_SECRET")
ACCESS_KEY = ("CXONE_ACCESS_KEY_ID", "CXONE_ACCESS_KEY_SECRET")
SCHEDULE_READS = ("parameters", "schedule-settings")

# What a SettingsProblem is about, so that the system checks can give each kind its stable id.
MISSING_CREDENTIALS = "missing-credentials"  # the tenant, the application or its secret
UNKNOWN_API = "unknown-api"  # CXONE_API names no backend
BACKEND_SETTING = "backend-setting"  # a setting of the chosen backend (the Admin API's access key, formats)


@dataclass(frozen=True)
class SettingsProblem:
    kind: str
    message: str


def _api() -> str:
    return getattr(settings, "CXONE_API", caps.OUTBOUND_V2.api)


def configured_capabilities() -> caps.Capabilities:
    """What the configured backend can do, known without building a client (CXone may not be configured)."""
    if _api() != caps.ADMIN.api:
        return caps.OUTBOUND_V2
    all_days = _require_all_days()
    return dataclasses.replace(caps.ADMIN, requires_all_days=all_days, holds_partial_weeks=all_days)


def _require_all_days() -> bool:
    return bool(getattr(settings, "CXONE_ADMIN_REQUIRE_ALL_DAYS", True))


def build_client() -> CXoneBackend:
    """A client of the configured tenant, of the API CXONE_API names, that takes every request from the shared
    bucket (CXONE_RATE_LIMIT, CXONE_BURST) and gives each call CXONE_RETRY_BUDGET_SECONDS to get through.
    CXoneNotConfigured names the settings it lacks."""
    admin = _api() == caps.ADMIN.api
    missing = _missing(CREDENTIALS + (ACCESS_KEY if admin else ()))
    if missing:
        raise CXoneNotConfigured(f"CXone is not configured: set {', '.join(missing)}")
    options = {
        "timeout": float(settings.CXONE_TIMEOUT_SECONDS),
        "retry": RetrySettings(total_seconds=float(settings.CXONE_RETRY_BUDGET_SECONDS)),
        "rate_limit": rate_limit_from_settings(settings.CXONE_BASE_URL, settings.CXONE_CLIENT_ID),
    }
    if not admin:
        return CXoneClient(
            settings.CXONE_BASE_URL, settings.CXONE_CLIENT_ID, settings.CXONE_CLIENT_SECRET, **options
        )
    return AdminClient(
        settings.CXONE_BASE_URL,
        settings.CXONE_CLIENT_ID,
        settings.CXONE_CLIENT_SECRET,
        settings.CXONE_ACCESS_KEY_ID,
        settings.CXONE_ACCESS_KEY_SECRET,
        tenant_id=settings.CXONE_TENANT_ID,
        api_version=settings.CXONE_ADMIN_API_VERSION,
        time_format=settings.CXONE_ADMIN_TIME_FORMAT,
        schedule_zone=settings.CXONE_ADMIN_SCHEDULE_ZONE,
        schedule_read=settings.CXONE_ADMIN_SCHEDULE_READ,
        require_all_days=_require_all_days(),
        **options,
    )


def settings_problems(*, credentials_required: bool) -> list[SettingsProblem]:
    """What is wrong with the CXone settings, in words an operator acts on. `credentials_required`: report
    missing credentials and access key too (a deployment; in development they come later, or the sandbox's)."""
    problems: list[SettingsProblem] = []
    missing = _missing(CREDENTIALS)
    if missing and credentials_required:
        problems.append(
            SettingsProblem(MISSING_CREDENTIALS, f"CXone settings missing: {', '.join(missing)}.")
        )
    api = getattr(settings, "CXONE_API", None)
    if api not in API_CHOICES:
        message = f"CXONE_API {api!r} must be one of {', '.join(API_CHOICES)}."
        return [*problems, SettingsProblem(UNKNOWN_API, message)]
    if api == caps.ADMIN.api:
        problems.extend(_admin_problems(credentials_required=credentials_required))
    return problems


def _admin_problems(*, credentials_required: bool) -> list[SettingsProblem]:
    problems = []
    missing = _missing(ACCESS_KEY)
    if missing and credentials_required:
        message = f"CXONE_API=admin needs an access key: set {', '.join(missing)}."
        problems.append(SettingsProblem(BACKEND_SETTING, message))
    read = getattr(settings, "CXONE_ADMIN_SCHEDULE_READ", SCHEDULE_READS[0])
    if read not in SCHEDULE_READS:
        message = f"CXONE_ADMIN_SCHEDULE_READ {read!r} must be parameters or schedule-settings."
        problems.append(SettingsProblem(BACKEND_SETTING, message))
    time_format = getattr(settings, "CXONE_ADMIN_TIME_FORMAT", "")
    try:  # a format that writes 13:45 must read back as 13:45
        readable = parse_time(format_time(13 * 60 + 45, time_format), "CXONE_ADMIN_TIME_FORMAT") == 825
    except (TypeError, ValueError):
        readable = False
    if not readable:
        message = (
            f"CXONE_ADMIN_TIME_FORMAT {time_format!r} does not write a time of day (use %H:%M or %H:%M:%S)."
        )
        problems.append(SettingsProblem(BACKEND_SETTING, message))
    return problems


def _missing(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if not getattr(settings, name, None)]
