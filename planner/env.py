"""Small helpers that read settings from the environment and fail loudly on bad values.

A typo in production configuration must stop the process at start-up with a message that names the variable,
never fall back silently to a default that would, say, point the product at the wrong CXone tenant.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
# A whole number as operators write it: ASCII digits with an optional sign (int() would also take "١٢" or "1_000").
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")
# The password of a URL ("postgres://user:secret@host"): messages about a bad URL must not print it.
URL_PASSWORD = re.compile(r"(//[^/@:]*:)[^/@]*@")


def env_str(name: str, default: str | None = None, environ=os.environ) -> str | None:
    """The variable's value, or NAME_FILE's contents (for secrets mounted as files), or the default."""
    file_name = environ.get(f"{name}_FILE")
    if file_name:
        if name in environ:
            raise ImproperlyConfigured(f"{name}: set either {name} or {name}_FILE, not both")
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r} ({exc.strerror})") from exc
    return environ.get(name, default)


def env_bool(name: str, default: bool = False, environ=os.environ) -> bool:
    raw = env_str(name, None, environ)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}: {raw!r} is not a boolean (use one of 1/0, true/false, yes/no, on/off)"
    )


def env_int(
    name: str, default: int, environ=os.environ, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = env_str(name, None, environ)
    if raw is None or raw.strip() == "":
        return default
    if not WHOLE_NUMBER.fullmatch(raw.strip()):
        raise ImproperlyConfigured(f"{name}: {raw!r} is not a whole number (digits 0-9)")
    value = int(raw.strip())
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}: {value} is below the minimum of {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}: {value} is above the maximum of {maximum}")
    return value


def env_float(name: str, default: float, environ=os.environ, minimum: float | None = None) -> float:
    """A finite number; with `minimum`, strictly above it (a rate of 0 requests per second is no rate)."""
    raw = env_str(name, None, environ)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {raw!r} is not a number") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name}: {raw!r} is not a finite number")
    if minimum is not None and value <= minimum:
        raise ImproperlyConfigured(f"{name}: {value:g} must be above {minimum:g}")
    return value


def env_list(name: str, default: list[str], environ=os.environ) -> list[str]:
    raw = env_str(name, None, environ)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds_list(name: str, default: tuple[int, ...], environ=os.environ) -> tuple[int, ...]:
    """Whole seconds separated by commas or spaces ("0, 5, 300"); loud on anything else or an empty list."""
    raw = env_str(name, None, environ)
    if raw is None or raw.strip() == "":
        return tuple(default)
    parts = [part for part in raw.replace(",", " ").split() if part]
    values = []
    for part in parts:
        try:
            value = int(part)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {part!r} is not a whole number of seconds") from exc
        if value < 0:
            raise ImproperlyConfigured(f"{name}: {value} is negative; waits are 0 or more seconds")
        values.append(value)
    return tuple(values)


def shown_url(url: str) -> str:
    """The URL for a message, its password masked."""
    return URL_PASSWORD.sub(r"\1***@", url)


def split_url(name: str, url: str):
    """urlsplit, with its complaints (a broken IPv6 address, a port that is no number or out of range) turned
    into one line naming the variable."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- parsed lazily: reading it is what raises for "host:99999" or "host:x"
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {shown_url(url)!r} is not a valid URL ({exc})") from exc
    return parts


def env_url(name: str, default: str | None = None, environ=os.environ, strip_slash: bool = True) -> str | None:
    """An http(s) URL; its trailing slash removed unless `strip_slash` is off (an OpenID issuer is compared
    character for character with the `iss` of its tokens, slash included)."""
    raw = env_str(name, default, environ)
    if raw is None or raw == "":
        return raw
    parts = split_url(name, raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{name}: {shown_url(raw)!r} is not an http(s) URL with a host")
    return raw.rstrip("/") if strip_slash else raw


def env_role_groups(name: str, roles: tuple[str, ...], environ=os.environ) -> dict[str, tuple[str, ...]]:
    """Which identity-provider group grants which role: "role=group" pairs separated by ";" or new lines
    ("planner=cc-planners; supervisor=cc-supervisors; planner=cc-leads"). A role may be granted by several
    groups; a group name may hold "=" and "," (an LDAP DN): only the first "=" separates."""
    raw = env_str(name, None, environ)
    found: dict[str, list[str]] = {}
    for part in (raw or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        role, equals, group = (piece.strip() for piece in part.partition("="))
        if not equals or not group:
            raise ImproperlyConfigured(f"{name}: {part.strip()!r} is not role=group")
        if role not in roles:
            raise ImproperlyConfigured(f"{name}: {role!r} is not a role (use one of {', '.join(roles)})")
        found.setdefault(role, []).append(group)
    return {role: tuple(groups) for role, groups in found.items()}


def env_proxy_ssl_header(name: str, environ=os.environ) -> tuple[str, str] | None:
    """The header a TLS-terminating proxy sets and its value for HTTPS, as "X-Forwarded-Proto:https" (or
    "HTTP_X_FORWARDED_PROTO,https"); unset or empty: no header is trusted to say HTTPS. (Who the client is, is
    TRUSTED_PROXY_HOPS's to say, not this header's.)"""
    raw = env_str(name, None, environ)
    if raw is None or raw.strip() == "":
        return None
    separator = ":" if ":" in raw else ","
    header, _, value = (part.strip() for part in raw.partition(separator))
    if not header or not value or " " in header:
        raise ImproperlyConfigured(f"{name}: {raw!r} is not HEADER:VALUE (e.g. X-Forwarded-Proto:https)")
    meta = header.upper().replace("-", "_")
    if not meta.startswith("HTTP_"):
        meta = "HTTP_" + meta
    return meta, value


def sqlite_database(path: str | Path) -> dict:
    """SQLite tuned for a web process and workers sharing one file.

    Django's default (rollback journal, DEFERRED transactions, 5 s timeout) makes concurrent writers fail with
    "database is locked" instead of waiting, which loses django-q2 task results under load. WAL lets readers run
    beside the writer, IMMEDIATE takes the write lock at BEGIN so a transaction never has to be upgraded
    mid-way (the case SQLite cannot wait out), and the busy timeout makes writers queue instead of failing.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


def database_from_url(url: str, name: str = "DATABASE_URL") -> dict:
    """postgres://user:pass@host:port/db?sslmode=… or sqlite:///relative/or//absolute/path."""
    parts = split_url(name, url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"{name}: {shown_url(url)!r} names no SQLite file")
        return sqlite_database(path)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        db_name = unquote(parts.path.lstrip("/"))
        if not db_name:
            raise ImproperlyConfigured(f"{name}: {shown_url(url)!r} names no database")
        port = parts.port
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": db_name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(
        f"{name}: scheme {parts.scheme!r} is not supported (use postgres:// or sqlite://)"
    )
