"""The Blackout calendars pages: everyone reads them; supervisors write revisions (the days, where the calendar
applies, or both), another supervisor approves or rejects them (four-eyes). Each change is a service call
(services/blackouts/editing.py) whose refusal is shown as it says."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns import roles
from campaigns.calendar_forms import AttachForm, CalendarForm
from campaigns.models import BlackoutCalendar, CalendarRevision, RevisionStatus
from campaigns.services.blackouts import editing, overview
from campaigns.services.errors import InvalidInput, WorkflowError
from campaigns.viewer import viewer_zone
from campaigns.views.common import lock_version_from


def _today(request):
    return timezone.now().astimezone(viewer_zone(request)).date()


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_list(request):
    context = {
        "nav": "calendars",
        "cards": overview.cards(_today(request)),
        "can_edit": editing.may_edit_calendars(request.user),
    }
    return render(request, "campaigns/calendars.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_new(request):
    _may_edit(request.user)
    form = CalendarForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = editing.create_calendar(request.user, data["name"], data["description"], data["rules"])
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Calendar {data['name']} drafted: submit it for another supervisor's review."
            )
            return redirect("calendar-detail", pk=revision.calendar_id)
    status = 400 if form.is_bound else 200
    context = {"nav": "calendars", "form": form, **_preview(request, form)}
    return render(request, "campaigns/calendar_form.html", context, status=status)


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_detail(request, pk):
    calendar = get_object_or_404(BlackoutCalendar, pk=pk)
    today = _today(request)
    card = overview.card(calendar, today)
    can_edit = editing.may_edit_calendars(request.user)
    revision = card.open_revision
    is_author = revision is not None and revision.author_id == request.user.pk
    attached = overview.attachments(calendar, revision)
    # Where it applies is proposed in the supervisor's own draft revision, or in a new one when none is open.
    may_propose = can_edit and (revision is None or (is_author and revision.status == RevisionStatus.DRAFT))
    context = {
        "nav": "calendars",
        "card": card,
        "calendar": calendar,
        "proposed": overview.revision_view(revision, today),
        "history": overview.history(calendar),
        "attached": attached,
        "can_edit": can_edit and not calendar.ready_rule,
        "can_attach": can_edit,
        "is_author": is_author,
        "may_review": can_edit and revision is not None and not is_author,
        "attach_form": _attach_form(attached.proposed or attached.in_force) if may_propose else None,
        "S": RevisionStatus,
    }
    return render(request, "campaigns/calendar_detail.html", context)


def _attach_form(selection: overview.Selection) -> AttachForm:
    """The form starts from what the supervisor's draft proposes, else from what applies in force."""
    return AttachForm(
        initial={
            "campaigns": [str(c.pk) for c in selection.campaigns],
            "pools": [str(p.pk) for p in selection.pools],
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_edit(request, pk):
    _may_edit(request.user)
    calendar = get_object_or_404(BlackoutCalendar, pk=pk)
    revision = calendar.revisions.filter(status=RevisionStatus.DRAFT, author=request.user).first()
    # The supervisor's own draft, else the days in effect; a calendar never approved starts from its latest
    # revision (one discarded or rejected: its days are not retyped from nothing).
    start_from = revision or (None if calendar.in_effect else calendar.revisions.order_by("-number").first())
    source = overview.revision_view(start_from, _today(request)) if start_from else None
    initial = {
        "description": start_from.description if start_from else calendar.description,
        "rules": source.text if source else overview.revision_view_text(calendar),
    }
    form = CalendarForm(request.POST if request.method == "POST" else None, initial=initial, renaming=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = editing.edit(
                calendar.pk,
                request.user,
                data["description"],
                data["rules"],
                lock_version=lock_version_from(request.POST) if revision else None,
            )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"Revision {saved.number} saved: submit it when it is ready for review."
            )
            return redirect("calendar-detail", pk=calendar.pk)
    context = {
        "nav": "calendars",
        "form": form,
        "calendar": calendar,
        "revision": revision,
        **_preview(request, form),
    }
    return render(request, "campaigns/calendar_form.html", context, status=400 if form.is_bound else 200)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_preview(request):
    """The editor's live preview (htmx, as the supervisor types): each wrong line, or the coming year's days."""
    _may_edit(request.user)
    errors, upcoming = overview.preview(request.POST.get("rules", ""), _today(request))
    context = {"preview_errors": errors, "preview_days": upcoming}
    return render(request, "campaigns/calendar_form.html#preview", context)


def _preview(request, form) -> dict:
    text = form.data.get("rules", "") if form.is_bound else form.initial.get("rules", "")
    errors, upcoming = overview.preview(text, _today(request))
    return {"preview_errors": errors if form.is_bound else [], "preview_days": upcoming}


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def calendar_attach(request, pk):
    """Propose where the calendar applies: it changes once another supervisor approves the revision."""
    _may_edit(request.user)
    calendar = get_object_or_404(BlackoutCalendar, pk=pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A campaign or pool chosen is not on the list any more; reload the page.")
        return redirect("calendar-detail", pk=pk)
    seen = lock_version_from(request.POST) if "lock_version" in request.POST else None
    try:
        revision = editing.propose_attachments(
            calendar.pk,
            request.user,
            campaigns=form.ids("campaigns"),
            pools=form.ids("pools"),
            lock_version=seen,
        )
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        if revision.changes_attachments:
            messages.success(
                request,
                f"Proposed in revision {revision.number}: {calendar.name} applies there once another "
                "supervisor approves it. Submit it for review when it is ready.",
            )
        else:
            messages.success(
                request, f"Revision {revision.number} leaves where {calendar.name} applies as it is."
            )
    return redirect("calendar-detail", pk=pk)


# Each revision action: the service function (revision id, actor, …) and what the page says once it is done.
REVISION_ACTIONS = {
    "submit": (editing.submit, "Submitted: another supervisor approves or rejects it."),
    "withdraw": (editing.withdraw, "Withdrawn: it is your draft again."),
    "discard": (editing.discard, "Discarded: nothing it proposed takes effect; it stays in the history."),
    "approve": (editing.approve, "Approved: its days and where it applies are in force from now on."),
    "reject": (editing.reject, "Rejected: the author sees your reason."),
}


DECISIONS = {"approve", "reject"}  # taken on the revision as the reviewer saw it


def _revision_action(request, pk, verb: str):
    _may_edit(request.user)
    revision = get_object_or_404(CalendarRevision, pk=pk)
    service, done = REVISION_ACTIONS[verb]
    extra = [request.POST.get("reason", "")] if verb == "reject" else []
    seen = (
        {"seen_lock_version": lock_version_from(request.POST, "seen_lock_version")}
        if verb in DECISIONS
        else {}
    )
    try:
        service(revision.pk, request.user, *extra, **seen)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("calendar-detail", pk=revision.calendar_id)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def revision_submit(request, pk):
    return _revision_action(request, pk, "submit")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def revision_withdraw(request, pk):
    return _revision_action(request, pk, "withdraw")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def revision_discard(request, pk):
    return _revision_action(request, pk, "discard")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def revision_approve(request, pk):
    return _revision_action(request, pk, "approve")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def revision_reject(request, pk):
    return _revision_action(request, pk, "reject")


def _may_edit(user) -> None:
    if not editing.may_edit_calendars(user):
        raise PermissionDenied("Supervisors edit blackout calendars; everyone can read them.")
