"""Planner pages: my drafts, the draft editor with live validation, and the draft's actions.

Views are thin: they parse the request, call a service, and show the result or the service's error. Nothing a
planner typed is lost on an error: every refusal re-renders the form with their values.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.forms import DraftForm
from campaigns.models import OPEN_DRAFT_STATUSES, Campaign, DraftStatus, ScheduleDraft
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import conflict_index, draft_checks
from campaigns.services.reports.draft_timeline import draft_timeline
from campaigns.views.campaigns import open_drafts_of
from campaigns.views.common import draft_with_campaign, lock_version_from, readable_changes

EDITOR = "campaigns/draft_editor.html"


@require_safe
@permission_required(roles.EDIT_DRAFTS, raise_exception=True)
def my_drafts(request):
    mine = ScheduleDraft.objects.filter(author=request.user).select_related("campaign", "approver")
    context = {
        "nav": "drafts",
        # Every open draft, however many closed ones came after it; the closed ones only recently.
        "open_drafts": open_drafts_of(request.user),
        "closed_drafts": list(mine.exclude(status__in=OPEN_DRAFT_STATUSES).order_by("-updated_at")[:50]),
    }
    return render(request, "campaigns/my_drafts.html", context)


@require_POST
@permission_required(roles.EDIT_DRAFTS, raise_exception=True)
def new_draft(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        draft = workflow.start_draft(campaign, request.user)
    except workflow.OpenDraftExists as exc:
        messages.info(request, exc.message)
        return redirect("draft-editor", exc.draft_id)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("campaign-detail", campaign.pk)
    messages.success(
        request, "Draft started from the current schedule. Edit it, then submit it for approval."
    )
    return redirect("draft-editor", draft.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("campaigns.view_scheduledraft", raise_exception=True)
def draft_editor(request, pk):
    draft = draft_with_campaign(pk)
    editable = draft.status == DraftStatus.DRAFT and request.user.has_perm(roles.EDIT_DRAFTS)
    if request.method != "POST":
        form = DraftForm(initial=DraftForm.initial_from(draft))
        index = current_index()
        report = report_of(draft, form, index=index)
        context = editor_context(request, draft, form, report, editable=editable, index=index)
        return render(request, EDITOR, context)
    if not request.user.has_perm(roles.EDIT_DRAFTS):
        raise PermissionDenied
    if not editable:
        messages.error(
            request, f"This draft is {draft.get_status_display().lower()} and can no longer be edited."
        )
        return redirect("draft-editor", draft.pk)
    form = DraftForm.bound_over(draft, request.POST)
    if not form.is_valid():
        return refused(request, draft, form)
    try:
        save_from(request, draft, form)
    except workflow.EditConflict as exc:
        return refused(request, draft, form, conflict=exc)
    except workflow.WorkflowError as exc:
        return refused(request, draft, form, message=exc.message)
    messages.success(request, "Draft saved.")
    return redirect("draft-editor", draft.pk)


@require_POST
@permission_required(roles.EDIT_DRAFTS, raise_exception=True)
def validate_draft(request, pk):
    """Live validation as the planner types: field errors (out of band, beside each field) and the report."""
    draft = draft_with_campaign(pk)
    form = DraftForm.bound_over(draft, request.POST)
    index = current_index()
    report = report_of(draft, form, index=index)
    context = editor_context(request, draft, form, report, editable=True, oob=True, index=index)
    return render(request, EDITOR + "#live", context)


@require_POST
@permission_required("campaigns.submit_scheduledraft", raise_exception=True)
def submit_draft(request, pk):
    """Save what the form holds (a no-op when nothing changed), then submit exactly that version."""
    draft = draft_with_campaign(pk)
    form = DraftForm.bound_over(draft, request.POST)
    if not form.is_valid():
        return refused(request, draft, form)
    try:
        saved = save_from(request, draft, form)
    except workflow.EditConflict as exc:
        return refused(request, draft, form, conflict=exc)
    except workflow.WorkflowError as exc:
        return refused(request, draft, form, message=f"Not saved, not submitted. {exc.message}")
    try:
        workflow.submit(draft.pk, request.user, lock_version=saved.lock_version)  # it checks the draft itself
    except workflow.WorkflowError as exc:
        # The form's values are saved by now (nothing typed is lost); back to the editor, so a reload does not
        # post the submission again.
        messages.error(request, f"Saved as a draft, not submitted. {exc.message}")
    else:
        messages.success(request, "Submitted for approval. A supervisor will review it.")
    return redirect("draft-editor", draft.pk)


def current_index():
    """The conflict index one editor page checks against and draws its timeline from: read once per page (each
    read asks the database whether the mirror changed)."""
    return conflict_index.current(timezone.now())


def report_of(draft, form, *, index=None) -> draft_checks.Report:
    """The checks of what the editor shows: the draft as saved while the form is not bound, else the form's
    values once they are a schedule, else the form's field errors."""
    if not form.is_bound:
        return draft_checks.evaluate_draft(draft, index=index)
    if not form.is_valid():
        return draft_checks.invalid(form.errors)
    return draft_checks.evaluate_values(draft.campaign, form.draft_fields(draft), index=index)


def save_from(request, draft, form):
    """Save the editor's form over the version of the draft the planner's page was showing."""
    return workflow.save_draft(
        draft.pk, request.user, lock_version=lock_version_from(request.POST), fields=form.draft_fields(draft)
    )


def refused(request, draft, form, *, conflict=None, message=""):
    """The editor again with what the planner typed, and why it was not saved. It keeps the version their page
    was showing (a refusal must not quietly adopt someone else's newer save), except after a conflict, where the
    planner has now seen both versions and may save over the current one."""
    if message:
        messages.error(request, message)
    draft.refresh_from_db()
    index = current_index()
    report = report_of(draft, form, index=index)
    context = editor_context(
        request,
        draft,
        form,
        report,
        editable=True,
        index=index,
        conflict=conflict,
        lock_version=conflict.current_lock_version if conflict else lock_version_from(request.POST),
    )
    return render(request, EDITOR, context, status=409 if conflict else 422)


@require_POST
@permission_required(roles.EDIT_DRAFTS, raise_exception=True)
def withdraw_draft(request, pk):
    draft_with_campaign(pk)  # 404 for a draft that does not exist
    try:
        workflow.withdraw(pk, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Withdrawn: the draft is editable again.")
    return redirect("draft-editor", pk)


@require_POST
@permission_required(roles.EDIT_DRAFTS, raise_exception=True)
def rebase_draft(request, pk):
    draft_with_campaign(pk)  # 404 for a draft that does not exist
    try:
        result = workflow.rebase(pk, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("draft-editor", pk)
    draft = draft_with_campaign(pk)
    form = DraftForm(initial=DraftForm.initial_from(draft))
    index = current_index()
    report = report_of(draft, form, index=index)
    messages.success(
        request,
        (
            f"Rebased from version {result['from_version']} to {result['to_version']}. "
            if capabilities().versions_shown
            else "Rebased on CXone's current schedule. "
        )
        + "Check what changed in CXone below, then save and submit again.",
    )
    context = editor_context(request, draft, form, report, editable=True, rebase=result, index=index)
    return render(request, EDITOR, context)


def editor_context(
    request,
    draft,
    form,
    report,
    *,
    editable,
    conflict=None,
    rebase=None,
    oob=False,
    lock_version=None,
    index=None,
) -> dict:
    return {
        "oob": oob,
        "conflict_rows": readable_changes(
            {f: [conflict.mine.get(f), conflict.theirs.get(f)] for f in conflict.theirs}, draft.timezone
        )
        if conflict
        else [],
        "rebase_rows": readable_changes(rebase["remote_changes"], draft.timezone) if rebase else [],
        "nav": "drafts",
        "draft": draft,
        "campaign": draft.campaign,
        "form": form,
        "report": report,
        "editable": editable,
        "lock_version": draft.lock_version if lock_version is None else lock_version,
        "conflict": conflict,
        "rebase": rebase,
        "activation": draft.activations.select_related("campaign").order_by("-created_at", "-pk").first(),
        "zone_names": draft_checks.ZONE_NAMES,
        "can_submit": editable and workflow.submission_refusal(draft, request.user) is None,
        "can_withdraw": draft.status == DraftStatus.SUBMITTED and request.user == draft.author,
        "behind_remote": draft.is_behind_remote
        and draft.status in (DraftStatus.DRAFT, DraftStatus.SUBMITTED),
        "draft_timeline": draft_timeline(draft, form, report, index=index),  # the editor's small timeline
        "history": draft.campaign.audit_entries.filter(object_type="scheduledraft", object_id=str(draft.pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:20],
    }
