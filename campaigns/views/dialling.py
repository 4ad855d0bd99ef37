"""Dialling control pages: Stop dialling (supervisors and admins, one action over every campaign or a selection),
its live progress page, the four-eyes Resume, and timed pauses (planners ask, a second person approves).

The progress rows are an htmx partial polled every second while any stop is unconfirmed; the last answer is 286
(htmx's "stop polling"). Everyone who reads campaigns may watch; only the services decide who may act."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseStopPolling

from campaigns import roles
from campaigns.cxone.factory import capabilities
from campaigns.models import AgentPool, Campaign, DiallingChange, DiallingStop, TimedPause
from campaigns.services.control import pausing, stopping
from campaigns.services.errors import WorkflowError

ZONE_CHOICES_LIMIT = 200


def _selection(data) -> dict:
    return {
        "all": data.get("scope") == "all",
        "pools": data.getlist("pools"),
        "zones": data.getlist("zones"),
        "states": [s for part in data.getlist("states") for s in part.replace(",", " ").split()],
        "campaigns": data.getlist("campaigns"),
    }


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def dialling(request):
    live = Campaign.objects.filter(missing_since__isnull=True)
    zones = sorted({z for c in live.only("timezone") for z in [c.timezone] if z})[:ZONE_CHOICES_LIMIT]
    context = {
        "nav": "dialling",
        "stops": DiallingStop.objects.select_related("requested_by", "resume_requested_by")[:30],
        "pauses": TimedPause.objects.select_related("requested_by", "reviewed_by").prefetch_related("campaigns")
        .order_by("-starts_at")[:30],
        "pools": AgentPool.objects.order_by("name"),
        "zones": zones,
        "campaigns": live.order_by("name"),
        "can_stop": stopping.can_control(request.user),
        "can_ask_pause": pausing.may_ask(request.user),
        "can_approve_pause": pausing.may_approve(request.user),
        "verbs": capabilities().dialling_verbs,
    }
    return render(request, "campaigns/dialling.html", context)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def stop_new(request):
    try:
        order = stopping.stop(request.user, _selection(request.POST), request.POST.get("reason", ""))
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect("dialling")
    messages.success(request, f"Stopping dialling on {order.changes.count()} campaigns: watch each one below.")
    return redirect("dialling-stop", pk=order.pk)


def _stop_context(order: DiallingStop) -> dict:
    changes = order.changes.select_related("campaign").order_by("action", "campaign__name")
    progress = stopping.progress(order)
    live = changes.filter(step__in=DiallingChange.UNFINISHED_STEPS).exists()
    return {"order": order, "changes": changes, "progress": progress, "live": live}


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def stop_detail(request, pk):
    order = get_object_or_404(DiallingStop.objects.select_related("requested_by", "resume_requested_by",
                                                                  "resume_approved_by"), pk=pk)  # fmt: skip
    context = {**_stop_context(order), "nav": "dialling", "can_stop": stopping.can_control(request.user),
               "asked_by_me": order.resume_requested_by_id == request.user.pk}  # fmt: skip
    return render(request, "campaigns/dialling_stop.html", context)


@require_safe
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def stop_rows(request, pk):
    order = get_object_or_404(DiallingStop, pk=pk)
    context = _stop_context(order)
    html = render_to_string("campaigns/_dialling_rows.html", context, request=request)
    return HttpResponse(html) if context["live"] else HttpResponseStopPolling(html)


def _act(request, pk, action, done: str):
    get_object_or_404(DiallingStop, pk=pk)
    try:
        action()
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("dialling-stop", pk=pk)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def resume_ask(request, pk):
    return _act(request, pk, lambda: stopping.request_resume(pk, request.user, request.POST.get("note", "")),
                "Resume asked: a second supervisor must agree.")  # fmt: skip


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def resume_withdraw(request, pk):
    return _act(request, pk, lambda: stopping.withdraw_resume(pk, request.user), "Resume withdrawn.")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def resume_agree(request, pk):
    return _act(request, pk, lambda: stopping.approve_resume(pk, request.user),
                "Resume agreed: the campaigns it stopped start again, where their schedules allow.")  # fmt: skip


def _instant(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pause_new(request):
    starts, ends = _instant(request.POST.get("starts_at", "")), _instant(request.POST.get("ends_at", ""))
    if starts is None or ends is None:
        messages.error(request, "Give the pause's start and end as dates and times (UTC).")
        return redirect("dialling")
    try:
        pause = pausing.ask(request.user, _selection(request.POST), starts, ends, request.POST.get("reason", ""))
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Pause #{pause.pk} asked: a supervisor approves it.")
    return redirect("dialling")


def _decide(request, pk, decide, done: str):
    get_object_or_404(TimedPause, pk=pk)
    try:
        decide()
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("dialling")


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pause_approve(request, pk):
    return _decide(request, pk, lambda: pausing.approve(pk, request.user),
                   "Pause approved: the workers stop and start the campaigns on time.")  # fmt: skip


@require_POST
@permission_required(roles.VIEW_CAMPAIGNS, raise_exception=True)
def pause_reject(request, pk):
    return _decide(request, pk, lambda: pausing.reject(pk, request.user, request.POST.get("note", "")),
                   "Pause rejected.")  # fmt: skip
