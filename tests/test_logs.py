"""Production logs: one JSON object per line with the request's id (also sent back as X-Request-ID), and no
secret in them, whatever a message or an extra field carries."""

import json
import logging

import pytest

from planner.logs import JsonFormatter, PlainFormatter, RequestIdFilter

SECRETS = {
    "client_secret": "demo-secret-value-42",
    "webhook": "whsec_cGxhbm5lci1kZW1vLXdlYmhvb2stc2lnbmluZy1rZXk=",
    "bearer": "eyJhbGciOiJIUzI1NiJ9.payload.sig",
    "db_password": "hunter2hunter2",
    "password": "correct-horse-battery",
}


class Lines(logging.Handler):
    def __init__(self, formatter):
        super().__init__()
        self.setFormatter(formatter)
        self.addFilter(RequestIdFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def json_lines():
    handler = Lines(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_a_log_line_is_one_json_object_without_any_secret(json_lines):
    log = logging.getLogger("planner.test")
    log.info(
        "token request client_secret=%s with Authorization: Bearer %s to postgres://planner:%s@db/planner",
        SECRETS["client_secret"], SECRETS["bearer"], SECRETS["db_password"],
        extra={"webhook_secret": SECRETS["webhook"], "note": f"signing with {SECRETS['webhook']}",
               "attempt": 2},
    )
    try:
        raise ValueError(f"login failed: password={SECRETS['password']}")
    except ValueError:
        log.exception("it broke")

    assert len(json_lines) == 2 and all("\n" not in line for line in json_lines)
    first, second = (json.loads(line) for line in json_lines)
    assert first["level"] == "INFO" and first["logger"] == "planner.test" and first["attempt"] == 2
    assert "[masked]" in first["message"] and first["webhook_secret"] == "[masked]"
    assert "ValueError" in second["exception"]
    for line in json_lines:
        for secret in SECRETS.values():
            assert secret not in line


def test_plain_lines_for_development_are_masked_too():
    handler = Lines(PlainFormatter("%(levelname)s [%(request_id)s] %(message)s"))
    record = logging.makeLogRecord({"msg": "secret=%s", "args": (SECRETS["client_secret"],), "levelname": "INFO"})
    line = handler.format(record)
    assert SECRETS["client_secret"] not in line and line.startswith("INFO [-]")


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id_which_the_response_names(client, json_lines, planner):
    response = client.post("/login/", {"username": planner.username, "password": SECRETS["password"] + "x"})
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    failed = [json.loads(line) for line in json_lines if "login failed" in line]
    assert failed and all(entry["request_id"] == request_id for entry in failed)
    assert all(SECRETS["password"] not in line for line in json_lines)


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-2f9c1a7e")["X-Request-ID"] == "lb-2f9c1a7e"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32


def test_production_logs_json_and_development_plain(settings):
    from django.conf import settings as live

    assert live.LOGGING["handlers"]["console"]["formatter"] == live.LOG_FORMAT
    assert ("plain" if live.DEBUG else "json") == live.LOG_FORMAT
