"""The Activations page (everyone): each push of an approved draft to CXone, live; and its Retry (supervisors).

The live step is an htmx partial that polls while the activation is unfinished and answers 286 (htmx's "stop
polling") once it is active, failed or stale. The draft and campaign pages, the planner's landing page and the
approval queue show the same partial.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseStopPolling

from campaigns import roles
from campaigns.models import Activation, Campaign
from campaigns.services.activation import retrying as activation_retry
from campaigns.services.errors import WorkflowError
from campaigns.views.common import campaign_options
from campaigns.views.query import QueryFilters

VIEW_ACTIVATIONS = "campaigns.view_activation"
PAGE_SIZE = 50


def with_relations(queryset):
    return queryset.select_related(
        "campaign", "draft", "draft__author", "draft__approver", "retry_of"
    ).prefetch_related("webhook_deliveries")


@require_safe
@permission_required(VIEW_ACTIVATIONS, raise_exception=True)
def activation_list(request):
    query = QueryFilters(request.GET)
    step = query.choice("step", "Step", Activation.Step.values)
    campaign = query.row_id("campaign", "Campaign")
    activations = with_relations(Activation.objects.all())
    if step:
        activations = activations.filter(step=step)
    if campaign is not None:
        activations = activations.filter(campaign_id=campaign)
    page = Paginator(activations.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(query.page())
    live = any(not a.is_finished for a in page.object_list)
    context = {
        "nav": "activations",
        "page": page,
        "live": live,
        "filters": {"step": step, "campaign": "" if campaign is None else str(campaign)},
        "query_problems": query.problems,
        "steps": Activation.Step.choices,
        # EXISTS, not a DISTINCT over a join: with 100 000 activations the join sorted every campaign row.
        "campaign_options": campaign_options(
            Campaign.objects.filter(Exists(Activation.objects.filter(campaign=OuterRef("pk")))).order_by(
                "name"
            ),
            "" if campaign is None else str(campaign),
            kept_as="activations",
        ),
        "can_retry": request.user.has_perm(roles.REVIEW_DRAFTS),
    }
    if request.htmx and request.htmx.target == "activation-rows":
        # The rows refresh themselves while any is unfinished; the last refresh tells htmx to stop.
        return _polled(request, "campaigns/activations.html#rows", context, more=live)
    return render(request, "campaigns/activations.html", context, status=query.status)


@require_safe
@permission_required(VIEW_ACTIVATIONS, raise_exception=True)
def activation_step(request, pk):
    a = get_object_or_404(with_relations(Activation.objects.all()), pk=pk)
    return _polled(request, "campaigns/_activation_step.html", {"a": a}, more=not a.is_finished)


def _polled(request, template: str, context: dict, *, more: bool) -> HttpResponse:
    """A partial that htmx polls: the last one (nothing more to watch) tells htmx to stop polling."""
    html = render_to_string(template, context, request=request)
    return HttpResponse(html) if more else HttpResponseStopPolling(html)


@require_POST
@permission_required(roles.REVIEW_DRAFTS, raise_exception=True)
def retry_activation(request, pk):
    try:
        again = activation_retry.retry(pk, request.user)
    except Activation.DoesNotExist as exc:
        raise Http404(f"No activation #{pk}.") from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Retrying: activation #{again.pk} pushes draft #{again.draft_id} to CXone again."
        )
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("activation-list")


def recent_for_author(user, days: int = 7, limit: int = 5) -> list[Activation]:
    """The planner's landing page: how their approved drafts fared in CXone lately."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        with_relations(Activation.objects.filter(draft__author=user, created_at__gte=since)).order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def recent_for_approver(user, hours: int = 24, limit: int = 10) -> list[Activation]:
    """The approval queue: the drafts this supervisor approved, on their way into CXone."""
    since = timezone.now() - dt.timedelta(hours=hours)
    return list(
        with_relations(Activation.objects.filter(draft__approver=user, created_at__gte=since)).order_by(
            "-created_at", "-pk"
        )[:limit]
    )
