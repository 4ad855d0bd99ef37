"""Logging for operators: one JSON object per line (LOG_FORMAT=json), each with the id of the request it belongs
to, and no secret in any of them.

The request id is the caller's X-Request-ID when it looks like one (a proxy or load balancer set it, so its logs
and ours join), else a new one; it goes back in the response's X-Request-ID header."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Masked wherever they appear in a message or an extra field: bearer tokens, OAuth secrets and tokens in bodies
# or query strings, passwords, Standard Webhooks secrets, and the password of a database or Redis URL.
SECRET_PATTERNS = [
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[masked]"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_[masked]"),
    (
        re.compile(
            r"(?i)((?:client_secret|password|passwd|secret|token|access_token|refresh_token|api_key|"
            r"authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;}]+"
        ),
        r"\1[masked]",
    ),
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s/]+@"), r"\1[masked]@"),
]
SECRET_KEYS = re.compile(r"(?i)secret|password|passwd|token|authorization|api_key|cookie")

# LogRecord's own attributes: everything else on a record came from `extra=` and is worth keeping.
RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "taskName"}


def mask(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def masked_value(key: str, value):
    if SECRET_KEYS.search(key):
        return "[masked]"
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return mask(str(value))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return mask(super().format(record))


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", extra fields..., "exception"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in RECORD_FIELDS and not key.startswith("_") and key not in entry:
                entry[key] = masked_value(key, value)
        if record.exc_info:
            entry["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response
