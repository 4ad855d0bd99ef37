"""The author's notifications on their landing page (services/notifications.py says which)."""

from django import template

from campaigns.services.reports import notices as notifications

register = template.Library()


@register.inclusion_tag("campaigns/_notifications.html", takes_context=True)
def author_notifications(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    notices = context.get("notices")  # a page that already read them (to show each draft once)
    if notices is None:
        notices = notifications.for_user(user) if user is not None else []
    return {
        "notices": notices,
        "request": request,
        "can_edit_drafts": context.get("can_edit_drafts"),
        "csrf_token": context.get("csrf_token"),
    }
