"""System checks for sign-on and mail (beside campaigns/checks.py), with stable ids:

planner.E020  OIDC_ISSUER set without OIDC_CLIENT_ID or OIDC_CLIENT_SECRET
planner.E021  OIDC_ISSUER set, but OIDC_ROLE_GROUPS grants no role: nobody signing on would get one
planner.E022  PASSWORD_LOGIN off and no OIDC_ISSUER: nobody can sign in
planner.E023  EMAIL_USE_TLS and EMAIL_USE_SSL both on (one or the other)
planner.E024  MAIL_RETRY_SCHEDULE empty or longer than 30 attempts
planner.E025  OIDC_SIGNING_ALGORITHMS names one that is not RS256/384/512 or ES256/384/512
planner.W020  OIDC_ISSUER not https with DEBUG off
planner.W021  local passwords still on beside sign-on with DEBUG off (PASSWORD_LOGIN=0 once sign-on works)
planner.W022  EMAIL_HOST not set with DEBUG off: notification mail is only written to the workers' log
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DOCS = "See README.md, sections Configuration and Sign-on."
MAX_MAIL_ATTEMPTS = 30
ASYMMETRIC = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")


@register(Tags.security, deploy=False)
def check_sign_on_and_mail(app_configs=None, **kwargs):
    problems = []
    issuer = getattr(settings, "OIDC_ISSUER", None)
    if issuer:
        missing = [n for n in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not getattr(settings, n, None)]
        if missing:
            problems.append(Error(f"OIDC_ISSUER is set but {', '.join(missing)} is not.", hint=DOCS,
                                  id="planner.E020"))  # fmt: skip
        if not getattr(settings, "OIDC_ROLE_GROUPS", None):
            problems.append(Error("OIDC_ROLE_GROUPS grants no role: everyone signing on would be refused.",
                                  hint="Set it to role=group pairs, e.g. planner=cc-planners;supervisor=cc-sup.",
                                  id="planner.E021"))  # fmt: skip
        odd = [a for a in getattr(settings, "OIDC_SIGNING_ALGORITHMS", []) if a not in ASYMMETRIC]
        if odd or not getattr(settings, "OIDC_SIGNING_ALGORITHMS", []):
            problems.append(Error(f"OIDC_SIGNING_ALGORITHMS {odd or '(empty)'}: use {', '.join(ASYMMETRIC)} (keys "
                                  "from the provider's JWKS, never a shared secret).", hint=DOCS,
                                  id="planner.E025"))  # fmt: skip
        if not settings.DEBUG and not issuer.startswith("https://"):
            problems.append(Warning("OIDC_ISSUER is not https: tokens and codes would cross the network in the "
                                    "clear.", hint=DOCS, id="planner.W020"))  # fmt: skip
        if not settings.DEBUG and getattr(settings, "PASSWORD_LOGIN", True):
            problems.append(Warning("Local passwords still work beside sign-on (PASSWORD_LOGIN is on): leavers "
                                    "keep any local password.", hint="Set PASSWORD_LOGIN=0 once sign-on works.",
                                    id="planner.W021"))  # fmt: skip
    elif not getattr(settings, "PASSWORD_LOGIN", True):
        problems.append(Error("PASSWORD_LOGIN is off and OIDC_ISSUER is not set: nobody can sign in.", hint=DOCS,
                              id="planner.E022"))  # fmt: skip
    if getattr(settings, "EMAIL_USE_TLS", False) and getattr(settings, "EMAIL_USE_SSL", False):
        problems.append(Error("EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one (STARTTLS on 587, or TLS "
                              "from the start on 465).", hint=DOCS, id="planner.E023"))  # fmt: skip
    schedule = getattr(settings, "MAIL_RETRY_SCHEDULE", None)
    if not isinstance(schedule, list | tuple) or not 1 <= len(schedule) <= MAX_MAIL_ATTEMPTS:
        problems.append(Error(f"MAIL_RETRY_SCHEDULE {schedule!r} must be 1 to {MAX_MAIL_ATTEMPTS} waits.",
                              hint=DOCS, id="planner.E024"))  # fmt: skip
    if not settings.DEBUG and not getattr(settings, "EMAIL_HOST", ""):
        problems.append(Warning("EMAIL_HOST is not set: notification mail is only written to the workers' log.",
                                hint=DOCS, id="planner.W022"))  # fmt: skip
    return problems
