"""The audit trail as CSV: the filtered rows, streamed, with names, human values and zones."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from campaigns.models import AuditEntry
from campaigns.services import audit
from tests.test_view_audit import history  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def table(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_it_streams_the_filtered_trail_with_names_and_both_zones(client, manager, history):  # noqa: F811
    client.force_login(manager)
    client.cookies["planner_tz"] = "America/Chicago"

    response = client.get(reverse("audit-csv"), {"campaign": history["winbacks"].pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail-2026-11-30.csv"'
    rows = table(response)
    assert [r["Action"] for r in rows] == [
        "Rejected",
        "Submitted for approval",
        "Draft edited",
        "Draft started",
    ]
    rejected, edited = rows[0], rows[2]
    draft_id = rejected["Object id"].split("#")[1]
    assert rejected == {
        "When (America/Chicago)": "2026-11-30 06:09:00 CST",
        "When (UTC)": "2026-11-30 12:09:00 UTC",
        "Who": "sue_supervisor",
        "Action": "Rejected",
        "Action code": "campaigns.draft.rejected",
        "Object": f"Draft #{draft_id} of Winbacks",
        "Object id": f"scheduledraft #{draft_id}",
        "Campaign": "Winbacks",
        "CXone id": "C-2",
        "Message": "Overlaps the renewals push.",
        "Changes": rejected["Changes"],
    }
    assert "Status: Submitted → Rejected" in rejected["Changes"]
    assert edited["Changes"] == "Window length: 8 h → 5 h"


def test_it_keeps_every_filter_of_the_page(client, planner, supervisor, history):  # noqa: F811
    client.force_login(planner)

    rows = table(client.get(reverse("audit-csv"), {"user": supervisor.pk, "action": "approved"}))

    assert [(r["Who"], r["Action code"]) for r in rows] == [("sam_supervisor", "campaigns.draft.approved")]


def test_a_typed_formula_stays_text_in_a_spreadsheet(client, manager, history):  # noqa: F811
    client.force_login(manager)
    draft = history["draft"]
    audit.record("campaigns.draft.rejected", draft, message='=HYPERLINK("http://evil")')

    rows = table(client.get(reverse("audit-csv"), {"action": "rejected"}))

    assert rows[0]["Message"] == '\'=HYPERLINK("http://evil")'


def test_more_rows_than_one_chunk_all_arrive(client, manager, campaign, monkeypatch):
    from campaigns.views import audit as audit_view

    monkeypatch.setattr(audit_view, "CSV_CHUNK", 7)
    AuditEntry.objects.bulk_create(
        [audit.entry("campaigns.campaign.synced", campaign, message=f"sync {i}") for i in range(30)]
    )
    client.force_login(manager)

    rows = table(client.get(reverse("audit-csv")))

    assert len(rows) == 30
    assert {r["Object"] for r in rows} == {f"Campaign {campaign.name}"}
    assert rows[0]["Action"] == "Updated from CXone"


def test_the_page_links_to_the_export_with_its_filters(client, planner, history):  # noqa: F811
    client.force_login(planner)

    body = client.get(reverse("audit"), {"action": "approved", "page": "1"}).content.decode()

    assert 'href="/audit.csv?action=approved&amp;page="' in body


def test_without_the_audit_permission_there_is_no_export(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("audit-csv")).status_code == 403


def test_a_filter_that_is_no_id_answers_400_naming_it_instead_of_a_file(client, manager, history):  # noqa: F811
    client.force_login(manager)

    response = client.get(reverse("audit-csv"), {"campaign": "²", "user": "9" * 30})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "Campaign: “²” is not a number in the digits 0-9.",
        f"User: “{'9' * 30}” is not a number in the digits 0-9.",
    ]
