from django.contrib import admin
from django_q.admin import FailAdmin, QueueAdmin, ScheduleAdmin, TaskAdmin
from django_q.models import Failure, OrmQ, Schedule, Success

from campaigns.models import (
    Activation,
    AuditEntry,
    Campaign,
    CapacityPool,
    MailMessage,
    Notification,
    ScheduleDraft,
    SignOnIdentity,
    WebhookDelivery,
    WebhookEndpoint,
)
from campaigns.services.notifications import sending as notification_mail


@admin.register(CapacityPool)
class CapacityPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "cxone_skill_id", "agents"]
    search_fields = ["name", "cxone_skill_id"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "cxone_id",
        "state",
        "pool",
        "timezone",
        "cron_expression",
        "remote_version",
        "synced_at",
    ]
    list_filter = ["state", "pool"]
    search_fields = ["name", "cxone_id"]
    list_select_related = ["pool"]
    # A mirror of CXone: sync writes it, people only read it.
    readonly_fields = [f.name for f in Campaign._meta.fields if f.name not in {"agents_required"}]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only the product's services write (workflow, sync, activation, audit): the admin shows them
    but never changes them, so nothing skips the state machine, four-eyes, lock versions or the audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduleDraft)
class ScheduleDraftAdmin(ReadOnlyAdmin):
    list_display = ["id", "campaign", "status", "author", "approver", "base_version", "updated_at"]
    list_filter = ["status"]
    search_fields = ["campaign__name", "campaign__cxone_id"]
    list_select_related = ["campaign", "author", "approver"]


@admin.register(Activation)
class ActivationAdmin(ReadOnlyAdmin):
    list_display = ["id", "campaign", "draft", "step", "attempts", "poll_count", "latency_ms", "created_at"]
    list_filter = ["step"]
    list_select_related = ["campaign", "draft"]
    raw_id_fields = ["campaign", "draft", "retry_of"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    # The outbox changes only through services/webhooks.py (claims, leases, Redeliver on the Webhooks page).
    list_display = ["idempotency_key", "event_type", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event_type"]
    raw_id_fields = ["activation"]
    search_fields = ["idempotency_key"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "gone_at", "resumed_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "campaign"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "message"]
    list_select_related = ["actor", "campaign"]


@admin.register(MailMessage)
class MailMessageAdmin(ReadOnlyAdmin):
    # The notification mail outbox: written by the composer, sent by the workers (services/notifications/).
    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "message_id"]
    actions = ["send_again"]

    @admin.action(description="Send the selected given-up mail again")
    def send_again(self, request, queryset):
        count = notification_mail.send_again(list(queryset.values_list("pk", flat=True)), request.user)
        self.message_user(request, f"{count} mail(s) will be sent again.")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "mail", "read_at"]
    list_filter = ["kind", "mail"]
    raw_id_fields = ["recipient", "campaign", "draft", "message"]


@admin.register(SignOnIdentity)
class SignOnIdentityAdmin(ReadOnlyAdmin):
    list_display = ["subject", "issuer", "user", "last_sign_in_at"]
    search_fields = ["subject", "user__username"]


# django-q2's own admin would let an admin schedule any importable function with any arguments on the workers,
# or resubmit a stored task. The task schedules are the product's (`manage.py setup_schedules`); the workers' task
# results are history. Shown read-only (results and queued tasks may be deleted: the sweepers redo lost work).
class TaskScheduleAdmin(ReadOnlyAdmin, ScheduleAdmin):
    pass


class TaskResultAdmin(TaskAdmin):
    actions = []  # not "resubmit": it runs the task again on the workers


class FailedTaskAdmin(FailAdmin):
    actions = []


class QueuedTaskAdmin(QueueAdmin):
    def has_change_permission(self, request, obj=None):
        return False


for model, model_admin in [
    (Schedule, TaskScheduleAdmin),
    (Success, TaskResultAdmin),
    (Failure, FailedTaskAdmin),
    (OrmQ, QueuedTaskAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
