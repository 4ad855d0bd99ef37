"""The campaign list (search as you type, filters, pagination) and the role-aware landing page."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns import roles
from campaigns.models import OPEN_DRAFT_STATUSES, Campaign, CapacityPool, ScheduleDraft
from campaigns.services.blackouts import days as blackout_days
from campaigns.services.drafts.checks import campaign_findings, draft_checks
from campaigns.services.reports import notices
from campaigns.services.reports import versions as campaign_versions
from campaigns.views.activations import recent_for_author
from campaigns.views.history import drift_context
from campaigns.views.query import QueryFilters

PAGE_SIZE = 25
GONE = "GONE"  # the state filter's value for campaigns gone from CXone (not a CXone state)


@require_safe
def home(request):
    """Land each role where its work is: supervisors on the queue, planners on their drafts, managers on the
    dashboards, others the list."""
    user = request.user
    if user.has_perm(roles.REVIEW_DRAFTS):
        return redirect("approval-queue")
    if user.has_perm(roles.VIEW_DASHBOARDS) and not user.has_perm(roles.EDIT_DRAFTS):
        return redirect("dashboard")
    return redirect("campaign-list")  # planners find their open drafts above the list


def filtered_campaigns(query: QueryFilters) -> tuple:
    """The campaigns matching the list's query string, and the cleaned filters (values the list does not offer
    are ignored and named in query.problems)."""
    skill = query.row_id("skill", "Skill")
    filters = {
        "q": query.text("q"),
        "state": query.choice("state", "State", [*Campaign.State.values, GONE]),
        "skill": "" if skill is None else str(skill),
        "finding": query.choice("finding", "Findings", campaign_findings.LEVELS),
        "changed": query.choice("changed", "Changed in CXone", ["yes"]),
    }
    # Not the raw CXone payload (the largest column, which the list never shows); open drafts are counted for
    # the rows shown only (a GROUP BY over every campaign would sort whole rows).
    campaigns = (
        Campaign.objects.select_related("pool")
        .defer("raw_payload")
        .annotate(changed_in_cxone=campaign_versions.changed_in_cxone())
    )
    if filters["q"]:
        campaigns = campaigns.filter(Q(name__icontains=filters["q"]) | Q(cxone_id__icontains=filters["q"]))
    # A campaign gone from CXone has no state there any more: only the "gone" filter finds it, and it never
    # counts as active, paused or as having findings.
    if filters["state"] == GONE:
        campaigns = campaigns.filter(missing_since__isnull=False)
    elif filters["state"]:
        campaigns = campaigns.filter(state=filters["state"], missing_since__isnull=True)
    if skill is not None:
        campaigns = campaigns.filter(pool_id=skill)
    if filters["finding"]:
        campaigns = campaigns.filter(findings_level=filters["finding"], missing_since__isnull=True)
    if filters["changed"]:
        campaigns = campaigns.filter(changed_in_cxone=True)
    gone_last = ExpressionWrapper(Q(missing_since__isnull=False), output_field=BooleanField())
    return campaigns.order_by(gone_last, "name", "cxone_id"), filters


# The list answers both a whole page and (to htmx) only its results: caches and the browser's Back button must
# keep the two apart.
@require_safe
@vary_on_headers("HX-Request")
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def campaign_list(request):
    now = timezone.now()
    campaign_findings.refresh_unchecked(now=now)  # once per new campaign or rules file; one query otherwise
    query = QueryFilters(request.GET)
    campaigns, filters = filtered_campaigns(query)
    page = Paginator(campaigns, PAGE_SIZE).get_page(query.page())
    # The findings are stored (whole effective period); the next window is live. No query per row.
    page.object_list = list(page.object_list)
    open_drafts = dict(
        ScheduleDraft.objects.filter(campaign__in=page.object_list, status__in=OPEN_DRAFT_STATUSES)
        .values_list("campaign_id")
        .annotate(n=Count("id"))
    )
    present = [c for c in page.object_list if not c.is_missing]
    campaign_findings.ensure_current(present, now=now)
    blacked_out = blackout_days.days_by_campaign(
        [(c.pk, c.cxone_id, c.pool_id, c.timezone) for c in present], now, now + draft_checks.HORIZON
    )
    for campaign in page.object_list:
        campaign.open_drafts = open_drafts.get(campaign.pk, 0)
        # Gone from CXone: it dials nothing, so it has no next window and nothing to find.
        campaign.badge = None if campaign.is_missing else campaign_findings.badge(campaign.current_findings)
        campaign.next_window = (
            None
            if campaign.is_missing
            else draft_checks.next_window(
                campaign, now=now, blackout_spans=blacked_out.get(campaign.cxone_id, [])
            )
        )
    gone = campaigns.filter(missing_since__isnull=False).count() if filters["state"] != GONE else 0
    context = {
        "nav": "campaigns",
        "page": page,
        "filters": filters,
        "finding_levels": campaign_findings.LEVELS.items(),
        "states": [*Campaign.State.choices, (GONE, "Gone from CXone")],
        "skills": CapacityPool.objects.order_by("name").only("id", "name"),
        "total": page.paginator.count - gone,
        "gone": gone,
        "query_problems": query.problems,
    }
    template = "campaigns/campaign_list.html"
    if (
        request.htmx
        and request.htmx.target == "campaign-results"
        and not request.htmx.history_restore_request
    ):
        template += "#results"
    elif request.user.has_perm(roles.EDIT_DRAFTS):
        context["my_open_drafts"] = open_drafts_of(request.user)
        # One outcome per draft: a draft whose approval is told above (with its push) is not listed again.
        context["notices"] = notices.for_user(request.user)
        told = {notice.draft_id for notice in context["notices"]}
        context["my_activations"] = [a for a in recent_for_author(request.user) if a.draft_id not in told]
    return render(request, template, context, status=query.status)


def open_drafts_of(user) -> list[ScheduleDraft]:
    return list(
        ScheduleDraft.objects.filter(author=user, status__in=OPEN_DRAFT_STATUSES)
        .select_related("campaign")
        .order_by("-updated_at")
    )


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def campaign_detail(request, pk):
    campaign = get_object_or_404(Campaign.objects.select_related("pool"), pk=pk)
    drafts = campaign.drafts.select_related("author", "approver").order_by("-created_at", "-pk")
    context = {
        "nav": "campaigns",
        "campaign": campaign,
        # Gone from CXone: no windows to list or check.
        "report": None if campaign.is_missing else draft_checks.evaluate_campaign(campaign),
        "drafts": drafts,
        "open_draft": next((d for d in drafts if d.is_open), None),
        "activation": campaign.activations.select_related("campaign").order_by("-created_at", "-pk").first(),
        "audit": campaign.audit_entries.select_related("actor").order_by("-created_at", "-pk")[:25],
        "breakdown_total": sum(row.get("count", 0) for row in campaign.contact_list_breakdown or []),
        "calendars": blackout_days.calendars_of(campaign),
        **drift_context(campaign, request.user),
    }
    return render(request, "campaigns/campaign_detail.html", context)
