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
from campaigns.roles import can_view_webhooks
from campaigns.wfm.sender import THROTTLE_STATUSES

register = template.Library()
Status = WebhookDelivery.Status


def delivery_state(delivery: WebhookDelivery, now=None) -> tuple[str, str]:
    """(badge kind, label): Delivered, Dead-lettered, Stopped: endpoint gone, Sending, Pending, Throttled,
    Retrying."""
    now = now or timezone.now()
    if delivery.status == Status.DELIVERED:
        return "ok", "Delivered"
    if delivery.status == Status.DEAD:
        return "bad", "Dead-lettered"
    if delivery.status == Status.GONE:
        return "bad", "Stopped: endpoint gone"
    if delivery.lease_expires_at and delivery.lease_expires_at > now:
        return "info", "Sending"
    if not delivery.attempts:
        return "info", "Pending"
    return "warn", "Throttled" if delivery.last_status_code in THROTTLE_STATUSES else "Retrying"


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
