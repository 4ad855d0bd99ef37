"""mozilla-django-oidc reads its settings by its own names (OIDC_RP_CLIENT_ID, OIDC_TIMEOUT, ...); ours are the
README's (OIDC_CLIENT_ID, OIDC_TIMEOUT_SECONDS, ...). Its views and backend ask through `library_setting`, so
each value has one name in planner/settings.py and the library reads it at request time."""

from __future__ import annotations

from mozilla_django_oidc.utils import import_from_settings

OURS = {
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_RP_SCOPES": "OIDC_SCOPES",
    "OIDC_TIMEOUT": "OIDC_TIMEOUT_SECONDS",
}


def library_setting(attr, *args):
    return import_from_settings(OURS.get(attr, attr), *args)
