"""Supervisor pages: the approval queue, approve and reject (four-eyes, exactly once, as seen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from campaigns import roles
from campaigns.forms import RejectForm
from campaigns.models import DraftStatus, ScheduleDraft
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts import workflow
from campaigns.services.drafts.checks import conflict_index, kept_reviews
from campaigns.views.activations import recent_for_approver
from campaigns.views.campaigns import open_drafts_of
from campaigns.views.common import draft_with_campaign, lock_version_from, schedule_rows
from campaigns.views.query import QueryFilters

PAGE_SIZE = (
    8  # each draft is reviewed as the page is drawn (findings of both schedules, what-if): ~15 ms each
)


@require_safe
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def approval_queue(request):
    waiting = (
        ScheduleDraft.objects.filter(status=DraftStatus.SUBMITTED)
        .select_related(
            "campaign",
            "campaign__pool",
            "campaign__pool_membership",
            "campaign__pool__pool_membership",
            "author",
        )
        .order_by("submitted_at", "pk")
    )
    # A page at a time: each draft is reviewed (findings, what-if) as the page is drawn, so a queue of hundreds
    # after a bulk edit costs one page's reviews, not all of them.
    query = QueryFilters(request.GET)
    page = Paginator(waiting, PAGE_SIZE).get_page(query.page())
    drafts = list(page.object_list)
    edited = workflow.drafts_edited_by(request.user, drafts) if drafts else set()
    unanswered = workflow.unanswered_changes(drafts) if drafts else {}
    calendars = blackout_days.read_calendars(
        (d.campaign.pk, d.campaign.cxone_id, d.campaign.pool_id) for d in drafts
    )
    reviews = {}
    if drafts:
        now = timezone.now()
        index_key, index = conflict_index.current_with_key(now)  # one index for the whole queue
        # Kept for a minute under a key over all they depend on (kept_reviews says why it is complete); the
        # Approve button's own check happens again in workflow.approve, whatever this page showed.
        reviews = kept_reviews.reviews(drafts, index=index, index_key=index_key, calendars=calendars, now=now)
    items = []
    for draft in drafts:
        review = reviews[draft.pk]
        items.append(
            {
                "draft": draft,
                "review": review,
                # The service's own rules decide which buttons show: never a second copy of them here.
                "approval_refusal": workflow.approval_refusal(
                    draft, request.user, report=review["proposed"], edited=draft.pk in edited,
                    unanswered=unanswered,
                ),
                "rejection_refusal": workflow.rejection_refusal(
                    draft, request.user, edited=draft.pk in edited
                ),
                "current_rows": schedule_rows(review["current_values"]) if review["current_values"] else [],
                "proposed_rows": schedule_rows(draft, compared_with=review["current_values"] or {}),
            }
        )
    context = {
        "nav": "queue",
        "items": items,
        "page": page,
        "query_problems": query.problems,
        "my_open_drafts": open_drafts_of(request.user),
        "going_live": recent_for_approver(request.user),
    }
    return render(request, "campaigns/approval_queue.html", context, status=query.status)


@require_POST
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def approve_draft(request, pk):
    draft_with_campaign(pk)  # 404 for a draft that does not exist
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
    draft_with_campaign(pk)  # 404 for a draft that does not exist
    form = RejectForm(request.POST)
    if not form.is_valid():
        if "seen_lock_version" in form.errors:
            messages.error(
                request, "This page was out of date: review the draft again below, then reject it."
            )
        else:
            messages.error(request, f"Reason for rejecting: {' '.join(form.errors['reason'])}")
        return redirect("approval-queue")
    try:
        draft = workflow.reject(
            pk,
            request.user,
            seen_lock_version=form.cleaned_data["seen_lock_version"],
            reason=form.cleaned_data["reason"],
        )
    except workflow.WorkflowError as exc:
        # Say what was not sent, so the reason the supervisor wrote is not lost with the refusal.
        messages.error(
            request, f"{exc.message} Not rejected; your reason was: “{form.cleaned_data['reason']}”"
        )
    else:
        messages.success(
            request, f"Rejected the draft for {draft.campaign.name}; the planner sees your reason."
        )
    return redirect("approval-queue")
