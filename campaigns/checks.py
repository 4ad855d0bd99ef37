"""System checks for production settings, with stable ids that operators can silence or search for.

planner.E001  CXone base URL, client id or client secret missing (DEBUG off)
planner.E002  WFM webhook URL set without a signing secret
planner.W001  WFM webhook URL not set: activations will not notify WFM
planner.E003  ALLOWED_HOSTS empty with DEBUG off
planner.W002  SQLite in production: one host only, no scale-out
planner.E004  the development SECRET_KEY used with DEBUG off
planner.E005  SECRET_KEY missing
planner.E006  WFM webhook secret not one or two whsec_ secrets
planner.E007  WFM retry schedule empty, negative or longer than 20 attempts
planner.E008  WFM webhook timeout outside 1-30 seconds
planner.E009  CXONE_API neither "outbound-v2" nor "admin"
planner.E010  CXONE_API=admin without an access key (DEBUG off), or a schedule time format that is not a time
planner.W003  a TLS proxy in front (SECURE_PROXY_SSL_HEADER) but TRUSTED_PROXY_HOPS 0: every client has its address
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from campaigns.cxone import factory as cxone
from campaigns.wfm.signing import InvalidSecret, parse_secrets

MAX_ATTEMPTS = 20
MAX_TIMEOUT_SECONDS = 30
CXONE_CHECK_IDS = {
    cxone.MISSING_CREDENTIALS: "planner.E001",
    cxone.UNKNOWN_API: "planner.E009",
    cxone.BACKEND_SETTING: "planner.E010",
}


def retry_schedule_is_valid(schedule) -> bool:
    return (
        isinstance(schedule, list | tuple)
        and 1 <= len(schedule) <= MAX_ATTEMPTS
        and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in schedule)
    )


DOCS = "See README.md, section Configuration."


@register(Tags.security, deploy=False)
def check_integration_settings(app_configs=None, **kwargs):
    problems = []
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:
        secret_key = None
        problems.append(
            Error("SECRET_KEY is not set (required when DEBUG is off).", hint=DOCS, id="planner.E005")
        )
    if not settings.DEBUG:
        if not settings.ALLOWED_HOSTS:
            problems.append(Error("ALLOWED_HOSTS is empty while DEBUG is off.", hint=DOCS, id="planner.E003"))
        if secret_key == getattr(settings, "DEV_SECRET_KEY", None):
            problems.append(
                Error("SECRET_KEY is the development key while DEBUG is off.", hint=DOCS, id="planner.E004")
            )
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            problems.append(
                Warning(
                    "SQLite in production: fine for one host, but web and workers cannot scale out.",
                    hint="Set DATABASE_URL to a PostgreSQL database.",
                    id="planner.W002",
                )
            )
    if settings.WFM_WEBHOOK_URL and not settings.WFM_WEBHOOK_SECRET:
        problems.append(
            Error(
                "WFM_WEBHOOK_URL is set but WFM_WEBHOOK_SECRET is not: webhooks cannot be signed.",
                hint=DOCS,
                id="planner.E002",
            )
        )
    if settings.WFM_WEBHOOK_SECRET:
        try:
            parse_secrets(settings.WFM_WEBHOOK_SECRET)
        except InvalidSecret as exc:
            problems.append(
                Error(
                    f"WFM_WEBHOOK_SECRET {exc}.",
                    hint="Use 'whsec_' + base64 of 24-64 random bytes; two, separated by a space, while "
                    "rotating. " + DOCS,
                    id="planner.E006",
                )
            )
    schedule = getattr(settings, "WFM_RETRY_SCHEDULE", None)
    if not retry_schedule_is_valid(schedule):
        problems.append(
            Error(
                f"WFM_RETRY_SCHEDULE {schedule!r} must be 1 to {MAX_ATTEMPTS} waits of 0 or more whole seconds.",
                hint=DOCS,
                id="planner.E007",
            )
        )
    timeout = getattr(settings, "WFM_TIMEOUT_SECONDS", None)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= MAX_TIMEOUT_SECONDS:
        problems.append(
            Error(
                f"WFM_TIMEOUT_SECONDS {timeout!r} must be 1 to {MAX_TIMEOUT_SECONDS} seconds (Standard Webhooks: "
                "15-30 s; a worker's lease and task timeout leave room for no more).",
                hint=DOCS,
                id="planner.E008",
            )
        )
    # CXone's own settings are cxone's to judge (only it knows what each backend needs); the ids are ours.
    problems.extend(
        Error(problem.message, hint=DOCS, id=CXONE_CHECK_IDS[problem.kind])
        for problem in cxone.settings_problems(credentials_required=not settings.DEBUG)
    )
    if settings.SECURE_PROXY_SSL_HEADER and not getattr(settings, "TRUSTED_PROXY_HOPS", 0):
        problems.append(
            Warning(
                "SECURE_PROXY_SSL_HEADER says a proxy is in front, but TRUSTED_PROXY_HOPS is 0: every log-in "
                "seems to come from the proxy's address, so one person's wrong passwords slow everyone's.",
                hint="Set TRUSTED_PROXY_HOPS to the number of proxies that append to X-Forwarded-For. " + DOCS,
                id="planner.W003",
            )
        )
    if not settings.WFM_WEBHOOK_URL and not settings.DEBUG:
        problems.append(
            Warning(
                "WFM_WEBHOOK_URL is not set: WFM will not hear of activations.", hint=DOCS, id="planner.W001"
            )
        )
    return problems
