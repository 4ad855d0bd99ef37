"""Supervisor pages: the approval queue, approve and reject (four-eyes, exactly once, as seen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campaigns import roles
from campaigns.forms import RejectForm
from campaigns.models import DraftStatus, ScheduleDraft
from campaigns.services import draft_checks, workflow
from campaigns.views.common import lock_version_from, schedule_rows


@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def approval_queue(request):
    drafts = list(
        ScheduleDraft.objects.filter(status=DraftStatus.SUBMITTED)
        .select_related("campaign", "campaign__pool", "author")
        .order_by("submitted_at", "pk")
    )
    items = []
    for draft in drafts:
        review = draft_checks.review(draft)
        items.append(
            {
                "draft": draft,
                "review": review,
                "current_rows": schedule_rows(review["current_values"]) if review["current_values"] else [],
                "proposed_rows": schedule_rows(draft, review["changed"]),
            }
        )
    return render(request, "campaigns/approval_queue.html", {"nav": "queue", "items": items})


@require_POST
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def approve_draft(request, pk):
    try:
        draft = workflow.approve(
            pk, request.user, seen_lock_version=lock_version_from(request.POST, "seen_lock_version")
        )
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approved the draft for {draft.campaign.name}.")
    return redirect("approval-queue")


@require_POST
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def reject_draft(request, pk):
    form = RejectForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields
        )
        messages.error(request, errors or "The rejection could not be read; reload the queue and try again.")
        return redirect("approval-queue")
    try:
        draft = workflow.reject(
            pk,
            request.user,
            seen_lock_version=form.cleaned_data["seen_lock_version"],
            reason=form.cleaned_data["reason"],
        )
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Rejected the draft for {draft.campaign.name}; the planner sees your reason."
        )
    return redirect("approval-queue")
