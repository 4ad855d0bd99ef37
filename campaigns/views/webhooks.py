"""The Webhooks page: the WFM outbox for supervisors, managers and admins. Every delivery with its event,
attempts, last answer and next try, filterable by status; Redeliver (same webhook-id) for dead, stopped or
delivered ones, and Resume when the endpoint answered 410 Gone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns import roles
from campaigns.models import WebhookDelivery, WebhookEndpoint
from campaigns.models.webhooks import STATES, in_state
from campaigns.services.errors import WorkflowError
from campaigns.services.webhooks import outbox as webhooks
from campaigns.services.webhooks import states as delivery_states
from campaigns.templatetags.webhooks import delivery_state
from campaigns.views.query import QueryFilters

PAGE_SIZE = 50
Status = WebhookDelivery.Status
FILTERS = [("", "All"), *STATES]  # the badges' own words
EVENT_LABELS = {
    "CAMPAIGN_SCHEDULE_UPDATED": "Schedule activated",
    "CAMPAIGN_ACTIVATION_FAILED": "Activation failed",
    "CAMPAIGN_DRIFTED": "Changed in CXone",
}


def _allowed(user) -> None:
    if not roles.can_view_webhooks(user):
        raise PermissionDenied("The Webhooks page is for supervisors, managers and admins.")


@require_safe
@vary_on_headers("HX-Request")  # the whole page or (to htmx) its part: caches keep them apart
def webhook_list(request):
    _allowed(request.user)
    now = timezone.now()
    query = QueryFilters(request.GET)
    status = query.choice("status", "Status", dict(STATES))
    deliveries = WebhookDelivery.objects.select_related("activation__campaign", "campaign").defer("payload")
    if status:
        deliveries = deliveries.filter(in_state(status, now))
    counts = delivery_states.state_counts(now)
    paginator = Paginator(deliveries, PAGE_SIZE)
    # The count the paginator would ask for (one more pass over 200 000 rows) is among the counts already made.
    paginator.count = counts.of(status)
    page = paginator.get_page(query.page())
    rows = [
        {
            "delivery": d,
            "state": delivery_state(d, now),
            "event": EVENT_LABELS.get(d.event_type, d.event_type),
        }
        for d in page.object_list
    ]
    config = webhooks.wfm_config()
    endpoint = WebhookEndpoint.objects.filter(url=config.url).first() if config else None
    context = {
        "nav": "webhooks",
        "page": page,
        "rows": rows,
        "status": status,
        "filters": FILTERS,
        "counts": [(label, counts.of(state), state) for state, label in STATES],
        "config": config,
        "endpoint": endpoint,
        "can_redeliver": request.user.has_perm(roles.REDELIVER_WEBHOOKS),
        "redeliverable": webhooks.REDELIVERABLE,
        "now": now,
        "query_problems": query.problems,
    }
    template = "campaigns/webhooks.html"
    if request.htmx and request.htmx.target == "webhook-results":
        template += "#results"
    return render(request, template, context, status=query.status)


def _back(request):
    status = request.POST.get("status", "")
    url = reverse("webhooks")
    return redirect(f"{url}?status={status}" if status in dict(STATES) else url)


@require_POST
def redeliver(request, pk):
    _allowed(request.user)
    get_object_or_404(WebhookDelivery.objects.only("pk"), pk=pk)
    try:
        delivery = webhooks.redeliver(pk, request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Delivery #{delivery.pk} will be sent again with the same webhook-id ({delivery.webhook_id}), so "
            "WFM can tell it has seen it.",
        )
    return _back(request)


@require_POST
def resume_endpoint(request):
    _allowed(request.user)
    try:
        count = webhooks.resume_endpoint(request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The WFM endpoint is resumed; {count} stopped deliveries will be sent again."
        )
    return _back(request)
