"""Shared set-up of the draft-editor view tests: a fixed clock, a signed-in planner, form data."""

from __future__ import annotations

import datetime as dt
import html

from django.urls import reverse

from campaigns.forms import DraftForm
from campaigns.models import AuditEntry, DraftStatus, ScheduleDraft

S = DraftStatus
FLORIDA = [{"state": "FL", "timezones": ["America/New_York"], "count": 310}]
XSS = "<img src=x onerror=alert(1)>"


def form_data(draft: ScheduleDraft, **overrides) -> dict:
    """What the editor's form posts for `draft` as saved, with some fields retyped (as strings, like a browser)."""
    data = {"lock_version": str(draft.lock_version)}
    for name, value in {**DraftForm.initial_from(draft), **overrides}.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"  # an unticked checkbox is simply absent
        elif value is None:
            data[name] = ""  # an empty field is posted empty
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def validate(client, draft, **overrides):
    return client.post(
        reverse("draft-validate", args=[draft.pk]), form_data(draft, **overrides), HTTP_HX_REQUEST="true"
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def edits(draft) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type="scheduledraft", object_id=str(draft.pk), action="campaigns.draft.edited"
        )
    )
