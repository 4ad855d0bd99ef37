"""The notifications page (what concerns me, unread first; what reaches me by mail), marking read, the mail's
one-click unsubscribe link, and dismissing a notice on one's landing page (HTMX removes it in place; without
JavaScript, back)."""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from campaigns.models import AuditEntry, NotificationSettings
from campaigns.scheduling import zone_error, zone_or_utc
from campaigns.services.errors import InvalidInput
from campaigns.services.notifications import inbox, preferences
from campaigns.services.notifications.catalogue import CATALOGUE
from campaigns.services.reports import notices
from campaigns.viewer import COOKIE, viewer_zone
from campaigns.views.query import whole_number


@functools.cache
def zone_names() -> list[str]:
    """The zones a person may pick for their mail (canonical IANA names)."""
    return sorted(name for name in available_timezones() if "/" in name and zone_error(name) is None)


@require_safe
@vary_on_headers("HX-Request")
def notification_list(request):
    return _page(request)


def _page(request, *, choice_error: str = "", status: int = 200):
    user = request.user
    zone = viewer_zone(request)
    if not NotificationSettings.objects.filter(user=user).exclude(zone="").exists():
        preferences.remember_zone(user, request.COOKIES.get(COOKIE, ""))
    unread, read = inbox.lines(user, zone)
    choices = preferences.settings_of(user)
    context = {
        "nav": "notifications",
        "unread": unread,
        "read": read,
        "choices": preferences.mail_choices(user),
        "mail_zone": choices.zone,
        "mail_zone_name": "UTC" if zone_or_utc(choices.zone).key in ("UTC", "Etc/UTC") else choices.zone,
        "zone_chosen": choices.zone_chosen,
        "choice_error": choice_error,
        "has_email": bool(user.email),
        "zone_names": zone_names(),
    }
    return render(request, "campaigns/notifications.html", context, status=status)


@require_POST
def mark_read(request, pk):
    inbox.mark_read(request.user, [pk])
    if request.htmx:
        return render(request, "campaigns/notifications.html#marked", {"pk": pk})
    return redirect("notifications")


@require_POST
def mark_all_read(request):
    ids = None
    if "ids" in request.POST:
        ids = [i for i in (whole_number(v) for v in request.POST.getlist("ids")) if i is not None]
    count = inbox.mark_read(request.user, ids)
    messages.success(request, f"{count} marked read." if count != 1 else "1 marked read.")
    return redirect("notifications")


@require_POST
def choose(request):
    mailed = {kind for kind in request.POST.getlist("mail") if kind in CATALOGUE}
    zone = request.POST.get("zone", "").strip()
    try:
        changes = preferences.choose(request.user, mailed=mailed, zone=zone)
    except InvalidInput as exc:
        return _page(request, choice_error=exc.message, status=400)
    messages.success(request, "Your choices are saved." if changes else "Nothing changed.")
    return redirect("notifications")


@csrf_exempt  # one click from a mail program (RFC 8058) carries no CSRF token; the signed link is the proof
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET (the link in the mail) and POST "List-Unsubscribe=One-Click" (the mail program's button): no more mail
    of that kind, at once. POST "mail=on" (the page's Undo): mailed again."""
    again = request.method == "POST" and request.POST.get("mail") == "on"
    try:
        user, kind, _ = preferences.unsubscribe(token, mailed=again)
    except preferences.BadLink as exc:
        return render(request, "campaigns/unsubscribed.html", {"error": str(exc)}, status=400)
    context = {"label": CATALOGUE[kind].label, "token": token, "mailed": again, "person": user}
    return render(request, "campaigns/unsubscribed.html", context)


@require_POST
def dismiss_notification(request, entry_id):
    entry = get_object_or_404(AuditEntry, pk=entry_id)
    notices.dismiss(request.user, entry.pk)
    if request.htmx:
        return HttpResponse("")  # the notice's <li> is swapped for nothing
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "home"
    return redirect(back)
