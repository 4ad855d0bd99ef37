"""The campaign list (search as you type, filters, pagination) and the role-aware landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from campaigns import roles
from campaigns.models import OPEN_DRAFT_STATUSES, Campaign, CapacityPool, ScheduleDraft
from campaigns.services import draft_checks
from campaigns.views.activations import recent_for_author

PAGE_SIZE = 25


def home(request):
    """Land each role where its work is: supervisors on the queue, planners on their drafts, others the list."""
    user = request.user
    if user.has_perm(roles.REVIEW_DRAFTS):
        return redirect("approval-queue")
    return redirect("campaign-list")  # planners find their open drafts above the list


def filtered_campaigns(params) -> tuple:
    """The campaigns matching the list's query string, and the cleaned filters (unknown values ignored)."""
    query = (params.get("q") or "").strip()[:100]
    state = params.get("state") or ""
    skill = params.get("skill") or ""
    campaigns = Campaign.objects.select_related("pool").annotate(
        open_drafts=Count("drafts", filter=Q(drafts__status__in=OPEN_DRAFT_STATUSES))
    )
    if query:
        campaigns = campaigns.filter(Q(name__icontains=query) | Q(cxone_id__icontains=query))
    if state in Campaign.State.values:
        campaigns = campaigns.filter(state=state)
    else:
        state = ""
    if skill.isdigit():
        campaigns = campaigns.filter(pool_id=int(skill))
    else:
        skill = ""
    return campaigns.order_by("name", "cxone_id"), {"q": query, "state": state, "skill": skill}


@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def campaign_list(request):
    campaigns, filters = filtered_campaigns(request.GET)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    # Next window and findings of the rows shown: pure computation, no query per row.
    for campaign in page.object_list:
        campaign.report = draft_checks.evaluate_campaign(campaign, conflicts=False)
    context = {
        "nav": "campaigns",
        "page": page,
        "filters": filters,
        "states": Campaign.State.choices,
        "skills": CapacityPool.objects.order_by("name").only("id", "name"),
        "total": page.paginator.count,
    }
    template = "campaigns/campaign_list.html"
    if request.htmx and request.htmx.target == "campaign-results":
        template += "#results"
    elif request.user.has_perm(roles.EDIT_DRAFTS):
        context["my_open_drafts"] = open_drafts_of(request.user)
        context["my_activations"] = recent_for_author(request.user)
    return render(request, template, context)


def open_drafts_of(user) -> list[ScheduleDraft]:
    return list(
        ScheduleDraft.objects.filter(author=user, status__in=OPEN_DRAFT_STATUSES)
        .select_related("campaign")
        .order_by("-updated_at")
    )


@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("pool"), pk=pk)
    drafts = campaign.drafts.select_related("author", "approver").order_by("-created_at", "-pk")
    context = {
        "nav": "campaigns",
        "campaign": campaign,
        "report": draft_checks.evaluate_campaign(campaign),
        "drafts": drafts,
        "open_draft": next((d for d in drafts if d.is_open), None),
        "activation": campaign.activations.select_related("campaign").order_by("-created_at", "-pk").first(),
        "audit": campaign.audit_entries.select_related("actor").order_by("-created_at", "-pk")[:25],
        "breakdown_total": sum(row.get("count", 0) for row in campaign.contact_list_breakdown or []),
    }
    return render(request, "campaigns/campaign_detail.html", context)
