"""The audit trail: every state change and edit, filterable by campaign, user and action."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.models import AuditEntry, Campaign
from campaigns.views.common import id_from

PAGE_SIZE = 50


@require_safe
@vary_on_headers("HX-Request")  # the whole page or (to htmx) its results: caches must keep them apart
@permission_required("campaigns.view_auditentry", raise_exception=True)
def audit_trail(request):
    entries = AuditEntry.objects.select_related("actor", "campaign")
    filters = {
        "campaign": request.GET.get("campaign", ""),
        "user": request.GET.get("user", ""),
        "action": request.GET.get("action", "").strip()[:100],
    }
    if id_from(filters["campaign"]) is not None:
        entries = entries.filter(campaign_id=id_from(filters["campaign"]))
    else:
        filters["campaign"] = ""
    if id_from(filters["user"]) is not None:
        entries = entries.filter(actor_id=id_from(filters["user"]))
    else:
        filters["user"] = ""
    if filters["action"]:
        entries = entries.filter(action__icontains=filters["action"])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "audit",
        "page": page,
        "filters": filters,
        "campaigns": Campaign.objects.only("id", "name").order_by("name"),
        "users": get_user_model().objects.filter(audit_entries__isnull=False).distinct().order_by("username"),
        "actions": AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct(),
    }
    template = "campaigns/audit.html"
    if request.htmx and request.htmx.target == "audit-results" and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)
