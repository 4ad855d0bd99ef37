"""A campaign's history (every version, any two side by side, Revise from a version) and the answers to a change
found in CXone (Keep CXone's, Restore approved), which the campaign page offers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from campaigns import roles
from campaigns.models import Campaign, CampaignVersion, Drift
from campaigns.services.errors import OpenDraftExists, WorkflowError
from campaigns.services.history import answers, values
from campaigns.services.reports import versions
from campaigns.views.query import QueryFilters, whole_number

START_DRAFTS = "campaigns.add_scheduledraft"
DIALLING_ROWS = 30


def drift_context(campaign: Campaign, user) -> dict:
    """What the campaign page shows of a change found in CXone (`drift`: a versions.DriftFinding or None)."""
    return {"drift": versions.drift_finding(campaign, user)}


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def campaign_history(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    lines = versions.history(campaign)
    by_pk = {line.pk: line for line in lines}
    newest, older = (lines[0], lines[1] if len(lines) > 1 else lines[0]) if lines else (None, None)
    query = QueryFilters(request.GET)
    left = by_pk.get(query.row_id("from", "Compare from")) or older
    right = by_pk.get(query.row_id("to", "Compare with")) or newest
    rows = (
        versions.compare(values.of_version(left.version), values.of_version(right.version)) if lines else []
    )
    context = {
        "nav": "campaigns",
        "campaign": campaign,
        "lines": lines,
        "left": left,
        "right": right,
        "rows": rows,
        "differences": sum(1 for row in rows if row["changed"]),
        "drifts": versions.drift_log(campaign),
        # What the workers did to its dialling (stops, pauses, held days off), alarms included: newest first.
        "dialling": campaign.dialling_changes.order_by("-due_at", "-pk")[:DIALLING_ROWS],
        "query_problems": query.problems,
    }
    return render(request, "campaigns/campaign_history.html", context, status=query.status)


@require_POST
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def keep_cxone(request, pk):
    drift = get_object_or_404(Drift.objects.select_related("campaign"), pk=pk)
    try:
        answers.keep_cxone(drift.pk, request.user, seen_id=whole_number(request.POST.get("seen")) or 0)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Kept CXone's version: {drift.campaign.name} is now held to what it runs in CXone."
        )
    return redirect("campaign-detail", drift.campaign_id)


@require_POST
@permission_required(START_DRAFTS, raise_exception=True)
def restore_approved(request, pk):
    drift = get_object_or_404(Drift.objects.select_related("campaign"), pk=pk)
    return _draft_started(
        request,
        lambda: answers.restore_approved(drift.pk, request.user),
        back=("campaign-detail", drift.campaign_id),
        said=lambda draft: f"Draft #{draft.pk} has the values of the version {drift.campaign.name} is held to. "
        "Submit it for approval: once approved it is pushed to CXone like any other draft.",
    )


@require_POST
@permission_required(START_DRAFTS, raise_exception=True)
def revise_from_version(request, pk):
    version = get_object_or_404(CampaignVersion, pk=pk)
    return _draft_started(
        request,
        lambda: answers.revise_from_version(version.pk, request.user),
        back=("campaign-history", version.campaign_id),
        said=lambda draft: f"Draft #{draft.pk} starts from that version's values. Change what needs changing, "
        "then submit it for approval.",
    )


def _draft_started(request, start, *, back, said):
    """Start a draft and open it in the editor; an open draft of the campaign is opened instead (there is one
    open draft per campaign), and a refusal goes back to where the planner came from."""
    try:
        draft = start()
    except OpenDraftExists as exc:
        messages.info(request, exc.message)
        return redirect("draft-editor", exc.draft_id)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(*back)
    messages.success(request, said(draft))
    return redirect("draft-editor", draft.pk)
