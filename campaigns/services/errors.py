"""The errors the draft workflow raises, and the checks and words behind them. Views catch `WorkflowError` and
show `message` as it is: every message says what the planner or supervisor should do next, in their words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from campaigns.scheduling import PURPOSES, cron_errors, date_error, zone_error


class WorkflowError(Exception):
    """Base of every refusal of services/workflow.py."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotAllowed(WorkflowError):
    """The user lacks the role for this action, is not the draft's author, or would break four-eyes."""


class InvalidTransition(WorkflowError):
    """The draft (or its campaign) is not in a state where this action applies, e.g. approved twice."""


class InvalidInput(WorkflowError, ValueError):
    """A value the user typed cannot be stored; `field` names it (a draft field, or "reason")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class EditConflict(WorkflowError):
    """Someone else saved the draft since this editor loaded it. Nothing was written.

    `mine` holds the values this editor tried to save, `theirs` the editable fields as they are saved now, and
    `current_lock_version` the lock version to save against after merging by hand."""

    def __init__(
        self, message: str, *, mine: dict[str, Any], theirs: dict[str, Any], current_lock_version: int
    ):
        super().__init__(message)
        self.mine = mine
        self.theirs = theirs
        self.current_lock_version = current_lock_version


class DraftChanged(WorkflowError):
    """The draft was edited (or rebased) since the reviewer, or the submitting author, last saw it."""

    def __init__(self, message: str, *, current_lock_version: int):
        super().__init__(message)
        self.current_lock_version = current_lock_version


class StaleDraft(WorkflowError):
    """The campaign changed in CXone after the draft was based on it: rebase, then submit or approve."""

    def __init__(self, message: str, *, base_version: int, remote_version: int):
        super().__init__(message)
        self.base_version = base_version
        self.remote_version = remote_version


class BlockingFindings(WorkflowError):
    """Validation or compliance found problems that must be fixed first; `problems` lists them."""

    def __init__(self, message: str, *, problems: list[str]):
        super().__init__(message)
        self.problems = problems


class NothingChanged(WorkflowError):
    """The draft proposes exactly the campaign's current schedule: there is nothing to review."""


class OpenDraftExists(WorkflowError):
    """The campaign already has a draft in flight; `draft_id` is that draft."""

    def __init__(self, message: str, *, draft_id: int):
        super().__init__(message)
        self.draft_id = draft_id


# ---- refusing input, and the words of messages ------------------------------------------------------------


def status_message(draft, verb: str) -> str:
    """Why `verb` ("approve", "edit", ...) does not apply to the draft in its status, and what to do."""
    pk, status = draft.pk, draft.status
    if status == "approved":
        reviewed = f"by {user_name(draft.approver)} at {when(draft.reviewed_at)}"
        return f"Draft #{pk} was already approved {reviewed}; there is nothing left to do."
    if status == "rejected":
        reviewed = f"by {user_name(draft.approver)} at {when(draft.reviewed_at)} ({draft.rejection_reason})"
        return f"Draft #{pk} was rejected {reviewed}; start a new draft to propose another schedule."
    if status == "submitted" and verb == "submit":
        return f"Draft #{pk} is already submitted for approval (since {when(draft.submitted_at)})."
    if status == "submitted":
        return f"Draft #{pk} is submitted for approval; its author must withdraw it before you can {verb} it."
    if status == "draft":
        return f"Draft #{pk} has not been submitted for approval, so you cannot {verb} it."
    label = draft.get_status_display().lower()
    return f"Draft #{pk} is {label}, so you cannot {verb} it; start a new draft instead."


def user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "someone"


def when(moment) -> str:
    return f"{moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" if moment else "an unknown time"


def check_known(fields, editable) -> None:
    for f in fields:
        if f not in editable:
            raise InvalidInput(f, f"{f!r} is not a schedule field that a draft can change.")


RULES = [  # the database's check constraints, in planners' words, before they surface as an IntegrityError
    ("duration_minutes", lambda x: 1 <= x <= 1440, "Enter a duration between 1 and 1440 minutes (24 hours)."),
    ("retry_max_attempts", lambda x: 1 <= x <= 10, "Enter between 1 and 10 retry attempts."),
    ("retry_interval_ms", lambda x: x >= 60_000, "Enter a retry interval of at least one minute (60000 ms)."),
    ("agents_required", lambda x: x >= 1, "A window needs at least one agent; enter 1 or more."),
    ("retry_restricted_minutes", lambda x: 0 <= x <= 9999, "Enter restricted-calling minutes from 0 to 9999."),
    ("retry_restricted_max_attempts", lambda x: 0 <= x <= 10, "Enter restricted-calling attempts from 0 to 10."),
]
# Fields a draft may leave empty (the Admin API's restricted calling window), checked when given.
OPTIONAL_RULES = [
    ("retry_restricted_minutes", lambda x: 0 <= x <= 9999,
     "Enter the restricted calling period in minutes, 0 to 9999 (CXone's field holds no more: 24 hours is 1440)."),
    ("retry_restricted_max_attempts", lambda x: 0 <= x <= 10,
     "Enter at most 10 calls for the restricted calling period (0: no restriction)."),
]  # fmt: skip
REQUIRED = {
    "timezone": "time zone", "cron_expression": "cron expression", "duration_minutes": "duration (minutes)",
    "effective_start": "effective from", "effective_end": "effective until",
}  # fmt: skip


def check_values(v: dict) -> None:
    """Refuse a draft's values (all of them, merged) that cannot be stored, naming the field and the fix."""
    for f, label in REQUIRED.items():
        if v.get(f) in (None, ""):
            raise InvalidInput(f, f"Enter the {label}.")
    # The engine decides which names are zones and which crons CXone accepts, for the form and the services.
    if message := zone_error(v["timezone"]):
        raise InvalidInput("timezone", f"Time zone: {message}.")
    if problems := cron_errors(v["cron_expression"]):
        raise InvalidInput("cron_expression", f"Cron expression: {'; '.join(problems)}.")
    for f, ok, msg in RULES:
        if f in v and (not isinstance(v[f], int) or isinstance(v[f], bool) or not ok(v[f])):
            raise InvalidInput(f, msg)
    for f, ok, msg in OPTIONAL_RULES:
        if v.get(f) is not None and (not isinstance(v[f], int) or isinstance(v[f], bool) or not ok(v[f])):
            raise InvalidInput(f, msg)
    for f in ("effective_start", "effective_end"):
        moment = v[f]
        if not isinstance(moment, dt.datetime) or moment.utcoffset() is None:
            raise InvalidInput(f, f"Enter the {REQUIRED[f]} as a date and time with its time zone.")
        if message := date_error(moment.date()):
            raise InvalidInput(f, f"{message[:1].upper()}{message[1:]}.")
    if "purpose" in v and v["purpose"] not in PURPOSES:
        raise InvalidInput("purpose", f"{v['purpose']!r} is not a purpose: choose {', '.join(PURPOSES.values())}.")
    restricted = (v.get("retry_restricted_minutes") or 0, v.get("retry_restricted_max_attempts") or 0)
    if (restricted[0] > 0) != (restricted[1] > 0):
        raise InvalidInput(
            "retry_restricted_max_attempts",
            "Restricted calling needs both its minutes and its maximum attempts (or neither).",
        )
    if v["effective_end"] <= v["effective_start"]:
        msg = f"The effective period must end after it starts ({when(v['effective_start'])})."
        raise InvalidInput("effective_end", msg)
