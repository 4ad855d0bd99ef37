"""How a WFM webhook delivery reads to people: a badge with text (never colour alone).

On the Webhooks page, and wherever an activation is shown:

    {% load webhooks %}{% webhook_status activation %}

renders the status of the activation's WFM event (or "not announced" while it has none), linking to the
Webhooks page for those who may see it.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from campaigns.models import WebhookDelivery
from campaigns.models.webhooks import STATES
from campaigns.roles import can_view_webhooks

register = template.Library()
Status = WebhookDelivery.Status


BADGE_KINDS = {
    "waiting": "info",
    "sending": "info",
    "retrying": "warn",
    "throttled": "warn",
    "delivered": "ok",
    "dead": "bad",
    "gone": "bad",
}
LABELS = dict(STATES)


def delivery_state(delivery: WebhookDelivery, now=None) -> tuple[str, str]:
    """(badge kind, label) in the words of models.webhooks.STATES: Waiting, Sending, Retrying, Throttled,
    Delivered, Dead-lettered, Stopped: endpoint gone."""
    state = delivery.state(now or timezone.now())
    return BADGE_KINDS[state], LABELS[state]


@register.filter
def due_in(moment, now):
    """When a retry is due, said to the second while it is close: "in 42 s", "in 4 min", "in 2 h 5 min"; one
    already due waits for the next sweep (every minute)."""
    if not moment or not now:
        return ""
    seconds = int((moment - now).total_seconds())
    if seconds <= 0:
        return "due: sent at the next sweep, within a minute"
    if seconds < 60:
        return f"in {seconds} s"
    minutes = -(-seconds // 60)
    if minutes < 60:
        return f"in {minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"in {hours} h {rest} min" if rest else f"in {hours} h"


@register.simple_tag(takes_context=True)
def webhook_status(context, activation):
    """The badge of `activation`'s latest WFM event, e.g. "WFM: Delivered"."""
    deliveries = sorted(activation.webhook_deliveries.all(), key=lambda d: d.created_at)  # prefetch-friendly
    if not deliveries:
        return mark_safe(
            '<span class="badge badge-muted">WFM: not announced</span>'
        )  # a constant: nothing to escape
    delivery = deliveries[-1]
    kind, label = delivery_state(delivery)
    badge = format_html('<span class="badge badge-{}">WFM: {}</span>', kind, label)
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and can_view_webhooks(user):
        url = f"{reverse('webhooks')}#delivery-{delivery.pk}"
        return format_html('<a href="{}" title="{} attempts">{}</a>', url, delivery.attempts, badge)
    return badge
