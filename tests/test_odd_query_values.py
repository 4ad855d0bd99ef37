"""Odd values for every query parameter of every page, and odd ids in every path: never a 500.

A parameter that picks something (a filter, an id, a page, a range, a date) answers an odd value with 400 and a
line naming it; free text (a search, a zone name, the log-in's `next`) is taken as text. The table below lists
what each page reads; a test records what the pages really read, so a new parameter cannot go without its row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse

from campaigns.models import (
    Activation,
    AgentPool,
    AuditEntry,
    DiallingStop,
    DraftStatus,
    TimedPause,
    WebhookDelivery,
)
from campaigns.services.blackouts import editing
from campaigns.services.drafts import workflow
from tests.conftest import make_campaign, make_draft
from tests.test_permissions import MATRIX, ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

ODD_VALUES = [
    "²",  # a superscript digit: str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits: int() reads 12
    "2⁸",
    "100000000000000000000",  # more than a database integer holds (SQLite: OverflowError)
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "nan",
    "inf",
    "1e308",
    "",
    " ",
    "\x00",  # PostgreSQL refuses NUL in any text it is sent
    "<script>alert(1)</script>",
    "Europe/Nowhere",
    "x" * 5000,
]

# What each kind of parameter must answer to an odd value: a choice, an id, a page, a number or a date is refused
# with 400 unless blank (blank means "not filtered" / the default); text of any kind is read as text.
STRICT = {"choice", "id", "page", "number", "date"}
LENIENT = {"text", "flag", "zone", "format", "chart", "next"}

# page → {parameter: kind}
PARAMETERS = {
    "login": {"next": "next"},
    "admin-login": {"next": "next"},
    "notifications": {},
    "campaign-list": {
        "q": "text", "state": "choice", "skill": "id", "finding": "choice", "changed": "choice", "page": "page",
    },  # fmt: skip
    "campaign-history": {"from": "id", "to": "id"},
    "pools": {},
    "pool-new": {},
    "pool-edit": {},
    "calendars": {},
    "calendar-new": {},
    "calendar-detail": {},
    "calendar-edit": {},
    "campaign-detail": {},
    "my-drafts": {},
    "draft-editor": {},
    "approval-queue": {"page": "page"},
    "activation-list": {"step": "choice", "campaign": "id", "page": "page"},
    "activation-step": {},
    "audit": {"campaign": "id", "user": "id", "action": "text", "page": "page"},
    "audit-csv": {"campaign": "id", "user": "id", "action": "text"},
    "webhooks": {"status": "choice", "page": "page"},
    "timeline": {
        "start": "date", "days": "number", "times": "choice", "pool": "choice", "zone": "choice",
        "conflicting": "flag", "tz": "zone", "format": "format",
    },  # fmt: skip
    "capacity": {
        "start": "date", "days": "number", "times": "choice", "pool": "choice", "tz": "zone", "format": "format",
        "chart": "chart",
    },  # fmt: skip
    "dashboard": {"days": "choice", "chart": "chart", "format": "format"},
    "healthz": {},
    "dialling": {},
    "dialling-stop": {},
    "dialling-stop-rows": {},
}
# The pages a signed-in user opens with GET (the rest of the URL conf are actions, redirects or not for people).
SUPERVISOR = ROLES.index("supervisor")
GET_PAGES = sorted(name for name, (gets, _) in MATRIX.items() if gets[SUPERVISOR] in (200, 286))
# Pages whose path names a row, and which row.
ROW_OF = {
    "campaign-detail": "campaign", "campaign-history": "campaign", "draft-new": "campaign",
    "activation-step": "activation", "pool-edit": "pool",
    "activation-retry": "activation", "webhook-redeliver": "delivery", "notification-dismiss": "entry",
    "calendar-detail": "calendar", "calendar-edit": "calendar", "calendar-attach": "calendar",
    "calendar-revision-submit": "revision", "calendar-revision-withdraw": "revision",
    "calendar-revision-discard": "revision",
    "calendar-revision-approve": "revision", "calendar-revision-reject": "revision",
    "dialling-stop": "stop", "dialling-stop-rows": "stop", "dialling-resume-ask": "stop",
    "dialling-resume-withdraw": "stop", "dialling-resume-agree": "stop", "dialling-pause-approve": "pause",
    "dialling-pause-reject": "pause",
}  # fmt: skip
WITH_ROWS = sorted(name for name in MATRIX if name in ROW_OF or name.startswith("draft-"))


@pytest.fixture
def rows(campaign, other_planner, other_supervisor):
    revision = editing.create_calendar(other_supervisor, "Closures", "", "2026-12-24: Eve")
    revision = editing.submit(revision.pk, other_supervisor)
    draft = make_draft(campaign, other_planner)
    draft = workflow.submit(draft.pk, other_planner, lock_version=draft.lock_version)
    elsewhere = make_campaign("C-2002", name="Win-back")
    failed = Activation.objects.create(
        draft=make_draft(elsewhere, other_planner, status=DraftStatus.FAILED),
        campaign=elsewhere,
        step=Activation.Step.FAILED,
        approved_at=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
        base_version=elsewhere.remote_version,
    )
    dead = WebhookDelivery.objects.create(
        event_type="CAMPAIGN_SCHEDULE_UPDATED", payload={}, status=WebhookDelivery.Status.DEAD
    )
    pool = AgentPool.objects.create(name="Callers", agents=8)
    stop = DiallingStop.objects.create(reason="Carrier incident", selection={"all": True})
    pause = TimedPause.objects.create(
        starts_at=dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC), ends_at=dt.datetime(2030, 1, 1, 17, tzinfo=dt.UTC),
        reason="Training day", requested_by=other_planner,
    )  # fmt: skip
    return {"campaign": campaign, "draft": draft, "activation": failed, "delivery": dead,
            "entry": AuditEntry.objects.latest("id"), "pool": pool, "revision": revision,
            "calendar": revision.calendar, "stop": stop, "pause": pause}  # fmt: skip


@pytest.fixture
def signed_in(client, supervisor):
    client.force_login(supervisor)
    return client


def url_for(name: str, rows: dict) -> str:
    if name in ROW_OF or name.startswith("draft-"):
        return reverse(name, args=[rows[ROW_OF.get(name, "draft")].pk])
    return reverse(name)


def allowed(kind: str, value: str) -> set[int]:
    if kind in LENIENT or not value:
        return {200}
    if not value.strip():
        return {200, 400}  # blank to a form field (which strips), a value to a filter
    if kind in {"id", "page"} and value.isascii() and value.isdigit() and len(value) <= 18:
        return {200}  # a number: a row that may not exist, a page past the last (the last is shown)
    return {400}


@pytest.fixture
def parameters_read(monkeypatch):
    """The query-string keys the views read while the fixture is active."""
    seen: set[str] = set()
    # Not __contains__: building a QueryDict asks it of every key it is given.
    for method in ("get", "__getitem__", "getlist"):
        original = getattr(QueryDict, method)

        def recording(self, key, *args, _original=original, **kwargs):
            seen.add(key)
            return _original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, method, recording)
    return seen


def test_the_table_names_every_page_a_signed_in_user_opens():
    assert set(GET_PAGES) == set(PARAMETERS)


@pytest.mark.parametrize("name", GET_PAGES)
def test_the_table_names_every_parameter_each_page_reads(signed_in, rows, parameters_read, name):
    signed_in.get(url_for(name, rows))
    signed_in.get(url_for(name, rows), {"format": "csv"})
    assert parameters_read <= set(PARAMETERS[name]), f"{name} reads parameters the table does not list"


@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: repr(v[:12]))
@pytest.mark.parametrize(
    ("name", "parameter"), [(name, p) for name, params in PARAMETERS.items() for p in params]
)
def test_an_odd_value_is_refused_naming_the_parameter_or_read_as_text(signed_in, rows, name, parameter, value):
    kind = PARAMETERS[name][parameter]
    response = signed_in.get(url_for(name, rows), {parameter: value})
    assert response.status_code in allowed(kind, value), f"{name}?{parameter}={value[:20]!r}"
    if response.status_code == 400 and "html" in response["Content-Type"]:
        assert 'role="alert"' in response.content.decode() or "field-error" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "query", "status"),
    [
        ("timeline", {"start": "9999-12-31", "days": "31", "times": "utc"}, 400),
        ("timeline", {"start": "0001-01-01", "days": "1", "tz": "Pacific/Kiritimati"}, 400),
        ("capacity", {"start": "9999-12-31", "days": "14", "format": "csv"}, 400),
        ("capacity", {"start": "2100-12-31", "days": "14", "times": "utc"}, 200),
        ("dashboard", {"format": "csv", "chart": "²"}, 404),
        ("audit-csv", {"campaign": "²", "action": "\x00"}, 400),
        ("campaign-list", {"q": "\x00" * 50, "page": "1"}, 200),
    ],
)
def test_odd_values_together_are_refused_as_well(signed_in, rows, name, query, status):
    assert signed_in.get(url_for(name, rows), query).status_code == status


@pytest.mark.parametrize("pk", [999_999, "100000000000000000000", 0])
@pytest.mark.parametrize("name", WITH_ROWS)
def test_a_row_that_does_not_exist_is_not_found_by_get_or_post(signed_in, rows, name, pk):
    url = reverse(name, args=[1]).replace("/1/", f"/{pk}/", 1)  # reverse() refuses ids the path does
    gets, posts = MATRIX[name]
    for method, expected in (("get", gets[SUPERVISOR]), ("post", posts[SUPERVISOR])):
        response = getattr(signed_in, method)(url, {"reason": "x", "seen_lock_version": 1})
        # More digits than an id has match no page; a method the page does not take is refused before the row is
        # looked up; anything else: not found.
        refused_first = expected == 405 and len(str(pk)) <= 18
        assert response.status_code == (405 if refused_first else 404), f"{method.upper()} {url}"
