"""Dismissing a notification on one's landing page (HTMX removes it in place; without JavaScript, back)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from campaigns.models import AuditEntry
from campaigns.services.reports import notices as notifications


@require_POST
def dismiss_notification(request, entry_id):
    entry = get_object_or_404(AuditEntry, pk=entry_id)
    notifications.dismiss(request.user, entry.pk)
    if request.htmx:
        return HttpResponse("")  # the notice's <li> is swapped for nothing
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "home"
    return redirect(back)
